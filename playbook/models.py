"""Playbook pages (playbook → section → step) with their routes: the top layer of the app.

The pages look up their live sections and steps in the tree and hand them to the read rules in `queries`;
progress is marked through `services`. The record models (a step's roles and deliverables, progress facts)
live in `records` and are re-exported here, where Django and the tests look for the app's models.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import BaseContentBlock
from content.discussion import CommunitySelect, discussion_community_field

from . import queries, services
from .blocks import ActivitiesBlock
from .forms import ProgressForm
from .records import Deliverable, DeliverableCompletion, StepCompletion, StepRole

__all__ = [
    "Deliverable",
    "DeliverableCompletion",
    "PlaybookPage",
    "PlaybookSectionPage",
    "PlaybookStepPage",
    "StepCompletion",
    "StepRole",
]


class PlaybookPage(RoutablePageMixin, Page):
    """The playbook's front page at /playbook/: the whole path, with the role view and print page."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseContentBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["govlearn.HomePage"]
    subpage_types = ["playbook.PlaybookSectionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("playbook")

    # --- The tree. ----------------------------------------------------------------------------------------

    def outline(self, user, request: HttpRequest | None = None) -> queries.Outline:
        """Live, public sections and steps in reading order with `user`'s progress (five queries)."""
        sections = list(PlaybookSectionPage.objects.child_of(self).live().public().order_by("path"))
        steps = list(PlaybookStepPage.objects.descendant_of(self).live().public().order_by("path"))
        return queries.build_outline(self, sections, steps, user, request)

    def live_step(self, step_id: int) -> PlaybookStepPage:
        """A live step of this playbook, or 404."""
        return get_object_or_404(PlaybookStepPage.objects.descendant_of(self).live(), pk=step_id)

    # --- Pages and routes. --------------------------------------------------------------------------------

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["outline"] = self.outline(request.user, request)
        return context

    @path("roles/", name="roles")
    def roles_view(self, request: HttpRequest) -> HttpResponse:
        return self.render(
            request,
            template="playbook/roles_index.html",
            context_overrides={"roles": queries.roles_with_responsibilities(self)},
        )

    @path("roles/<slug:role_slug>/", name="role")
    def role_view(self, request: HttpRequest, role_slug: str) -> HttpResponse:
        role = queries.role_by_slug(role_slug)
        if role is None:
            raise Http404
        path_for_role = queries.role_path(role, self.outline(request.user, request))
        return self.render(
            request, template="playbook/role.html", context_overrides={"role_path": path_for_role}
        )

    @path("print/", name="print")
    def print_view(self, request: HttpRequest) -> HttpResponse:
        printable = queries.printable_playbook(self.outline(None, request))
        return TemplateResponse(request, "playbook/print.html", {"page": self, "printable": printable})

    @path("progress/deliverable/<int:deliverable_id>/", name="deliverable_progress")
    def deliverable_progress(self, request: HttpRequest, deliverable_id: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        deliverable = get_object_or_404(
            Deliverable.objects.in_playbook(self).select_related("page"), pk=deliverable_id
        )
        step = deliverable.page
        if not request.user.is_authenticated:
            return redirect_to_login(step.get_url(request))
        form = ProgressForm(request.POST)
        form.is_valid()  # one optional tick box: every submission is valid, an unticked box means not done
        done = services.set_deliverable_done(request.user, deliverable, form.cleaned_data["done"])
        return self._progress_response(
            request,
            step,
            f"deliverable-{deliverable.pk}",
            done,
            queries.step_progress_text(request.user, step),
        )

    @path("progress/step/<int:step_id>/", name="step_progress")
    def step_progress(self, request: HttpRequest, step_id: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        step = self.live_step(step_id)
        if not request.user.is_authenticated:
            return redirect_to_login(step.get_url(request))
        form = ProgressForm(request.POST)
        form.is_valid()
        done = services.set_step_done(request.user, step, form.cleaned_data["done"])
        return self._progress_response(
            request, step, "step-complete", done, queries.step_progress_text(request.user, step)
        )

    @staticmethod
    def _progress_response(
        request: HttpRequest, step: PlaybookStepPage, anchor: str, done: bool, summary: str
    ) -> HttpResponse:
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"done": done, "summary": summary})
        return redirect(f"{step.get_url(request)}#{anchor}")


class PlaybookSectionPage(Page):
    """A part of the playbook: Introduction, Strategy & management, Implementation."""

    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BaseContentBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["playbook.PlaybookPage"]
    subpage_types = ["playbook.PlaybookStepPage"]

    class Meta:
        verbose_name = _("playbook section")

    def playbook(self) -> PlaybookPage | None:
        return PlaybookPage.objects.ancestor_of(self).first()

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        playbook = self.playbook()
        outline = playbook.outline(request.user, request) if playbook else None
        context["playbook"] = playbook
        context["outline"] = outline
        context["section"] = outline.section_for(self.pk) if outline else None
        context["section_trail"] = (
            [{"url": playbook.get_url(request), "title": playbook.title}] if playbook else []
        )
        return context


class PlaybookStepPage(Page):
    """A numbered step or topic: activities, roles and responsibilities, deliverables; may hold sub-steps."""

    number = models.CharField(
        _("number"), max_length=10, blank=True, help_text=_("e.g. 3 or 3.1; leave empty for a topic.")
    )
    summary = models.TextField(_("summary"))
    why_it_matters = models.TextField(_("why it matters"), blank=True)
    effort = models.CharField(
        _("estimated effort"), max_length=100, blank=True, help_text=_("e.g. 4–8 weeks for a small team")
    )
    done_when = models.TextField(
        _("done when"),
        blank=True,
        help_text=_("One criterion per line: how the team knows the step is done."),
    )
    body = StreamField(BaseContentBlock(), blank=True, verbose_name=_("body"))
    activities = StreamField(ActivitiesBlock(), blank=True, verbose_name=_("activities and resources"))
    building_blocks = ParentalManyToManyField(
        "content.BuildingBlock", blank=True, related_name="+", verbose_name=_("related building blocks")
    )
    discussion_community = discussion_community_field()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("number"), FieldPanel("summary"), FieldPanel("why_it_matters"), FieldPanel("effort")],
            heading=_("About this step"),
        ),
        FieldPanel("body"),
        FieldPanel("activities"),
        InlinePanel("role_responsibilities", label=_("Roles and responsibilities")),
        InlinePanel("deliverables", label=_("Deliverables")),
        FieldPanel("done_when"),
        FieldPanel("building_blocks"),
        FieldPanel("discussion_community", widget=CommunitySelect),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("why_it_matters"),
        index.SearchField("activities"),
        index.SearchField("body"),
        index.RelatedFields("deliverables", [index.SearchField("title"), index.SearchField("description")]),
    ]

    parent_page_types = ["playbook.PlaybookSectionPage", "playbook.PlaybookStepPage"]
    subpage_types = ["playbook.PlaybookStepPage"]

    class Meta:
        verbose_name = _("playbook step")

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def done_when_list(self) -> list[str]:
        return [line.strip(" -*\t") for line in self.done_when.splitlines() if line.strip(" -*\t")]

    def playbook(self) -> PlaybookPage | None:
        return PlaybookPage.objects.ancestor_of(self).first()

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        playbook = self.playbook()
        outline = playbook.outline(request.user, request) if playbook else None
        context["step"] = queries.step_view(self, outline, request.user, request)
        return context
