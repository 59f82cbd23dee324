"""Settings for the test suite: the real settings with faster hashing and plain static files."""

import os

os.environ.setdefault("ALLOW_INSECURE_KEY", "1")

from roadmap.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests never read collected files; a separate folder keeps a concurrent collectstatic out of them.
STATIC_ROOT = BASE_DIR / "var" / "test-static"  # noqa: F405
# django-tasks (serve branch block): tasks run at once in the test process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
