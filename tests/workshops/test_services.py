"""Registration rules: places, the waiting list in order, cancellation, refusals, reminders, attendance."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from tests.factories import UserFactory
from workshops.models import Registration, Status
from workshops.services import (
    RegistrationRefused,
    cancel,
    mark_attendance,
    promote_from_waiting_list,
    register,
    send_due_reminders,
)

pytestmark = pytest.mark.django_db


def people(n):
    return [UserFactory() for _ in range(n)]


def test_places_then_waiting_list_and_registering_twice_counts_once(make_workshop, committed):
    workshop = make_workshop(capacity=2)
    a, b, c = people(3)
    with committed():
        assert register(a, workshop).registration.status == Status.REGISTERED
        again = register(a, workshop)
        assert not again.created and again.registration.status == Status.REGISTERED
        assert register(b, workshop).registration.status == Status.REGISTERED
        third = register(c, workshop)
    assert third.waiting
    assert Registration.objects.active().filter(workshop=workshop).count() == 3
    assert Registration.objects.registered().filter(workshop=workshop).count() == 2
    subjects = [message.subject for message in mail.outbox]
    assert subjects.count("[GovLearn] You are registered: Workshop 1") == 2  # not 3: the repeat sent nothing
    assert subjects[-1] == "[GovLearn] You are on the waiting list: Workshop 1"


def test_cancelling_promotes_the_waiting_list_in_order_with_an_email(make_workshop, committed):
    workshop = make_workshop(capacity=1)
    first, second, third = people(3)
    register(first, workshop)
    register(second, workshop)
    register(third, workshop)
    mail.outbox.clear()
    with committed():
        cancel(first, workshop)
    assert Registration.objects.get(workshop=workshop, user=second).status == Status.REGISTERED
    assert Registration.objects.get(workshop=workshop, user=third).status == Status.WAITING
    # The person who cancelled gets the cancellation of their calendar entry; the next in line, the place.
    assert [m.to for m in mail.outbox] == [[first.email], [second.email]]
    assert mail.outbox[0].subject == "[GovLearn] Registration cancelled: Workshop 1"
    assert mail.outbox[1].subject == "[GovLearn] A place is yours: Workshop 1"
    assert mail.outbox[1].attachments[0][0] == "workshop.ics"
    cancel(second, workshop)
    assert Registration.objects.get(workshop=workshop, user=third).status == Status.REGISTERED
    # Cancelled rows stay as history; the person may register again and joins the end of the queue.
    assert Registration.objects.filter(workshop=workshop, status=Status.CANCELLED).count() == 2
    assert register(first, workshop).waiting


def test_a_change_that_is_rolled_back_emails_nobody(make_workshop, committed):
    """E-mails wait for the commit: work that fails after a cancellation (Wagtail's publish, which fills
    places inside its own transaction, say) takes back the promotion and its e-mails together."""
    workshop = make_workshop(capacity=1)
    first, second = people(2)
    register(first, workshop)
    register(second, workshop)
    mail.outbox.clear()
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        cancel(first, workshop)
        raise RuntimeError("the surrounding work failed")
    assert mail.outbox == []
    assert Registration.objects.get(workshop=workshop, user=second).status == Status.WAITING


def test_leaving_the_waiting_list_promotes_nobody(make_workshop):
    workshop = make_workshop(capacity=1)
    a, b, c = people(3)
    register(a, workshop), register(b, workshop), register(c, workshop)
    cancel(b, workshop)
    assert Registration.objects.get(workshop=workshop, user=c, status=Status.WAITING)
    assert cancel(b, workshop) is None  # already cancelled: nothing to do


def test_more_places_fill_from_the_waiting_list(make_workshop, committed):
    workshop = make_workshop(capacity=1)
    a, b, c, d = people(4)
    for person in (a, b, c, d):
        register(person, workshop)
    mail.outbox.clear()
    workshop.capacity = 3
    with committed():
        workshop.save_revision().publish()  # publishing the change fills the new places in order
    assert [m.to for m in mail.outbox] == [[b.email], [c.email]]
    assert Registration.objects.get(workshop=workshop, user=d).status == Status.WAITING
    assert promote_from_waiting_list(workshop) == []  # nothing left to fill
    Registration.objects.filter(workshop=workshop, user=a).update(status=Status.CANCELLED)
    assert [entry.user for entry in promote_from_waiting_list(workshop)] == [d]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"start": timezone.now() - timedelta(hours=1)}, "already started"),
        ({"registration_open": False}, "Registration for this workshop is closed."),
        ({"registration_deadline": timezone.now() - timedelta(minutes=1)}, "Registration closed on"),
    ],
)
def test_closed_or_past_workshops_refuse_with_a_clear_message(make_workshop, fields, message):
    workshop = make_workshop(**fields)
    with pytest.raises(RegistrationRefused, match=message):
        register(UserFactory(), workshop)
    assert not Registration.objects.exists()


def test_unpublished_workshop_refuses(make_workshop):
    workshop = make_workshop(publish=False)
    with pytest.raises(RegistrationRefused, match="not published"):
        register(UserFactory(), workshop)


def test_cancelling_after_the_start_is_refused(make_workshop):
    workshop = make_workshop()
    person = UserFactory()
    register(person, workshop)
    with pytest.raises(RegistrationRefused):
        cancel(person, workshop, now=workshop.start + timedelta(minutes=5))


def test_registration_locks_the_workshop_row(make_workshop):
    """Every change of places asks for the row lock (a real lock on PostgreSQL; see the threaded test)."""
    workshop = make_workshop(capacity=1)
    original = QuerySet.select_for_update
    with mock.patch.object(QuerySet, "select_for_update", autospec=True, side_effect=original) as spy:
        register(UserFactory(), workshop)
        cancel(Registration.objects.get().user, workshop)
        promote_from_waiting_list(workshop)
    assert spy.call_count == 3
    assert all(call.args[0].model.__name__ == "WorkshopPage" for call in spy.call_args_list)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_taking_the_last_place_at_once(make_workshop):
    """Two registrations race for one place: exactly one gets it, the other waits."""
    workshop = make_workshop(capacity=1)
    a, b = people(2)
    if connection.vendor != "postgresql":
        # SQLite serialises writers, so threads would only test SQLite: run the same two calls in turn
        # (the PostgreSQL run of CI races them for real, and the test above checks the lock is taken).
        results = [register(a, workshop), register(b, workshop)]
    else:
        barrier = threading.Barrier(2)
        results, errors = [], []

        def attempt(person):
            try:
                barrier.wait(timeout=5)
                results.append(register(person, workshop))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt, args=(person,)) for person in (a, b)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
        assert not errors, errors
    assert sorted(result.registration.status for result in results) == [Status.REGISTERED, Status.WAITING]
    assert Registration.objects.registered().filter(workshop=workshop).count() == 1


def test_reminders_go_out_once_the_day_before(make_workshop, committed):
    soon = make_workshop(start=timezone.now() + timedelta(hours=20), capacity=5)
    later = make_workshop(start=timezone.now() + timedelta(days=3), capacity=5)
    a, b = people(2)
    register(a, soon)
    register(b, later)
    waiting_person = UserFactory()
    soon.capacity = 1
    soon.save_revision().publish()
    register(waiting_person, soon)  # on the waiting list: no reminder
    mail.outbox.clear()
    with committed():
        call_command("send_workshop_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [[a.email]]
    assert mail.outbox[0].subject == f"[GovLearn] Tomorrow: {soon.title}"
    assert "https://meet.example.org/secret-room" in mail.outbox[0].body
    with committed():
        assert send_due_reminders() == 0  # the second run sends nothing
    assert len(mail.outbox) == 1
    assert Registration.objects.get(user=a).reminded_at is not None
    assert send_due_reminders(now=later.start - timedelta(hours=2)) == 1  # b's turn, two days on


def test_attendance_after_the_session(make_workshop):
    workshop = make_workshop(capacity=3)
    a, b = people(2)
    ra, rb = register(a, workshop).registration, register(b, workshop).registration
    with pytest.raises(RegistrationRefused):
        mark_attendance(workshop, [ra.pk])
    assert mark_attendance(workshop, [ra.pk], now=workshop.end) == 1
    ra.refresh_from_db(), rb.refresh_from_db()
    assert (ra.attended, rb.attended) == (True, False)


def test_registering_and_cancelling_in_a_loop_stops_sending_emails(make_workshop, client, committed):
    workshop = make_workshop(capacity=5)
    (person,) = people(1)
    mail.outbox.clear()
    with committed():
        for _round in range(3):
            register(person, workshop)
            cancel(person, workshop)
        with pytest.raises(RegistrationRefused, match="several times today"):
            register(person, workshop)
    assert len(mail.outbox) == 6  # three confirmations, three cancellations, then nothing
    client.force_login(person)
    with committed():
        response = client.post(f"{workshop.url}register/", follow=True)
    assert response.status_code == 200 and "several times today" in response.content.decode()
    assert len(mail.outbox) == 6
    Registration.objects.update(created=timezone.now() - timedelta(days=2))
    assert register(person, workshop).created  # a new day


def test_registrations_are_limited_per_person_across_workshops(make_workshop, monkeypatch):
    monkeypatch.setattr("workshops.services.REGISTRATION_LIMITS", [(2, 3600)])
    workshops = [make_workshop(capacity=5) for _ in range(3)]
    (person,) = people(1)
    register(person, workshops[0])
    register(person, workshops[1])
    with pytest.raises(RegistrationRefused, match="many workshops"):
        register(person, workshops[2])
    assert register(person, workshops[0]).created is False  # already registered: no e-mail, no count
