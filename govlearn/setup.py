"""One-time site set-up, safe to repeat: locales, the home page as site root, and the staff groups."""

import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import HomePage

HOME_TITLE = "Build better digital public services, together"
HOME_INTRODUCTION = (
    "GovLearn is where government digital teams learn the GovStack building-block approach: "
    "take short online courses, follow the Implementation Playbook step by step, and ask peers "
    "in Communities of Practice."
)

# Extra model permissions per group, beyond the page permissions Wagtail's own migrations give them.
GROUP_PERMISSIONS = {
    "Editors": [
        ("content", "buildingblock", ("add", "change", "view")),
        ("content", "role", ("add", "change", "view")),
        # Communities of Practice are created and managed by editors (they read and moderate all of them).
        ("community", "community", ("add", "change", "view")),
        ("community", "membership", ("add", "change", "delete", "view")),
    ],
    "Moderators": [
        ("content", "buildingblock", ("add", "change", "delete", "view")),
        ("content", "role", ("add", "change", "delete", "view")),
    ],
}


@dataclass
class SetupReport:
    done: list[str] = field(default_factory=list)


def ensure_locales(report: SetupReport) -> None:
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        _locale, created = Locale.objects.get_or_create(language_code=code)
        if created:
            report.done.append(f"locale {code}")


def create_root_page(report: SetupReport) -> Page:
    """Wagtail's migrations make the root; a flushed database (after a transactional test) has none."""
    root = Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
    report.done.append("page tree root")
    return root


def site_address() -> tuple[str, int]:
    """The default site's host name and port, from SITE_URL: Wagtail builds every absolute page link
    (e-mails, the print page, "Discuss this" threads) from them."""
    address = urlsplit(settings.SITE_URL)
    default_port = 443 if address.scheme == "https" else 80
    return address.hostname or "localhost", address.port or default_port


def ensure_home_page(report: SetupReport) -> HomePage:
    """Make a HomePage the default site's root, replacing Wagtail's placeholder welcome page."""
    home = HomePage.objects.filter(depth=2, locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:
        root = Page.get_first_root_node() or create_root_page(report)
        home = HomePage(
            title=HOME_TITLE,
            slug="home",
            introduction=HOME_INTRODUCTION,
            locale=Locale.get_default(),
        )
        placeholder = Page.objects.filter(depth=2, slug="home").exclude(pk__in=HomePage.objects.all()).first()
        if placeholder is not None:
            placeholder.slug = "wagtail-welcome"
            placeholder.save(update_fields=["slug"])
        root.add_child(instance=home)
        home.save_revision().publish()
        report.done.append("home page")
        if placeholder is not None:
            Site.objects.filter(root_page=placeholder).update(root_page=home)
            placeholder.delete()
    hostname, port = site_address()
    wanted = {"root_page_id": home.pk, "site_name": "GovLearn", "hostname": hostname, "port": port}
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(is_default_site=True, **wanted)
        report.done.append("default site")
    elif any(getattr(site, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(site, name, value)
        site.save()
        report.done.append(f"default site ({hostname}:{port})")
    return home


def ensure_groups(report: SetupReport) -> None:
    """Editors and Moderators (made by Wagtail's migrations) get admin access and the taxonomy snippets."""
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for group_name, grants in GROUP_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=group_name)
        if created:
            report.done.append(f"group {group_name}")
        for app_label, model, actions in grants:
            codenames = [f"{action}_{model}" for action in actions]
            perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            missing = perms.exclude(group=group)
            if missing.exists():
                group.permissions.add(*missing)
                report.done.append(f"{group_name}: {app_label}.{model} permissions")
        if not group.permissions.filter(pk=admin_access.pk).exists():
            group.permissions.add(admin_access)
            report.done.append(f"{group_name}: admin access")


@transaction.atomic
def setup_site() -> SetupReport:
    report = SetupReport()
    ensure_locales(report)
    ensure_home_page(report)
    ensure_groups(report)
    return report


def create_local_admin(email: str = "admin@localhost") -> tuple[str, str] | None:
    """In local debug mode only: create a superuser if none exists; returns (email, password) once."""
    if not settings.DEBUG:
        raise RuntimeError("A local administrator is only created in debug mode (DJANGO_DEBUG=1).")
    user_model = get_user_model()
    if user_model.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    user = user_model.objects.create_superuser(
        username="admin", email=email, password=password, display_name="Local administrator"
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return email, password
