"""Reads for the data catalogue: per municipality, what each public dataset holds and when it
changed. A page of municipalities costs the same few grouped queries however long it is."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Min, Q, QuerySet

from roadmap.indicators.models import ImportBatch, Observation
from roadmap.initiatives.models import Assessment, AssessmentStatus, Initiative
from roadmap.initiatives.models import Visibility as InitiativeVisibility
from roadmap.municipalities.models import Municipality
from roadmap.participation.models import Proposal
from roadmap.participation.models import Visibility as ContributionVisibility
from roadmap.workshops.models import Note, Workshop

# Municipalities per page of the network catalogue (each brings five datasets).
MUNICIPALITIES_PER_PAGE = 20
DATASET_KINDS = ("observations", "initiatives", "assessments", "proposals", "workshops")


@dataclass(frozen=True)
class DatasetFacts:
    """What a harvester is told about one dataset's content."""

    records: int = 0
    first: datetime.date | None = None
    last: datetime.date | None = None
    modified: datetime.datetime | None = None


@dataclass(frozen=True)
class WorkshopExport:
    """A workshop of a published process, whose themes its page offers as CSV and XLSX."""

    process_slug: str
    phase_pk: int
    title: str


@dataclass(frozen=True)
class ConceptRef:
    """A KS national concept that some of the municipality's observations are of."""

    uri: str
    notation: str
    title: str


@dataclass(frozen=True)
class CatalogueEntry:
    municipality: Municipality
    datasets: dict[str, DatasetFacts]
    workshops: list[WorkshopExport]
    concepts: list[ConceptRef]


def _day(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _grouped(
    queryset: QuerySet[Any], key: str, first: str, last: str, modified: str | None
) -> dict[int, DatasetFacts]:
    """One query: the count, the covered period and the latest change per municipality."""
    aggregates: dict[str, Any] = {"records": Count("pk"), "first": Min(first), "last": Max(last)}
    if modified:
        aggregates["modified"] = Max(modified)
    rows = queryset.order_by().values(key).annotate(**aggregates)
    return {
        row[key]: DatasetFacts(
            records=row["records"],
            first=_day(row["first"]),
            last=_day(row["last"]),
            modified=row.get("modified"),
        )
        for row in rows
    }


def _observations(ids: list[int]) -> dict[int, DatasetFacts]:
    facts = _grouped(
        Observation.objects.filter(municipality__in=ids), "municipality", "period", "period", None
    )
    # Observations carry no timestamp: they change when an import is committed.
    imported = dict(
        ImportBatch.objects.filter(municipality__in=ids, status=ImportBatch.Status.COMMITTED)
        .order_by()
        .values("municipality")
        .annotate(modified=Max("updated_at"))
        .values_list("municipality", "modified")
    )
    return {
        pk: DatasetFacts(item.records, item.first, item.last, imported.get(pk))
        for pk, item in facts.items()
    }


def _dataset_facts(ids: list[int]) -> dict[str, dict[int, DatasetFacts]]:
    public_initiatives = Initiative.objects.filter(
        municipality__in=ids, visibility=InitiativeVisibility.PUBLIC
    )
    final_assessments = Assessment.objects.filter(
        municipality__in=ids,
        status=AssessmentStatus.FINAL,
        initiative__visibility=InitiativeVisibility.PUBLIC,
    )
    published_proposals = Proposal.objects.filter(
        process__municipality__in=ids,
        process__is_published=True,
        visibility=ContributionVisibility.PUBLISHED,
    )
    published_notes = Note.objects.filter(
        prompt__workshop__phase__process__municipality__in=ids,
        prompt__workshop__phase__process__is_published=True,
        visibility=ContributionVisibility.PUBLISHED,
    )
    return {
        "observations": _observations(ids),
        "initiatives": _grouped(
            public_initiatives, "municipality", "created_at", "updated_at", "updated_at"
        ),
        "assessments": _grouped(
            final_assessments, "municipality", "assessed_on", "assessed_on", "updated_at"
        ),
        "proposals": _grouped(
            published_proposals, "process__municipality", "created_at", "created_at", "updated_at"
        ),
        "workshops": _grouped(
            published_notes,
            "prompt__workshop__phase__process__municipality",
            "created_at",
            "created_at",
            "created_at",
        ),
    }


def _workshop_exports(ids: list[int]) -> dict[int, list[WorkshopExport]]:
    workshops = (
        Workshop.objects.filter(
            phase__process__municipality__in=ids, phase__process__is_published=True
        )
        .order_by("phase__process__municipality", "phase__starts_at", "phase_id")
        .values_list(
            "phase__process__municipality", "phase__process__slug", "phase_id", "phase__title"
        )
    )
    exports: dict[int, list[WorkshopExport]] = {}
    for municipality_pk, process_slug, phase_pk, title in workshops:
        exports.setdefault(municipality_pk, []).append(
            WorkshopExport(process_slug, phase_pk, title)
        )
    return exports


def _observed_concepts(ids: list[int]) -> dict[int, list[ConceptRef]]:
    """One query: per municipality, the KS concepts its observations are of: their series' own
    concept or their whole indicator's."""
    concept = "indicator__national_concepts__"
    of_series = Q(**{f"{concept}series": F("series")}) | Q(**{f"{concept}series": ""})
    rows = (
        Observation.objects.filter(of_series, municipality__in=ids)
        .order_by("municipality", f"{concept}uri")
        .values_list("municipality", f"{concept}uri", f"{concept}notation", f"{concept}title")
        .distinct()
    )
    concepts: dict[int, list[ConceptRef]] = {}
    for municipality_pk, uri, notation, title in rows:
        concepts.setdefault(municipality_pk, []).append(ConceptRef(uri, notation, title))
    return concepts


def catalogue_entries(municipalities: Sequence[Municipality]) -> list[CatalogueEntry]:
    """Each municipality with the facts of its five datasets (empty ones too: they are still
    published, and fill as the municipality works), its workshops' downloads and the national
    concepts its observations are of."""
    ids = [municipality.pk for municipality in municipalities]
    facts = _dataset_facts(ids)
    workshops = _workshop_exports(ids)
    concepts = _observed_concepts(ids)
    return [
        CatalogueEntry(
            municipality=municipality,
            datasets={
                kind: facts[kind].get(municipality.pk, DatasetFacts()) for kind in DATASET_KINDS
            },
            workshops=workshops.get(municipality.pk, []),
            concepts=concepts.get(municipality.pk, []),
        )
        for municipality in municipalities
    ]


def catalogue_paginator() -> Paginator[Municipality]:
    """The network catalogue's pages: municipalities in name order, each with its datasets."""
    return Paginator(Municipality.objects.order_by("name", "pk"), MUNICIPALITIES_PER_PAGE)


def municipality_chunks(size: int = MUNICIPALITIES_PER_PAGE) -> Iterator[list[CatalogueEntry]]:
    """Every municipality with its datasets, `size` at a time, in the order they were added:
    for the streamed full catalogue, which so never holds more than one chunk."""
    last_pk = 0
    while True:
        municipalities = list(Municipality.objects.filter(pk__gt=last_pk).order_by("pk")[:size])
        if not municipalities:
            return
        yield catalogue_entries(municipalities)
        last_pk = municipalities[-1].pk
