"""Benchmark of workshop synthesis: 10,000 notes in six languages with planted topics.

    .venv/bin/python benchmarks/workshops_synthesis.py [--notes 10000] [--rounds 3] [--seed 1]

Prints the time and peak memory of `roadmap.workshops.synthesis.synthesise` (terms, key phrases
and suggested themes, trying 2 to 8 clusters), checks that two runs give the same result, and
compares in the same run with a plain scikit-learn baseline (TfidfVectorizer + CountVectorizer
for phrases + KMeans with the same number of clusters, n_init=1): time ratio, and how well each
recovers the planted topics (purity, adjusted Rand index). Target: ≤ 3 s for 10,000 notes.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmap.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-not-used-anywhere-else")

from benchmarks import smoke  # noqa: E402

TARGET_SECONDS = 3.0
# Topic words per language, so clusters have something real to find; function words and a
# shared noise vocabulary make the notes look like sentences.
TOPICS = {
    "cycling": {
        "en": "bike lanes cycling parking winter clearing helmets route school safe",
        "nb": "sykkel sykkelvei sykkelparkering brøyting vinter skolevei trygg rute",
        "sv": "cykel cykelbana cykelparkering snöröjning vinter skolväg trygg",
    },
    "greenery": {
        "en": "trees park green shade flowers benches garden paths nature",
        "nb": "trær park grønt skygge blomster benker hage stier natur",
        "da": "træer park grønt skygge blomster bænke have stier natur",
    },
    "data": {
        "en": "open data portal air quality energy sensors publish transparency",
        "fi": "avoin data portaali ilmanlaatu energia anturit julkaista läpinäkyvyys",
        "is": "opin gögn gátt loftgæði orka skynjarar birta gagnsæi",
    },
    "participation": {
        "en": "residents workshops dialogue decisions listen young meetings voice",
        "nb": "innbyggere verksteder dialog beslutninger lytte unge møter stemme",
        "sv": "invånare workshoppar dialog beslut lyssna unga möten röst",
    },
    "transport": {
        "en": "bus ferry timetable tickets night buses stops harbour electric",
        "da": "bus færge køreplan billetter natbus stoppesteder havn elektrisk",
        "nb": "buss ferje rutetider billetter nattbuss holdeplasser havn elektrisk",
    },
}
FUNCTION_WORDS = {
    "en": "the and of to in for more we should with a",
    "nb": "og i på til for mer vi bør med en",
    "sv": "och i på till för mer vi borde med en",
    "da": "og i på til for mere vi bør med en",
    "fi": "ja on se että myös kanssa",
    "is": "og í á til fyrir meira við með",
}
NOISE = ["idea", "please", "maybe", "really", "good", "important", "today", "future", "city"]


def make_notes(count: int, seed: int):
    from roadmap.workshops.synthesis import NoteText

    rng = random.Random(seed)
    topics = sorted(TOPICS)
    notes, truth = [], []
    for index in range(count):
        topic = topics[index % len(topics)]
        language = rng.choice(sorted(TOPICS[topic]))
        words = TOPICS[topic][language].split()
        chosen = rng.sample(words, rng.randint(2, 4))
        fillers = FUNCTION_WORDS[language].split()
        text = []
        for word in chosen:
            text += [rng.choice(fillers), word]
        if rng.random() < 0.5:
            text.append(rng.choice(NOISE))
        notes.append(NoteText(id=index + 1, language=language, text=" ".join(text).capitalize()))
        truth.append(topic)
    return notes, truth


def timed(function, *args):
    """(result, seconds); timed without tracing, which would slow Python code down."""
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def peak_memory(function, *args) -> int:
    """Peak bytes allocated by Python and NumPy (which reports to tracemalloc) during a call."""
    tracemalloc.start()
    function(*args)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def purity(labels, truth) -> float:
    """Share of clustered notes whose cluster's commonest planted topic is their own."""
    by_cluster: dict[int, list[str]] = {}
    for label, topic in zip(labels, truth, strict=True):
        if label >= 0:
            by_cluster.setdefault(label, []).append(topic)
    agreeing = sum(max(topics.count(t) for t in set(topics)) for topics in by_cluster.values())
    return agreeing / max(sum(len(topics) for topics in by_cluster.values()), 1)


def labels_of(clusters, notes) -> list[int]:
    label = {
        note_id: index for index, cluster in enumerate(clusters) for note_id in cluster.note_ids
    }
    return [label.get(note.id, -1) for note in notes]


