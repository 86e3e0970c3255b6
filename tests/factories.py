"""Factories for test data: users with profiles, taxonomy entries."""

import factory
from django.contrib.auth import get_user_model

from content.models import BuildingBlock, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    country = "KE"
    organisation = "Ministry of ICT"


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Role {n}")
    slug = factory.Sequence(lambda n: f"role-{n}")
    group = "Technology"


class BuildingBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuildingBlock

    name = factory.Sequence(lambda n: f"Block {n}")
    slug = factory.Sequence(lambda n: f"block-{n}")
    wave = 1
