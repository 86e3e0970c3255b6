"""User text in communities: @mentions turned into Markdown links, then content.markdown.render_markdown.

Mentions use the @handle form (the username, which people may change in their profile): handles are
unique and contain no spaces, while display names are neither. Each post shows its author's @handle, so
readers see what to type. Only usernames that exist
become links, code (fenced, indented or in backticks) is left alone, and the link is ordinary Markdown,
so the one renderer still makes all HTML.
"""

import re

from django.contrib.auth import get_user_model
from django.urls import reverse

from content.markdown import render_markdown

MAX_MENTIONS = 10
MAX_MENTION_LINKS = 20
# Django usernames are letters, digits and @.+-_; a mention stops at "@" and drops a trailing dot.
MENTION = re.compile(r"(?<![\w@/\[])@([\w.+-]{1,150})")


def _mention_candidates(source: str) -> list[str]:
    names = []
    for piece in _prose_pieces(source):
        names += [name.rstrip(".") for name in MENTION.findall(piece)]
    return names


def _prose_pieces(source: str) -> list[str]:
    """The parts of the source outside code: fenced and indented blocks and backtick spans."""
    pieces, in_fence = [], False
    for line in source.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or line.startswith(("    ", "\t")):
            continue
        pieces += line.split("`")[::2]
    return pieces


def find_mentions(source: str) -> dict[str, object]:
    """The people mentioned in the source (first MAX_MENTIONS distinct handles that exist), by handle key.

    "@ALICE", "@Ａlice" and "@alice" are the same handle: they are matched by the user model's
    canonical handle key, as the profile's uniqueness check does."""
    user_model = get_user_model()
    keys = (user_model.handle_key_for(name) for name in _mention_candidates(source) if name)
    wanted = list(dict.fromkeys(keys))[:MAX_MENTIONS]
    if not wanted:
        return {}
    users = user_model.objects.with_handles(wanted).filter(is_active=True)
    return {user.handle_key: user for user in users}


def render_post(source: str, mentioned: dict[str, object]) -> str:
    """Markdown with @mentions of `mentioned` people linked to their page, rendered and sanitised.

    At most MAX_MENTION_LINKS mentions become links (later ones stay plain @handles), so that linking
    adds at most a few thousand characters (content.markdown_limits.MAX_SOURCE_CHARS leaves room for
    them) and a post of "@someone" repeated costs no more than any other.
    """
    linked = source
    if mentioned:
        lines, in_fence = [], False
        link = _MentionLinker(mentioned)
        for line in source.split("\n"):
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            elif not in_fence and not line.startswith(("    ", "\t")) and "@" in line:
                parts = line.split("`")
                parts[::2] = [MENTION.sub(link, part) for part in parts[::2]]
                line = "`".join(parts)
            lines.append(line)
        linked = "\n".join(lines)
    return render_markdown(linked, plain_text=source)


class _MentionLinker:
    """Replaces a mention of a mentioned person with a Markdown link to their page (up to the limit)."""

    def __init__(self, mentioned: dict[str, object]):
        self.mentioned = mentioned
        self.urls: dict[str, str] = {}
        self.left = MAX_MENTION_LINKS

    def __call__(self, match: re.Match) -> str:
        name = match.group(1).rstrip(".")
        user = self.mentioned.get(get_user_model().handle_key_for(name))
        if user is None or self.left <= 0:
            return match.group(0)
        self.left -= 1
        if user.username not in self.urls:
            self.urls[user.username] = reverse("community:person", args=[user.username])
        trail = match.group(1)[len(name) :]
        escaped = user.username.replace("_", r"\_")  # the person's own spelling, not the typed one
        return f"[@{escaped}]({self.urls[user.username]}){trail}"
