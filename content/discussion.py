""" "Discuss this": where a page (a playbook step, a course lesson) meets a community thread about it.

Feature apps never import each other, so the meeting point lives here. The community app registers a
provider (and the list of communities an editor may pick) in its AppConfig.ready(); pages ask for a link
through `discussion_url()` or the `{% discussion_url_for page as url %}` tag in
`content/templatetags/discussion.py` without knowing who answers:

    discussion_url(community_slug="payments", key="playbook.playbooksteppage:42", title=page.title, url=...)

The provider returns the address of the page's thread in that community, which opens the thread if it
exists and offers to start it on first use; it returns None when the community does not exist or cannot
host page discussions (or no provider is installed), and the caller then shows no link.

A page type that can be discussed has a `discussion_community` field (`discussion_community_field()`),
edited with `CommunitySelect` (a drop-down of the registered communities).
"""

from collections.abc import Callable

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

DiscussionProvider = Callable[[str, str, str, str], str | None]
CommunityChoices = Callable[[], list[tuple[str, str]]]

_provider: list[DiscussionProvider] = []
_choices: list[CommunityChoices] = []


def register_discussion_provider(
    provider: DiscussionProvider, choices: CommunityChoices | None = None
) -> None:
    """`provider(community_slug, key, title, url) -> str | None`; `choices() -> [(slug, name)]` for editors.

    The last one registered answers.
    """
    _provider[:] = [provider]
    _choices[:] = [choices] if choices is not None else []


def discussion_url(community_slug: str, key: str, title: str, url: str) -> str | None:
    """The "Discuss this" address for the page identified by `key`, or None when there is none."""
    if not _provider or not community_slug or not key:
        return None
    return _provider[0](community_slug, key, title, url)


def discussion_communities() -> list[tuple[str, str]]:
    """(slug, name) of the communities a page may name for its discussion; empty without a provider."""
    return list(_choices[0]()) if _choices else []


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
