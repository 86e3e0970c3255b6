"""Sends every sign-in to the Wagtail admin through allauth, so that MFA and rate limits apply."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_admin_login(request: HttpRequest) -> HttpResponseRedirect:
    """Whatever was posted here is ignored: nobody is ever logged in by this URL."""
    next_url = request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/admin/"
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