def baseline(notes, cluster_count: int):
    """The plain scikit-learn way: stop words per note removed first, then TF-IDF + k-means."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    from roadmap.workshops.synthesis import note_terms

    documents = [" ".join(note_terms(note)) for note in notes]
    counts = CountVectorizer(binary=True).fit(documents)
    term_totals = counts.transform(documents).sum(axis=0).A1
    phrases = CountVectorizer(ngram_range=(2, 3), binary=True, min_df=2).fit(documents)
    phrases.transform(documents)
    vectors = TfidfVectorizer(min_df=2).fit_transform(documents)
    labels = KMeans(n_clusters=cluster_count, n_init=1, random_state=0).fit_predict(vectors)
    return term_totals, labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = smoke.parse_args(parser, notes=300, rounds=2)

    import django

    django.setup()
    from sklearn.metrics import adjusted_rand_score

    from roadmap.workshops.synthesis import synthesise

    notes, truth = make_notes(args.notes, args.seed)
    print(f"Machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    print(f"Data: {len(notes)} notes, {len(TOPICS)} planted topics, languages "
          f"{', '.join(sorted({note.language for note in notes}))}\n")  # fmt: skip

    ours = [timed(synthesise, notes) for _ in range(args.rounds)]
    results = [result for result, _seconds in ours]
    deterministic = all(result == results[0] for result in results)
    shuffled = list(notes)
    random.Random(99).shuffle(shuffled)
    order_free = synthesise(shuffled) == results[0]
    seconds = [seconds for _result, seconds in ours]
    peak = peak_memory(synthesise, notes)
    result = results[0]
    our_labels = labels_of(result.clusters, notes)

    theirs = [timed(baseline, notes, len(result.clusters)) for _ in range(args.rounds)]
    their_seconds = [seconds for _result, seconds in theirs]
    their_peak = peak_memory(baseline, notes, len(result.clusters))
    their_labels = list(theirs[0][0][1])

    ours_median, theirs_median = statistics.median(seconds), statistics.median(their_seconds)
    print("synthesise (ours):")
    verdict = "met" if max(seconds) <= TARGET_SECONDS else "MISSED"
    runs = ", ".join(f"{value:.2f}" for value in seconds)
    print(f"  time median {ours_median:.2f} s (runs: {runs}); "
          f"target ≤ {TARGET_SECONDS:.0f} s: {verdict}")  # fmt: skip
    print(f"  peak traced memory {peak / 2**20:.1f} MiB")
    print(f"  clusters chosen: {len(result.clusters)} "
          f"(sizes {', '.join(str(len(c.note_ids)) for c in result.clusters)})")  # fmt: skip
    print(f"  names: {'; '.join(cluster.name for cluster in result.clusters)}")
    print(f"  top terms: {', '.join(f'{t} {c}' for t, c in result.terms[:8])}")
    print(f"  top phrases: {', '.join(f'{p} {c}' for p, c in result.phrases[:5])}")
    print(f"  same result on {args.rounds} runs: {deterministic}; "
          f"same result with shuffled input: {order_free}")  # fmt: skip
    print(f"  topic purity of clusters {purity(our_labels, truth):.3f}; adjusted Rand "
          f"{adjusted_rand_score(truth, our_labels):.3f}")  # fmt: skip
    print("baseline (scikit-learn TfidfVectorizer + KMeans, same k, n_init=1, same tokens):")
    print(f"  time median {theirs_median:.2f} s; peak traced memory {their_peak / 2**20:.1f} MiB")
    print(f"  topic purity of clusters {purity(their_labels, truth):.3f}; adjusted Rand "
          f"{adjusted_rand_score(truth, their_labels):.3f}")  # fmt: skip
    print(f"ratio ours / baseline: time {ours_median / theirs_median:.2f}×, "
          f"memory {peak / max(their_peak, 1):.2f}×")  # fmt: skip
    print("(Topics are planted per language with no shared words, so a cluster per language of")
    print(" a topic is a right answer: purity says whether clusters mix topics; Rand also")
    print(" counts the split of a topic by language against the clustering.)")
    smoke.check(
        args,
        [f"different results on {args.rounds} runs"] * (not deterministic)
        + ["a different result with shuffled input"] * (not order_free),
    )


if __name__ == "__main__":
    main()
