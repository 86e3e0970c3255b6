""" "Discuss this": where a page (a playbook step, a course lesson) meets a community thread about it.

Feature apps never import each other, so the meeting point lives here. The community app answers through
the `DISCUSSION_LINKS` and `DISCUSSION_COMMUNITIES` hooks (`content/hooks.py`); pages ask for a link
through `discussion_url()` or the `{% discussion_url_for page as url %}` tag in
`content/templatetags/discussion.py` without knowing who answers:

    discussion_url(community_slug="payments", key="playbook.playbooksteppage:42", title=page.title, url=...)

The answer is the address of the page's thread in that community, which opens the thread if it exists and
offers to start it on first use; None when the community does not exist or cannot host page discussions
(or nobody answers), and the caller then shows no link.

A page type that can be discussed has a `discussion_community` field (`discussion_community_field()`),
edited with `CommunitySelect` (a drop-down of the registered communities).
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .hooks import DISCUSSION_COMMUNITIES, DISCUSSION_LINKS


def discussion_url(community_slug: str, key: str, title: str, url: str) -> str | None:
    """The "Discuss this" address for the page identified by `key`, or None when there is none."""
    if not community_slug or not key:
        return None
    for link in hooks.get_hooks(DISCUSSION_LINKS):
        address = link(community_slug, key, title, url)
        if address is not None:
            return address
    return None


def discussion_communities() -> list[tuple[str, str]]:
    """(slug, name) of the communities a page may name for its discussion; empty when nobody answers."""
    return [choice for communities in hooks.get_hooks(DISCUSSION_COMMUNITIES) for choice in communities()]


def page_discussion_key(page: models.Model) -> str:
    """The thread key of a page: its model and id, e.g. `playbook.playbooksteppage:42`."""
    return f"{page._meta.label_lower}:{page.pk}"


def discussion_community_field() -> models.CharField:
    """The model field naming a page's community (a slug; empty for no "Discuss this" link)."""
    return models.CharField(
        _("discussion community"),
        max_length=100,
        blank=True,
        help_text=_(
            "The community where readers discuss this page: a “Discuss this” link opens the page’s thread "
            "there. Leave empty for no link."
        ),
    )


class CommunitySelect(forms.Select):
    """A drop-down of the communities that can host page discussions, read when the form is shown."""

    def get_context(self, name: str, value, attrs) -> dict:
        choices = [("", _("No discussion link")), *discussion_communities()]
        if value and value not in {slug for slug, _name in choices}:
            choices.append((value, _("%(slug)s (not available)") % {"slug": value}))
        self.choices = choices
        return super().get_context(name, value, attrs)
