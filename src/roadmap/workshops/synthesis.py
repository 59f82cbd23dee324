"""Synthesis of a prompt's notes: term frequencies, key phrases and suggested themes.

Everything here is a pure function of the notes given (id, language, text): the same notes give
the same result, in the same order, on every run. The method in plain words is in
docs/workshops.md; in short:

- Normalisation: Unicode NFKC, case folding, apostrophes dropped ("don't" → "dont"), every other
  character that is not a letter or digit separates words. Letters such as æ ø å ä ö þ ð é stay
  as they are. Numbers and one-letter words are not counted. There is no stemming: "bench" and
  "benches" are counted apart.
- Terms: words that are not stop words of the note's language, each counted once per note.
- Key phrases: runs of two or three words inside one sentence that neither start nor end with a
  stop word, used in at least two notes; a phrase is left out when a longer phrase containing it
  is used by as many notes.
- Suggested themes: TF-IDF vectors of the notes over the terms used by two notes or more,
  spherical k-means (cosine similarity) started from farthest points, so no random seed is
  involved, for 2 to 8 clusters; the number with the best silhouette wins. Each
  cluster is named after its heaviest terms.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from .models import NOTE_LANGUAGES

STOP_WORDS_DIR = Path(__file__).resolve().parent / "stopwords"
APOSTROPHES = re.compile(r"['’ʼ]")
# Punctuation other than apostrophes and hyphens ends a phrase: "trees. bikes" is no phrase.
PHRASE_BREAK = re.compile(r"[^\w\s'’ʼ-]+")
WORD_BREAK = re.compile(r"[\W_]+")

TOP_TERMS = 20
TOP_PHRASES = 15
PHRASE_LENGTHS = (2, 3)
MAX_CLUSTERS = 8
MIN_CLUSTER_SIZE = 2
NAME_TERMS = 3
MAX_ITERATIONS = 50
SILHOUETTE_SAMPLE = 1000


class UnknownLanguage(ValueError):
    def __init__(self, language: str) -> None:
        super().__init__(
            f"No stop words for the language {language!r}; "
            f"known languages are {', '.join(NOTE_LANGUAGES)}."
        )
        self.language = language


@dataclass(frozen=True)
class NoteText:
    id: int
    language: str
    text: str


@dataclass(frozen=True)
class Cluster:
    name: str
    terms: tuple[str, ...]
    note_ids: tuple[int, ...]

    @property
    def signature(self) -> str:
        """What identifies the cluster across recomputes: its top terms, in alphabetical order."""
        return "|".join(sorted(self.terms))


@dataclass(frozen=True)
class Result:
    note_count: int
    terms: list[tuple[str, int]]
    phrases: list[tuple[str, int]]
    clusters: list[Cluster]


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    # Case folding can leave sequences that NFKC composes differently, so normalise again.
    return APOSTROPHES.sub("", unicodedata.normalize("NFKC", folded))


def _words(segment: str) -> list[str]:
    return [word for word in WORD_BREAK.split(segment) if word]


def segments(text: str) -> list[list[str]]:
    """The note's words, split where a sentence or clause ends."""
    return [words for part in PHRASE_BREAK.split(normalise(text)) if (words := _words(part))]


def is_counted(word: str) -> bool:
    return len(word) > 1 and not word.isdigit()


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of a language, normalised like note text."""
    if language not in NOTE_LANGUAGES:
        raise UnknownLanguage(language)
    lines = (STOP_WORDS_DIR / f"{language}.txt").read_text(encoding="utf-8").splitlines()
    words: set[str] = set()
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            words.update(_words(normalise(line)))
    return frozenset(words)


@dataclass(frozen=True)
class Analysis:
    terms: list[str]  # counted words that are not stop words, in order, repeats kept
    phrases: frozenset[str]


def analyse(note: NoteText) -> Analysis:
    """The note's terms and candidate key phrases, from one pass over its words."""
    stops = stop_words(note.language)
    terms: list[str] = []
    phrases: set[str] = set()
    for words in segments(note.text):
        content = [is_counted(word) and word not in stops for word in words]
        terms.extend(word for word, counted in zip(words, content, strict=True) if counted)
        for length in PHRASE_LENGTHS:
            for start in range(len(words) - length + 1):
                if content[start] and content[start + length - 1]:
                    phrases.add(" ".join(words[start : start + length]))
    return Analysis(terms=terms, phrases=frozenset(phrases))


