"""Course page types: catalogue → course → module → lesson, each only where it belongs, with their routes.

The top layer of the app: a page finds its place in the tree (its course, its live lessons), reads through
`courses.queries`, and answers a POST through its own route (enrol or leave on a course; complete a lesson
or submit a knowledge check on a lesson): the route parses a form, calls a service, redirects or re-renders.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from content.discussion import CommunitySelect, discussion_community_field
from content.routes import moved_post, signed_in_post

from ..blocks import LessonBodyBlock
from ..forms import ENROL, CatalogueFilterForm, EnrolmentForm, KnowledgeCheckForm
from ..knowledge_checks import CheckError
from ..levels import Level
from ..queries import catalogue_blocks, catalogue_context, course_context, lesson_context
from ..services import LessonNotReady, complete_lesson, enrol, grade_attempt, leave, record_visit


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class CourseIndexPage(Page):
    """The catalogue at /courses/: filters, search within courses, progress for signed-in learners."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["govlearn.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        blocks = catalogue_blocks()
        filters = CatalogueFilterForm(request.GET, blocks=blocks).filters()
        courses = CoursePage.objects.child_of(self).live().public()
        lessons = LessonPage.objects.live().public()
        context.update(catalogue_context(request, courses, lessons, filters, blocks))
        return context


