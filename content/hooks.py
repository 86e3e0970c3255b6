"""Where the apps meet: the name, signature and meaning of every GovLearn hook, in one place.

The apps never import one another (`content` ← `courses`, `playbook`, `community`, `workshops` ← `govlearn`).
Where one needs what another provides, it asks Wagtail's hook registry, and the provider registers a
function in its own `wagtail_hooks.py`, which Wagtail imports the first time any hook is asked for::

    from wagtail import hooks
    from content.hooks import CONTENT_LOADERS, ContentLoader

    @hooks.register(CONTENT_LOADERS, order=30)
    def courses_loader() -> ContentLoader:
        return ContentLoader("courses", load_courses)

`order` sets the order in which hooks run or show (lower first). A test adds one for its own duration
with `hooks.register_temporarily(NAME, fn, order=...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .loading import LoadReport
    from .seeding import SeedContext


# --- load_content --------------------------------------------------------------------------------------

CONTENT_LOADERS = "govlearn_content_loaders"
"""`fn() -> ContentLoader`: a named part of the bundled library for `manage.py load_content`.

Loaders run in hook order, all in one transaction, so a part comes after the parts it refers to
(taxonomies 10, playbook 20, courses 30, communities 40, workshops 45). The name is what
`load_content --only NAME` takes; names are unique.
"""


@dataclass(frozen=True)
class ContentLoader:
    """`load(report, force)` creates or updates one part of the library through `content.loading.sync`."""

    name: str
    load: Callable[[LoadReport, bool], None]


# --- seed_demo -----------------------------------------------------------------------------------------

DEMO_SEEDERS = "govlearn_demo_seeders"
"""`fn() -> DemoSeeder`: a part of `manage.py seed_demo`, run in hook order (users 0 come first).

Each app keeps its seeder in its `seeding.py`. A seeder is idempotent (a second run adds nothing that is
already there), writes in bulk, runs in its own transaction and returns a one-line summary.
"""


@dataclass(frozen=True)
class DemoSeeder:
    """`seed(context)` adds demo data (see `content.seeding.SeedContext`) and says what it added."""

    name: str
    seed: Callable[[SeedContext], str]


# --- "Discuss this" ------------------------------------------------------------------------------------

DISCUSSION_LINKS = "govlearn_discussion_links"
"""`fn(community_slug, key, title, url) -> str | None`: the address of a page's thread in a community.

Asked in hook order; the first address wins. None means "no link" (no such community, or one that cannot
host page discussions). See `content.discussion`.
"""

DISCUSSION_COMMUNITIES = "govlearn_discussion_communities"
"""`fn() -> list[tuple[str, str]]`: (slug, name) of the communities an editor may name on a page."""


# --- /me/ ----------------------------------------------------------------------------------------------

DASHBOARD_PANELS = "govlearn_dashboard_panels"
"""`fn(request) -> DashboardPanel | None`: a feature app's panel on "My learning" (`/me/`), or None.

Panels show in hook order (courses 10, playbook 20, workshops 25, community 30). Each uses a fixed number
of queries, however much the person has done.
"""


@dataclass
class DashboardPanel:
    """What a panel shows: its template, rendered with `panel` set to `context`."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


# --- /search/ ------------------------------------------------------------------------------------------

SEARCH_DISCUSSIONS = "govlearn_search_discussions"
"""`fn(user, words) -> list`: discussions the person may read that contain every word, newest first.

The search page lists what every hook returns under "Discussions" (each item has `title`,
`get_absolute_url()` and `community`).
"""
