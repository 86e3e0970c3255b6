"""Site search: one query over the live pages a visitor may see, paginated, with odd input tolerated."""

from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from wagtail.models import Page

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


@dataclass
class SearchResults:
    query: str
    page: PaginatorPage | None
    truncated: bool = False


def clean_query(raw: str | None) -> tuple[str, bool]:
    """Trim, drop control characters, and cap the length; says whether the query was shortened."""
    text = "".join(ch for ch in (raw or "") if ch.isprintable()).strip()
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rstrip(), True
    return text, False


def parse_page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except (TypeError, ValueError):
        return 1


def search_pages(raw_query: str | None, raw_page: str | None) -> SearchResults:
    """Search live, public pages; a malformed page number falls back to the nearest valid page."""
    query, truncated = clean_query(raw_query)
    if not query:
        return SearchResults(query="", page=None, truncated=truncated)
    results = Page.objects.live().public().filter(depth__gt=1).specific().search(query)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    return SearchResults(
        query=query, page=paginator.get_page(parse_page_number(raw_page)), truncated=truncated
    )
