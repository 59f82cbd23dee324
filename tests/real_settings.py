"""The project's real settings as a fresh process builds them from a given environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRINTER = (
    "import json, sys; from django.conf import settings; "
    "print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}, default=str))"
)


def environment_with(**variables: str) -> dict[str, str]:
    """This process's environment on roadmap.settings, plus the given variables."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "roadmap.settings",
        "ALLOW_INSECURE_KEY": "1",
        "PYTHONPATH": str(ROOT / "src"),
        **variables,
    }


def real_settings(environment: dict[str, str], *names: str) -> dict:
    printed = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRINTER, *names],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(printed.stdout)
