"""Synthesis: normalisation, stop words, terms, key phrases and deterministic clustering."""

import random

import pytest
from django.conf import settings

from roadmap.workshops import synthesis
from roadmap.workshops.models import NOTE_LANGUAGES
from roadmap.workshops.synthesis import NoteText, UnknownLanguage


def notes(*items: tuple[str, str]) -> list[NoteText]:
    return [
        NoteText(id=index + 1, language=lang, text=text) for index, (lang, text) in enumerate(items)
    ]


def test_note_languages_are_the_platform_languages_and_each_has_stop_words():
    assert set(NOTE_LANGUAGES) == {code for code, _name in settings.ALL_LANGUAGES}
    for language in NOTE_LANGUAGES:
        assert len(synthesis.stop_words(language)) > 50


def test_normalisation_folds_case_and_compatibility_forms_and_keeps_nordic_letters():
    assert synthesis.normalise("ÆRØ Þórshöfn ÐÉ") == "ærø þórshöfn ðé"
    assert synthesis.normalise("ﬁre") == "fire"  # NFKC ligature
    assert synthesis.normalise("Don’t") == "dont"
    assert synthesis.segments("Trees, benches! Bike-lanes") == [
        ["trees"],
        ["benches"],
        ["bike", "lanes"],
    ]


def test_stop_words_of_the_note_language_numbers_and_single_letters_are_not_terms():
    assert synthesis.note_terms(NoteText(1, "nb", "Vi vil ha flere trær og 3 benker i parken")) == [
        "flere",
        "trær",
        "benker",
        "parken",
    ]
    # "and" is only an English stop word: in a Norwegian note it is a word like any other.
    assert "and" in synthesis.note_terms(NoteText(1, "nb", "and"))
    assert synthesis.note_terms(NoteText(1, "en", "and the a I")) == []


def test_unknown_language_is_refused_by_name():
    with pytest.raises(UnknownLanguage, match="'xx'"):
        synthesis.synthesise(notes(("en", "Trees"), ("xx", "Trees")))


def test_terms_count_notes_not_repeats_and_rank_ties_alphabetically():
    result = synthesis.synthesise(
        notes(("en", "trees trees trees"), ("en", "benches and trees"), ("en", "benches, shade"))
    )
    assert result.terms == [("benches", 2), ("trees", 2), ("shade", 1)]


def test_key_phrases_need_two_notes_and_no_stop_word_at_either_end():
    result = synthesis.synthesise(
        notes(
            ("en", "Safe bike lanes to school"),
            ("en", "We want safe bike lanes"),
            ("en", "The bike lanes of the city"),
            ("en", "lanes of the city"),
        )
    )
    phrases = dict(result.phrases)
    assert phrases["bike lanes"] == 3
    assert phrases["safe bike lanes"] == 2
    # "safe bike" is in "safe bike lanes" used by as many notes, so it adds nothing.
    assert "safe bike" not in phrases
    # Phrases stop at stop words: "of the city" and "lanes of the" never count.
    assert not any(
        phrase.startswith(("of ", "the ")) or phrase.endswith(" the") for phrase in phrases
    )
    assert "lanes to school" not in phrases  # used once


PLANTED = {
    "cycling": [
        "Safe bike lanes to school",
        "More bike parking at the station",
        "Bike lanes along the harbour",
        "Bike parking and lanes downtown",
        "Winter clearing of bike lanes",
    ],
    "greenery": [
        "More trees in the park",
        "Trees and flowers along the park paths",
        "Plant trees for shade in the park",
        "A park with old trees kept",
        "Trees instead of parking in the park",
    ],
    "data": [
        "Open data about air quality",
        "Open data on energy use",
        "Publish open data for everyone",
        "Open data portal with air data",
        "Data about energy, open to all",
    ],
}


def planted_notes(seed: int) -> tuple[list[NoteText], dict[int, str]]:
    rows = [(group, text) for group, texts in PLANTED.items() for text in texts]
    random.Random(seed).shuffle(rows)
    items = [
        NoteText(id=100 + index, language="en", text=text) for index, (_g, text) in enumerate(rows)
    ]
    return items, {item.id: group for item, (group, _t) in zip(items, rows, strict=True)}


def test_clustering_recovers_planted_groups():
    items, truth = planted_notes(seed=1)
    clusters = synthesis.suggest_themes(
        items, [synthesis.note_terms(item) for item in items], most=6
    )

    found = sorted(sorted(truth[note_id] for note_id in cluster.note_ids) for cluster in clusters)
    assert found == [["cycling"] * 5, ["data"] * 5, ["greenery"] * 5]
    # Each suggestion is named after words of its own group.
    vocabulary = {
        "cycling": {"bike", "lanes"},
        "greenery": {"trees", "park"},
        "data": {"data", "open"},
    }
    for cluster in clusters:
        group = truth[cluster.note_ids[0]]
        assert cluster.terms[0] in vocabulary[group]
        assert cluster.name.startswith(cluster.terms[0].capitalize())


def test_synthesis_is_deterministic_whatever_the_input_order():
    first, _ = planted_notes(seed=1)
    shuffled = list(first)
    random.Random(7).shuffle(shuffled)

    assert synthesis.synthesise(first) == synthesis.synthesise(shuffled)
    assert synthesis.synthesise(first) == synthesis.synthesise(list(first))


def test_too_few_notes_give_terms_but_no_suggested_themes():
    result = synthesis.synthesise(notes(("en", "trees"), ("en", "trees")))
    assert result.terms == [("trees", 2)] and result.clusters == []
    assert synthesis.synthesise([]) == synthesis.Result(0, [], [], [])


def test_suggested_themes_never_mix_planted_groups():
    two_groups = [("cycling", text) for text in PLANTED["cycling"]] + [
        ("data", text) for text in PLANTED["data"]
    ]
    items = [
        NoteText(id=index, language="en", text=text) for index, (_g, text) in enumerate(two_groups)
    ]
    clusters = synthesis.suggest_themes(items, [synthesis.note_terms(item) for item in items])

    assert len(clusters) >= 2
    for cluster in clusters:
        assert len({two_groups[note_id][0] for note_id in cluster.note_ids}) == 1
