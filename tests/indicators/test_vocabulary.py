import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from roadmap.indicators.models import NationalConcept, SubIndicator
from roadmap.indicators.vocabulary import (
    VocabularyDataError,
    load_national_vocabulary,
    read_data,
    read_turtle,
    shipped_concepts,
)

pytestmark = pytest.mark.django_db
SCHEME = "https://data.norge.no/vocabulary/indicator/U4SSC"

# Two concepts in KS's layout, written for this test: one spelled without the spaces and
# one with a notation no ITU indicator has.
OWN_TURTLE = """
@prefix dct: <http://purl.org/dc/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dqv: <http://www.w3.org/ns/dqv#> .
@prefix my: <https://metadata.ks.no/sdg-taxonomi/#> .
@prefix sdgo: <http://metadata.un.org/sdg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<https://example.org/u4ssc/1> a skos:Concept ;
    skos:notation "EC:ICT:ICT:2C" ;
    dct:title "Fixed broadband"@en ;
    sdgo:hasGoal <http://metadata.un.org/sdg/9>, <http://metadata.un.org/sdg/17> ;
    dcterms:accrualPeriodicity "Every other year" ;
    dqv:hasQualityMeasurement <https://example.org/quality/Class_2> ;
    my:hasEvaluation <https://example.org/Evaluation/4-Outcome> ;
    my:hasImpact <https://example.org/triplebottomline/People> .

<https://example.org/u4ssc/2> a skos:Concept ;
    skos:notation "EC: ICT: ICT: 9C" ;
    dct:title "Something ITU does not have"@en ;
    dcterms:accrualPeriodicity "Yearly" ;
    dqv:hasQualityMeasurement <https://example.org/quality/Class_1> ;
    my:hasEvaluation <https://example.org/Evaluation/3-Output> ;
    my:hasImpact <https://example.org/triplebottomline/Planet> .
"""


def concept(number):
    return NationalConcept.objects.select_related("indicator").get(uri=f"{SCHEME}/{number}")


def test_every_ks_concept_is_linked_to_its_itu_kpi_with_what_ks_adds():
    assert NationalConcept.objects.count() == 111
    internet = concept(2150)
    assert internet.indicator.code == "EC: ICT: ICT: 1C"
    assert internet.series == ""
    assert internet.sdg_goals == [17]
    assert internet.get_update_frequency_display() == "Yearly"
    assert internet.quality_class == 1
    assert internet.get_evaluation_level_display() == "Output"
    assert internet.get_impact_display() == "Prosperity"


def test_the_documented_code_differences_resolve_to_the_itu_indicator():
    assert concept(2155).indicator.code == "EC: ICT: ICT: 5C"  # KS: EC: ICT: ICT: 5A
    assert concept(2236).indicator.code == "SC: EH: ED: 5A"  # KS: SC: EH: H: 6A
    assert concept(2232).indicator.code == "SC: EH: ED: 1C"  # KS: SC: EH: ED:1C
    assert concept(2212).indicator.code == "EN: EN: WS: 3C"
    treatment = NationalConcept.objects.filter(indicator__code="EN: EN: WS: 4C")
    assert sorted(treatment.values_list("series", flat=True)) == [
        "Primary",
        "Secondary",
        "Tertiary",
    ]


def test_multi_value_concepts_become_sub_series_of_their_kpi():
    air = NationalConcept.objects.filter(indicator__code="EN: EN: AQ: 1C")
    assert sorted(air.values_list("series", flat=True)) == ["NO2", "O3", "PM10", "PM2.5", "SO2"]
    pm25 = SubIndicator.objects.get(indicator__code="EN: EN: AQ: 1C", key="pm_2.5")
    assert (pm25.series, pm25.unit) == ("PM2.5", "µg/m³")
    datasets = SubIndicator.objects.get(indicator__code="EC: ICT: PS: 1A", key="number")
    assert (datasets.unit, datasets.min_value, datasets.max_value) == ("datasets", 0, None)


def test_loading_again_changes_nothing():
    before = list(NationalConcept.objects.order_by("uri").values())
    report = load_national_vocabulary()
    assert (report.created, report.updated, report.unchanged, report.removed) == (0, 0, 111, 0)
    assert list(NationalConcept.objects.order_by("uri").values()) == before


