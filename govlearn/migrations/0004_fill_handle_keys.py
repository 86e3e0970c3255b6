"""Fill every account's handle key and skeleton; where two existing handles are the same handle
("alice" and "ALICE"), the earlier account keeps it and later ones get the first free "-2", "-3"…
suffix, so the unique key of the next migration can be added without failing."""

import logging

from django.db import migrations

from govlearn.handles import handle_key, handle_skeleton

logger = logging.getLogger(__name__)
USERNAME_MAX_LENGTH = 150


def _free_variant(username: str, taken: set[str]) -> tuple[str, str]:
    for number in range(2, 1_000_000):
        suffix = f"-{number}"
        candidate = username[: USERNAME_MAX_LENGTH - len(suffix)] + suffix
        key = handle_key(candidate)
        if key not in taken:
            return candidate, key
    raise RuntimeError(f"No free handle for {username!r}")  # pragma: no cover - a million duplicates


def canonicalise_handles(apps, schema_editor) -> None:
    """Deterministic: accounts in creation (primary key) order; the first holder of a handle keeps it."""
    user_model = apps.get_model("govlearn", "User")
    accounts = list(user_model.objects.order_by("pk").only("pk", "username"))
    # Every key in use, so that a renamed account never takes the handle of an account after it.
    taken = {handle_key(account.username) for account in accounts}
    kept: set[str] = set()
    for account in accounts:
        key = handle_key(account.username)
        if key in kept:
            old = account.username
            account.username, key = _free_variant(old, taken)
            taken.add(key)
            logger.warning("Handle @%s (account %s) duplicated an earlier one: now @%s", old, account.pk, account.username)
        kept.add(key)
        account.handle_key = key
        account.handle_skeleton = handle_skeleton(account.username)
    user_model.objects.bulk_update(accounts, ["username", "handle_key", "handle_skeleton"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("govlearn", "0003_user_handle_key"),
    ]

    operations = [
        migrations.RunPython(canonicalise_handles, migrations.RunPython.noop),
    ]
