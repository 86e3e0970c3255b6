"""Read rules for workshops: the filtered list, one workshop's state for a person, the /me/ panel, and the
organisers' lists.

Each runs a fixed number of queries whatever the number of workshops or registrations. They take page
instances and page querysets as arguments: the page classes are the layer above, and import this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from content.models import BuildingBlock

from .records import Format, Registration, RegistrationQuerySet, Status
from .services import closed_reason

if TYPE_CHECKING:
    from .models import WorkshopPage, WorkshopQuerySet

PER_PAGE = 20
PAST_ON_FIRST_PAGE = 6


def _with_places(queryset):
    return queryset.annotate(
        taken=Count("registrations", filter=Q(registrations__status=Status.REGISTERED), distinct=True)
    ).prefetch_related("building_blocks")


def index_context(workshops: WorkshopQuerySet, request: HttpRequest) -> dict:
    """Upcoming workshops (filtered, paginated), a few past ones, and the person's registrations.

    `workshops` are the ones the list shows at all (its published, public children).
    """
    now = timezone.now()
    formats = dict(Format.choices)
    languages = dict(settings.LANGUAGES)
    filters = {
        "format": request.GET.get("format", "") if request.GET.get("format", "") in formats else "",
        "language": request.GET.get("language", "") if request.GET.get("language", "") in languages else "",
        "block": request.GET.get("block", "")[:100],
        "when": "past" if request.GET.get("when") == "past" else "upcoming",
    }
    if filters["format"]:
        workshops = workshops.filter(format=filters["format"])
    if filters["language"]:
        workshops = workshops.filter(language=filters["language"])
    if filters["block"]:
        workshops = workshops.filter(building_blocks__slug=filters["block"])
    chosen = workshops.past(now) if filters["when"] == "past" else workshops.upcoming(now)
    page_obj = Paginator(_with_places(chosen), PER_PAGE).get_page(request.GET.get("page"))
    listed = list(page_obj.object_list)
    past = []
    if filters["when"] == "upcoming" and page_obj.number == 1:
        past = list(_with_places(workshops.past(now))[:PAST_ON_FIRST_PAGE])
    mine: dict[int, str] = {}
    if request.user.is_authenticated:
        ids = [w.pk for w in listed + past]
        mine = dict(
            Registration.objects.active()
            .filter(user=request.user, workshop_id__in=ids)
            .values_list("workshop_id", "status")
        )
    for workshop in listed + past:
        workshop.my_status = mine.get(workshop.pk)
        workshop.places_left = max(0, workshop.capacity - workshop.taken)
    query = {key: value for key, value in filters.items() if value and key != "when"}
    if filters["when"] == "past":
        query["when"] = "past"
    return {
        "filters": filters,
        "filtering": any(filters[key] for key in ("format", "language", "block")),
        "filter_query": urlencode(query),
        "formats": Format.choices,
        "languages": settings.LANGUAGES,
        "building_blocks": list(
            BuildingBlock.objects.filter(workshops__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        ),
        "page_obj": page_obj,
        "workshops": listed,
        "past_workshops": past,
        "showing_past": filters["when"] == "past",
        "feed_url": reverse("workshops_feed"),
        "now": now,
    }


def workshop_context(workshop: WorkshopPage, request: HttpRequest) -> dict:
    """What one person sees: places left, their registration or queue position, joining details."""
    now = timezone.now()
    counts = Registration.objects.filter(workshop=workshop).aggregate(
        taken=Count("pk", filter=Q(status=Status.REGISTERED)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
    )
    registration = None
    position = None
    if request.user.is_authenticated:
        registration = Registration.objects.active().filter(workshop=workshop, user=request.user).first()
        if registration is not None and registration.status == Status.WAITING:
            position = (
                Registration.objects.waiting()
                .filter(workshop=workshop)
                .filter(
                    Q(created__lt=registration.created)
                    | Q(created=registration.created, pk__lt=registration.pk)
                )
                .count()
                + 1
            )
    can_organise = bool(
        request.user.is_authenticated and workshop.permissions_for_user(request.user).can_edit()
    )
    return {
        "times": workshop.times,
        "registration": registration,
        "is_registered": registration is not None and registration.status == Status.REGISTERED,
        "waiting_position": position,
        "places_left": max(0, workshop.capacity - counts["taken"]),
        "waiting_count": counts["waiting"],
        "closed_reason": closed_reason(workshop, now),
        "has_ended": workshop.has_ended(now),
        "has_started": workshop.start <= now,
        "can_organise": can_organise,
    }


def dashboard_summary(user) -> dict | None:
    """The person's upcoming workshops for /me/ (two queries), or None when they have none."""
    registrations = list(
        Registration.objects.active()
        .filter(user=user, workshop__end__gt=timezone.now(), workshop__live=True)
        .select_related("workshop")
        .order_by("workshop__start")
    )
    if not registrations:
        return None
    index = registrations[0].workshop.get_parent()  # the list the workshops are on
    return {"registrations": registrations, "index_url": index.url if index and index.live else ""}


# --- For organisers (the admin's views). --------------------------------------------------------------------


def with_registration_counts(workshops: WorkshopQuerySet) -> list[WorkshopPage]:
    """The workshops, latest first, each with `registered_count` and `waiting_count` (one query)."""
    return list(
        workshops.annotate(
            registered_count=Count("registrations", filter=Q(registrations__status=Status.REGISTERED)),
            waiting_count=Count("registrations", filter=Q(registrations__status=Status.WAITING)),
        ).order_by("-start")
    )


def registrations_of(workshop: WorkshopPage) -> RegistrationQuerySet:
    """Everyone who ever registered for the workshop, in the order they did, with their person (one query)."""
    return Registration.objects.filter(workshop=workshop).select_related("user").order_by("created", "pk")


def registered_people(workshop: WorkshopPage) -> list[Registration]:
    """The workshop's registered people (not the waiting or cancelled), with their person (one query)."""
    return list(registrations_of(workshop).filter(status=Status.REGISTERED))
