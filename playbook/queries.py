"""Read rules of the playbook: the outline with one person's progress, a step page, the role view, the print
page and the /me/ summary, each in a fixed number of queries whatever the playbook's size.

They take page instances (and the live sections and steps the pages look up in the tree) as arguments: the
page classes are the layer above, and import this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from content.models import BuildingBlock, Role

from .records import Deliverable, DeliverableCompletion, StepCompletion, StepRole

if TYPE_CHECKING:
    from .models import PlaybookPage, PlaybookSectionPage, PlaybookStepPage


def progress_text(done: int, total: int) -> str:
    return ngettext(
        "%(done)s of %(total)s deliverable done", "%(done)s of %(total)s deliverables done", total
    ) % {"done": done, "total": total}


def step_progress_text(user, step: PlaybookStepPage) -> str:
    """'2 of 5 deliverables done' for one step (two queries)."""
    total = Deliverable.objects.filter(page=step).count()
    done = DeliverableCompletion.objects.for_user(user).filter(deliverable__page=step).count()
    return progress_text(done, total)


# --- The outline: sections and steps in reading order with one person's progress. ---------------------------


@dataclass
class StepEntry:
    page: PlaybookStepPage
    url: str
    section_id: int
    parent_id: int | None = None
    deliverables_total: int = 0
    deliverables_done: int = 0
    done: bool = False
    children: list[StepEntry] = field(default_factory=list)

    @property
    def progress_text(self) -> str:
        return progress_text(self.deliverables_done, self.deliverables_total)


@dataclass
class SectionEntry:
    page: PlaybookSectionPage
    url: str
    steps: list[StepEntry] = field(default_factory=list)  # top-level steps; sub-steps are their children
    all_steps: list[StepEntry] = field(default_factory=list)

    @property
    def deliverables_total(self) -> int:
        return sum(step.deliverables_total for step in self.all_steps)

    @property
    def deliverables_done(self) -> int:
        return sum(step.deliverables_done for step in self.all_steps)

    @property
    def progress_text(self) -> str:
        return progress_text(self.deliverables_done, self.deliverables_total)


@dataclass
class Outline:
    playbook: PlaybookPage
    sections: list[SectionEntry]
    steps: list[StepEntry]  # every step, in reading order across sections
    show_progress: bool

    def section_for(self, page_id: int) -> SectionEntry | None:
        return next((section for section in self.sections if section.page.pk == page_id), None)

    def entry_for(self, page_id: int) -> StepEntry | None:
        return next((entry for entry in self.steps if entry.page.pk == page_id), None)

    @property
    def deliverables_total(self) -> int:
        return sum(section.deliverables_total for section in self.sections)

    @property
    def deliverables_done(self) -> int:
        return sum(section.deliverables_done for section in self.sections)

    @property
    def steps_done(self) -> int:
        return sum(1 for step in self.steps if step.done)


def build_outline(
    playbook: PlaybookPage,
    sections: list[PlaybookSectionPage],
    steps: list[PlaybookStepPage],
    user,
    request: HttpRequest | None = None,
) -> Outline:
    """The outline of `playbook` from its live, public sections and steps (in tree order), with deliverable
    counts and `user`'s progress (three queries)."""
    step_ids = [step.pk for step in steps]
    totals = dict(
        Deliverable.objects.filter(page_id__in=step_ids)
        .values("page_id")
        .annotate(n=Count("id"))
        .values_list("page_id", "n")
    )
    authenticated = bool(getattr(user, "is_authenticated", False))
    done_counts: dict[int, int] = {}
    done_steps: set[int] = set()
    if authenticated:
        done_counts = dict(
            DeliverableCompletion.objects.for_user(user)
            .filter(deliverable__page_id__in=step_ids)
            .values("deliverable__page_id")
            .annotate(n=Count("id"))
            .values_list("deliverable__page_id", "n")
        )
        done_steps = set(
            StepCompletion.objects.for_user(user)
            .filter(step_id__in=step_ids)
            .values_list("step_id", flat=True)
        )
    section_by_path = {
        section.path: SectionEntry(page=section, url=section.get_url(request)) for section in sections
    }
    step_by_path: dict[str, StepEntry] = {}
    ordered: list[StepEntry] = []
    for step in steps:
        parent_path = step.path[: -Page.steplen]
        parent_step = step_by_path.get(parent_path)
        section = section_by_path.get(parent_path) or next(
            (entry for path, entry in section_by_path.items() if step.path.startswith(path)), None
        )
        if section is None:  # under an unpublished or restricted section: not part of the public path
            continue
        if parent_step is None and parent_path not in section_by_path:
            continue  # its parent step is not live
        entry = StepEntry(
            page=step,
            url=step.get_url(request),
            section_id=section.page.pk,
            parent_id=parent_step.page.pk if parent_step else None,
            deliverables_total=totals.get(step.pk, 0),
            deliverables_done=done_counts.get(step.pk, 0),
            done=step.pk in done_steps,
        )
        step_by_path[step.path] = entry
        (parent_step.children if parent_step else section.steps).append(entry)
        section.all_steps.append(entry)
        ordered.append(entry)
    return Outline(
        playbook=playbook, sections=list(section_by_path.values()), steps=ordered, show_progress=authenticated
    )


# --- A step page. -------------------------------------------------------------------------------------------


@dataclass
class DeliverableItem:
    deliverable: Deliverable
    done: bool


