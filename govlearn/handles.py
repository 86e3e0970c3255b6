"""Public @handles: one canonical form for uniqueness and mentions, and the rules for choosing one.

A handle is the username. Two handles are the same handle when their canonical forms are equal
(`handle_key`: NFKC, case-folded), and the database holds that key under a unique constraint. Beyond
equality, a handle must not *look* like someone else's: `handle_skeleton` maps every character to the
representative of its Unicode look-alike class (UTS #39 confusables, from `confusable-homoglyphs`), so
"a1ice", "AIice" and "alice" share a skeleton. Choosing a handle (`check_new_handle`) refuses bad
characters, mixed scripts, non-Latin handles that read as Latin, reserved words, taken handles and
look-alikes of taken handles, each with its own message.
"""

from __future__ import annotations

import functools
import re
import secrets
import unicodedata

from confusable_homoglyphs import categories, confusables
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MIN_LENGTH, MAX_LENGTH = 3, 30
# Letters and digits of any script, joined by single . - or _; starting and ending with a letter or digit,
# so a handle is never cut short by a mention's trailing full stop and never makes a "." or ".." URL segment.
HANDLE = re.compile(r"[^\W_]+(?:[._-][^\W_]+)*")
# Scripts that one writing system uses together (UTS #39 "augmented" scripts): Japanese and Korean names.
SCRIPT_FAMILIES = ({"HAN", "HIRAGANA", "KATAKANA"}, {"HAN", "HANGUL"}, {"HAN", "BOPOMOFO"})
# Names people would read as the site speaking; compared by skeleton, so "ADMlN" and "rnoderator" are too.
RESERVED = (
    "abuse",
    "admin",
    "administrator",
    "anonymous",
    "editor",
    "editors",
    "everyone",
    "govlearn",
    "govstack",
    "help",
    "moderator",
    "moderators",
    "noreply",
    "official",
    "postmaster",
    "root",
    "security",
    "staff",
    "support",
    "system",
    "webmaster",
)
_LRM = "\u200e"  # the confusables data wraps right-to-left characters in these marks


class HandleRefused(ValueError):
    """A handle that may not be chosen; `message` says why in words for the person, `code` for code."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message, self.code = message, code


MESSAGES = {
    "invalid": _(
        "Use 3 to 30 letters or digits for your handle; you may join them with . - or _ "
        "(no spaces, no @, and not at the start or end)."
    ),
    "mixed_scripts": _(
        "Use letters from one alphabet only: this handle mixes alphabets (for example Latin and Cyrillic)."
    ),
    "latin_lookalike": _(
        "This handle is written in another alphabet but reads as Latin letters, so it could pass for "
        "someone else's; please write it in Latin letters or choose another."
    ),
    "reserved": _("This handle is reserved for the site; please choose another."),
    "taken": _("This handle is taken; please choose another."),
    "lookalike": _("This handle looks too much like one that is taken; please choose another."),
}


def display_form(handle: str) -> str:
    """The handle as stored and shown: compatibility forms folded (full-width "Ａ" becomes "A"), case kept."""
    return unicodedata.normalize("NFKC", handle.strip())


def handle_key(handle: str) -> str:
    """The canonical form two handles share when they are the same handle (Unicode NFKC_Casefold)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", handle).casefold())


@functools.cache
def _lookalikes() -> dict[str, list[str]]:
    """Each character → the characters (or short strings) it may be taken for, in both directions."""
    data: dict[str, list[str]] = {}
    for char, entries in confusables.confusables_data.items():
        data.setdefault(char.strip(_LRM), []).extend(entry["c"].strip(_LRM) for entry in entries)
    return data


@functools.cache
def _prototypes() -> dict[str, str]:
    """Each look-alike character → the representative of its class (its UTS #39 prototype)."""
    data = _lookalikes()
    prototypes = {}
    for char, others in data.items():
        # confusables.txt maps each single-character source to one prototype; the data lists both
        # directions, so a source has exactly one entry, and its prototype lists all its sources.
        if len(char) != 1 or len(others) != 1 or others[0] == char:
            continue
        other = others[0]
        back = data.get(other, [])
        if len(other) > 1 or len(back) > 1:
            prototypes[char] = other
        elif back == [char]:
            prototypes[char] = min(char, other)  # a class of two: either may stand for it, consistently
    return prototypes


def _map(text: str) -> str:
    table = _prototypes()
    return unicodedata.normalize("NFD", "".join(table.get(char, char) for char in text))


def handle_skeleton(handle: str) -> str:
    """What the handle looks like: equal skeletons mean a reader may take one handle for the other."""
    return _map(_map(unicodedata.normalize("NFD", display_form(handle))).casefold())


def _scripts(handle: str) -> set[str]:
    return categories.unique_aliases(handle) - {"COMMON", "INHERITED"}


def is_mixed_script(handle: str) -> bool:
    """Letters from more than one script, except the mixes one writing system uses (Japanese, Korean)."""
    scripts = _scripts(handle)
    return len(scripts) > 1 and not any(scripts <= family for family in SCRIPT_FAMILIES)


def reads_as_latin(handle: str) -> bool:
    """A handle in another script whose every letter looks like a basic Latin letter or digit ("Јое")."""
    if _scripts(handle) <= {"LATIN"}:
        return False
    for char in handle:
        if categories.alias(char) in ("LATIN", "COMMON", "INHERITED"):
            continue
        if not any(other.isascii() and other.isalnum() for other in _lookalikes().get(char, [])):
            return False
    return True


def check_new_handle(handle: str, person=None) -> str:
    """The handle as it will be stored, if `person` may take it; otherwise raise `HandleRefused`."""
    handle = display_form(handle)
    if not (MIN_LENGTH <= len(handle) <= MAX_LENGTH) or not HANDLE.fullmatch(handle):
        raise HandleRefused(MESSAGES["invalid"], "invalid")
    if is_mixed_script(handle):
        raise HandleRefused(MESSAGES["mixed_scripts"], "mixed_scripts")
    if reads_as_latin(handle):
        raise HandleRefused(MESSAGES["latin_lookalike"], "latin_lookalike")
    key = handle_key(handle)
    # The skeleton keeps case ("I" looks like "l"); the key's skeleton catches "ADMIN" for "admin".
    skeletons = {handle_skeleton(handle), handle_skeleton(key)}
    if skeletons & _reserved_skeletons():
        raise HandleRefused(MESSAGES["reserved"], "reserved")
    others = get_user_model().objects.exclude(pk=getattr(person, "pk", None))
    if others.filter(handle_key=key).exists():
        raise HandleRefused(MESSAGES["taken"], "taken")
    if others.filter(handle_skeleton__in=skeletons).exists():
        raise HandleRefused(MESSAGES["lookalike"], "lookalike")
    return handle


@functools.cache
def _reserved_skeletons() -> frozenset[str]:
    return frozenset(handle_skeleton(word) for word in RESERVED)


def generate_handle() -> str:
    """A new person's public handle: random, so that it never reveals their e-mail address."""
    users = get_user_model().objects
    while True:
        handle = f"member-{secrets.token_hex(3)}"
        same = Q(handle_key=handle_key(handle)) | Q(handle_skeleton=handle_skeleton(handle))
        if not users.filter(same).exists():
            return handle
