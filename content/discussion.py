""" "Discuss this": where a page (a playbook step, a course lesson) meets a community thread about it.

Feature apps never import each other, so the meeting point lives here. The community app registers a
provider in its AppConfig.ready(); pages ask for a link through `discussion_url()` (or the
`{% discussion_link %}` tag in `content/templatetags/discussion.py`) without knowing who answers:

    discussion_url(community_slug="payments", key="playbook-step:42", title=page.title, url=page.url)

The provider returns the address of the page's thread in that community, which opens the thread if it
exists and offers to start it on first use; it returns None when the community does not exist (or no
provider is installed), and the caller then shows no link.
"""

from collections.abc import Callable

DiscussionProvider = Callable[[str, str, str, str], str | None]

_provider: list[DiscussionProvider] = []


def register_discussion_provider(provider: DiscussionProvider) -> None:
    """`provider(community_slug, key, title, url) -> str | None`; the last one registered answers."""
    _provider[:] = [provider]


def discussion_url(community_slug: str, key: str, title: str, url: str) -> str | None:
    """The "Discuss this" address for the page identified by `key`, or None when there is none."""
    if not _provider or not community_slug or not key:
        return None
    return _provider[0](community_slug, key, title, url)
