"""The bundled library on disk (`content/library/`): where it is, how its files read, how errors name them."""

import tomllib
from pathlib import Path

LIBRARY = Path(__file__).resolve().parent / "library"


def read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def read_front_matter(path: Path) -> tuple[dict, str]:
    """A Markdown file with TOML front matter between `+++` lines: returns (metadata, body)."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("+++"):
        return {}, text
    _, meta, body = text.split("+++", 2)
    return tomllib.loads(meta), body.lstrip("\n")


def where(path: Path, item: str) -> str:
    """How a load error names a bundled item: its file (inside the library, if it is there) and the item."""
    try:
        shown = path.relative_to(LIBRARY).as_posix()
    except ValueError:
        shown = str(path)
    return f"{shown} ({item})"
