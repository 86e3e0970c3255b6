"""Site search: one query over the live pages a visitor may see, paginated, with odd input tolerated."""

import logging
import re
from dataclasses import dataclass, field

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.utils.text import capfirst
from wagtail import hooks
from wagtail.models import Page

from content.hooks import SEARCH_DISCUSSIONS

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_TERMS = 20
RESULTS_PER_PAGE = 10
# Words only: quotes, brackets, "*", "-", ":" and the like are search-engine syntax (FTS5, tsquery) that
# visitors do not mean, and an unbalanced quote would otherwise be a syntax error in the database.
WORD = re.compile(r"\w+")


@dataclass
class SearchHit:
    """One result: the page and a human label for its type ("Course", "Playbook step", …)."""

    page: Page
    type_label: str


@dataclass
class SearchResults:
    """What the search page shows: the cleaned query, one page of hits, and what went wrong, if anything."""

    query: str
    page: PaginatorPage | None = None
    hits: list[SearchHit] = field(default_factory=list)
    truncated: bool = False
    failed: bool = False

    @property
    def searched(self) -> bool:
        """True when a search ran (a query with at least one word), whatever it found."""
        return self.page is not None or self.failed


def clean_query(raw: str | None) -> tuple[str, bool]:
    """Turn control characters into spaces, collapse spaces, cap the length; says if it was shortened."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rstrip(), True
    return text, False


def search_terms(query: str) -> str:
    """The words of a query as plain text for the search backend, without any operator syntax."""
    return " ".join(WORD.findall(query)[:MAX_TERMS])


def parse_page_number(raw: str | None) -> int:
    """A page number from the URL; anything that is not a positive whole number means page 1."""
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    return max(1, int(text[:9]))


def type_label(page: Page) -> str:
    return str(capfirst(page.specific_class._meta.verbose_name)) if page.specific_class else ""


def search_pages(raw_query: str | None, raw_page: str | None) -> SearchResults:
    """Search live, public pages; a malformed page number falls back to the nearest valid page."""
    query, truncated = clean_query(raw_query)
    results = SearchResults(query=query, truncated=truncated)
    terms = search_terms(query)
    if not query:
        return results
    if not terms:
        # Only punctuation or symbols (emoji, "*", "-"): nothing a full-text index can match.
        results.page = Paginator([], RESULTS_PER_PAGE).get_page(1)
        return results
    pages = Page.objects.live().public().filter(depth__gt=1).specific().search(terms)
    try:
        # A savepoint, so that a backend error leaves a PostgreSQL transaction usable for the page.
        with transaction.atomic():
            page = Paginator(pages, RESULTS_PER_PAGE).get_page(parse_page_number(raw_page))
            page.object_list = list(page.object_list)
    except DatabaseError:
        logger.warning("Search failed for query %r", terms, exc_info=True)
        results.failed = True
        return results
    results.page = page
    results.hits = [SearchHit(page=p, type_label=type_label(p)) for p in page.object_list]
    return results


def search_discussions(user, query: str) -> list:
    """Discussions matching the query that this person may read (the apps that hold them decide who reads
    what, through the `SEARCH_DISCUSSIONS` hook)."""
    words = WORD.findall(query)[:MAX_TERMS]
    try:
        with transaction.atomic():
            return [found for search in hooks.get_hooks(SEARCH_DISCUSSIONS) for found in search(user, words)]
    except DatabaseError:
        logger.warning("Discussion search failed for query %r", query, exc_info=True)
        return []
