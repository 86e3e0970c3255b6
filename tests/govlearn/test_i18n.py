"""Languages: French under /fr/, English unprefixed, the switcher, a complete catalogue, translated pages."""

import ast
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test.signals import setting_changed
from wagtail.models import Locale

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "govlearn" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
APPS = ("govlearn", "content", "courses", "playbook", "community", "workshops")
GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
# {% trans "…" %} / {% translate '…' %}, without a message context.
TRANS_TAG = re.compile(r"""{%\s*trans(?:late)?\s+(?P<q>["'])(?P<msg>.*?)(?P=q)(?P<rest>[^%]*)%}""")


def read_catalogue():
    with CATALOGUE.open("rb") as fh:
        return read_po(fh, locale="fr")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """`make messages` compiles the catalogue; do it here too when the .mo is missing or older."""
    mo = CATALOGUE.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < CATALOGUE.stat().st_mtime:
        with mo.open("wb") as fh:
            write_mo(fh, read_catalogue())
        # Django caches catalogues per process: drop them as a LOCALE_PATHS change would.
        setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=True)


def source_msgids() -> set[str]:
    """Literal msgids used in the apps' Python code and templates (the common, simple forms)."""
    found: set[str] = set()
    for app in APPS:
        base = ROOT / app
        for path in base.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) in GETTEXT_CALLS
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    found.add(node.args[0].value)
        for path in base.rglob("templates/**/*.html"):
            for match in TRANS_TAG.finditer(path.read_text(encoding="utf-8")):
                if "context" not in match["rest"]:
                    found.add(match["msg"])
    return found


def test_every_catalogue_entry_is_translated_and_not_fuzzy():
    catalogue = read_catalogue()
    assert catalogue.plural_forms == "nplurals=2; plural=(n > 1);"
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.fuzzy or not all(s.strip() for s in strings):
            problems.append(message.id)
    assert problems == [], f"untranslated or fuzzy entries in {CATALOGUE.name}: {problems}"
    # Placeholders such as %(name)s survive translation (Babel's own format checker).
    errors = [(message.id, errs) for message, errs in catalogue.check()]
    assert errors == []


def test_every_string_in_the_code_is_in_the_catalogue():
    """Run `makemessages -l fr` (see the README) and translate whatever this lists."""
    in_catalogue = {m.id if isinstance(m.id, str) else m.id[0] for m in read_catalogue() if m.id}
    missing = sorted(source_msgids() - in_catalogue)
    assert missing == [], f"strings not in {CATALOGUE}: {missing}"


@pytest.mark.django_db
def test_french_home_page_chrome(client, home_page):
    response = client.get("/fr/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert ">Aller au contenu principal</a>" in html
    assert 'aria-label="Votre compte"' in html and ">Créer un compte</a>" in html
    assert "Skip to main content" not in html


@pytest.mark.django_db
def test_french_search_page(client, home_page):
    response = client.get("/fr/search/", {"q": "digital"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Rechercher dans les cours, le guide et les communautés" in html
    assert "1 résultat pour «\u00a0digital\u00a0»" in html


@pytest.mark.django_db
def test_english_stays_at_unprefixed_urls(client, home_page):
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html and ">Skip to main content</a>" in html
    assert client.get("/en/").status_code == 404
    # A French cookie does not turn the unprefixed (English) address into French.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="en"' in client.get("/search/").content.decode()


@pytest.mark.django_db
def test_language_switcher_sets_the_cookie_and_goes_to_the_french_address(client, home_page):
    html = client.get("/search/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'name="language"' in html

    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/search/?q=identity"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/search/?q=identity"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert ">Aller au contenu principal</a>" in client.get(response["Location"]).content.decode()

    # Back to English from the French page, with the form as that page renders it.
    french_page = client.get("/fr/search/", {"q": "identity"}).content.decode()
    next_path = re.search(r'<input name="next" type="hidden" value="([^"]*)">', french_page)[1]
    back = client.post("/i18n/setlang/", {"language": "en", "next": next_path.replace("&amp;", "&")})
    assert back["Location"] == "/search/?q=identity"
    assert back.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_setup_site_creates_english_and_french_locales(site):
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"en", "fr"}


@pytest.mark.django_db
def test_french_translation_of_the_home_page_is_served_at_fr(client, home_page):
    french = home_page.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.title = "Construire ensemble de meilleurs services publics numériques"
    french.introduction = "GovLearn aide les équipes numériques des administrations."
    french.save_revision().publish()

    html = client.get("/fr/").content.decode()
    assert "Construire ensemble de meilleurs services publics numériques" in html
    assert "GovLearn aide les équipes numériques des administrations." in html
    english = client.get("/").content.decode()
    assert home_page.title in english and "Construire ensemble" not in english