def note_terms(note: NoteText) -> list[str]:
    return analyse(note).terms


def _ranked(counts: Counter, limit: int) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def term_frequencies(terms_per_note: Iterable[list[str]], limit: int = TOP_TERMS):
    """(term, number of notes using it), most used first, ties alphabetical."""
    counts: Counter = Counter()
    for terms in terms_per_note:
        counts.update(set(terms))
    return _ranked(counts, limit)


def key_phrases(phrases_per_note: Iterable[frozenset[str]], limit: int = TOP_PHRASES):
    """(phrase, number of notes using it) for phrases used by two notes or more."""
    counts: Counter = Counter()
    for phrases in phrases_per_note:
        counts.update(phrases)
    frequent = {phrase: count for phrase, count in counts.items() if count >= 2}
    # A part says nothing its whole does not when the whole is used as often. Phrases have two
    # or three words, so the parts of a whole are its first two and its last two words.
    covered: set[str] = set()
    for phrase, count in frequent.items():
        words = phrase.split(" ")
        if len(words) == 3:
            covered.update(
                part
                for part in (" ".join(words[:2]), " ".join(words[1:]))
                if frequent.get(part) == count
            )
    kept = Counter({phrase: count for phrase, count in frequent.items() if phrase not in covered})
    return _ranked(kept, limit)


