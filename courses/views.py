"""Thin views: enrol/leave, mark complete, submit a check (POST + redirect), certificate verification."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .models import Certificate, CoursePage, LessonPage
from .services import CheckError, LessonNotReady, complete_lesson, enrol, grade_attempt, leave


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def course_action(request: HttpRequest, course: CoursePage) -> HttpResponse:
    """POST on a course page: enrol or leave."""
    if not request.user.is_authenticated:
        return redirect_to_login(course.get_url(request))
    action = request.POST.get("action")
    if action == "enrol":
        enrol(request.user, course)
        messages.success(request, _("You are enrolled. Start whenever you are ready."))
    elif action == "leave":
        leave(request.user, course)
        messages.success(request, _("You have left the course. Your completed lessons are kept."))
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    return redirect(course.get_url(request))


def _render_lesson_error(
    request: HttpRequest,
    lesson: LessonPage,
    check_id: str,
    message: str,
    submitted: dict[str, list[str]] | None = None,
) -> HttpResponse:
    """The lesson again with the message by the check, and the learner's choices still selected."""
    context = lesson.get_context(request, check_error=(check_id, message), submitted=submitted)
    return TemplateResponse(request, lesson.get_template(request), context, status=400)


def lesson_action(request: HttpRequest, lesson: LessonPage) -> HttpResponse:
    """POST on a lesson page: mark it complete, or submit a knowledge check."""
    url = lesson.get_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(url)
    action = request.POST.get("action")
    if action == "complete":
        try:
            result = complete_lesson(request.user, lesson)
        except LessonNotReady as error:
            if _wants_json(request):
                return JsonResponse({"error": str(error)}, status=400)
            return _render_lesson_error(request, lesson, "", str(error))
        if _wants_json(request):
            return JsonResponse(
                {
                    "completed": True,
                    "course_completed": result.course_completed,
                    "message": _("Lesson complete."),
                }
            )
        if result.course_completed and result.newly_completed:
            messages.success(request, _("You completed the course. Your certificate is on “My learning”."))
        else:
            messages.success(request, _("Lesson complete."))
        return redirect(url)
    if action == "check":
        check_id = str(request.POST.get("check", ""))[:64]
        answers = {key[2:]: request.POST.getlist(key) for key in request.POST if key.startswith("q-")}
        try:
            attempt = grade_attempt(request.user, lesson, check_id, answers, request.POST.get("attempt"))
        except CheckError as error:
            return _render_lesson_error(request, lesson, check_id, error.message, answers)
        if attempt.passed:
            messages.success(request, _("You passed with %(score)s%%.") % {"score": attempt.score})
        else:
            messages.warning(
                request, _("You scored %(score)s%%. See the feedback below.") % {"score": attempt.score}
            )
        return redirect(f"{url}#check-{check_id}")
    return HttpResponseBadRequest(_("Unknown action."))


@require_GET
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Public verification: the name and course title as issued, date and issuer — nothing else."""
    cert = get_object_or_404(Certificate, code=code[:40])
    response = render(request, "courses/certificate.html", {"certificate": cert})
    response["X-Robots-Tag"] = "noindex"
    return response
