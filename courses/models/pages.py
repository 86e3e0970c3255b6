"""Course page types: catalogue → course → module → lesson, each only where it belongs."""

from django import forms
from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from content.discussion import CommunitySelect, discussion_community_field

from ..blocks import LessonBodyBlock


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


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
        from ..queries import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(self, request))
        return context


class CoursePage(Page):
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
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from ..queries import course_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_context(self, request))
        return context

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            from ..views import course_action

            return course_action(request, self)
        return super().serve(request, *args, **kwargs)


class ModulePage(Page):
    """A group of lessons inside a course."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["course"] = CoursePage.objects.ancestor_of(self).first()
        context["lessons"] = LessonPage.objects.child_of(self).live().public().order_by("path")
        return context


class LessonPage(Page):
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

    def get_context(
        self,
        request: HttpRequest,
        *args,
        check_error: tuple[str, str] | None = None,
        submitted: dict[str, list[str]] | None = None,
        **kwargs,
    ) -> dict:
        from ..queries import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(self, request, check_error, submitted))
        return context

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            from ..views import lesson_action

            return lesson_action(request, self)
        return super().serve(request, *args, **kwargs)
