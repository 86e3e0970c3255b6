"""Site search at /search/?q=: finds live pages, labels their type, paginates, never fails on odd input."""

import re

import pytest
from wagtail.models import Page

from govlearn.search import MAX_QUERY_LENGTH, RESULTS_PER_PAGE

pytestmark = pytest.mark.django_db


def add_page(parent: Page, title: str, *, live: bool = True, **fields) -> Page:
    fields.setdefault("slug", re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"))
    page = Page(title=title, **fields)
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.live = False
        page.save()
    return page


def test_finds_a_page_by_a_word_in_its_title(client, home_page):
    add_page(home_page, "Identity building block basics")
    add_page(home_page, "Payments onboarding")
    response = client.get("/search/", {"q": "identity"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Identity building block basics" in html
    assert "Payments onboarding" not in html
    assert 'href="/identity-building-block-basics/"' in html


def test_each_result_shows_its_type(client, home_page):
    add_page(home_page, "Consent management primer")
    html = client.get("/search/", {"q": "consent"}).content.decode()
    assert re.search(r'class="result__type">\s*Page\s*<', html), html


def test_draft_pages_are_not_found(client, home_page):
    add_page(home_page, "Registration draft notes", live=False)
    html = client.get("/search/", {"q": "registration"}).content.decode()
    assert "Registration draft notes" not in html
    assert "Nothing matched" in html


def test_private_pages_are_not_found(client, home_page):
    from wagtail.models import PageViewRestriction

    page = add_page(home_page, "Scheduling internal handbook")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    html = client.get("/search/", {"q": "scheduling"}).content.decode()
    assert "Scheduling internal handbook" not in html


def test_empty_query_shows_the_form_and_a_hint(client, home_page):
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client.get("/search/", params)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="q"' in html
        assert "Type a word or two" in html
        assert "result__title" not in html


def test_a_very_long_query_is_shortened_with_a_message(client, home_page):
    add_page(home_page, "Messaging building block")
    response = client.get("/search/", {"q": "messaging " * 500})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"only its first {MAX_QUERY_LENGTH} characters were used" in html
    assert "Messaging building block" in html
    assert response.context["results"].query == ("messaging " * 500)[:MAX_QUERY_LENGTH].strip()


@pytest.mark.parametrize(
    "query",
    ["الهوية الرقمية", "数字身份", "цифровая идентичность", "🪪 🔐", "Ωmega"],
)
def test_non_latin_queries_answer(client, home_page, query):
    add_page(home_page, "Identity basics")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert response.context["results"].query == query


def test_non_latin_titles_are_found(client, home_page):
    add_page(home_page, "Цифровая идентичность", slug="tsifrovaya")
    html = client.get("/search/", {"q": "идентичность"}).content.decode()
    assert "Цифровая идентичность" in html


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        'unbalanced"',
        '""',
        "AND OR NOT",
        "identity AND",
        "NOT",
        "OR",
        "*",
        "identity*",
        "-",
        "-identity",
        ":",
        "title:identity",
        "(",
        ")",
        "(identity",
        "NEAR(identity basics)",
        "^identity",
        "+",
        "'",
        "\\",
        "%",
        "_",
        ";--",
        "\x1b[31m",
        "a" * 200,
    ],
)
def test_query_syntax_never_breaks_the_page(client, home_page, query):
    add_page(home_page, "Identity basics")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Search</h1>" in html


def test_operator_characters_are_treated_as_plain_words(client, home_page):
    add_page(home_page, "Identity basics")
    for query in ('"identity', 'identity"', "identity*", "(identity)", "-identity", "identity:", "^identity"):
        html = client.get("/search/", {"q": query}).content.decode()
        assert "Identity basics" in html, query


@pytest.mark.parametrize("page_number", ["abc", "-1", "0", "99999", "1.5", "", "1e3", "２"])
def test_odd_page_numbers_answer(client, home_page, page_number):
    for n in range(RESULTS_PER_PAGE + 2):
        add_page(home_page, f"Service design note {n}")
    response = client.get("/search/", {"q": "service", "page": page_number})
    assert response.status_code == 200
    page = response.context["results"].page
    assert page.number in (1, page.paginator.num_pages)
    assert "result__title" in response.content.decode()


def test_results_are_paginated_with_a_next_link_that_keeps_the_query(client, home_page):
    for n in range(25):
        add_page(home_page, f"Interoperability lesson {n:02d}")
    first = client.get("/search/", {"q": "interoperability lesson"})
    html = first.content.decode()
    assert first.context["results"].page.paginator.count == 25
    assert html.count('class="result__title"') == RESULTS_PER_PAGE
    assert "Page 1 of 3" in html
    next_link = re.search(r'<a rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "q=interoperability+lesson" in next_link or "q=interoperability%20lesson" in next_link
    second = client.get(f"/search/{next_link}")
    html2 = second.content.decode()
    assert second.status_code == 200
    assert "Page 2 of 3" in html2
    assert html2.count('class="result__title"') == RESULTS_PER_PAGE
    first_titles = set(re.findall(r"Interoperability lesson \d\d", html))
    second_titles = set(re.findall(r"Interoperability lesson \d\d", html2))
    assert first_titles and second_titles and not first_titles & second_titles
    last = client.get(f"/search/{next_link}".replace("page=2", "page=3")).content.decode()
    assert last.count('class="result__title"') == 5
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_query_with_special_characters_survives_in_pagination_links(client, home_page):
    for n in range(RESULTS_PER_PAGE + 1):
        add_page(home_page, f"Workflow tip {n}")
    html = client.get("/search/", {"q": "workflow & tip"}).content.decode()
    next_link = re.search(r'<a rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "q=workflow+%26+tip" in next_link or "q=workflow%20%26%20tip" in next_link
    response = client.get(f"/search/{next_link}")
    assert response.context["results"].query == "workflow & tip"
    assert response.context["results"].page.number == 2


def _count_queries(client, django_assert_max_num_queries, limit: int) -> None:
    with django_assert_max_num_queries(limit):
        response = client.get("/search/", {"q": "catalogue"})
    assert response.status_code == 200


def test_query_count_does_not_grow_with_results(client, home_page, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_search() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/search/", {"q": "catalogue"})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for n in range(5):
        add_page(home_page, f"Catalogue entry {n}")
    client.get("/search/", {"q": "catalogue"})  # warm per-process caches (site root paths, locales)
    small = queries_for_search()
    for n in range(5, 50):
        add_page(home_page, f"Catalogue entry {n}")
    large = queries_for_search()
    assert large == small, (small, large)


def test_query_count_does_not_grow_with_the_results(client, home_page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_search() -> int:
        client.get("/search/", {"q": "catalogue"})  # warm per-process caches (content types, site)
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/search/", {"q": "catalogue"})
        assert response.status_code == 200
        return len(captured.captured_queries)

    for n in range(5):
        add_page(home_page, f"Catalogue entry {n}")
    few = queries_for_search()
    for n in range(5, 50):
        add_page(home_page, f"Catalogue entry {n}")
    many = queries_for_search()
    assert many == few
    assert few <= 15


def test_a_backend_error_shows_a_clear_message_not_a_500(client, home_page):
    """Whatever the search backend rejects (a parse error, a dropped index), the page still answers."""
    from unittest import mock

    from django.db import OperationalError

    add_page(home_page, "Identity basics")
    with mock.patch("govlearn.search.Paginator.get_page", side_effect=OperationalError("fts5: syntax error")):
        response = client.get("/search/", {"q": "identity"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "We could not run this search" in html
    assert "result__title" not in html
    # The next search works again.
    assert "Identity basics" in client.get("/search/", {"q": "identity"}).content.decode()


def test_symbols_only_query_finds_nothing_with_a_message(client, home_page):
    add_page(home_page, "Identity basics")
    response = client.get("/search/", {"q": "*** --- 🪪"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "0 results for" in html
    assert "Nothing matched" in html
