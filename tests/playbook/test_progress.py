"""Progress: tick and untick deliverables and steps; counted once; only for the signed-in owner."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from playbook.models import Deliverable, DeliverableCompletion, PlaybookStepPage, StepCompletion

pytestmark = pytest.mark.django_db


@pytest.fixture
def playbook(make_playbook):
    return make_playbook(sections=2, steps=2, deliverables=3)


def first_step() -> PlaybookStepPage:
    return PlaybookStepPage.objects.order_by("path").first()


def tick_url(deliverable: Deliverable) -> str:
    return f"/playbook/progress/deliverable/{deliverable.pk}/"


def test_mark_and_unmark_a_deliverable_without_javascript(playbook, user, user_client):
    step = first_step()
    deliverable = step.deliverables.first()
    response = user_client.post(tick_url(deliverable), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{step.url}#deliverable-{deliverable.pk}"
    assert DeliverableCompletion.objects.filter(user=user, deliverable=deliverable).count() == 1
    html = user_client.get(step.url).content.decode()
    assert f'id="done-{deliverable.pk}" checked' in html
    assert "1 of 3 deliverables done" in html

    user_client.post(tick_url(deliverable), {})  # the box unticked: no "done" field
    assert not DeliverableCompletion.objects.filter(user=user).exists()


def test_a_double_submit_counts_once(playbook, user, user_client):
    deliverable = first_step().deliverables.first()
    user_client.post(tick_url(deliverable), {"done": "1"})
    user_client.post(tick_url(deliverable), {"done": "1"})
    assert DeliverableCompletion.objects.filter(user=user).count() == 1


def test_javascript_gets_json_with_the_new_summary(playbook, user, user_client):
    deliverable = first_step().deliverables.first()
    response = user_client.post(tick_url(deliverable), {"done": "1"}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"done": True, "summary": "1 of 3 deliverables done"}


def test_mark_a_step_complete(playbook, user, user_client):
    step = first_step()
    response = user_client.post(f"/playbook/progress/step/{step.pk}/", {"done": "1"})
    assert response["Location"] == f"{step.url}#step-complete"
    assert StepCompletion.objects.filter(user=user, step=step).count() == 1
    assert 'id="step-done" checked' in user_client.get(step.url).content.decode()
    user_client.post(f"/playbook/progress/step/{step.pk}/", {})
    assert not StepCompletion.objects.exists()


def test_anonymous_reader_is_sent_to_sign_in_and_nothing_is_stored(playbook, client):
    step = first_step()
    deliverable = step.deliverables.first()
    response = client.post(tick_url(deliverable), {"done": "1"})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"] == [step.url]
    assert not DeliverableCompletion.objects.exists()
    html = client.get(step.url).content.decode()
    assert "<form" not in html.split('id="deliverables"')[1].split("</section>")[0]
    assert f'href="/accounts/login/?next={step.url}"' in html


def test_progress_posts_need_a_csrf_token(playbook, user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    deliverable = first_step().deliverables.first()
    response = client.post(tick_url(deliverable), {"done": "1"})
    assert response.status_code == 403
    assert not DeliverableCompletion.objects.exists()


def test_progress_endpoints_refuse_get_and_unknown_items(playbook, user_client):
    deliverable = first_step().deliverables.first()
    assert user_client.get(tick_url(deliverable)).status_code == 405
    assert user_client.post("/playbook/progress/deliverable/999999/", {"done": "1"}).status_code == 404


def test_another_users_progress_is_never_shown(playbook, user, user_factory, client):
    step = first_step()
    for deliverable in step.deliverables.all():
        DeliverableCompletion.objects.create(user=user, deliverable=deliverable)
    StepCompletion.objects.create(user=user, step=step)
    other = user_factory()
    client.force_login(other)
    html = client.get(step.url).content.decode()
    assert " checked" not in html
    assert "0 of 3 deliverables done" in html
    overview = client.get("/playbook/").content.decode()
    assert "0 of 12 deliverables done" in overview
    assert "Complete</span>" not in overview


def test_progress_shows_on_the_playbook_page_and_on_me(playbook, user, user_client):
    for deliverable in Deliverable.objects.order_by("pk")[:4]:
        DeliverableCompletion.objects.create(user=user, deliverable=deliverable)
    overview = user_client.get("/playbook/").content.decode()
    assert "Section 1: 4 of 6 deliverables" in overview
    assert "Section 2: 0 of 6 deliverables" in overview
    me = user_client.get("/me/").content.decode()
    assert "4 of 12 deliverables done" in me
    assert "Section 1: 4 of 6 deliverables" in me
