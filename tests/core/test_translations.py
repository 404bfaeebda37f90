"""Norwegian Bokmål is complete and compiled; English is the source language."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.LOCALE_PATHS[0])


@pytest.fixture(scope="module")
def norwegian():
    return polib.pofile(str(LOCALE / "nb" / "LC_MESSAGES" / "django.po"))


def test_every_string_has_a_norwegian_translation(norwegian):
    untranslated = [entry.msgid for entry in norwegian.untranslated_entries()]
    fuzzy = [entry.msgid for entry in norwegian.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_source(norwegian):
    compiled = polib.mofile(str(LOCALE / "nb" / "LC_MESSAGES" / "django.mo"))
    compiled_strings = {(entry.msgid, entry.msgstr) for entry in compiled if not entry.msgid_plural}
    source_strings = {
        (entry.msgid, entry.msgstr)
        for entry in norwegian.translated_entries()
        if not entry.msgid_plural
    }
    assert source_strings <= compiled_strings, "run `make messages` to compile the catalogue"


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [("nb", "Hovedmeny", "Main menu"), ("en", "Main menu", "Hovedmeny")],
)
def test_pages_speak_the_chosen_language(municipality, client_for, language, expected, absent):
    client = client_for(municipality.users["hr"])
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    content = client.get(reverse("unit", args=[municipality.units["H"].pk])).content.decode()
    assert f'lang="{language}"' in content
    assert expected in content
    assert absent not in content


def test_norwegian_is_the_default_language(municipality, client_for):
    content = client_for(municipality.users["hr"]).get(reverse("home")).content.decode()
    assert 'lang="nb"' in content
    assert "Logg ut" in content


def test_the_browsers_language_list_does_not_override_bokmal(municipality, client_for):
    client = client_for(municipality.users["hr"])
    content = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="nb"' in content