class CoursePage(RoutablePageMixin, Page):
    """A course: what it teaches, for whom, how long it takes; its modules hold the lessons."""

    summary = models.CharField(_("summary"), max_length=300)
    description = RichTextField(
        _("description"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    learning_outcomes = models.TextField(
        _("learning outcomes"), blank=True, help_text=_("One outcome per line.")
    )
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.INTRODUCTORY)
    estimated_hours = models.DecimalField(_("estimated hours"), max_digits=4, decimal_places=1, default=1)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    building_blocks = ParentalManyToManyField(
        "content.BuildingBlock", verbose_name=_("building blocks"), blank=True, related_name="courses"
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("recommended before this course"),
        blank=True,
        symmetrical=False,
        related_name="recommended_before",
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("learning_outcomes"),
                FieldPanel("audience"),
                FieldPanel("level"),
                FieldPanel("estimated_hours"),
                FieldPanel("language"),
            ],
            heading=_("About the course"),
        ),
        FieldPanel("building_blocks", widget=forms.CheckboxSelectMultiple),
        FieldPanel("prerequisites"),
        FieldPanel("cover_image"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("learning_outcomes"),
        index.FilterField("level"),
        index.FilterField("language"),
        index.RelatedFields("building_blocks", [index.FilterField("slug")]),  # the catalogue's filter
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    def modules(self) -> models.QuerySet:
        """The course's live modules a visitor may see, in order."""
        return ModulePage.objects.child_of(self).live().public().order_by("path")

    def live_lessons(self) -> models.QuerySet:
        """The course's live lessons a visitor may see, in order (across modules)."""
        return LessonPage.objects.descendant_of(self).live().public().order_by("path")

    def live_lesson_ids(self) -> list[int]:
        return list(self.live_lessons().values_list("pk", flat=True))

    def recommended_first(self) -> list["CoursePage"]:
        """The live courses recommended before this one (also from a preview's unsaved choices)."""
        chosen = [prerequisite.pk for prerequisite in self.prerequisites.all()]
        return list(CoursePage.objects.live().public().filter(pk__in=chosen).order_by("title"))

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(course_context(self, request, list(self.modules()), list(self.live_lessons())))
        context["prerequisites"] = self.recommended_first()
        return context

    @path("")
    def index_route(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            return moved_post(request, self, {"enrol": "enrolment", "leave": "enrolment"})
        return super().index_route(request, *args, **kwargs)

    @path("enrolment/", name="enrolment")
    @signed_in_post
    def enrolment_route(self, request: HttpRequest) -> HttpResponse:
        """Enrol in the course or leave it, then back to the course."""
        form = EnrolmentForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(gettext("Unknown action."))
        if form.cleaned_data["action"] == ENROL:
            enrol(request.user, self)
            messages.success(request, gettext("You are enrolled. Start whenever you are ready."))
        else:
            leave(request.user, self)
            messages.success(request, gettext("You have left the course. Your completed lessons are kept."))
        return redirect(self.get_url(request))


class ModulePage(Page):
    """A group of lessons inside a course."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def clean(self) -> None:
        super().clean()
        # A course's routes are matched before its modules: a module named like one would be unreachable.
        try:
            CoursePage.get_resolver().resolve(f"/{self.slug}/")
        except Resolver404:
            return
        message = gettext("The course page uses the address “%(slug)s”: choose another slug.")
        raise ValidationError({"slug": message % {"slug": self.slug}})

    def get_course(self) -> CoursePage | None:
        return CoursePage.objects.ancestor_of(self).first()

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.get_course()
        context["lessons"] = LessonPage.objects.child_of(self).live().public().order_by("path")
        return context


class LessonPage(RoutablePageMixin, Page):
    """One lesson: content, optional knowledge checks, and its place in the course."""

    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)
    discussion_community = discussion_community_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        FieldPanel("discussion_community", widget=CommunitySelect),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def get_course(self) -> CoursePage | None:
        return CoursePage.objects.ancestor_of(self).first()

    def get_context(
        self,
        request: HttpRequest,
        *args,
        check_error: tuple[str, str] | None = None,
        submitted: dict[str, list[str]] | None = None,
        **kwargs,
    ) -> dict:
        """The lesson in its course; `check_error` and `submitted` come from a refused check submission."""
        context = super().get_context(request, *args, **kwargs)
        course = self.get_course()
        lessons = list(course.live_lessons()) if course else []
        context.update(lesson_context(self, request, course, lessons, check_error, submitted))
        context["module"] = ModulePage.objects.parent_of(self).first()
        if context["enrolment"] is not None and not getattr(request, "is_preview", False):
            record_visit(request.user, course, self)
        return context

    @path("")
    def index_route(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            return moved_post(request, self, {"complete": "complete", "check": "check"})
        return super().index_route(request, *args, **kwargs)

    @path("complete/", name="complete")
    @signed_in_post
    def complete_route(self, request: HttpRequest) -> HttpResponse:
        """Mark the lesson complete; answers JSON to the page's script, else redirects back."""
        try:
            result = complete_lesson(request.user, self)
        except LessonNotReady as error:
            if _wants_json(request):
                return JsonResponse({"error": str(error)}, status=400)
            return self._refused(request, "", str(error))
        if _wants_json(request):
            return JsonResponse(
                {
                    "completed": True,
                    "course_completed": result.course_completed,
                    "message": gettext("Lesson complete."),
                }
            )
        if result.course_completed and result.newly_completed:
            messages.success(
                request, gettext("You completed the course. Your certificate is on “My learning”.")
            )
        else:
            messages.success(request, gettext("Lesson complete."))
        return redirect(self.get_url(request))

    @path("check/", name="check")
    @signed_in_post
    def check_route(self, request: HttpRequest) -> HttpResponse:
        """Submit a knowledge check: graded on the server, then back to the check with its result."""
        form = KnowledgeCheckForm(request.POST)
        if not form.is_valid():
            return self._refused(request, form.check_id, form.error_message(), form.answers)
        check_id = form.cleaned_data["check"]
        try:
            attempt = grade_attempt(request.user, self, check_id, form.answers, form.cleaned_data["attempt"])
        except CheckError as error:
            return self._refused(request, form.check_id, error.message, form.answers)
        if attempt.passed:
            messages.success(request, gettext("You passed with %(score)s%%.") % {"score": attempt.score})
        else:
            messages.warning(
                request, gettext("You scored %(score)s%%. See the feedback below.") % {"score": attempt.score}
            )
        return redirect(f"{self.get_url(request)}#check-{attempt.check_id}")

    def _refused(
        self,
        request: HttpRequest,
        check_id: str,
        message: str,
        submitted: dict[str, list[str]] | None = None,
    ) -> TemplateResponse:
        """The lesson again with the message by the check, and the learner's choices still selected."""
        response = self.render(request, check_error=(check_id, message), submitted=submitted)
        response.status_code = 400
        return response
