"""Collected static files as production serves them: WhiteNoise in front of Django, DEBUG off."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

FOREVER = "max-age=315360000, public, immutable"


@pytest.fixture
def collected(tmp_path, settings):
    source = tmp_path / "source"
    source.mkdir()
    (source / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (source / "site.css").write_text('body { background: url("logo.svg"); }\n' * 50)
    with override_settings(
        DEBUG=False,
        STATIC_ROOT=tmp_path / "static",
        STATICFILES_DIRS=[source],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        # A new client loads the middleware afresh, so WhiteNoise reads this STATIC_ROOT.
        yield Client()


def test_a_hashed_static_file_is_cached_forever(collected):
    hashed = staticfiles_storage.url("site.css")
    assert hashed != "/static/site.css"  # the manifest gave it its content hash
    response = collected.get(hashed, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Cache-Control"] == FOREVER
    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Accept-Encoding"


def test_an_unhashed_name_is_served_but_not_cached_forever(collected):
    response = collected.get("/static/site.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    assert response["Cache-Control"] == "max-age=60, public"
