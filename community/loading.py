"""Bundled communities (content/library/communities/*.md), each with a welcome thread, for `load_content`."""

from django.db import transaction

from content.library import LIBRARY, read_front_matter, where
from content.loading import LoadReport, SyncItem, references, sync, sync_model
from content.models import BuildingBlock

from .models import Community, Thread
from .services import create_thread, thread_slug
from .text import render_post

COMMUNITIES = LIBRARY / "communities"
WELCOME_KEY = "welcome"


def load_communities(report: LoadReport, force: bool = False) -> None:
    """Create or update the bundled communities and their welcome threads, keeping editors' changes."""
    for path in sorted(COMMUNITIES.glob("*.md")):
        meta, body = read_front_matter(path)
        slug = meta["slug"]
        key = f"community:{slug}"
        blocks = references(
            report, BuildingBlock, "building-block", meta.get("building_blocks", []), where(path, key)
        )
        values = {
            "name": meta["name"],
            "description": meta.get("description", ""),
            "visibility": meta.get("visibility", "public"),
            "join_policy": meta.get("join_policy", "open"),
        }
        community = sync_model(report, key, Community, {"slug": slug}, values, force)
        if community is None:
            continue  # deleted by an editor: stays deleted
        if not community.building_blocks.exists():  # editors' choice once they have made one
            community.building_blocks.set(blocks.values())
        _sync_welcome(report, community, slug, meta["welcome_title"], body.strip(), force)


def _sync_welcome(
    report: LoadReport, community: Community, slug: str, title: str, body: str, force: bool
) -> None:
    def find() -> Thread | None:
        return Thread.objects.filter(community=community, discussion_key=WELCOME_KEY).first()

    def create() -> Thread:
        with transaction.atomic():
            thread, _post, _mentioned = create_thread(
                community, title, body, pinned=True, discussion_key=WELCOME_KEY
            )
        return thread

    def update(thread: Thread) -> Thread:
        thread.title = title
        thread.slug = thread_slug(title)
        thread.save(update_fields=["title", "slug"])
        post = thread.first_post
        if post is not None:
            post.body, post.body_html = body, render_post(body, {})
            post.save(update_fields=["body", "body_html"])
        return thread

    def edited(thread: Thread) -> bool:
        return thread.first_post is not None and thread.first_post.edited_at is not None

    sync(
        SyncItem(
            key=f"community-thread:{slug}:{WELCOME_KEY}",  # the library's slug: an editor may rename
            source={"title": title, "body": body},
            fields=["title"],
            model=Thread,
            find=find,
            create=create,
            update=update,
            edited_elsewhere=edited,
        ),
        report,
        force,
    )
