"""Deterministic demo data: a fictional Norwegian municipality with a full portfolio and a
smaller Swedish neighbour, so every page and chart of the platform has something to show.

Texts come from the hand-written catalogue below; everything else (principles chosen,
barriers met, ratings, dates) is drawn from one seeded random generator, so two builds give
the same data. Dates are offsets from the day of the build so the demo always looks current.
Principles and barriers are picked from the loaded framework, never named here.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.core import audit
from roadmap.framework.models import (
    ActionArea,
    Barrier,
    GuidingQuestion,
    MaturityLevel,
    Principle,
    Purpose,
)
from roadmap.indicators.demo import build_indicator_demo
from roadmap.initiatives.models import (
    Assessment,
    AssessmentStatus,
    BarrierEncounter,
    BarrierStatus,
    Initiative,
    Lesson,
    Partner,
    Pilot,
    PilotDecision,
    Rating,
    Sector,
    Status,
    Visibility,
)
from roadmap.municipalities.models import District, Membership, Municipality, Role
from roadmap.opinions.demo import build_opinion_demo
from roadmap.participation.demo import build_participation_demo
from roadmap.workshops.demo import build_workshop_demo

DEMO_SLUG = "fjordvik"
NEIGHBOUR_SLUG = "solbacka"
DEMO_ADMIN_USERNAME = "demo-admin"
# Every demo account shares this password; it is printed by setup_demo.
DEMO_ADMIN_PASSWORD = "fjordvik-demo-2026"  # noqa: S105 (public demo data)
SEED = 20260412


class DemoExistsError(Exception):
    pass


# --------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PilotSpec:
    title: str
    hypothesis: str
    result: str = ""
    decision: str = PilotDecision.PENDING


@dataclass(frozen=True)
class BarrierSpec:
    """A barrier described in free text, not found in the catalogue."""

    description: str
    mitigation: str
    status: str


@dataclass(frozen=True)
class InitiativeSpec:
    title: str
    summary: str
    description: str
    status: Status
    areas: tuple[str, ...]
    purposes: tuple[str, ...]
    sdgs: tuple[int, ...]
    budget: int | None
    district: str
    # (organisation, role); the organisation's sector comes from ORGANISATIONS.
    partners: tuple[tuple[str, str], ...]
    pilots: tuple[PilotSpec, ...] = ()
    free_barriers: tuple[BarrierSpec, ...] = ()
    lessons: tuple[str, ...] = ()
    internal: bool = False


@dataclass(frozen=True)
class MunicipalitySpec:
    name: str
    slug: str
    country: str
    population: int
    currency: str
    languages: tuple[str, ...]
    description: str
    districts: tuple[str, ...]
    centre: tuple[float, float]
    initiatives: tuple[InitiativeSpec, ...]
    # (username, display name, role or None for no role here, is platform administrator)
    users: tuple[tuple[str, str, str | None, bool], ...] = field(default=())


ORGANISATIONS: dict[str, str] = {
    # Public sector
    "Fjordkyst County Council": Sector.PUBLIC,
    "Fjordvik Municipal Property": Sector.PUBLIC,
    "Fjordvik Public Library": Sector.PUBLIC,
    "Fjordvik Fire and Rescue": Sector.PUBLIC,
    "Fjordkyst Health Trust": Sector.PUBLIC,
    "Fjordvik Youth Council": Sector.PUBLIC,
    "Fjordvik Harbour Authority": Sector.PUBLIC,
    "Fjordvik Home Care Service": Sector.PUBLIC,
    "Region Mellanland": Sector.PUBLIC,
    # Business
    "Havbris Mobility AS": Sector.BUSINESS,
    "Fjordvik Energi AS": Sector.BUSINESS,
    "Kystnett Broadband AS": Sector.BUSINESS,
    "Nordlys Sensorikk AS": Sector.BUSINESS,
    "Bygg-Sirkel AS": Sector.BUSINESS,
    "Tindra Software AS": Sector.BUSINESS,
    "Trygghet Velferdsteknologi AS": Sector.BUSINESS,
    "Fjordkyst Innovation Park": Sector.BUSINESS,
    "Fjordvik Business Council": Sector.BUSINESS,
    "Renovasjon Vest AS": Sector.BUSINESS,
    "Solbacka Energi AB": Sector.BUSINESS,
    "Sjöström Transport AB": Sector.BUSINESS,
    # Academia
    "Western Fjord University College": Sector.ACADEMIA,
    "Nordic Institute for Urban Research": Sector.ACADEMIA,
    "Fjordkyst Vocational School": Sector.ACADEMIA,
    "Lakeland University": Sector.ACADEMIA,
    # Voluntary sector
    "Fjordvik Senior Citizens' Association": Sector.VOLUNTARY,
    "Red Cross Fjordvik": Sector.VOLUNTARY,
    "Øvre dal Broadband Co-operative": Sector.VOLUNTARY,
    "Friends of Strandvika Beach": Sector.VOLUNTARY,
    "Fjordvik Hackerspace": Sector.VOLUNTARY,
    "Fjordvik Sports Council": Sector.VOLUNTARY,
    "Lia Residents' Association": Sector.VOLUNTARY,
    "Mental Health Youth Fjordvik": Sector.VOLUNTARY,
    "Solbacka Village Association": Sector.VOLUNTARY,
    # Inhabitants
    "Residents of Havnebyen": Sector.INHABITANTS,
    "Øvre dal households": Sector.INHABITANTS,
    "Parents' group at Lia School": Sector.INHABITANTS,
    "Inhabitants' panel (random sample of 60)": Sector.INHABITANTS,
    "Housing co-operative boards in Nordre Fjordvik": Sector.INHABITANTS,
    "Lakeside cottage owners": Sector.INHABITANTS,
}

FJORDVIK_INITIATIVES = (
    InitiativeSpec(
        title="Mobility hub pilot at the Havnebyen ferry terminal",
        summary="Shared e-bikes, a car-share pool and secure bike parking next to the ferry and "
        "bus stop, so commuters can leave the private car at home.",
        description="Havnebyen has the highest share of car commuting in Fjordvik although most "
        "trips end at the ferry terminal. The hub gathers shared e-bikes, four electric share "
        "cars, covered bike parking and real-time departure boards in one place. The pilot "
        "runs for six months and is evaluated with a travel survey before and after.",
        status=Status.PILOTING,
        areas=("living-environment",),
        purposes=("green", "liveable"),
        sdgs=(9, 11, 13),
        budget=2_400_000,
        district="Havnebyen",
        partners=(
            ("Havbris Mobility AS", "Operates the e-bikes and share cars"),
            ("Fjordkyst County Council", "Adjusts bus timetables to the ferry"),
            ("Western Fjord University College", "Runs the travel survey"),
            ("Residents of Havnebyen", "Test users and reference group"),
        ),
        pilots=(
            PilotSpec(
                title="Six-month hub trial",
                hypothesis="If shared e-bikes, share cars and secure parking sit next to the "
                "ferry, at least 15 % of commuters from Havnebyen will leave the car at home "
                "two days a week.",
                result="Interim count after three months: 11 % of surveyed commuters use the "
                "hub at least twice a week; e-bike use drops sharply in rainy weeks.",
            ),
        ),
        lessons=("Covered parking mattered more to users than the number of bikes.",),
    ),
    InitiativeSpec(
        title="Digital inclusion cafés for seniors",
        summary="Weekly drop-in cafés at the library where older inhabitants get help with "
        "BankID, digital mail and the municipal self-service portal.",
        description="About one in five inhabitants over 70 in Fjordvik does not use digital "
        "public services. The cafés pair seniors with trained volunteers over coffee, one "
        "task at a time. Sessions now run in three district libraries and at the "
        "Strandvika care centre.",
        status=Status.OPERATION,
        areas=("inclusion", "digital-communities"),
        purposes=("inclusive", "liveable"),
        sdgs=(4, 10),
        budget=350_000,
        district="Sentrum",
        partners=(
            ("Fjordvik Public Library", "Hosts the cafés"),
            ("Fjordvik Senior Citizens' Association", "Recruits peer helpers"),
            ("Tindra Software AS", "Staff volunteer one afternoon a month"),
            ("Fjordkyst Vocational School", "Students help as part of their course"),
        ),
        pilots=(
            PilotSpec(
                title="Weekly café at the main library",
                hypothesis="Seniors who attend four sessions will manage BankID and the "
                "self-service portal on their own.",
                result="71 of 94 regular participants managed both on their own after four "
                "sessions; demand exceeded capacity from the second month.",
                decision=PilotDecision.SCALE,
            ),
        ),
        lessons=(
            "Peer helpers of the same age were trusted more than young volunteers.",
            "A printed one-page guide per task let people practise at home.",
        ),
    ),
    InitiativeSpec(
        title="Open data portal",
        summary="A portal where the municipality publishes its data sets under open licences, "
        "with an API for developers and plain-language descriptions for everyone.",
        description="Inhabitants, journalists and local firms asked for the same data again "
        "and again. The portal publishes it once, with a named owner per data set and an "
        "update schedule. After the first ten data sets it now covers 46, including school "
        "transport, building permits and energy use in municipal buildings.",
        status=Status.SCALING,
        areas=("digital-communities", "leadership"),
        purposes=("dynamic", "inclusive"),
        sdgs=(9, 16, 17),
        budget=1_100_000,
        district="Sentrum",
        partners=(
            ("Tindra Software AS", "Builds and hosts the portal"),
            ("Nordic Institute for Urban Research", "Advises on data quality"),
            ("Fjordkyst County Council", "Shares regional data sets"),
            ("Fjordvik Hackerspace", "Runs open data evenings"),
        ),
        pilots=(
            PilotSpec(
                title="The first ten data sets",
                hypothesis="Publishing ten often-requested data sets will halve requests about "
                "them and lead at least two local firms to build services on them.",
                result="Requests fell by 40 %; one firm built a parking app and the county "
                "reuses the school transport data.",
                decision=PilotDecision.SCALE,
            ),
        ),
        free_barriers=(
            BarrierSpec(
                description="Unclear who owns data collected by contractors.",
                mitigation="New contracts include a data clause; old ones are renegotiated "
                "when they are renewed.",
                status=BarrierStatus.MITIGATED,
            ),
        ),
        lessons=("Name an owner for every data set before publishing it.",),
    ),
    InitiativeSpec(
        title="Heat-pump retrofits in municipal buildings",
        summary="Replacing oil and direct electric heating with heat pumps in schools, nursing "
        "homes and offices built in the 1960s and 1970s.",
        description="Heating is the largest part of the energy bill for municipal buildings. "
        "After a two-building pilot, the programme retrofits four to six buildings a year "
        "and publishes the measured savings per building on the open data portal.",
        status=Status.OPERATION,
        areas=("living-environment",),
        purposes=("green", "resilient"),
        sdgs=(7, 13),
        budget=18_500_000,
        district="Lia",
        partners=(
            ("Fjordvik Energi AS", "Installs and services the heat pumps"),
            ("Fjordvik Municipal Property", "Owns the buildings"),
            ("Western Fjord University College", "Measures savings and indoor climate"),
        ),
        pilots=(
            PilotSpec(
                title="Lia School and Strandvika nursing home",
                hypothesis="Air-to-water heat pumps will cut purchased energy by at least 50 % "
                "without more complaints about the indoor climate.",
                result="Purchased energy fell by 58 % at Lia School and 46 % at the nursing "
                "home; complaints were unchanged.",
                decision=PilotDecision.SCALE,
            ),
        ),
        lessons=("Old radiators needed larger surfaces in the nursing home; check this early.",),
    ),
    InitiativeSpec(
        title="Village broadband co-op in Øvre dal",
        summary="Households in the valley dug their own fibre trenches with support from the "
        "municipality and the county, bringing gigabit broadband to 212 homes.",
        description="No commercial operator would build fibre in Øvre dal. Inhabitants formed "
        "a co-operative, the municipality coordinated permits and the county gave a "
        "grant. Households dug most trenches themselves. The network was handed over to a "
        "regional operator and the project is closed.",
        status=Status.ENDED,
        areas=("digital-communities", "inclusion"),
        purposes=("inclusive", "dynamic"),
        sdgs=(9, 10),
        budget=6_800_000,
        district="Øvre dal",
        partners=(
            ("Øvre dal Broadband Co-operative", "Owner of the project"),
            ("Kystnett Broadband AS", "Designed and now operates the network"),
            ("Øvre dal households", "Dug trenches and paid connection fees"),
            ("Fjordkyst County Council", "Broadband grant"),
        ),
        pilots=(
            PilotSpec(
                title="First 40 homes along the river road",
                hypothesis="Volunteer digging can bring the cost per connection below NOK 30,000.",
                result="Cost per connection was NOK 24,500; 212 of 240 households "
                "eventually connected.",
                decision=PilotDecision.SCALE,
            ),
        ),
        free_barriers=(
            BarrierSpec(
                description="A landowner refused the cable route along the river.",
                mitigation="The route moved to the county road verge after the county "
                "granted permission.",
                status=BarrierStatus.OVERCOME,
            ),
        ),
        lessons=(
            "A local co-op builds trust faster than any operator can.",
            "Agree who maintains the network before the first trench is dug.",
        ),
    ),
    InitiativeSpec(
        title="Youth co-design of Strandvika park",
        summary="Young people design the new park at Strandvika together with landscape "
        "architects, from the first sketch to the choice of equipment.",
        description="The old car park at Strandvika becomes a park. Instead of a hearing at "
        "the end, the youth council and pupils from three schools take part in four "
        "design workshops and vote on the final layout. A digital model lets them walk "
        "through the alternatives.",
        status=Status.PLANNED,
        areas=("inclusion", "living-environment"),
        purposes=("liveable", "inclusive"),
        sdgs=(3, 11),
        budget=4_200_000,
        district="Strandvika",
        partners=(
            ("Fjordvik Youth Council", "Co-owner of the design process"),
            ("Friends of Strandvika Beach", "Local knowledge and clean-up days"),
            ("Parents' group at Lia School", "Recruits pupils and parents"),
            ("Nordic Institute for Urban Research", "Facilitates the workshops"),
        ),
    ),
    InitiativeSpec(
        title="Agile piloting programme with local start-ups",
        summary="Short paid trials where municipal services test solutions from local "
        "start-ups before deciding whether to buy.",
        description="Departments describe a challenge, start-ups propose a solution and the "
        "best one gets a twelve-week paid trial with clear success criteria. The programme "
        "uses the innovation partnership procedure so that successful trials can be bought "
        "without a new tender.",
        status=Status.PILOTING,
        areas=("leadership", "digital-communities"),
        purposes=("dynamic",),
        sdgs=(8, 9, 17),
        budget=1_500_000,
        district="Sentrum",
        partners=(
            ("Fjordkyst Innovation Park", "Finds start-ups and coaches them"),
            ("Fjordvik Business Council", "Spreads the calls to local firms"),
            ("Western Fjord University College", "Evaluates the programme"),
            ("Havbris Mobility AS", "One of the first start-ups"),
        ),
        pilots=(
            PilotSpec(
                title="First round: three twelve-week trials",
                hypothesis="Short paid trials let departments test at least three new "
                "solutions a year without a full procurement.",
                result="Two of three trials delivered; the legal review took longer than the "
                "trials themselves.",
                decision=PilotDecision.ADJUST,
            ),
        ),
        lessons=("Agree the legal template once; do not review every trial from scratch.",),
    ),
    InitiativeSpec(
        title="Flood early-warning sensors along the Fjord river",
        summary="Water-level and rain sensors that warn the fire service and inhabitants "
        "hours before the river floods the harbour area.",
        description="The harbour area has flooded three times in ten years. Twelve sensors "
        "along the river and in the estuary send readings every five minutes to a model "
        "that predicts flooding. Warnings go to the fire service and, by text message, to "
        "people who live in the risk zone.",
        status=Status.PILOTING,
        areas=("living-environment", "leadership"),
        purposes=("resilient", "green"),
        sdgs=(6, 11, 13),
        budget=3_200_000,
        district="Havnebyen",
        partners=(
            ("Nordlys Sensorikk AS", "Supplies and installs the sensors"),
            ("Fjordvik Fire and Rescue", "Receives warnings and acts on them"),
            ("Western Fjord University College", "Builds the flood model"),
            ("Red Cross Fjordvik", "Helps with evacuation drills"),
            ("Fjordvik Harbour Authority", "Hosts sensors on the quays"),
        ),
        pilots=(
            PilotSpec(
                title="Autumn storm season",
                hypothesis="The sensors give at least three hours' warning before the river "
                "floods the harbour area.",
                result="Two storms so far: warnings came 4.5 and 2.5 hours ahead.",
            ),
        ),
        free_barriers=(
            BarrierSpec(
                description="Salt water corroded the sensor housings near the estuary.",
                mitigation="Housings replaced with marine-grade steel; inspection every quarter.",
                status=BarrierStatus.MITIGATED,
            ),
        ),
    ),
    InitiativeSpec(
        title="Telecare for home-dwelling elderly",
        summary="Digital night-time supervision and fall sensors so that older people can "
        "live safely at home for longer.",
        description="Home care made several night visits per user, waking many of them. "
        "Camera-free motion sensors now alert the night team only when something is "
        "wrong. Each user and their family decide together with home care which sensors "
        "to use.",
        status=Status.OPERATION,
        areas=("health-wellbeing",),
        purposes=("liveable", "resilient"),
        sdgs=(3, 10),
        budget=5_600_000,
        district="Nordre Fjordvik",
        partners=(
            ("Fjordvik Home Care Service", "Runs the service"),
            ("Trygghet Velferdsteknologi AS", "Supplies sensors and the alarm centre"),
            ("Fjordvik Senior Citizens' Association", "User panel"),
            ("Western Fjord University College", "Evaluates effects and ethics"),
        ),
        pilots=(
            PilotSpec(
                title="Digital night-time supervision for 30 users",
                hypothesis="Sensors can replace half of the night visits without falls going "
                "unnoticed.",
                result="Night visits fell by 55 %; two falls were detected faster than "
                "before; three users chose to return to visits.",
                decision=PilotDecision.SCALE,
            ),
        ),
        lessons=(
            "Users must be able to say no without losing the service they had.",
            "Night staff needed training in reading alerts, not only in the technology.",
        ),
    ),
    InitiativeSpec(
        title="Circular building materials exchange",
        summary="A marketplace and depot where materials from demolished or renovated "
        "municipal buildings are reused in new projects.",
        description="Building materials are Fjordvik's largest waste stream. The exchange "
        "registers reusable materials before demolition, stores them in the old bus depot "
        "and offers them to municipal projects first, then to local builders and "
        "inhabitants.",
        status=Status.SCALING,
        areas=("living-environment",),
        purposes=("green", "dynamic"),
        sdgs=(11, 12, 13),
        budget=2_900_000,
        district="Havnebyen",
        partners=(
            ("Bygg-Sirkel AS", "Runs the depot and marketplace"),
            ("Fjordvik Municipal Property", "Supplies materials and buys them back"),
            ("Fjordkyst Vocational School", "Students dismantle and grade materials"),
        ),
        pilots=(
            PilotSpec(
                title="Reuse from the old town hall",
                hypothesis="At least 20 % by weight of the old town hall can be reused in new "
                "municipal projects at no higher cost.",
                result="31 % was reused, including all oak flooring and the facade tiles; "
                "cost was 6 % lower than new materials.",
                decision=PilotDecision.SCALE,
            ),
        ),
        lessons=("Map materials a year before demolition, not a month.",),
    ),
    InitiativeSpec(
        title="Smart street lighting",
        summary="LED street lights that dim when streets are empty and brighten when "
        "someone walks or cycles by.",
        description="All 6,200 street lights were replaced with LED fittings connected to a "
        "control system. Lighting profiles were set together with residents, with full "
        "light kept on school routes in the dark months.",
        status=Status.OPERATION,
        areas=("living-environment",),
        purposes=("green", "resilient"),
        sdgs=(7, 11),
        budget=14_000_000,
        district="Lia",
        partners=(
            ("Fjordvik Energi AS", "Owns and operates the lighting network"),
            ("Lia Residents' Association", "Helped set lighting profiles"),
            ("Kystnett Broadband AS", "Provides the control network"),
        ),
        pilots=(
            PilotSpec(
                title="Adaptive lighting in Lia",
                hypothesis="Motion-controlled dimming saves at least half of the energy "
                "without people feeling less safe.",
                result="Energy use fell by 62 %; complaints about a dark school route were "
                "solved by changing the profile there.",
                decision=PilotDecision.SCALE,
            ),
        ),
    ),
    InitiativeSpec(
        title="Safe school routes mapped by children",
        summary="Pupils marked places where they feel unsafe on their way to school; the "
        "results fed the municipal traffic safety plan.",
        description="Over two school years, pupils in years 4 to 7 used a simple map app to "
        "mark crossings, dark paths and fast traffic. The traffic department answered "
        "every marked place. The mapping is now part of the ordinary traffic safety "
        "work and the project has ended.",
        status=Status.ENDED,
        areas=("inclusion", "living-environment"),
        purposes=("liveable", "inclusive"),
        sdgs=(3, 11),
        budget=420_000,
        district="Lia",
        partners=(
            ("Parents' group at Lia School", "Walked the routes with the children"),
            ("Fjordkyst County Council", "Responsible for county roads"),
            ("Tindra Software AS", "Adapted the map app"),
        ),
        pilots=(
            PilotSpec(
                title="Mapping at two schools",
                hypothesis="Children can point out risks that adult inspections miss.",
                result="Pupils marked 148 places; 37 were not in the traffic plan, and 19 "
                "have since been fixed.",
                decision=PilotDecision.SCALE,
            ),
        ),
        lessons=("Answer every marked place, even when the answer is no.",),
    ),
    InitiativeSpec(
        title="Welfare technology loan library",
        summary="Inhabitants can borrow and try pill dispensers, sensor lamps and GPS "
        "trackers before deciding whether they need them.",
        description="Many people do not know what welfare technology could help them, and "
        "relatives often buy the wrong thing. The loan library at the health centre lends "
        "devices for four weeks, with a short introduction and a follow-up call.",
        status=Status.PILOTING,
        areas=("health-wellbeing", "inclusion"),
        purposes=("liveable", "inclusive"),
        sdgs=(3, 10),
        budget=600_000,
        district="Nordre Fjordvik",
        partners=(
            ("Fjordvik Home Care Service", "Advises borrowers"),
            ("Fjordvik Public Library", "Handles loans and returns"),
            ("Red Cross Fjordvik", "Volunteer visitors do the follow-up calls"),
        ),
        pilots=(
            PilotSpec(
                title="One year at the health centre",
                hypothesis="Trying a device first means fewer devices end up unused.",
            ),
        ),
    ),
    InitiativeSpec(
        title="Participatory budgeting in Lia",
        summary="Inhabitants of Lia propose and vote on how to spend NOK 2 million on their "
        "neighbourhood.",
        description="Lia has the lowest turnout in local elections. Participatory budgeting "
        "gives inhabitants a direct say over a real budget. Proposals can be made online "
        "or at the library, and voting is open to everyone over 12 who lives in Lia.",
        status=Status.PLANNED,
        areas=("leadership", "inclusion"),
        purposes=("inclusive", "liveable"),
        sdgs=(10, 16),
        budget=2_000_000,
        district="Lia",
        partners=(
            ("Lia Residents' Association", "Spreads the word and hosts meetings"),
            ("Nordic Institute for Urban Research", "Designs and evaluates the process"),
            ("Inhabitants' panel (random sample of 60)", "Checks proposals for fairness"),
        ),
    ),
    InitiativeSpec(
        title="Real-time parking guidance in the centre",
        summary="Sensors under 300 parking bays showed free spaces in an app and on signs; "
        "the trial ended without scaling.",
        description="The aim was to reduce traffic searching for parking in the centre. "
        "Sensors were installed under street bays and signs showed free spaces. The "
        "evaluation found little searching traffic to remove, and the sensors failed "
        "after snow clearing. The contract ended after the trial.",
        status=Status.ENDED,
        areas=("living-environment", "digital-communities"),
        purposes=("green",),
        sdgs=(11,),
        budget=1_900_000,
        district="Sentrum",
        partners=(
            ("Nordlys Sensorikk AS", "Supplied the sensors"),
            ("Fjordvik Business Council", "Represented shop owners"),
        ),
        pilots=(
            PilotSpec(
                title="Sensor trial in three streets",
                hypothesis="Showing free spaces cuts searching traffic in the centre by 30 %.",
                result="Searching traffic fell by only 4 %; a third of the sensors failed "
                "after snow clearing.",
                decision=PilotDecision.STOP,
            ),
        ),
        free_barriers=(
            BarrierSpec(
                description="Snow ploughs damaged sensors set into the road surface.",
                mitigation="None found at an acceptable cost; part of the reason to stop.",
                status=BarrierStatus.OPEN,
            ),
        ),
        lessons=(
            "Measure the problem before buying sensors: only three streets had real "
            "searching traffic.",
        ),
    ),
    InitiativeSpec(
        title="Energy communities for housing co-operatives",
        summary="Housing co-operatives share electricity from rooftop solar panels between "
        "their blocks.",
        description="New rules allow neighbours to share self-produced power. The idea is to "
        "help three housing co-operatives in Nordre Fjordvik set up a shared solar "
        "installation and a fair way to split the savings.",
        status=Status.IDEA,
        areas=("living-environment",),
        purposes=("green", "dynamic"),
        sdgs=(7, 11, 13),
        budget=None,
        district="Nordre Fjordvik",
        partners=(
            ("Housing co-operative boards in Nordre Fjordvik", "Initiators"),
            ("Fjordvik Energi AS", "Grid owner"),
        ),
    ),
    InitiativeSpec(
        title="Drone delivery of medicines to island communities",
        summary="Exploring whether drones can bring prescription medicines to the outer "
        "islands when the ferry does not run.",
        description="Storms cancel the ferry to the outer islands several times each winter. "
        "Home care and the pharmacy want to know whether drone delivery could be safe, "
        "legal and affordable. The idea is at an early stage and not yet public.",
        status=Status.IDEA,
        areas=("health-wellbeing",),
        purposes=("resilient", "liveable"),
        sdgs=(3, 9),
        budget=None,
        district="Strandvika",
        partners=(("Fjordkyst Health Trust", "Pharmacy and medical advice"),),
        internal=True,
    ),
    InitiativeSpec(
        title="AI assistant for municipal services",
        summary="A chat assistant that answers common questions about municipal services "
        "in plain language, any time of day.",
        description="The service centre answers the same hundred questions every week. A "
        "language-model assistant, limited to the municipality's own published "
        "information, could answer them at night and in several languages. A data "
        "protection impact assessment comes first.",
        status=Status.PLANNED,
        areas=("digital-communities", "leadership"),
        purposes=("inclusive", "dynamic"),
        sdgs=(16,),
        budget=900_000,
        district="Sentrum",
        partners=(
            ("Tindra Software AS", "Supplier candidate"),
            ("Western Fjord University College", "Advises on responsible AI"),
        ),
        internal=True,
    ),
    InitiativeSpec(
        title="Data-driven school bus routes",
        summary="Planning school bus routes from anonymised address data so that fewer "
        "children travel more than 45 minutes.",
        description="Routes had grown over decades. Using anonymised data on where pupils "
        "live, the county and the municipality redesigned the routes of four schools, "
        "cutting the longest journeys. The method is now being used for the remaining "
        "schools.",
        status=Status.SCALING,
        areas=("digital-communities", "leadership"),
        purposes=("liveable", "green"),
        sdgs=(4, 11),
        budget=750_000,
        district="Øvre dal",
        partners=(
            ("Fjordkyst County Council", "Runs school transport"),
            ("Nordic Institute for Urban Research", "Route optimisation"),
            ("Parents' group at Lia School", "Tested the new timetables"),
        ),
        pilots=(
            PilotSpec(
                title="New routes for four schools",
                hypothesis="Re-planned routes can keep every journey under 45 minutes at the "
                "same cost.",
                result="The longest journey fell from 68 to 41 minutes; total cost rose by 2 %.",
                decision=PilotDecision.SCALE,
            ),
        ),
    ),
    InitiativeSpec(
        title="Green roofs and rain gardens in Sentrum",
        summary="Planted roofs and rain gardens that hold back storm water and cool the "
        "centre on hot days.",
        description="Heavy rain overloads the old drains in Sentrum. Rain gardens along two "
        "streets and green roofs on the library and the bus station hold back water and "
        "add greenery. Property owners who follow get advice and a small grant.",
        status=Status.SCALING,
        areas=("living-environment",),
        purposes=("resilient", "green"),
        sdgs=(11, 13, 15),
        budget=3_600_000,
        district="Sentrum",
        partners=(
            ("Fjordvik Municipal Property", "Owns the first roofs"),
            ("Friends of Strandvika Beach", "Planting days"),
            ("Western Fjord University College", "Measures run-off"),
            ("Fjordvik Business Council", "Encourages property owners to join"),
        ),
        pilots=(
            PilotSpec(
                title="Two streets and two roofs",
                hypothesis="Rain gardens and green roofs hold back at least 30 % of run-off "
                "in a heavy shower.",
                result="Measured run-off fell by 38 % on average over eleven heavy showers.",
                decision=PilotDecision.SCALE,
            ),
        ),
    ),
    InitiativeSpec(
        title="Digital twin of the harbour area",
        summary="A shared 3D model of the harbour area that combines plans, sensor data and "
        "flood scenarios for planners and inhabitants.",
        description="Several projects in Havnebyen use their own maps and models. A digital "
        "twin would let planners, the fire service and inhabitants see plans, flood risk "
        "and traffic in one place. Scope and data sharing are being agreed.",
        status=Status.PLANNED,
        areas=("leadership", "living-environment"),
        purposes=("dynamic", "resilient"),
        sdgs=(9, 11),
        budget=2_200_000,
        district="Havnebyen",
        partners=(
            ("Fjordvik Harbour Authority", "Co-funds and supplies data"),
            ("Nordlys Sensorikk AS", "Sensor data"),
            ("Western Fjord University College", "3D modelling"),
        ),
        internal=True,
    ),
    InitiativeSpec(
        title="Mental health app co-developed with young people",
        summary="An app that helps young people find the right help quickly, written with "
        "them and tested in two secondary schools.",
        description="Young people said they did not know where to turn and were put off by "
        "waiting lists. The app gathers all low-threshold services, lets users book a "
        "chat with a school nurse and never asks for more data than it needs.",
        status=Status.PILOTING,
        areas=("health-wellbeing", "inclusion"),
        purposes=("liveable", "inclusive"),
        sdgs=(3,),
        budget=800_000,
        district="Nordre Fjordvik",
        partners=(
            ("Mental Health Youth Fjordvik", "Co-designers and testers"),
            ("Fjordvik Youth Council", "Political anchoring"),
            ("Tindra Software AS", "Develops the app"),
            ("Fjordkyst Health Trust", "Specialist advice"),
        ),
        pilots=(
            PilotSpec(
                title="Test at two secondary schools",
                hypothesis="Young people who use the app reach a helper sooner than before.",
            ),
        ),
    ),
    InitiativeSpec(
        title="Smart waste bins with fill-level sensors",
        summary="Sensors in public bins and recycling points so that collection routes go "
        "only where bins are full.",
        description="Collection trucks emptied half-empty bins on fixed rounds while others "
        "overflowed. Fill-level sensors now plan the routes each morning. The route data "
        "is published on the open data portal.",
        status=Status.OPERATION,
        areas=("living-environment",),
        purposes=("green",),
        sdgs=(11, 12),
        budget=1_300_000,
        district="Strandvika",
        partners=(
            ("Renovasjon Vest AS", "Collects waste"),
            ("Nordlys Sensorikk AS", "Sensors"),
        ),
        pilots=(
            PilotSpec(
                title="Sensors on 120 bins",
                hypothesis="Sensor-planned routes cut truck kilometres by a quarter.",
                result="Truck kilometres fell by 31 % and overflowing bins by 70 %.",
                decision=PilotDecision.SCALE,
            ),
        ),
    ),
    InitiativeSpec(
        title="Innovation leadership programme for managers",
        summary="A programme that trains managers across departments to run experiments, "
        "share risk and learn from what does not work.",
        description="Innovation stalled between departments. Sixty managers have taken the "
        "programme, each running a small experiment with a colleague from another "
        "department. It is now part of ordinary management training.",
        status=Status.OPERATION,
        areas=("leadership",),
        purposes=("dynamic",),
        sdgs=(16, 17),
        budget=650_000,
        district="Sentrum",
        partners=(
            ("Western Fjord University College", "Teaches the programme"),
            ("Fjordkyst Innovation Park", "Guest lecturers from local firms"),
        ),
        lessons=("Pairing managers from different departments did more than any lecture.",),
    ),
    InitiativeSpec(
        title="Accessible outdoor trails with digital wayfinding",
        summary="Three trails rebuilt for wheelchairs and prams, with audio and large-print "
        "guides on the phone.",
        description="Many inhabitants could not use the trails around the lake. Three were "
        "rebuilt with gentle slopes and resting places, and an audio guide was recorded "
        "with the visually impaired association. Maintenance is now handled by the sports "
        "council and the project is closed.",
        status=Status.ENDED,
        areas=("health-wellbeing", "inclusion"),
        purposes=("liveable", "inclusive"),
        sdgs=(3, 10, 15),
        budget=2_700_000,
        district="Øvre dal",
        partners=(
            ("Fjordvik Sports Council", "Maintains the trails"),
            ("Inhabitants' panel (random sample of 60)", "Tested the trails"),
            ("Fjordkyst County Council", "Outdoor recreation grant"),
        ),
        pilots=(
            PilotSpec(
                title="First trail around the lake",
                hypothesis="An accessible trail will be used by people who did not walk "
                "outdoors before.",
                result="Counts show 4,100 trips a month; a third of surveyed users had not "
                "used the trails before.",
                decision=PilotDecision.SCALE,
            ),
        ),
    ),
    InitiativeSpec(
        title="Neighbourhood sharing hub",
        summary="A tool library and repair café where neighbours borrow what they need "
        "instead of buying it.",
        description="Inhabitants in Lia suggested a place to borrow tools, camping gear and "
        "sports equipment. The idea is to start in an empty shop with volunteers and a "
        "simple booking system.",
        status=Status.IDEA,
        areas=("inclusion", "living-environment"),
        purposes=("green", "inclusive"),
        sdgs=(11, 12),
        budget=None,
        district="Lia",
        partners=(
            ("Lia Residents' Association", "Proposed the idea"),
            ("Red Cross Fjordvik", "Volunteers"),
        ),
    ),
    InitiativeSpec(
        title="Indoor climate sensors in schools",
        summary="Measuring CO2, temperature and noise in classrooms so that caretakers can "
        "act before learning suffers.",
        description="Teachers report tired pupils in crowded classrooms. The idea is to "
        "measure indoor climate in every classroom and show the readings to pupils and "
        "caretakers.",
        status=Status.IDEA,
        areas=("health-wellbeing",),
        purposes=("liveable",),
        sdgs=(3, 4),
        budget=None,
        district="Nordre Fjordvik",
        partners=(("Fjordvik Municipal Property", "Caretakers"),),
        internal=True,
    ),
)

SOLBACKA_INITIATIVES = (
    InitiativeSpec(
        title="Rural mobility on demand",
        summary="A bookable minibus that replaces empty scheduled buses in the villages "
        "around Solbacka.",
        description="Scheduled buses ran almost empty outside school hours. A minibus that "
        "inhabitants book by app or phone now serves the villages, with the same fare as "
        "the bus.",
        status=Status.PILOTING,
        areas=("living-environment", "inclusion"),
        purposes=("inclusive", "green"),
        sdgs=(9, 11),
        budget=1_800_000,
        district="Norrby",
        partners=(
            ("Region Mellanland", "Public transport authority"),
            ("Sjöström Transport AB", "Operates the minibus"),
            ("Solbacka Village Association", "Test riders"),
        ),
        pilots=(
            PilotSpec(
                title="One year in the northern villages",
                hypothesis="A bookable minibus carries more passengers per hour than the "
                "scheduled bus at the same cost.",
            ),
        ),
    ),
    InitiativeSpec(
        title="Solar park on the old gravel pit",
        summary="A five-megawatt solar park on a closed gravel pit, partly owned by inhabitants.",
        description="The closed gravel pit had no other use. The municipal energy company "
        "built a solar park there and offered inhabitants shares in it.",
        status=Status.OPERATION,
        areas=("living-environment",),
        purposes=("green", "dynamic"),
        sdgs=(7, 13),
        budget=42_000_000,
        district="Solbacka centrum",
        partners=(
            ("Solbacka Energi AB", "Owner and operator"),
            ("Lakeland University", "Monitors biodiversity on the site"),
            ("Lakeside cottage owners", "Shareholders"),
        ),
    ),
    InitiativeSpec(
        title="Library lockers in the villages",
        summary="Self-service lockers in village shops where inhabitants collect and return "
        "library books.",
        description="The mobile library stopped running. Lockers in three village shops let "
        "inhabitants order books online or by phone and collect them the next day.",
        status=Status.OPERATION,
        areas=("inclusion", "digital-communities"),
        purposes=("inclusive", "liveable"),
        sdgs=(4, 10),
        budget=450_000,
        district="Norrby",
        partners=(
            ("Solbacka Village Association", "Hosts a locker in the village hall"),
            ("Region Mellanland", "Regional library service"),
        ),
    ),
    InitiativeSpec(
        title="Lake water-quality buoys",
        summary="Buoys that measure algae and temperature in the lake and warn swimmers in summer.",
        description="Algal blooms closed the beach twice last summer. Two buoys will measure "
        "water quality and publish warnings on the municipality's website.",
        status=Status.PLANNED,
        areas=("living-environment", "health-wellbeing"),
        purposes=("resilient", "liveable"),
        sdgs=(6, 14),
        budget=600_000,
        district="Solbacka centrum",
        partners=(
            ("Lakeland University", "Water-quality research"),
            ("Lakeside cottage owners", "Report sightings"),
        ),
    ),
    InitiativeSpec(
        title="Village e-health room",
        summary="A room in the village hall where inhabitants can meet their doctor by "
        "video with a nurse present.",
        description="The nearest health centre is 40 kilometres away for many inhabitants. "
        "The idea is a video consultation room with basic measuring equipment.",
        status=Status.IDEA,
        areas=("health-wellbeing",),
        purposes=("liveable", "inclusive"),
        sdgs=(3,),
        budget=None,
        district="Norrby",
        partners=(("Solbacka Village Association", "Provides the room"),),
    ),
)

FJORDVIK = MunicipalitySpec(
    name="Fjordvik kommune",
    slug=DEMO_SLUG,
    country="NO",
    population=38_400,
    currency="NOK",
    languages=("nb", "en"),
    description="A coastal municipality on the west coast of Norway (fictional, for "
    "demonstration). About 38,000 inhabitants live in the town around the harbour and in "
    "the villages up the valley.",
    districts=("Sentrum", "Havnebyen", "Lia", "Nordre Fjordvik", "Strandvika", "Øvre dal"),
    centre=(60.892, 5.218),
    initiatives=FJORDVIK_INITIATIVES,
    users=(
        (DEMO_ADMIN_USERNAME, "Ingrid Haugen (demo administrator)", Role.ADMINISTRATOR, True),
        ("demo-editor", "Sindre Lunde (demo editor)", Role.EDITOR, False),
        ("demo-assessor", "Amira Berg (demo assessor)", Role.ASSESSOR, False),
        ("demo-moderator", "Jonas Vik (demo moderator)", Role.MODERATOR, False),
        ("demo-participant", "Kari Nilsen (demo participant)", None, False),
    ),
)

SOLBACKA = MunicipalitySpec(
    name="Solbacka kommun",
    slug=NEIGHBOUR_SLUG,
    country="SE",
    population=9_300,
    currency="SEK",
    languages=("sv", "en"),
    description="A rural municipality by a lake in central Sweden (fictional, for "
    "demonstration), with a small town and a dozen villages.",
    districts=("Solbacka centrum", "Norrby"),
    centre=(59.731, 15.402),
    initiatives=SOLBACKA_INITIATIVES,
    users=(("solbacka-admin", "Elin Sjöberg (demo administrator)", Role.ADMINISTRATOR, False),),
)


class LocalPrincipleSpec(TypedDict):
    code: str
    name_en: str
    name_nb: str
    summary_en: str
    questions: tuple[str, ...]
    maturity: tuple[str, ...]


LOCAL_PRINCIPLE: LocalPrincipleSpec = {
    "code": "coastal-climate-readiness",
    "name_en": "Prepare for the coastal climate",
    "name_nb": "Forbered oss på kystklimaet",
    "summary_en": "Fjordvik's own principle: every initiative considers storms, flooding and "
    "salt water.",
    "questions": (
        "How will storms or flooding affect this initiative?",
        "Does the equipment withstand salt water and wind?",
        "Who is warned when the weather turns?",
    ),
    "maturity": (
        "Not considered.",
        "Mentioned as a risk.",
        "Risks assessed with the fire service.",
        "Built into design and operation.",
        "Tested in a real storm and improved.",
    ),
}

EVIDENCE = {
    0: (
        "Not discussed in the project group yet.",
        "No work on this so far; noted for the next phase.",
    ),
    1: (
        "Mentioned in the project plan, but nobody owns it yet.",
        "Discussed at the kick-off meeting; no concrete steps agreed.",
        "Some informal contact, nothing written down.",
    ),
    2: (
        "A first step is in place and described in the project plan.",
        "Done for the pilot area, not yet elsewhere.",
        "Routines exist but depend on one or two people.",
    ),
    3: (
        "Part of how the project works; checked at every steering group meeting.",
        "Partners and inhabitants took part in the decisions; see the workshop minutes.",
        "Documented, followed and measured during the pilot.",
    ),
    4: (
        "Routine across the service and shared with other municipalities in the network.",
        "Independently evaluated; the results are published on the open data portal.",
        "Inhabitants help run this part themselves.",
    ),
}

MITIGATIONS = (
    "A working group across departments meets every second week.",
    "Bought through an innovation partnership instead of a fixed specification.",
    "The data protection officer reviewed the design; a processing agreement is signed.",
    "A user panel tests every change before it goes live.",
    "Extra funding found in the county's climate grant.",
    "The steering group agreed a shared budget line for the operating phase.",
    "Training for staff was added to the project plan.",
)

ASSESSMENT_SUMMARIES = (
    "Baseline assessment when the initiative was registered.",
    "Follow-up after the planning phase.",
    "Review after the first pilot results.",
    "Annual review by the steering group.",
    "Review before the decision on scaling.",
)
DRAFT_SUMMARY = "Review in progress; ratings not yet agreed with the project group."

# How many assessments an initiative has by status, and roughly how mature it starts out.
ASSESSMENTS_BY_STATUS = {
    Status.IDEA: 1,
    Status.PLANNED: 2,
    Status.PILOTING: 3,
    Status.SCALING: 3,
    Status.OPERATION: 4,
    Status.ENDED: 3,
}
STARTING_LEVEL = {
    Status.IDEA: 0.4,
    Status.PLANNED: 0.8,
    Status.PILOTING: 1.0,
    Status.SCALING: 1.3,
    Status.OPERATION: 1.4,
    Status.ENDED: 1.2,
}


# --------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------


def demo_exists() -> bool:
    return Municipality.objects.filter(slug__in=[FJORDVIK.slug, SOLBACKA.slug]).exists()


@transaction.atomic
def reset_demo() -> None:
    """Remove the demo municipalities and demo accounts (their rows go with them)."""
    slugs = [FJORDVIK.slug, SOLBACKA.slug]
    # Initiatives first: their ratings protect the local principles that the municipality
    # deletion would otherwise cascade to.
    Initiative.objects.filter(municipality__slug__in=slugs).delete()
    Municipality.objects.filter(slug__in=slugs).delete()
    usernames = [user[0] for spec in (FJORDVIK, SOLBACKA) for user in spec.users]
    User.objects.filter(username__in=usernames).delete()


@transaction.atomic
def build_demo(*, reset: bool = False, today: datetime.date | None = None) -> Municipality:
    """Build the demo municipalities; returns Fjordvik. Refuses to overwrite unless reset."""
    if demo_exists():
        if not reset:
            raise DemoExistsError(
                f"The demo municipality '{DEMO_SLUG}' exists already; use --reset to rebuild it."
            )
        reset_demo()
    builder = _DemoBuilder(random.Random(SEED), today or timezone.localdate())
    fjordvik = builder.build_municipality(FJORDVIK)
    builder.add_local_principle(fjordvik)
    builder.build_portfolio(fjordvik, FJORDVIK)
    solbacka = builder.build_municipality(SOLBACKA)
    builder.build_portfolio(solbacka, SOLBACKA)
    builder.record_audit_trail(fjordvik)
    build_participation_demo(municipality=fjordvik, today=builder.today, password=builder.password)
    build_indicator_demo(municipality=fjordvik, neighbours=[solbacka])
    build_workshop_demo(municipality=fjordvik, today=builder.today)
    build_opinion_demo(municipality=fjordvik, today=builder.today)
    return fjordvik


def _months(count: float) -> datetime.timedelta:
    return datetime.timedelta(days=round(count * 30.4))


class _DemoBuilder:
    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng = rng
        self.today = today
        self.password = make_password(DEMO_ADMIN_PASSWORD)
        self.users: dict[str, User] = {}
        self.areas = {area.code: area for area in ActionArea.objects.all()}
        self.purposes = {purpose.code: purpose for purpose in Purpose.objects.all()}
        self.barriers = list(
            Barrier.objects.filter(municipality__isnull=True).order_by(
                "category__order", "order", "code"
            )
        )
        principles = Principle.objects.filter(municipality__isnull=True).order_by("order", "code")
        self.shared_principles = list(principles.prefetch_related("action_areas"))

    # Municipality, districts, users ----------------------------------------------------

    def build_municipality(self, spec: MunicipalitySpec) -> Municipality:
        municipality = Municipality.objects.create(
            name=spec.name,
            slug=spec.slug,
            country=spec.country,
            population=spec.population,
            currency=spec.currency,
            languages=list(spec.languages),
            description=spec.description,
        )
        District.objects.bulk_create(
            District(municipality=municipality, name=name) for name in spec.districts
        )
        for username, display_name, role, is_superuser in spec.users:
            user = User.objects.create(
                username=username,
                email=f"{username}@demo.example",
                display_name=display_name,
                password=self.password,
                is_staff=is_superuser,
                is_superuser=is_superuser,
            )
            self.users[username] = user
            if role:
                Membership.objects.create(user=user, municipality=municipality, role=role)
        return municipality

    def add_local_principle(self, municipality: Municipality) -> None:
        spec = LOCAL_PRINCIPLE
        principle = Principle.objects.create(
            municipality=municipality,
            code=spec["code"],
            name_en=spec["name_en"],
            name_nb=spec["name_nb"],
            summary_en=spec["summary_en"],
            source=Principle.Source.LOCAL,
            order=100,
        )
        principle.action_areas.set(
            [
                self.areas[code]
                for code in ("living-environment", "leadership")
                if code in self.areas
            ]
        )
        GuidingQuestion.objects.bulk_create(
            GuidingQuestion(principle=principle, order=order, text_en=text)
            for order, text in enumerate(spec["questions"])
        )
        MaturityLevel.objects.bulk_create(
            MaturityLevel(principle=principle, level=level, descriptor_en=text)
            for level, text in enumerate(spec["maturity"])
        )

    # Portfolio ---------------------------------------------------------------------------

    def build_portfolio(self, municipality: Municipality, spec: MunicipalitySpec) -> None:
        editor = self._member(spec, Role.EDITOR)
        assessor = self._member(spec, Role.ASSESSOR)
        principles_in_scope = self.shared_principles + list(
            Principle.objects.filter(municipality=municipality).order_by("order", "code")
        )
        initiatives = []
        for index, item in enumerate(spec.initiatives):
            initiative, registered = self._initiative(municipality, spec, item, editor)
            self._partners(initiative, item)
            self._pilots(initiative, item)
            self._barriers(initiative, item)
            self._lessons(initiative, item, editor)
            # Every fifth initiative has a review in progress on top of its final ones.
            last_assessed = self._assessments(
                initiative,
                item,
                assessor,
                principles_in_scope,
                registered=registered,
                with_draft=index % 5 == 3,
            )
            initiative.created_at = self._moment(registered)
            initiative.updated_at = self._moment(last_assessed)
            initiatives.append(initiative)
        # Timestamps as if the portfolio had been kept over the years (auto_now is bypassed).
        Initiative.objects.bulk_update(initiatives, ["created_at", "updated_at"])

    def _member(self, spec: MunicipalitySpec, role: str) -> User:
        """The spec's user with this role, else its administrator (who holds every role)."""
        by_role = {user_role: username for username, _, user_role, _ in spec.users}
        return self.users[by_role.get(role) or by_role[Role.ADMINISTRATOR]]

    def _initiative(
        self, municipality: Municipality, spec: MunicipalitySpec, item: InitiativeSpec, editor: User
    ) -> tuple[Initiative, datetime.date]:
        start, end, registered = self._dates(item.status)
        latitude, longitude = (
            coordinate + self.rng.uniform(-0.03, 0.03) for coordinate in spec.centre
        )
        initiative = Initiative.objects.create(
            municipality=municipality,
            title=item.title,
            summary=item.summary,
            description=item.description,
            status=item.status,
            start_date=start,
            end_date=end,
            budget=Decimal(item.budget) if item.budget is not None else None,
            sdg_goals=list(item.sdgs),
            location_name=item.district,
            latitude=Decimal(f"{latitude:.6f}"),
            longitude=Decimal(f"{longitude:.6f}"),
            visibility=Visibility.INTERNAL if item.internal else Visibility.PUBLIC,
            created_by=editor,
        )
        initiative.action_areas.set([self.areas[code] for code in item.areas])
        initiative.purposes.set([self.purposes[code] for code in item.purposes])
        initiative.principles.set(self._chosen_principles(item))
        return initiative, registered

    def _dates(
        self, status: Status
    ) -> tuple[datetime.date | None, datetime.date | None, datetime.date]:
        """Start and end dates that fit the status, and the day the initiative was registered."""
        today, uniform = self.today, self.rng.uniform
        if status == Status.IDEA:
            return None, None, today - _months(uniform(1, 8))
        if status == Status.PLANNED:
            start = today + _months(uniform(1, 6))
            return start, start + _months(uniform(12, 24)), today - _months(uniform(6, 14))
        if status == Status.ENDED:
            start = today - _months(uniform(36, 54))
            end = today - _months(uniform(2, 10))
        else:
            ago = {Status.PILOTING: (5, 14), Status.SCALING: (18, 30), Status.OPERATION: (30, 48)}
            start = today - _months(uniform(*ago[status]))
            end = start + _months(uniform(24, 36)) if status == Status.PILOTING else None
        return start, end, start - _months(uniform(3, 9))

    def _chosen_principles(self, item: InitiativeSpec) -> list[Principle]:
        """Two to four principles, preferring those tied to the initiative's action areas."""
        related = [
            principle
            for principle in self.shared_principles
            if {area.code for area in principle.action_areas.all()} & set(item.areas)
        ]
        pool = related if len(related) >= 2 else self.shared_principles
        return self.rng.sample(pool, min(len(pool), self.rng.randint(2, 4)))

    def _partners(self, initiative: Initiative, item: InitiativeSpec) -> None:
        Partner.objects.bulk_create(
            Partner(initiative=initiative, organisation=name, sector=ORGANISATIONS[name], role=role)
            for name, role in item.partners
        )

    def _pilots(self, initiative: Initiative, item: InitiativeSpec) -> None:
        pilots = []
        initiative_start = initiative.start_date or self.today
        for pilot in item.pilots:
            start = initiative_start + _months(self.rng.uniform(0.5, 3))
            end = start + _months(self.rng.uniform(4, 12))
            if pilot.decision != PilotDecision.PENDING and end >= self.today:
                # A decided pilot has finished: move its end into the past.
                end = self.today - _months(self.rng.uniform(0.5, 1.5))
                start = max(initiative_start, min(start, end - _months(4)))
            pilots.append(
                Pilot(
                    initiative=initiative,
                    title=pilot.title,
                    hypothesis=pilot.hypothesis,
                    start_date=start,
                    end_date=end,
                    result=pilot.result,
                    decision=pilot.decision,
                )
            )
        Pilot.objects.bulk_create(pilots)

    def _barriers(self, initiative: Initiative, item: InitiativeSpec) -> None:
        """Barriers from the catalogue (more of them resolved the further the initiative got)."""
        resolved_share = {
            Status.IDEA: 0.0,
            Status.PLANNED: 0.2,
            Status.PILOTING: 0.4,
            Status.SCALING: 0.6,
            Status.OPERATION: 0.8,
            Status.ENDED: 0.7,
        }[item.status]
        count = min(len(self.barriers), self.rng.randint(1, 3))
        encounters = []
        for barrier in self.rng.sample(self.barriers, count):
            if self.rng.random() < resolved_share:
                status = self.rng.choice([BarrierStatus.MITIGATED, BarrierStatus.OVERCOME])
                mitigation = self.rng.choice(MITIGATIONS)
            else:
                status, mitigation = BarrierStatus.OPEN, ""
            encounters.append(
                BarrierEncounter(
                    initiative=initiative, barrier=barrier, status=status, mitigation=mitigation
                )
            )
        encounters += [
            BarrierEncounter(
                initiative=initiative,
                description=free.description,
                mitigation=free.mitigation,
                status=free.status,
            )
            for free in item.free_barriers
        ]
        BarrierEncounter.objects.bulk_create(encounters)

    def _lessons(self, initiative: Initiative, item: InitiativeSpec, author) -> None:
        Lesson.objects.bulk_create(
            Lesson(initiative=initiative, text=text, author=author) for text in item.lessons
        )

    def _assessments(
        self,
        initiative: Initiative,
        item: InitiativeSpec,
        assessor: User,
        principles: list[Principle],
        *,
        registered: datetime.date,
        with_draft: bool,
    ) -> datetime.date:
        """Final assessments from registration until recently, usually improving; every
        principle in scope is rated. Returns the date of the newest assessment."""
        count = ASSESSMENTS_BY_STATUS[item.status]
        first = registered + _months(self.rng.uniform(0.3, 1))
        last = self.today - _months(self.rng.uniform(0.5, 3))
        span = max((last - first).days, 0)
        dates = [
            first + datetime.timedelta(days=span * step // max(count - 1, 1))
            for step in range(count)
        ]
        chosen = set(initiative.principles.all())
        levels = {
            principle: self._start_level(item.status, principle in chosen)
            for principle in principles
        }
        assessments, ratings = [], []
        for step, assessed_on in enumerate(dates):
            if step:
                levels = {p: self._next_level(level, item) for p, level in levels.items()}
            assessment = Assessment(
                initiative=initiative,
                municipality=initiative.municipality,
                assessor=assessor,
                assessed_on=assessed_on,
                status=AssessmentStatus.FINAL,
                summary=ASSESSMENT_SUMMARIES[min(step, len(ASSESSMENT_SUMMARIES) - 1)],
                finalised_at=self._moment(assessed_on + datetime.timedelta(days=3)),
                is_latest=step == count - 1,
            )
            assessments.append(assessment)
            ratings.append((assessment, dict(levels)))
        if with_draft:
            draft = Assessment(
                initiative=initiative,
                municipality=initiative.municipality,
                assessor=assessor,
                assessed_on=self.today - datetime.timedelta(days=self.rng.randint(2, 12)),
                status=AssessmentStatus.DRAFT,
                summary=DRAFT_SUMMARY,
            )
            assessments.append(draft)
            ratings.append(
                (draft, {p: self._next_level(level, item) for p, level in levels.items()})
            )
        Assessment.objects.bulk_create(assessments)
        Rating.objects.bulk_create(
            Rating(
                assessment=assessment,
                principle=principle,
                level=level,
                evidence=self.rng.choice(EVIDENCE[level]),
            )
            for assessment, by_principle in ratings
            for principle, level in by_principle.items()
        )
        return assessments[-1].assessed_on

    def _start_level(self, status: Status, chosen: bool) -> int:
        level = STARTING_LEVEL[status] + (0.7 if chosen else 0) + self.rng.uniform(-0.7, 0.7)
        return max(0, min(4, round(level)))

    def _next_level(self, level: int, item: InitiativeSpec) -> int:
        """Usually a step up or steady; a stopped pilot may lose ground."""
        stopped = any(pilot.decision == PilotDecision.STOP for pilot in item.pilots)
        change = self.rng.choice((-1, 0, 0, 1) if stopped else (0, 0, 0, 1, 1))
        return max(0, min(4, level + change))

    def _moment(self, day: datetime.date) -> datetime.datetime:
        hour = self.rng.randint(8, 15)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    # Audit trail ---------------------------------------------------------------------------

    def record_audit_trail(self, municipality: Municipality) -> None:
        """A few events by the demo editor, so the audit trail is not empty."""
        editor = self.users["demo-editor"]
        initiatives = Initiative.objects.filter(municipality=municipality).order_by("id")
        for initiative in initiatives[:6]:
            audit.record(
                actor=editor,
                action="create",
                obj=initiative,
                municipality=municipality,
                changes={"title": initiative.title, "status": Status.IDEA.value},
            )
            if initiative.status != Status.IDEA:
                audit.record(
                    actor=editor,
                    action="update",
                    obj=initiative,
                    municipality=municipality,
                    changes={"status": [Status.IDEA.value, initiative.status]},
                )
        for pilot in Pilot.objects.filter(initiative__municipality=municipality).order_by("id")[:3]:
            audit.record(
                actor=editor,
                action="create",
                obj=pilot,
                municipality=municipality,
                subject=pilot.initiative,
                changes={"title": pilot.title},
            )
