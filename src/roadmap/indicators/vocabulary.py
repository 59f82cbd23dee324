"""Link the catalogue to KS's national U4SSC vocabulary (data.norge.no), idempotently.

The vocabulary is read with rdflib from its Turtle file (settings.NATIONAL_VOCABULARY_FILE or
a path given to `manage.py load_national_vocabulary`), or from the facts kept in
data/national_vocabulary.yaml when the file is not at hand (the demo, the tests). Each concept
is matched to a catalogue KPI, or to one of its sub-indicators, through the documented alias
table in that data file; every difference between KS and ITU is reported, and one the table
does not document is marked so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from .models import (
    EvaluationLevel,
    Impact,
    Indicator,
    NationalConcept,
    SubIndicator,
    UpdateFrequency,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "national_vocabulary.yaml"
SDG_GOAL = re.compile(r"/sdg/(\d+)$")


class VocabularyDataError(ValueError):
    """The vocabulary or the alias table is unusable; the message lists every problem."""


def normalise_code(text: str) -> str:
    """The form codes are compared in: no spaces, any case (`SC: EH: ED:1C` = `sc:eh:ed: 1c`)."""
    return "".join(text.split()).casefold()


@dataclass(frozen=True)
class ConceptFacts:
    """One concept as KS publishes it, in this platform's terms."""

    uri: str
    notation: str
    title: str
    goals: tuple[int, ...]
    frequency: str
    quality: int
    evaluation: str
    impact: str

    @property
    def number(self) -> str:
        return self.uri.rstrip("/").rsplit("/", 1)[-1]

    @property
    def part(self) -> str:
        """The sub-indicator named at the end of the title ("Air Pollution - PM 2.5")."""
        return self.title.partition(" - ")[2].strip()