@dataclass
class StepView:
    outline: Outline | None
    entry: StepEntry | None
    section: SectionEntry | None
    parent: StepEntry | None
    previous: StepEntry | None
    next: StepEntry | None
    position_label: str
    roles: list[StepRole]
    deliverables: list[DeliverableItem]
    building_blocks: list[BuildingBlock]
    done: bool
    progress_text: str
    trail: list[dict]
    interactive: bool  # the reader may tick things off here (signed in, live page, not a preview)


def _position_label(entry: StepEntry | None, siblings: list[StepEntry], parent: StepEntry | None) -> str:
    if entry is None or entry not in siblings:
        return ""
    values = {"position": siblings.index(entry) + 1, "count": len(siblings), "number": entry.page.number}
    if parent is not None:
        values["parent"] = parent.page.number or parent.page.title
        return _("Step %(number)s: part %(position)s of %(count)s in step %(parent)s") % values
    if entry.page.number:
        return _("Step %(number)s of %(count)s") % values
    return _("Topic %(position)s of %(count)s") % values


def step_view(page: PlaybookStepPage, outline: Outline | None, user, request=None) -> StepView:
    """Everything a step page shows, given the outline of its playbook (None outside a playbook)."""
    entry = outline.entry_for(page.pk) if outline and page.pk else None
    section = outline.section_for(entry.section_id) if entry else None
    parent = outline.entry_for(entry.parent_id) if entry and entry.parent_id else None
    previous = following = None
    if entry is not None:
        index = outline.steps.index(entry)
        previous = outline.steps[index - 1] if index > 0 else None
        following = outline.steps[index + 1] if index + 1 < len(outline.steps) else None
    siblings = parent.children if parent else (section.steps if section else [])
    deliverables = list(page.deliverables.all().select_related("template"))
    done_ids: set[int] = set()
    if getattr(user, "is_authenticated", False) and page.pk:
        done_ids = set(
            DeliverableCompletion.objects.for_user(user)
            .filter(deliverable__page_id=page.pk)
            .values_list("deliverable_id", flat=True)
        )
    items = [DeliverableItem(deliverable, deliverable.pk in done_ids) for deliverable in deliverables]
    return StepView(
        outline=outline,
        entry=entry,
        section=section,
        parent=parent,
        previous=previous,
        next=following,
        position_label=_position_label(entry, siblings, parent),
        roles=list(page.role_responsibilities.all().select_related("role")),
        deliverables=items,
        building_blocks=list(page.building_blocks.all()),
        done=bool(entry and entry.done),
        progress_text=progress_text(sum(item.done for item in items), len(items)),
        interactive=bool(
            getattr(user, "is_authenticated", False)
            and entry is not None
            and not getattr(request, "is_preview", False)
            and all(item.deliverable.pk for item in items)
        ),
        trail=[
            {"url": crumb.url, "title": crumb.page.title}
            for crumb in (
                [StepEntry(outline.playbook, outline.playbook.get_url(request), 0)] if outline else []
            )
            + ([section] if section else [])
            + ([parent] if parent else [])
        ],
    )


# --- By role. -----------------------------------------------------------------------------------------------


@dataclass
class RolePath:
    role: Role
    outline: Outline
    items: list[tuple[StepEntry, StepRole]]


def roles_with_responsibilities(playbook: PlaybookPage) -> list[Role]:
    """The roles that have something to do in this playbook's live steps (one query)."""
    role_ids = StepRole.objects.filter(
        page__path__startswith=playbook.path, page__depth__gt=playbook.depth, page__live=True
    ).values("role_id")
    return list(Role.objects.filter(pk__in=role_ids).order_by("group", "name"))


def role_by_slug(role_slug: str) -> Role | None:
    return Role.objects.filter(slug=role_slug).first()


def role_path(role: Role, outline: Outline) -> RolePath:
    """Every step of the outline where a role has responsibilities, in reading order (one query)."""
    by_step = {entry.page.pk: entry for entry in outline.steps}
    assignments = StepRole.objects.filter(role=role, page_id__in=list(by_step)).order_by("sort_order")
    order = {entry.page.pk: index for index, entry in enumerate(outline.steps)}
    items = sorted(
        ((by_step[assignment.page_id], assignment) for assignment in assignments),
        key=lambda pair: order[pair[0].page.pk],
    )
    return RolePath(role=role, outline=outline, items=items)


# --- Print. -------------------------------------------------------------------------------------------------


@dataclass
class PrintableStep:
    entry: StepEntry
    roles: list[StepRole]
    deliverables: list[Deliverable]


def printable_playbook(outline: Outline) -> list[tuple[SectionEntry, list[PrintableStep]]]:
    """Every section and step in reading order with its roles and deliverables (two queries)."""
    step_ids = [entry.page.pk for entry in outline.steps]
    roles: dict[int, list[StepRole]] = {}
    for assignment in (
        StepRole.objects.filter(page_id__in=step_ids).select_related("role").order_by("sort_order")
    ):
        roles.setdefault(assignment.page_id, []).append(assignment)
    deliverables: dict[int, list[Deliverable]] = {}
    for deliverable in Deliverable.objects.filter(page_id__in=step_ids).order_by("sort_order"):
        deliverables.setdefault(deliverable.page_id, []).append(deliverable)
    return [
        (
            section,
            [
                PrintableStep(entry, roles.get(entry.page.pk, []), deliverables.get(entry.page.pk, []))
                for entry in section.all_steps
            ],
        )
        for section in outline.sections
    ]
