"""Playbook pages (playbook → section → step), their deliverables and roles, and per-person progress."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from content.blocks import BaseContentBlock
from content.discussion import CommunitySelect, discussion_community_field

from .blocks import ActivitiesBlock


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

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from .services import playbook_outline

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = playbook_outline(self, request.user, request)
        return context

    @path("roles/", name="roles")
    def roles_view(self, request: HttpRequest) -> HttpResponse:
        from .services import roles_with_responsibilities

        return self.render(
            request,
            template="playbook/roles_index.html",
            context_overrides={"roles": roles_with_responsibilities(self)},
        )

    @path("roles/<slug:role_slug>/", name="role")
    def role_view(self, request: HttpRequest, role_slug: str) -> HttpResponse:
        from .services import role_path

        path_for_role = role_path(self, role_slug, request.user, request)
        if path_for_role is None:
            raise Http404
        return self.render(
            request, template="playbook/role.html", context_overrides={"role_path": path_for_role}
        )

    @path("print/", name="print")
    def print_view(self, request: HttpRequest) -> HttpResponse:
        from .services import printable_playbook

        return TemplateResponse(
            request, "playbook/print.html", {"page": self, "printable": printable_playbook(self, request)}
        )

    @path("progress/deliverable/<int:deliverable_id>/", name="deliverable_progress")
    def deliverable_progress(self, request: HttpRequest, deliverable_id: int) -> HttpResponse:
        from .services import set_deliverable_done, step_progress_text

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        deliverable = get_object_or_404(
            Deliverable.objects.in_playbook(self).select_related("page"), pk=deliverable_id
        )
        step = deliverable.page
        if not request.user.is_authenticated:
            return redirect_to_login(step.get_url(request))
        done = set_deliverable_done(request.user, deliverable, "done" in request.POST)
        return self._progress_response(
            request, step, f"deliverable-{deliverable.pk}", done, step_progress_text(request.user, step)
        )

    @path("progress/step/<int:step_id>/", name="step_progress")
    def step_progress(self, request: HttpRequest, step_id: int) -> HttpResponse:
        from .services import set_step_done, step_progress_text

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        step = get_object_or_404(PlaybookStepPage.objects.descendant_of(self).live(), pk=step_id)
        if not request.user.is_authenticated:
            return redirect_to_login(step.get_url(request))
        done = set_step_done(request.user, step, "done" in request.POST)
        return self._progress_response(
            request, step, "step-complete", done, step_progress_text(request.user, step)
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

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from .services import playbook_outline

        context = super().get_context(request, *args, **kwargs)
        playbook = PlaybookPage.objects.ancestor_of(self).first()
        outline = playbook_outline(playbook, request.user, request) if playbook else None
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

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from .services import step_view

        context = super().get_context(request, *args, **kwargs)
        context["step"] = step_view(self, request.user, request)
        return context


class StepRole(Orderable):
    """What one role of the digital team does in one step."""

    page = ParentalKey(PlaybookStepPage, on_delete=models.CASCADE, related_name="role_responsibilities")
    role = models.ForeignKey(
        "content.Role", on_delete=models.PROTECT, related_name="+", verbose_name=_("role")
    )
    responsibilities = models.TextField(_("responsibilities"))

    panels = [FieldPanel("role"), FieldPanel("responsibilities")]

    class Meta(Orderable.Meta):
        verbose_name = _("role and responsibilities")
        verbose_name_plural = _("roles and responsibilities")

    def __str__(self) -> str:
        return f"{self.role} — {self.page}"


class DeliverableQuerySet(models.QuerySet):
    def in_playbook(self, playbook: Page) -> DeliverableQuerySet:
        """Deliverables of the live steps under one playbook."""
        return self.filter(
            page__path__startswith=playbook.path, page__depth__gt=playbook.depth, page__live=True
        )


class Deliverable(Orderable):
    """Something a step produces, e.g. a ranked list of priority services; people tick it off."""

    page = ParentalKey(PlaybookStepPage, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    template = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("template document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DeliverableQuerySet.as_manager()

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("template")]

    class Meta(Orderable.Meta):
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self) -> str:
        return self.title


class ProgressQuerySet(models.QuerySet):
    def for_user(self, user) -> ProgressQuerySet:
        """Only this person's facts; an anonymous visitor has none."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class DeliverableCompletion(models.Model):
    """A fact: this person finished this deliverable at this time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("completed deliverable")
        constraints = [
            models.UniqueConstraint(fields=["user", "deliverable"], name="playbook_deliverable_done_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.deliverable_id}"


class StepCompletion(models.Model):
    """A fact: this person marked this step complete at this time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(PlaybookStepPage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("completed step")
        constraints = [models.UniqueConstraint(fields=["user", "step"], name="playbook_step_done_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.step_id}"