def test_the_command_reports_every_difference_from_the_alias_table():
    out = io.StringIO()
    call_command("load_national_vocabulary", "--shipped", stdout=out)
    text = out.getvalue()
    assert "111 unchanged" in text
    assert "notation spelling: KS writes “SC: EH: ED:1C” for ITU “SC: EH: ED: 1C”" in text
    assert "code differs: KS “EC: ICT: ICT: 5A” is ITU “EC: ICT: ICT: 5C”" in text
    assert "code differs: KS “SC: EH: H: 6A” is ITU “SC: EH: ED: 5A”" in text
    assert f"code differs: KS “EN: EN: WS: 3C” is ITU “EN: EN: WS: 4C” ({SCHEME}/2213)" in text
    assert "KS lacks: no concept for ITU “EC: ICT: ICT: 4C - 5g”" in text
    assert "NOT IN THE ALIAS TABLE" not in text


def test_a_turtle_file_is_read_with_rdflib_and_undocumented_differences_are_marked(tmp_path):
    path = tmp_path / "vocabulary.ttl"
    path.write_text(OWN_TURTLE, encoding="utf-8")
    out = io.StringIO()
    call_command("load_national_vocabulary", "--file", str(path), stdout=out)
    text = out.getvalue()
    assert "1 concepts linked, 0 updated, 0 unchanged, 111 removed" in text
    assert (
        "notation spelling: KS writes “EC:ICT:ICT:2C” for ITU “EC: ICT: ICT: 2C” "
        "(https://example.org/u4ssc/1)  [NOT IN THE ALIAS TABLE]"
    ) in text
    assert "ITU lacks: no catalogue indicator for KS “EC: ICT: ICT: 9C”" in text
    assert "KS lacks: no concept for ITU “EC: ICT: ICT: 1C”  [NOT IN THE ALIAS TABLE]" in text
    broadband = NationalConcept.objects.get()
    assert broadband.indicator.code == "EC: ICT: ICT: 2C"
    assert (broadband.sdg_goals, broadband.update_frequency) == ([9, 17], "every-other-year")
    assert (broadband.quality_class, broadband.evaluation_level) == (2, "outcome")
    assert broadband.impact == "people"


def test_a_missing_or_broken_file_is_refused_and_changes_nothing(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("load_national_vocabulary", "--file", str(tmp_path / "none.ttl"))
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(CommandError, match="not a readable Turtle file"):
        call_command("load_national_vocabulary", "--file", str(broken))
    assert NationalConcept.objects.count() == 111


def test_unknown_ks_values_are_all_named_and_nothing_is_loaded():
    data = read_data()
    concepts = shipped_concepts(data)
    first = concepts[0]
    concepts[0] = type(first)(**{**first.__dict__, "evaluation": "result", "quality": 7})
    with pytest.raises(VocabularyDataError) as refused:
        load_national_vocabulary(concepts, data)
    assert "evaluation 'result' is not one of" in str(refused.value)
    assert "quality class must be 1, 2 or 3" in str(refused.value)
    assert NationalConcept.objects.count() == 111


@pytest.mark.skipif(
    not Path(settings.NATIONAL_VOCABULARY_FILE).is_file(), reason="KS's file is not at hand"
)
def test_the_shipped_facts_match_ks_vocabulary_file():
    from_file = sorted(read_turtle(Path(settings.NATIONAL_VOCABULARY_FILE)), key=str)
    assert from_file == sorted(shipped_concepts(read_data()), key=str)


def test_the_indicator_page_names_the_national_concepts(client, municipality):
    response = client.get(f"/m/{municipality.slug}/indicators/en-en-aq-1c/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "In KS's national vocabulary of the U4SSC indicators" in page
    assert f'<a class="ds-link" href="{SCHEME}/2204">EN: EN: AQ: 1C</a>' in page
    assert "<td>PM2.5</td>" in page
    wifi = client.get(f"/m/{municipality.slug}/indicators/ec-ict-ict-5c/").content.decode()
    assert f'href="{SCHEME}/2155">EC: ICT: ICT: 5A</a>' in wifi