def _tfidf(terms_per_note: list[list[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    """Rows: notes, L2-normalised; columns: the terms used by at least two notes."""
    document_frequency: Counter = Counter()
    for terms in terms_per_note:
        document_frequency.update(set(terms))
    vocabulary = sorted(term for term, count in document_frequency.items() if count >= 2)
    column = {term: index for index, term in enumerate(vocabulary)}
    note_count = len(terms_per_note)
    idf = np.array(
        [math.log((1 + note_count) / (1 + document_frequency[term])) + 1 for term in vocabulary]
    )
    rows, columns, values = [], [], []
    for row, terms in enumerate(terms_per_note):
        for term, count in sorted(Counter(terms).items()):
            if term in column:
                rows.append(row)
                columns.append(column[term])
                values.append(count * idf[column[term]])
    matrix = sparse.csr_matrix(
        (values, (rows, columns)), shape=(note_count, len(vocabulary)), dtype=np.float64
    )
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1 / norms) @ matrix), vocabulary


def _farthest_point_centres(vectors: sparse.csr_matrix, count: int) -> list[int]:
    """Start from the most typical note, then repeatedly the note least like any chosen one."""
    mean = np.asarray(vectors.mean(axis=0)).ravel()
    chosen = [int(np.argmax(vectors @ mean))]
    closest = (vectors @ vectors[chosen[0]].T).toarray().ravel()
    while len(chosen) < count:
        candidate = int(np.argmin(closest))
        if closest[candidate] >= 1 - 1e-9:  # every note repeats a chosen one
            break
        chosen.append(candidate)
        closest = np.maximum(closest, (vectors @ vectors[candidate].T).toarray().ravel())
    return chosen


def _normalised_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def _spherical_kmeans(vectors: sparse.csr_matrix, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels per row (-1: like no centre at all) and the centres, by cosine similarity."""
    centres = vectors[_farthest_point_centres(vectors, count)].toarray()
    labels = np.full(vectors.shape[0], -2)
    for _iteration in range(MAX_ITERATIONS):
        similarity = np.asarray(vectors @ centres.T)
        new_labels = np.argmax(similarity, axis=1)
        new_labels[similarity.max(axis=1) <= 0] = -1
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        placed = labels >= 0
        membership = sparse.csr_matrix(
            (np.ones(placed.sum()), (labels[placed], np.flatnonzero(placed))),
            shape=(len(centres), vectors.shape[0]),
        )
        sums = np.asarray((membership @ vectors).todense())
        empty = np.asarray(membership.sum(axis=1)).ravel() == 0
        sums[empty] = centres[empty]  # an empty cluster keeps its centre
        centres = _normalised_rows(sums)
    return labels, centres


def silhouette(vectors: sparse.csr_matrix, labels: np.ndarray, count: int) -> float:
    """Mean silhouette by cosine distance: for each note, (b - a) / max(a, b), where a is its
    mean distance to the rest of its cluster and b to the nearest other cluster. Near 1 for
    tight, well separated groups. Notes alone in their cluster, or like no centre, score 0.
    Beyond SILHOUETTE_SAMPLE notes an evenly spaced sample is scored (no randomness)."""
    rows = np.arange(vectors.shape[0])
    if len(rows) > SILHOUETTE_SAMPLE:
        rows = np.linspace(0, len(rows) - 1, SILHOUETTE_SAMPLE).astype(int)
    sample, sample_labels = vectors[rows], labels[rows]
    distance = 1 - (sample @ sample.T).toarray()
    placed = sample_labels >= 0
    membership = np.zeros((len(rows), count))
    membership[np.flatnonzero(placed), sample_labels[placed]] = 1
    sizes = membership.sum(axis=0)
    totals = distance @ membership  # each note's summed distance to each cluster
    own_label = np.maximum(sample_labels, 0)
    index = np.arange(len(rows))
    own_size = sizes[own_label] - 1  # the note itself is at distance 0 and not counted
    own = np.divide(totals[index, own_label], own_size, out=np.zeros(len(rows)), where=own_size > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = np.where(sizes > 0, totals / sizes, np.inf)
    means[index, own_label] = np.inf
    other = means.min(axis=1)
    widest = np.maximum(own, other)
    scores = np.divide(other - own, widest, out=np.zeros(len(rows)), where=widest > 0)
    scores[~placed | (own_size <= 0) | ~np.isfinite(other)] = 0
    return float(scores.mean())


def suggest_themes(
    notes: Sequence[NoteText], terms_per_note: list[list[str]], most: int = MAX_CLUSTERS
) -> list[Cluster]:
    """Clusters of the notes: every number of clusters from 2 to `most` is tried and the one
    with the best silhouette kept (the smaller number on a tie)."""
    vectors, vocabulary = _tfidf(terms_per_note)
    rows = np.flatnonzero(np.asarray(vectors.getnnz(axis=1)) > 0)
    if len(rows) < 2 * MIN_CLUSTER_SIZE:
        return []
    clusterable = vectors[rows]
    best = None
    for count in range(2, min(most, len(rows) // MIN_CLUSTER_SIZE) + 1):
        labels, centres = _spherical_kmeans(clusterable, count)
        score = silhouette(clusterable, labels, count)
        if best is None or score > best[0] + 1e-12:
            best = (score, labels, centres)
    assert best is not None, "most is at least 2, so one number of clusters was tried"
    _score, labels, centres = best
    clusters = []
    for label, centre in enumerate(centres):
        members = rows[labels == label]
        if len(members) < MIN_CLUSTER_SIZE:
            continue
        heaviest = sorted(
            np.flatnonzero(centre), key=lambda column: (-centre[column], vocabulary[column])
        )
        terms = tuple(vocabulary[column] for column in heaviest[:NAME_TERMS])
        clusters.append(
            Cluster(
                name=", ".join(terms).capitalize(),
                terms=terms,
                note_ids=tuple(sorted(notes[row].id for row in members)),
            )
        )
    clusters.sort(key=lambda cluster: (-len(cluster.note_ids), cluster.signature))
    return clusters


def synthesise(
    notes: Sequence[NoteText],
    *,
    cluster_ids: set[int] | None = None,
    most_clusters: int = MAX_CLUSTERS,
) -> Result:
    """The synthesis of these notes; raises UnknownLanguage before computing anything.

    Terms and phrases count every note; themes are suggested from the notes in `cluster_ids`
    (all notes when None)."""
    notes = sorted(notes, key=lambda note: note.id)
    for language in sorted({note.language for note in notes}):
        stop_words(language)
    analyses = [analyse(note) for note in notes]
    chosen = [
        index for index, note in enumerate(notes) if cluster_ids is None or note.id in cluster_ids
    ]
    return Result(
        note_count=len(notes),
        terms=term_frequencies(analysis.terms for analysis in analyses),
        phrases=key_phrases(analysis.phrases for analysis in analyses),
        clusters=suggest_themes(
            [notes[index] for index in chosen],
            [analyses[index].terms for index in chosen],
            most_clusters,
        ),
    )
