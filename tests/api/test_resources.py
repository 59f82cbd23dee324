"""The open API: what anyone may read, across municipalities; filters; bad input."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import SECRET, add_world
from tests.factories import MunicipalityFactory

# Every list, with a filter value that keeps one municipality's rows and the field that says
# whose a row is.
MUNICIPAL_LISTS = [
    "initiatives",
    "assessments",
    "processes",
    "phases",
    "proposals",
    "comments",
    "workshops",
    "opinion-maps",
    "observations",
    "targets",
    "scores",
]
SHARED_LISTS = [
    "framework/values",
    "framework/purposes",
    "framework/action-areas",
    "framework/principles",
    "framework/barriers",
    "municipalities",
    "indicators",
]
ALL_LISTS = SHARED_LISTS + MUNICIPAL_LISTS


def url(path: str) -> str:
    return f"/api/v1/{path}/"


@pytest.mark.parametrize("path", ALL_LISTS)
def test_every_list_is_public_and_never_shows_internal_rows(client, world, path):
    response = client.get(url(path))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"], "the list has rows"
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("path", MUNICIPAL_LISTS)
def test_a_members_session_shows_no_more_than_anyone_sees(client, world, editor, path):
    client.force_login(editor)
    response = client.get(url(path), {"municipality": "fjordvik"})
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("path", MUNICIPAL_LISTS)
def test_the_municipality_filter_keeps_that_municipalitys_rows(client, world, path):
    rows = client.get(url(path), {"municipality": "elvdal"}).json()["results"]
    assert rows
    assert {row["municipality"] for row in rows} == {"elvdal"}


@pytest.mark.parametrize("path", ALL_LISTS)
def test_an_unknown_municipality_is_a_400_naming_it(client, world, path):
    response = client.get(url(path), {"municipality": "atlantis"})
    if (
        path in ("framework/values", "framework/purposes", "framework/action-areas")
        or path == "municipalities"
    ):
        expected = "Unknown parameter"
    else:
        expected = "There is no municipality with the short name atlantis."
    assert response.status_code == 400
    assert expected in response.json()["municipality"][0]


@pytest.mark.parametrize("path", ALL_LISTS)
def test_an_unknown_parameter_is_a_400_listing_the_known_ones(client, world, path):
    response = client.get(url(path), {"municipalty": "fjordvik"})
    assert response.status_code == 400
    message = response.json()["municipalty"][0]
    assert message.startswith("Unknown parameter. This list takes: ")
    assert "page_size" in message
    taken = message.removeprefix("Unknown parameter. This list takes: ").rstrip(".").split(", ")
    assert ("cursor" in taken) != ("page" in taken), "one way of paging"


@pytest.mark.parametrize("path", ALL_LISTS)
@pytest.mark.parametrize("size", ["0", "501", "ten"])
def test_a_bad_page_size_is_a_400(client, world, path, size):
    response = client.get(url(path), {"page_size": size})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["Give a whole number from 1 to 500."]}


@pytest.mark.parametrize("path", ["initiatives", "proposals", "comments", "observations"])
def test_large_lists_page_by_cursor_and_a_forged_cursor_is_a_400(client, world, path):
    first = client.get(url(path), {"page_size": 1}).json()
    assert len(first["results"]) == 1
    assert "cursor=" in first["next"]
    second = client.get(first["next"]).json()
    assert second["results"][0] != first["results"][0]
    response = client.get(url(path), {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json() == {"cursor": ["This cursor is not one the API gave out."]}


def test_a_page_past_the_end_is_a_400(client, world):
    response = client.get(url("framework/principles"), {"page": 99})
    assert response.status_code == 400
    assert "page" in response.json()


@pytest.mark.parametrize("path", ["initiatives", "framework/values"])
def test_writes_are_refused(client, world, path):
    response = client.post(url(path), {"title": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_initiative_detail_shows_partners_pilots_barriers_lessons_links_and_profile(client, world):
    initiative = world["fjordvik"]["initiative"]
    body = client.get(url(f"initiatives/{initiative.pk}")).json()
    assert body["title"] == "Fjordvik harbour sensors"
    assert body["partners"] == [
        {"organisation": "Fjordvik University", "sector": "academia", "role": ""}
    ]
    assert body["pilots"][0]["title"] == "Fjordvik pilot"
    assert body["barriers_met"][0]["description"] == "Procurement rules."
    assert body["lessons"][0]["text"] == "Fjordvik lesson: start small."
    assert body["indicator_links"] == [
        {"indicator": world["fjordvik"]["indicator"].code, "effect": "increase", "note": ""}
    ]
    profile = body["latest_principle_profile"]
    assert profile["summary"] == "Fjordvik review"
    assert profile["ratings"][0]["level"] == 3


def test_an_internal_initiative_is_a_404(client, world, municipality):
    internal = municipality.initiatives.get(visibility="internal", title__startswith=SECRET + " F")
    assert client.get(url(f"initiatives/{internal.pk}")).status_code == 404


def test_the_unknown_parameter_message_lists_what_the_list_takes(client, world):
    response = client.get(url("initiatives"), {"municipalty": "fjordvik"})
    assert response.json() == {
        "municipalty": [
            "Unknown parameter. This list takes: action_area, cursor, modified_since, "
            "municipality, page_size, principle, purpose, status."
        ]
    }


def test_initiative_filters(client, world):
    rows = client.get(url("initiatives"), {"status": "planned", "municipality": "fjordvik"})
    assert [row["title"] for row in rows.json()["results"]] == ["Fjordvik harbour sensors"]
    assert client.get(url("initiatives"), {"status": "ended"}).json()["results"] == []
    bad = client.get(url("initiatives"), {"status": "finished"})
    assert bad.status_code == 400
    assert "finished" in bad.json()["status"][0]


def test_modified_since_keeps_rows_changed_since(client, world):
    assert client.get(url("initiatives"), {"modified_since": "2000-01-01T00:00:00Z"}).json()[
        "results"
    ]
    later = client.get(url("initiatives"), {"modified_since": "2999-01-01T00:00:00Z"})
    assert later.json()["results"] == []
    bad = client.get(url("initiatives"), {"modified_since": "yesterday"})
    assert bad.status_code == 400
    assert bad.json() == {"modified_since": ["Enter a valid date/time."]}


def test_proposals_carry_answers_and_counts(client, world):
    proposal = world["fjordvik"]["proposal"]
    proposal.refresh_from_db()
    proposal.support_count = 4
    proposal.save(update_fields=["support_count"])
    rows = client.get(url("proposals"), {"municipality": "fjordvik"}).json()["results"]
    assert [(row["title"], row["answer"], row["support_count"]) for row in rows] == [
        ("Fjordvik benches", "We will build them.", 4)
    ]
    assert rows[0]["comment_count"] == proposal.comment_count
    assert client.get(url("proposals"), {"phase": "first"}).json() == {
        "phase": ["Enter a whole number."]
    }


def test_comments_filter_by_proposal(client, world):
    proposal = world["elvdal"]["proposal"]
    rows = client.get(url("comments"), {"proposal": proposal.pk}).json()["results"]
    assert [row["body"] for row in rows] == ["<p>Elvdal agrees</p>\n"]


def test_workshops_show_syntheses_and_themes_of_published_notes(client, world):
    (workshop,) = client.get(url("workshops"), {"municipality": "fjordvik"}).json()["results"]
    (prompt,) = workshop["prompts"]
    assert prompt["text"] == "Fjordvik prompt"
    assert prompt["themes"] == [{"name": "Mobility", "note_count": 1}]
    assert prompt["synthesis"]["terms"] == [{"text": "bench", "notes": 1}]


def test_opinion_maps_show_groups_and_common_ground_never_participants(client, world):
    response = client.get(url("opinion-maps"), {"municipality": "elvdal"})
    (opinion_map,) = response.json()["results"]
    assert opinion_map["participants"] == 12
    assert [(g["name"], g["size"]) for g in opinion_map["groups"]] == [
        ("Group A", 7),
        ("Group B", 5),
    ]
    assert opinion_map["groups"][0]["distinguishing"][0]["text"] == "Elvdal wants cars"
    assert [item["text"] for item in opinion_map["common_ground"]] == ["Elvdal wants trees"]
    assert "positions" not in response.content.decode()
    assert "centroid" not in response.content.decode()


def test_observations_filter_by_indicator_and_year(client, world):
    code = world["fjordvik"]["indicator"].code
    rows = client.get(url("observations"), {"indicator": code, "year_from": 2024}).json()
    assert sorted((row["municipality"], row["value"]) for row in rows["results"]) == [
        ("elvdal", 40.0),
        ("fjordvik", 40.0),
    ]
    assert client.get(url("observations"), {"year_from": 2025}).json()["results"] == []
    assert client.get(url("observations"), {"year_to": "soon"}).status_code == 400


def test_scores_derive_from_the_newest_value_and_the_target(client, world):
    (score,) = client.get(url("scores"), {"municipality": "fjordvik"}).json()["results"]
    assert (score["value"], score["target_value"], score["achievement"]) == (40.0, 80.0, 0.5)
    assert score["band"] == "33-66"


def test_indicators_of_one_municipality_are_the_catalogue_and_its_own(client, world):
    rows = client.get(url("indicators"), {"municipality": "fjordvik", "page_size": 500}).json()
    assert rows["count"] == 91
    assert {row["municipality"] for row in rows["results"]} == {None}
    assert client.get(url("indicators"), {"dimension": "XX"}).status_code == 400


def test_municipality_detail_by_slug(client, world):
    body = client.get(url("municipalities/fjordvik")).json()
    assert (body["name"], body["public_initiatives"]) == ("Fjordvik", 1)
    assert client.get(url("municipalities/atlantis")).status_code == 404


def test_principles_carry_questions_and_maturity_scales(client, world):
    rows = client.get(url("framework/principles")).json()["results"]
    assert len(rows[0]["maturity_levels"]) == 5
    assert [level["level"] for level in rows[0]["maturity_levels"]] == [0, 1, 2, 3, 4]
    assert rows[0]["guiding_questions"]


def test_conditional_get_answers_304_for_an_unchanged_list(client, world):
    first = client.get(url("initiatives"))
    assert first["ETag"]
    assert first["Last-Modified"]
    again = client.get(url("initiatives"), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(url("initiatives"), headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304
    stale = client.get(url("initiatives"), headers={"if-none-match": '"something-else"'})
    assert stale.status_code == 200


@override_settings(API_RATE_LIMIT="3/minute")
def test_the_rate_limit_answers_429_with_retry_after(client, world):
    for _ in range(3):
        assert client.get(url("framework/values")).status_code == 200
    response = client.get(url("framework/values"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_cors_allows_any_origin_to_read_the_api_only(client, world):
    origin = {"origin": "https://data.example.org"}
    api = client.get(url("framework/values"), headers=origin)
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in api
    preflight = client.options(
        url("initiatives"), headers={**origin, "access-control-request-method": "GET"}
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    page = client.get("/", headers=origin)
    assert "Access-Control-Allow-Origin" not in page


def test_root_lists_every_resource_and_the_docs(client, db):
    links = client.get("/api/v1/").json()
    assert links["observations"] == "http://testserver/api/v1/observations/"
    assert links["schema"] == "http://testserver/api/v1/schema/"
    assert len(links) == len(ALL_LISTS) + 3


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_docs_pages_load_their_scripts_from_this_site(client, db, path):
    page = client.get(path).content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "https://" not in page


def test_the_schema_is_openapi_3_yaml(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.0.3")
    assert b"/api/v1/observations/:" in response.content


# --- a constant number of queries ------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_LISTS)
def test_lists_cost_the_same_queries_at_two_sizes(
    client, municipality, other_municipality, path, django_assert_num_queries
):
    add_world(municipality, "Fjordvik")
    client.get(url(path))  # content types and other per-process caches
    with CaptureQueriesContext(connection) as small:
        client.get(url(path), {"page_size": 500})
    for index in range(3):
        add_world(MunicipalityFactory(slug=f"extra-{index}"), f"Extra {index}")
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url(path), {"page_size": 500})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "params", "parameter", "message"),
    [
        ("initiatives", {"municipality": ""}, "municipality", "Give a value, or leave"),
        ("observations", {"year_from": "0"}, "year_from", "greater than or equal to 1900"),
        ("observations", {"year_to": "2201"}, "year_to", "less than or equal to 2200"),
        ("comments", {"proposal": "-3.15e+280"}, "proposal", "Enter a whole number."),
        ("comments", {"proposal": "0"}, "proposal", "greater than or equal to 1"),
        ("assessments", {"latest": "null"}, "latest", "null is not one of the available"),
        ("phases", {"kind": "party"}, "kind", "party is not one of the available"),
    ],
)
def test_bad_filter_values_are_a_400_naming_the_parameter(
    client, world, path, params, parameter, message
):
    response = client.get(url(path), params)
    assert response.status_code == 400
    assert message in response.json()[parameter][0]


def test_a_parameter_given_twice_is_a_400(client, world):
    response = client.get(url("initiatives") + "?municipality=&municipality=fjordvik")
    assert response.status_code == 400
    assert response.json() == {"municipality": ["Give this parameter once."]}


def test_latest_assessments_only(client, world):
    rows = client.get(url("assessments"), {"latest": "true"}).json()["results"]
    assert {row["summary"] for row in rows} == {"Fjordvik review", "Elvdal review"}
    assert client.get(url("assessments"), {"latest": "false"}).json()["results"] == []


def test_an_unknown_api_address_is_a_json_404(client, db):
    response = client.get("/api/v1/initiative/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such address in the API."}


def test_errors_and_texts_follow_accept_language(client, world):
    response = client.get(
        url("initiatives"), {"municipality": "atlantis"}, headers={"accept-language": "nb"}
    )
    assert response.json() == {
        "municipality": ["Det finnes ingen kommune med kortnavnet atlantis."]
    }
