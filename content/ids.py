"""Ids sent back by forms and links: parsed once, strictly, so a tampered value is "not found", not a 500."""

MAX_ID_DIGITS = 18  # below 2**63: every id column on SQLite and PostgreSQL can hold it


def parse_id(raw: object) -> int | None:
    """A positive whole number written in ASCII digits, or None for anything else (empty, text, huge)."""
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > MAX_ID_DIGITS:
        return None
    return int(text) or None
