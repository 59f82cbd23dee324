"""The Norwegian Bokmål catalogue is complete, and the pages really speak Norwegian with it.

`make test` compiles the catalogues before pytest runs, so the .mo files exist here.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import InitiativeFactory, MunicipalityFactory

NB_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "nb" / "LC_MESSAGES" / "django.po"


def read_po_entries(path: Path) -> list[dict]:
    """Parse a gettext .po file with the standard library.

    Each entry is a dict with "flags" (a set) and its keywords (msgid, msgid_plural, msgstr,
    msgstr[0], ...) mapped to unescaped strings. Obsolete (#~) entries are left out.
    """
    entries: list[dict] = []
    entry: dict = {"flags": set()}
    keyword = None

    def finish():
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {"flags": set()}

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if "msgid" in entry:
                finish()
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            entry[keyword] += ast.literal_eval(line)
            continue
        keyword, _space, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and "msgid" in entry:
            finish()
        entry[keyword] = ast.literal_eval(value)
    finish()
    return entries


def untranslated(entry: dict) -> bool:
    translations = [value for key, value in entry.items() if key.startswith("msgstr")]
    return not translations or not all(translations)


def test_the_parser_sees_empty_plural_forms_and_fuzzy_flags(tmp_path):
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr "Language: nb\\n"\n\n'
        '#, python-format\nmsgid "%(n)s item"\nmsgid_plural "%(n)s items"\n'
        'msgstr[0] "%(n)s ting"\nmsgstr[1] ""\n\n'
        '#, fuzzy\nmsgid "Save"\nmsgstr "Lagre"\n\n'
        'msgid ""\n"Two "\n"lines"\nmsgstr ""\n"To linjer"\n',
        encoding="utf-8",
    )
    header, plural, fuzzy, wrapped = read_po_entries(sample)
    assert header["msgid"] == ""
    assert untranslated(plural)
    assert "fuzzy" in fuzzy["flags"] and not untranslated(fuzzy)
    assert wrapped["msgid"] == "Two lines" and wrapped["msgstr"] == "To linjer"


def test_every_ui_string_has_a_checked_norwegian_translation():
    entries = [entry for entry in read_po_entries(NB_CATALOGUE) if entry["msgid"]]
    assert len(entries) > 100, "the catalogue looks empty; run `make messages`"
    empty = [entry["msgid"] for entry in entries if untranslated(entry)]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert not empty, "Untranslated in nb/django.po:\n" + "\n".join(empty)
    assert not fuzzy, "Fuzzy (to check) in nb/django.po:\n" + "\n".join(fuzzy)


@pytest.fixture
def norwegian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    return client


@pytest.mark.django_db
def test_front_page_is_in_norwegian(norwegian):
    InitiativeFactory(municipality=MunicipalityFactory(name="Fjordvik", slug="fjordvik"))
    MunicipalityFactory(name="Elvdal", slug="elvdal")

    body = norwegian.get(reverse("home")).content.decode()

    assert '<html lang="nb"' in body
    assert "Gå til hovedinnholdet" in body
    assert "Veikartet" in body
    assert "Skip to main content" not in body
    # "Change" has a context: the language button is a verb, unlike the table column "Endring".
    assert ">Bytt</button>" in body
    # Both plural forms: one municipality has 1 public initiative, the other none.
    assert "1 offentlig tiltak" in body
    assert "0 offentlige tiltak" in body


@pytest.mark.django_db
def test_sign_in_page_is_in_norwegian(norwegian):
    body = norwegian.get(reverse("accounts:login")).content.decode()
    assert "Logg inn" in body
    assert "Glemt passordet?" in body
    assert "Forgot your password?" not in body


@pytest.mark.django_db
def test_municipal_pages_are_in_norwegian(norwegian, municipality):
    slug = {"municipality": municipality.slug}
    listing = norwegian.get(reverse("initiatives:list", kwargs=slug)).content.decode()
    assert "Tiltak i Fjordvik" in listing
    home = norwegian.get(reverse("municipalities:home", kwargs=slug)).content.decode()
    assert "Porteføljeoversikt" in home


@pytest.mark.django_db
def test_english_stays_the_default(client):
    body = client.get(reverse("home")).content.decode()
    assert "Skip to main content" in body
    assert "Gå til hovedinnholdet" not in body
