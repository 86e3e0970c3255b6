"""URL map: language-neutral endpoints first, then the translated site, with Wagtail serving pages last."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses import views as courses_views
from workshops import views as workshops_views

from . import views
from .admin_login import redirect_admin_login, redirect_frontend_login

handler400 = "govlearn.errors.bad_request"
handler403 = "govlearn.errors.permission_denied"
handler404 = "govlearn.errors.page_not_found"
handler500 = "govlearn.errors.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The Wagtail admin's own login would bypass allauth's second factor: send it to allauth instead.
    re_path(r"^admin/login/?$", redirect_admin_login, name="wagtailadmin_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}govlearn/favicon.svg", permanent=True)
    ),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("search/", views.search, name="search"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/profile/", views.profile, name="profile"),
    path("certificates/<str:code>/", courses_views.certificate, name="certificate"),
    path("community/", include("community.urls")),
    path("me/notifications/", include("community.urls_me")),
    path("workshops/feed.ics", workshops_views.calendar_feed, name="workshops_feed"),  # not a page URL
    # Wagtail's front-end login is Django's LoginView (a password alone signs in): send it to allauth.
    re_path(r"^_util/login/?$", redirect_frontend_login, name="wagtailcore_login_redirect"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
