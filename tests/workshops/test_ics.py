"""The iCalendar writer and the e-mails that carry it: valid RFC 5545 that reads back to the same event."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from tests.factories import UserFactory
from tests.workshops.conftest import ics_time, parse_ics
from workshops.ics import Event, calendar, escape_text, fold
from workshops.services import register


def test_escaping_of_text_values():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("line\r\nnext") == "line\\nnext"


def test_folding_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "é" * 100  # two octets each
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(part[1:] for part in parts[1:])]) == line
    assert fold("SUMMARY:short") == "SUMMARY:short"


def test_calendar_reads_back():
    start = datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    text = calendar(
        [
            Event(
                uid="workshop-1@example.org",
                start=start,
                end=start + timedelta(hours=2),
                summary="Identity, consent; and more",
                description="Line one\nLine two with a \\ backslash, " + "long " * 40,
                location="Room 2, Paris",
                stamp=start,
            )
        ]
    )
    [event] = parse_ics(text)
    assert event["DTSTART"] == "20270328T080000Z" and event["DTEND"] == "20270328T100000Z"
    assert event["SUMMARY"] == "Identity, consent; and more"
    assert event["DESCRIPTION"].startswith("Line one\nLine two with a \\ backslash, long")
    assert event["LOCATION"] == "Room 2, Paris"


@pytest.mark.django_db
def test_confirmation_email_carries_a_valid_ics(make_workshop):
    workshop = make_workshop(title="Clinic: identity, consent; sign-in", place="Room 2, Paris")
    person = UserFactory()
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


@pytest.mark.django_db
def test_waiting_list_email_has_no_calendar_and_no_joining_details(make_workshop):
    workshop = make_workshop(capacity=0)
    register(UserFactory(), workshop)
    [message] = mail.outbox
    assert message.attachments == []
    assert "secret-room" not in message.body
