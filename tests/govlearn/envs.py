"""Run Python or manage.py in a subprocess with a clean, minimal environment (for settings tests)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "prod-like-" + "k3y-" * 15,
    "ALLOWED_HOSTS": "learn.example.gov",
    "SITE_URL": "https://learn.example.gov",
}


def clean_env(**variables: str) -> dict[str, str]:
    """PATH, HOME, the project's settings module, the CI database if any, and the given variables."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "govlearn.settings.base",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    env.update(variables)
    return {key: value for key, value in env.items() if value is not None}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def manage(*args: str, **variables: str) -> subprocess.CompletedProcess:
    return run(["manage.py", *args], clean_env(**variables))


def settings_values(names: list[str], **variables: str) -> dict:
    """Import the settings in a fresh interpreter with the given environment and return some values."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}, default=str))"
    )
    result = run(["-c", code], clean_env(**variables))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
