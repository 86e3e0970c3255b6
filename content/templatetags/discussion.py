"""`{% discussion_url_for page as url %}`: the page's "Discuss this" address, or None (show no link)."""

from django import template
from django.template.context import Context

from content.discussion import discussion_url, page_discussion_key

register = template.Library()


@register.simple_tag(takes_context=True)
def discussion_url_for(context: Context, page) -> str | None:
    """The address of the page's thread in its `discussion_community`, when it names one that exists."""
    community_slug = getattr(page, "discussion_community", "")
    if not community_slug or page.pk is None:
        return None
    request = context.get("request")
    return discussion_url(
        community_slug, page_discussion_key(page), page.title, page.get_full_url(request) or ""
    )
