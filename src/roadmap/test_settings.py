"""Settings for the test suite: the real settings with faster hashing and plain static files."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("ALLOW_INSECURE_KEY", "1")

from roadmap.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests never read collected files; a separate folder keeps a concurrent collectstatic out of them.
STATIC_ROOT = BASE_DIR / "var" / "test-static"  # noqa: F405
# Tasks run at once, in the test (a test of the real queue sets TASKS itself).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Uploads go to a folder of this process's own (one per xdist worker), removed when it exits,
# whatever bucket the environment names.
_MEDIA_FOLDER = tempfile.TemporaryDirectory(
    prefix=f"roadmap-media-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-"
)
MEDIA_ROOT = Path(_MEDIA_FOLDER.name)
