"""The part of a demo municipality's data file that says who publishes its open data; the
portfolio and indicator demo files both describe municipalities with it."""

from __future__ import annotations

from dataclasses import dataclass

from roadmap.core.datafiles import Choice, Record, Text

from .models import DataLicence


@dataclass(frozen=True)
class PublisherSpec:
    # Nine digits for a Norwegian municipality; empty elsewhere.
    organisation_number: str
    contact_email: str
    website: str
    data_licence: str


PUBLISHER_SCHEMA = Record(
    PublisherSpec,
    {
        "organisation_number": Text(blank=True, max_length=9, default=""),
        "contact_email": Text(),
        "website": Text(),
        "data_licence": Choice(DataLicence),
    },
    label="contact_email",
)
