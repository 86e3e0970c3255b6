"""allauth adapter: account e-mails go through the task queue, and sign-in applies the preferred language."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from content.mail import send_later

from .handles import generate_handle


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request: HttpRequest, user) -> None:
        """allauth derives usernames from the e-mail address; ours are shown as @handle, so they must not."""
        if not user.username:
            user.username = generate_handle()

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (the request is at hand), send in the background."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        full_context = {"request": request, "email": email, "current_site": get_current_site(request)}
        full_context.update(context)
        send_later(self.render_mail(template_prefix, email, full_context))

    def post_login(self, request: HttpRequest, user, **kwargs) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        language = getattr(user, "preferred_language", "")
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=not settings.DEBUG,
            )
        return response
