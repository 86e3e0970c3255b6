"""Account e-mails go through the task queue: a failing mail server never turns a sign-up into an error."""

from unittest import mock

import pytest
from django.core import mail

from content.mail import data_to_message, message_to_data, send_email_task, send_later

pytestmark = pytest.mark.django_db


def test_signup_mail_is_sent_through_the_task_queue(client, site, mailoutbox):
    with mock.patch("content.mail.send_email_task", wraps=send_email_task) as queued:
        response = client.post(
            "/accounts/signup/",
            {
                "email": "new@example.org",
                "password1": "a-long-pass-phrase-1",
                "password2": "a-long-pass-phrase-1",
            },
        )
    assert response.status_code == 302
    assert queued.enqueue.call_count == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["new@example.org"]


def test_signup_survives_a_failing_mail_server(client, site):
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "new@example.org",
                "password1": "a-long-pass-phrase-1",
                "password2": "a-long-pass-phrase-1",
            },
        )
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(email="new@example.org").exists()


def test_message_round_trips_through_json_data():
    message = mail.EmailMultiAlternatives("Subject é", "Body", "from@example.org", ["to@example.org"])
    message.attach_alternative("<p>Body</p>", "text/html")
    message.attach("invite.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    again = data_to_message(message_to_data(message))
    assert again.attachments[0][0] == "invite.ics" and "VCALENDAR" in again.attachments[0][1]
    assert (again.subject, again.body, again.to) == ("Subject é", "Body", ["to@example.org"])
    assert again.alternatives[0][0] == "<p>Body</p>"


def test_send_later_never_raises_when_queueing_fails(mailoutbox):
    message = mail.EmailMultiAlternatives("S", "B", "from@example.org", ["to@example.org"])
    with mock.patch("content.mail.send_email_task") as queued:
        queued.enqueue.side_effect = RuntimeError("queue down")
        send_later(message)
    assert mailoutbox == []


def test_signing_in_applies_the_preferred_language(client, user_factory):
    person = user_factory(preferred_language="fr")
    response = client.post("/accounts/login/", {"login": person.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "fr"
