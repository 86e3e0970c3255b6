"""The iCalendar files and the e-mails that carry them: valid RFC 5545 that reads back to the same event; a
cancellation that takes the event out of the person's calendar; SEQUENCE that only goes up."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from tests.factories import UserFactory
from tests.workshops.conftest import ics_time, parse_ics
from workshops.ics import feed_calendar, invitation_calendar
from workshops.services import cancel, register

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = "a,b;c\\d\ne"


def lines_of(text: str, name: str) -> list[str]:
    """The physical lines of the property `name` (its first line and its folded continuation lines)."""
    physical = text.split("\r\n")
    start = next(index for index, line in enumerate(physical) if line.startswith(f"{name}:"))
    continuation = []
    for line in physical[start + 1 :]:
        if not line.startswith(" "):
            break
        continuation.append(line)
    return [physical[start], *continuation]


def test_escaping_of_text_values(make_workshop):
    workshop = make_workshop(title=HOSTILE_TITLE, summary="line\r\nnext")
    text = invitation_calendar(workshop, sequence=0)
    assert "SUMMARY:a\\,b\\;c\\\\d\\ne\r\n" in text
    assert lines_of(text, "DESCRIPTION")[0].startswith("DESCRIPTION:line\\nnext\\n\\n")
    [event] = parse_ics(text)
    assert event["SUMMARY"] == HOSTILE_TITLE


def test_folding_at_75_octets_without_splitting_characters(make_workshop):
    workshop = make_workshop(summary="é" * 100, joining_details="")  # two octets each
    text = invitation_calendar(workshop, sequence=0)
    parts = lines_of(text, "DESCRIPTION")
    assert len(parts) > 1
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    unfolded = "".join([parts[0], *(part[1:] for part in parts[1:])])
    assert unfolded.startswith("DESCRIPTION:" + "é" * 100 + "\\n\\n")
    assert lines_of(text, "SEQUENCE") == ["SEQUENCE:0"]  # a short line stays whole


def test_calendar_reads_back(make_workshop):
    start = datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    workshop = make_workshop(
        title="Identity, consent; and more",
        summary="Line one\nLine two with a \\ backslash, " + "long " * 40,
        place="Room 2, Paris",
        start=start,
        end=start + timedelta(hours=2),
    )
    [event] = parse_ics(feed_calendar("Workshops", [workshop]))
    assert event["DTSTART"] == "20270328T080000Z" and event["DTEND"] == "20270328T100000Z"
    assert event["SUMMARY"] == "Identity, consent; and more"
    assert event["DESCRIPTION"].startswith("Line one\nLine two with a \\ backslash, long")
    assert event["LOCATION"] == "Room 2, Paris"


def test_confirmation_email_carries_a_valid_ics(make_workshop, committed):
    workshop = make_workshop(title="Clinic: identity, consent; sign-in", place="Room 2, Paris")
    person = UserFactory()
    with committed():
        register(person, workshop)
    [message] = mail.outbox
    assert message.to == [person.email]
    assert workshop.title in message.subject
    assert "https://meet.example.org/secret-room" in message.body  # the registered person gets the details
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("workshop.ics", "text/calendar")
    [event] = parse_ics(content)
    assert ics_time(event["DTSTART"]) == workshop.start.replace(microsecond=0)
    assert ics_time(event["DTEND"]) == workshop.end.replace(microsecond=0)
    assert event["SUMMARY"] == workshop.title
    assert event["UID"] == f"workshop-{workshop.pk}@testserver"
    assert event["URL"] == f"http://testserver{workshop.url}"
    assert "https://meet.example.org/secret-room" in event["DESCRIPTION"]
    ics_time(event["DTSTAMP"])
    # The whole message renders as MIME with the calendar part.
    assert "text/calendar" in message.message().as_string()


def test_waiting_list_email_has_no_calendar_and_no_joining_details(make_workshop, committed):
    workshop = make_workshop(capacity=0)
    with committed():
        register(UserFactory(), workshop)
    [message] = mail.outbox
    assert message.attachments == []
    assert "secret-room" not in message.body


def calendar_of(message) -> tuple[str, dict]:
    [(_name, content, _mimetype)] = message.attachments
    method = next(line for line in content.split("\r\n") if line.startswith("METHOD:"))
    [event] = parse_ics(content)
    return method, event


def test_cancelling_a_place_emails_the_cancellation_of_the_same_event(make_workshop, committed):
    """The cancellation names the same UID with a higher SEQUENCE, so the calendar removes the event; a new
    registration afterwards is newer again, so the calendar takes it back."""
    workshop = make_workshop()
    person = UserFactory()
    with committed():
        register(person, workshop)
        cancel(person, workshop)
        register(person, workshop)
    confirmation, cancellation, again = mail.outbox
    assert cancellation.to == [person.email]
    assert cancellation.subject == f"[GovLearn] Registration cancelled: {workshop.title}"
    assert "secret-room" not in cancellation.body
    method, cancelled = calendar_of(cancellation)
    assert method == "METHOD:CANCEL" and cancelled["STATUS"] == "CANCELLED"
    assert cancelled["UID"] == f"workshop-{workshop.pk}@testserver"
    assert cancelled["ATTENDEE"] == f"mailto:{person.email}"
    assert cancelled["ORGANIZER;CN=GovLearn"] == "mailto:noreply@localhost"
    assert "secret-room" not in cancelled["DESCRIPTION"]
    _method, first = calendar_of(confirmation)
    _method, second = calendar_of(again)
    assert first["UID"] == cancelled["UID"] == second["UID"]
    assert int(first["SEQUENCE"]) < int(cancelled["SEQUENCE"]) < int(second["SEQUENCE"])


def test_leaving_the_waiting_list_sends_no_cancellation(make_workshop, committed):
    """A person on the waiting list never had the event in their calendar."""
    workshop = make_workshop(capacity=0)
    person = UserFactory()
    register(person, workshop)
    with committed():
        cancel(person, workshop)
    assert mail.outbox == []


def test_sequence_goes_up_when_time_or_place_changes_and_never_down(make_workshop):
    workshop = make_workshop(place="Room 1")
    assert workshop.calendar_sequence == 0
    first_revision = workshop.get_latest_revision()

    workshop.summary = "A clearer summary."
    workshop.save_revision().publish()
    workshop.refresh_from_db()
    assert workshop.calendar_sequence == 0  # not a change a calendar shows as time or place

    workshop.start += timedelta(hours=1)
    workshop.end += timedelta(hours=1)
    workshop.save_revision().publish()
    workshop.refresh_from_db()
    assert workshop.calendar_sequence == 1

    workshop.place = "Room 2"
    workshop.save_revision().publish()
    workshop.refresh_from_db()
    assert workshop.calendar_sequence == 2
    [event] = parse_ics(feed_calendar("Workshops", [workshop]))
    assert event["SEQUENCE"] == "2"

    first_revision.publish()  # back to the first time and place: a change again, so up, not back to 0
    workshop.refresh_from_db()
    assert (workshop.place, workshop.calendar_sequence) == ("Room 1", 3)
