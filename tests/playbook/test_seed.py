"""seed_demo's playbook part: demo users get progress, and running it again adds nothing."""

import random

import pytest

from content.seeding import SeedContext
from playbook.models import DeliverableCompletion, StepCompletion
from playbook.seeding import seed_playbook_progress
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seeder_adds_progress_once(make_playbook):
    make_playbook(sections=2, steps=3)
    users = UserFactory.create_batch(12)
    context = SeedContext(scale=1, rng=random.Random(7), users=users)
    seed_playbook_progress(context)
    done = DeliverableCompletion.objects.count()
    assert done > 0 and StepCompletion.objects.exists()
    assert DeliverableCompletion.objects.values("user").distinct().count() > 1
    seed_playbook_progress(SeedContext(scale=1, rng=random.Random(7), users=users))
    assert DeliverableCompletion.objects.count() == done