def read_data(path: Path = DATA_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def shipped_concepts(data: dict[str, Any]) -> list[ConceptFacts]:
    scheme = data["scheme"].rstrip("/")
    return [
        ConceptFacts(
            uri=f"{scheme}/{entry['id']}",
            notation=entry["notation"],
            title=entry["title"],
            goals=tuple(entry["goals"]),
            frequency=entry["frequency"],
            quality=entry["quality"],
            evaluation=entry["evaluation"],
            impact=entry["impact"],
        )
        for entry in data["concepts"]
    ]


def _last_segment(term: Any, separator: str = "/") -> str:
    return str(term).rstrip("/").rsplit(separator, 1)[-1]


def read_turtle(path: Path) -> list[ConceptFacts]:
    """The vocabulary's skos:Concepts; VocabularyDataError if the file cannot be parsed."""
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import RDF, SKOS

    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises many kinds for a broken file
        raise VocabularyDataError(f"{path} is not a readable Turtle file: {error}") from error
    # KS writes the title with the http://purl.org/dc/ prefix, not dcterms.
    dc, dcterms = Namespace("http://purl.org/dc/"), Namespace("http://purl.org/dc/terms/")
    sdgo = Namespace("http://metadata.un.org/sdg/ontology#")
    dqv = Namespace("http://www.w3.org/ns/dqv#")
    ks = Namespace("https://metadata.ks.no/sdg-taxonomi/#")
    concepts = []
    uris = sorted(
        str(node) for node in graph.subjects(RDF.type, SKOS.Concept) if isinstance(node, URIRef)
    )
    for uri in uris:
        concept = URIRef(uri)
        title = graph.value(concept, dc.title) or graph.value(concept, dcterms.title)
        goals = sorted(
            int(match[1])
            for goal in graph.objects(concept, sdgo.hasGoal)
            if (match := SDG_GOAL.search(str(goal)))
        )
        evaluation = _last_segment(graph.value(concept, ks.hasEvaluation))
        quality = _last_segment(graph.value(concept, dqv.hasQualityMeasurement), "_")
        concepts.append(
            ConceptFacts(
                uri=str(concept),
                notation=str(graph.value(concept, SKOS.notation) or ""),
                title=str(title or ""),
                goals=tuple(goals),
                frequency=str(graph.value(concept, dcterms.accrualPeriodicity) or "")
                .strip()
                .lower()
                .replace(" ", "-"),
                quality=int(quality) if quality.isdigit() else 0,
                # "3-Output" → "output"
                evaluation=evaluation.partition("-")[2].lower(),
                impact=_last_segment(graph.value(concept, ks.hasImpact)).lower(),
            )
        )
    return concepts


@dataclass(frozen=True)
class Difference:
    """One way KS and ITU differ, as the loader found it."""

    kind: str  # spelling | code | itu-lacks | ks-lacks | unknown-part
    ks: str
    itu: str
    documented: bool
    uri: str = ""

    def __str__(self) -> str:
        mark = "" if self.documented else "  [NOT IN THE ALIAS TABLE]"
        where = f" ({self.uri})" if self.uri else ""
        if self.kind == "spelling":
            text = f"notation spelling: KS writes “{self.ks}” for ITU “{self.itu}”"
        elif self.kind == "code":
            text = f"code differs: KS “{self.ks}” is ITU “{self.itu}”"
        elif self.kind == "itu-lacks":
            text = f"ITU lacks: no catalogue indicator for KS “{self.ks}”"
        elif self.kind == "unknown-part":
            text = f"unknown sub-indicator: KS “{self.ks}” has no part of ITU “{self.itu}”"
        else:
            text = f"KS lacks: no concept for ITU “{self.itu}”"
        return f"{text}{where}{mark}"


@dataclass
class VocabularyReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def undocumented(self) -> list[Difference]:
        return [difference for difference in self.differences if not difference.documented]


def validate(data: Any, concepts: list[ConceptFacts], catalogue: set[str]) -> None:
    """Raise VocabularyDataError naming every problem, or return if all is sound."""
    problems: list[str] = []
    itu_forms = {normalise_code(code) for code in catalogue}
    for index, alias in enumerate(data.get("aliases") or []):
        where = f"aliases[{index}] {alias.get('ks')!r}"
        if alias.get("itu") not in catalogue:
            problems.append(f"{where}: ITU code {alias.get('itu')!r} is not in the catalogue")
        if alias.get("kind") not in ("spelling", "code"):
            problems.append(f"{where}: 'kind' must be spelling or code")
        # A notation alias must not take over the notation of another ITU indicator.
        ks_form = normalise_code(alias.get("ks", ""))
        hides = ks_form in itu_forms and ks_form != normalise_code(alias.get("itu", ""))
        if hides and not alias.get("concepts"):
            problems.append(f"{where}: would hide the ITU code of the same spelling")
    for code, parts in (data.get("sub_indicators") or {}).items():
        if code not in catalogue:
            problems.append(f"sub_indicators {code!r}: not in the catalogue")
        for name in ("key", "series"):
            values = [part.get(name) for part in parts]
            if not all(values) or len(set(values)) != len(values):
                problems.append(f"sub_indicators {code!r}: every part needs its own {name}")
    choices = {
        "frequency": UpdateFrequency.values,
        "evaluation": EvaluationLevel.values,
        "impact": Impact.values,
    }
    for concept in concepts:
        for name, allowed in choices.items():
            if getattr(concept, name) not in allowed:
                problems.append(
                    f"{concept.uri}: {name} {getattr(concept, name)!r} is not one of {allowed}"
                )
        if not 1 <= concept.quality <= 3:
            problems.append(f"{concept.uri}: quality class must be 1, 2 or 3")
        if not concept.notation:
            problems.append(f"{concept.uri}: has no notation")
    if not concepts:
        problems.append("the vocabulary holds no skos:Concept")
    if problems:
        raise VocabularyDataError(
            "The national vocabulary has problems; nothing was loaded:\n- " + "\n- ".join(problems)
        )


@dataclass(frozen=True)
class _Link:
    concept: ConceptFacts
    code: str
    series: str


def match_concepts(
    data: dict[str, Any], concepts: list[ConceptFacts], catalogue: set[str]
) -> tuple[list[_Link], list[Difference]]:
    """Each concept's ITU code and series, and every difference met on the way."""
    by_form = {normalise_code(code): code for code in catalogue}
    for_concepts: dict[str, dict[str, Any]] = {}
    for_notation: dict[str, dict[str, Any]] = {}
    for alias in data.get("aliases") or []:
        for number in alias.get("concepts") or []:
            for_concepts[str(number)] = alias
        if not alias.get("concepts"):
            for_notation[alias["ks"]] = alias
    parts = {
        code: {part["ks"].casefold(): part["series"] for part in entries if part.get("ks")}
        for code, entries in (data.get("sub_indicators") or {}).items()
    }
    links: list[_Link] = []
    differences: list[Difference] = []
    seen_differences: set[tuple[str, str, str]] = set()

    def differ(kind: str, ks: str, itu: str, documented: bool, uri: str = "") -> None:
        # An alias of a notation is reported once, not for each of its concepts.
        key = (kind, ks, uri)
        if key not in seen_differences:
            seen_differences.add(key)
            differences.append(Difference(kind, ks, itu, documented, uri))

    for concept in concepts:
        if (alias := for_concepts.get(concept.number)) is not None:
            code = alias["itu"]
            differ(alias["kind"], concept.notation, code, True, concept.uri)
        elif (alias := for_notation.get(concept.notation)) is not None:
            code = alias["itu"]
            differ(alias["kind"], concept.notation, code, True)
        elif (code := by_form.get(normalise_code(concept.notation), "")) and (
            code != concept.notation
        ):
            differ("spelling", concept.notation, code, False, concept.uri)
        if not code:
            differ("itu-lacks", concept.notation, "", False, concept.uri)
            continue
        series = ""
        if concept.part:
            series = parts.get(code, {}).get(concept.part.casefold(), "")
            if not series:
                differ("unknown-part", concept.title, code, False, concept.uri)
                continue
        links.append(_Link(concept, code, series))
    documented_gaps = {(gap["itu"], gap.get("series", "")) for gap in data.get("lacks") or []}
    covered = {(link.code, link.series) for link in links}
    covered_codes = {link.code for link in links}
    for code in sorted(catalogue - covered_codes):
        differences.append(Difference("ks-lacks", "", code, (code, "") in documented_gaps))
    for code, entries in (data.get("sub_indicators") or {}).items():
        if code not in covered_codes:
            continue
        for part in entries:
            if (code, part["series"]) not in covered and (code, "") not in covered:
                label = f"{code} - {part['key']}"
                differences.append(
                    Difference("ks-lacks", "", label, (code, part["series"]) in documented_gaps)
                )
    return links, differences


def _sub_indicators(data: dict[str, Any], indicators: dict[str, Indicator]) -> None:
    for code, entries in (data.get("sub_indicators") or {}).items():
        indicator = indicators[code]
        keys = []
        for order, part in enumerate(entries):
            percent = part["unit"].startswith("%")
            SubIndicator.objects.update_or_create(
                indicator=indicator,
                key=part["key"],
                defaults={
                    "series": part["series"],
                    "unit": part["unit"],
                    "min_value": part.get("min", 0.0),
                    "max_value": part.get("max", 100.0 if percent else None),
                    "order": order,
                },
            )
            keys.append(part["key"])
        indicator.sub_indicators.exclude(key__in=keys).delete()


@transaction.atomic
def load_national_vocabulary(
    concepts: list[ConceptFacts] | None = None, data: dict[str, Any] | None = None
) -> VocabularyReport:
    """Link the catalogue to the concepts (the shipped facts by default); all or nothing.
    Loading the same vocabulary again changes nothing."""
    data = data if data is not None else read_data()
    concepts = concepts if concepts is not None else shipped_concepts(data)
    indicators = {
        indicator.code: indicator for indicator in Indicator.objects.filter(municipality=None)
    }
    validate(data, concepts, set(indicators))
    links, differences = match_concepts(data, concepts, set(indicators))
    report = VocabularyReport(differences=differences)
    _sub_indicators(data, indicators)
    kept = {link.concept.uri for link in links}
    report.removed, _ = NationalConcept.objects.exclude(uri__in=kept).delete()
    existing = {concept.uri: concept for concept in NationalConcept.objects.all()}
    taken: set[tuple[str, str]] = set()
    for link in links:
        if (link.code, link.series) in taken:
            report.differences.append(
                Difference("unknown-part", link.concept.title, link.code, False, link.concept.uri)
            )
            continue
        taken.add((link.code, link.series))
        facts = link.concept
        values = {
            "notation": facts.notation,
            "title": facts.title[:200],
            "indicator_id": indicators[link.code].pk,
            "series": link.series,
            "sdg_goals": list(facts.goals),
            "update_frequency": facts.frequency,
            "quality_class": facts.quality,
            "evaluation_level": facts.evaluation,
            "impact": facts.impact,
        }
        concept = existing.get(facts.uri)
        if concept is None:
            NationalConcept.objects.create(uri=facts.uri, **values)
            report.created += 1
        elif any(getattr(concept, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(concept, name, value)
            concept.save()
            report.updated += 1
        else:
            report.unchanged += 1
    return report
