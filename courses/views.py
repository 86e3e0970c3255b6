"""Views outside the page tree: public certificate verification.

Enrolling, completing a lesson and submitting a knowledge check are routes of the course and lesson pages
(`courses.models.pages`).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .records import Certificate


@require_GET
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Public verification: the name and course title as issued, date and issuer — nothing else."""
    cert = get_object_or_404(Certificate, code=code[:40])
    response = render(request, "courses/certificate.html", {"certificate": cert})
    response["X-Robots-Tag"] = "noindex"
    return response
