"""Fixtures for the workshop tests: the workshop list page, workshops of any shape, an iCalendar reader."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from workshops.models import WorkshopIndexPage, WorkshopPage


@pytest.fixture
def workshop_index(home_page):
    index = WorkshopIndexPage(title="Workshops", slug="workshops", show_in_menus=True)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs a block as if its transaction committed at the end of it.

    E-mails are queued when a transaction commits, and every test runs inside one that never does: what the
    block queued on commit (the e-mails) is sent as the block ends.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def make_workshop(workshop_index):
    counter = {"n": 0}

    def make(publish: bool = True, **fields) -> WorkshopPage:
        counter["n"] += 1
        start = fields.pop("start", timezone.now() + timedelta(days=7))
        values = {
            "title": f"Workshop {counter['n']}",
            "slug": f"workshop-{counter['n']}",
            "summary": "A live session.",
            "start": start,
            "end": fields.pop("end", start + timedelta(hours=2)),
            "time_zone": "Africa/Nairobi",
            "capacity": 2,
            "joining_details": "https://meet.example.org/secret-room",
            "live": publish,
            **fields,
        }
        workshop = WorkshopPage(**values)
        workshop_index.add_child(instance=workshop)
        if publish:
            workshop.save_revision().publish()
            workshop.refresh_from_db()
        return workshop

    return make


def parse_ics(text: str) -> list[dict]:
    """A strict little RFC 5545 reader: checks line endings and folding, returns the VEVENTs' properties."""
    assert text.endswith("\r\n"), "an iCalendar object ends with CRLF"
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line, "bare LF or CR inside a line"
        assert len(line.encode("utf-8")) <= 75, f"line longer than 75 octets: {line!r}"
    unfolded: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in unfolded and any(line.startswith("PRODID:") for line in unfolded)
    events, current = [], None
    for line in unfolded:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            for required in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
                assert required in current, f"VEVENT without {required}"
            events.append(current)
            current = None
        elif current is not None:
            current[name] = unescape(value) if name in {"SUMMARY", "DESCRIPTION", "LOCATION"} else value
    return events


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            assert char not in ",;", f"unescaped {char!r} in TEXT value {value!r}"
            out.append(char)
    return "".join(out)


def ics_time(value: str) -> datetime:
    assert value.endswith("Z"), f"not a UTC time: {value}"
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
