"""What each resource of the open API shows. Related rows appear by their stable code or slug,
so a harvester can join resources without following links. Markdown-rendered texts are
sanitised when saved (core.text); plain texts are given as typed."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from roadmap.framework.models import (
    ActionArea,
    Barrier,
    GuidingQuestion,
    MaturityLevel,
    Principle,
    Purpose,
    Value,
)
from roadmap.indicators import scoring
from roadmap.indicators.models import (
    Indicator,
    InitiativeIndicator,
    NationalConcept,
    Observation,
    Target,
)
from roadmap.initiatives.models import (
    Assessment,
    BarrierEncounter,
    Initiative,
    Lesson,
    Partner,
    Pilot,
    Rating,
)
from roadmap.municipalities.models import Municipality
from roadmap.opinions.models import OpinionMap
from roadmap.opinions.selectors import group_name
from roadmap.participation.models import Comment, Phase, Process, Proposal
from roadmap.workshops.models import Prompt, Synthesis, Theme, Workshop


def _codes() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")


def _municipality() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(read_only=True, slug_field="slug")


def _optional_municipality() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)


# --- the roadmap framework ---------------------------------------------------------------


class ValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Value
        fields = ["code", "name", "description", "order"]


class PurposeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Purpose
        fields = ["code", "name", "description", "replaces", "order"]


class ActionAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionArea
        fields = ["code", "name", "scope", "order"]


class GuidingQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = GuidingQuestion
        fields = ["text", "order"]


class MaturityLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaturityLevel
        fields = ["level", "descriptor"]


class PrincipleSerializer(serializers.ModelSerializer):
    municipality = _optional_municipality()
    action_areas = _codes()
    guiding_questions = GuidingQuestionSerializer(many=True, read_only=True)
    maturity_levels = MaturityLevelSerializer(many=True, read_only=True)

    class Meta:
        model = Principle
        fields = [
            "id",
            "code",
            "name",
            "summary",
            "source",
            "source_note",
            "municipality",
            "order",
            "action_areas",
            "guiding_questions",
            "maturity_levels",
        ]


class BarrierSerializer(serializers.ModelSerializer):
    municipality = _optional_municipality()
    category = serializers.SlugRelatedField(read_only=True, slug_field="code")
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Barrier
        fields = [
            "id",
            "code",
            "name",
            "description",
            "category",
            "category_name",
            "municipality",
            "order",
        ]


# --- municipalities and the portfolio ----------------------------------------------------


class MunicipalitySerializer(serializers.ModelSerializer):
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    public_initiatives = serializers.IntegerField(read_only=True)

    class Meta:
        model = Municipality
        fields = [
            "slug",
            "name",
            "country",
            "population",
            "currency",
            "languages",
            "description",
            "public_initiatives",
            "updated_at",
        ]


class InitiativeSerializer(serializers.ModelSerializer):
    municipality = _municipality()
    action_areas = _codes()
    purposes = _codes()
    principles = _codes()
    sdg_goals = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "municipality",
            "title",
            "summary",
            "status",
            "start_date",
            "end_date",
            "budget",
            "action_areas",
            "purposes",
            "principles",
            "sdg_goals",
            "location_name",
            "latitude",
            "longitude",
            "created_at",
            "updated_at",
        ]


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["organisation", "sector", "role"]


class PilotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pilot
        fields = ["title", "hypothesis", "start_date", "end_date", "result", "decision"]


class BarrierMetSerializer(serializers.ModelSerializer):
    barrier = serializers.SlugRelatedField(read_only=True, slug_field="code", allow_null=True)

    class Meta:
        model = BarrierEncounter
        fields = ["barrier", "description", "mitigation", "status"]


class LessonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = ["text", "created_at"]


class IndicatorLinkSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True)

    class Meta:
        model = InitiativeIndicator
        fields = ["indicator", "effect", "note"]


class RatingSerializer(serializers.ModelSerializer):
    principle = serializers.CharField(source="principle.code", read_only=True)

    class Meta:
        model = Rating
        fields = ["principle", "level", "evidence"]


class PrincipleProfileSerializer(serializers.ModelSerializer):
    ratings = RatingSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "assessed_on", "summary", "ratings"]


class InitiativeDetailSerializer(InitiativeSerializer):
    partners = PartnerSerializer(many=True, read_only=True)
    pilots = PilotSerializer(many=True, read_only=True)
    barriers_met = BarrierMetSerializer(many=True, read_only=True)
    lessons = LessonSerializer(many=True, read_only=True)
    indicator_links = IndicatorLinkSerializer(source="indicator_claims", many=True, read_only=True)
    latest_principle_profile = serializers.SerializerMethodField()

    class Meta(InitiativeSerializer.Meta):
        fields = [
            *InitiativeSerializer.Meta.fields,
            "description",
            "partners",
            "pilots",
            "barriers_met",
            "lessons",
            "indicator_links",
            "latest_principle_profile",
        ]

    @extend_schema_field(PrincipleProfileSerializer(allow_null=True))
    def get_latest_principle_profile(self, initiative: Initiative) -> dict[str, Any] | None:
        latest = initiative.latest_assessments  # type: ignore[attr-defined]
        return PrincipleProfileSerializer(latest[0]).data if latest else None


class AssessmentSerializer(serializers.ModelSerializer):
    municipality = _municipality()
    ratings = RatingSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "municipality",
            "initiative",
            "assessed_on",
            "summary",
            "finalised_at",
            "is_latest",
            "ratings",
            "updated_at",
        ]


# --- participation -----------------------------------------------------------------------


class PhaseSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="process.municipality.slug", read_only=True)
    process = serializers.CharField(source="process.slug", read_only=True)

    class Meta:
        model = Phase
        fields = [
            "id",
            "municipality",
            "process",
            "kind",
            "title",
            "description",
            "order",
            "starts_at",
            "ends_at",
        ]


class ProcessPhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "kind", "title", "starts_at", "ends_at"]


class ProcessSerializer(serializers.ModelSerializer):
    municipality = _municipality()
    phases = ProcessPhaseSerializer(many=True, read_only=True)
    initiatives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Process
        fields = [
            "id",
            "municipality",
            "slug",
            "title",
            "summary",
            "description",
            "data_statement",
            "phases",
            "initiatives",
            "created_at",
            "updated_at",
        ]


class ProposalSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="process.municipality.slug", read_only=True)
    process = serializers.CharField(source="process.slug", read_only=True)
    category = serializers.CharField(source="category.name", read_only=True, allow_null=True)
    action_area = serializers.CharField(source="action_area.code", read_only=True, allow_null=True)
    organisation = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True
    )
    body = serializers.CharField(source="body_html", read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "municipality",
            "process",
            "phase",
            "title",
            "body",
            "category",
            "action_area",
            "organisation",
            "location_name",
            "latitude",
            "longitude",
            "status",
            "answer",
            "answered_at",
            "initiative",
            "support_count",
            "comment_count",
            "created_at",
            "updated_at",
        ]


class CommentSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(
        source="proposal.process.municipality.slug", read_only=True
    )
    organisation = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True
    )
    body = serializers.CharField(source="body_html", read_only=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "municipality",
            "proposal",
            "parent",
            "depth",
            "body",
            "organisation",
            "created_at",
            "updated_at",
        ]


# --- deliberation ------------------------------------------------------------------------


class ThemeSerializer(serializers.ModelSerializer):
    note_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Theme
        fields = ["name", "note_count"]


class TermCountSerializer(serializers.Serializer):
    text = serializers.CharField()
    notes = serializers.IntegerField()

    def to_representation(self, instance: list[Any]) -> dict[str, Any]:
        text, notes = instance
        return {"text": text, "notes": notes}


class SynthesisSerializer(serializers.ModelSerializer):
    terms = TermCountSerializer(many=True, read_only=True)
    phrases = TermCountSerializer(many=True, read_only=True)

    class Meta:
        model = Synthesis
        fields = ["computed_at", "note_count", "terms", "phrases"]


class PromptSerializer(serializers.ModelSerializer):
    synthesis = serializers.SerializerMethodField()
    themes = ThemeSerializer(many=True, read_only=True)

    class Meta:
        model = Prompt
        fields = ["text", "order", "synthesis", "themes"]

    @extend_schema_field(SynthesisSerializer(allow_null=True))
    def get_synthesis(self, prompt: Prompt) -> dict[str, Any] | None:
        synthesis = getattr(prompt, "synthesis", None)
        return SynthesisSerializer(synthesis).data if synthesis else None


class WorkshopSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="phase.process.municipality.slug", read_only=True)
    process = serializers.CharField(source="phase.process.slug", read_only=True)
    phase = serializers.IntegerField(source="phase.id", read_only=True)
    title = serializers.CharField(source="phase.title", read_only=True)
    prompts = PromptSerializer(many=True, read_only=True)

    class Meta:
        model = Workshop
        fields = ["id", "municipality", "process", "phase", "title", "prompts"]


class FindingSerializer(serializers.Serializer):
    statement = serializers.IntegerField()
    text = serializers.CharField()
    direction = serializers.CharField()
    share = serializers.FloatField(help_text="Share of the group (or of everyone) voting so.")
    other_share = serializers.FloatField(help_text="The same share among everyone else.")


class OpinionGroupSerializer(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField()
    distinguishing = FindingSerializer(many=True)


class OpinionMapSerializer(serializers.ModelSerializer):
    """Groups and findings only: the stored result also places each participant, which never
    leaves the platform."""

    municipality = serializers.CharField(source="phase.process.municipality.slug", read_only=True)
    process = serializers.CharField(source="phase.process.slug", read_only=True)
    phase = serializers.IntegerField(source="phase.id", read_only=True)
    title = serializers.CharField(source="phase.title", read_only=True)
    participants = serializers.SerializerMethodField()
    groups = serializers.SerializerMethodField()
    common_ground = serializers.SerializerMethodField()

    class Meta:
        model = OpinionMap
        fields = [
            "id",
            "municipality",
            "process",
            "phase",
            "title",
            "computed_at",
            "participants",
            "groups",
            "common_ground",
        ]

    def _findings(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        statements = self.context["statements"]
        return [
            {
                "statement": item["statement"],
                "text": statements[item["statement"]].text,
                "direction": item["direction"],
                "share": item["share"],
                "other_share": item["other_share"],
            }
            for item in items
            if item["statement"] in statements
        ]

    @extend_schema_field(OpenApiTypes.INT)
    def get_participants(self, opinion_map: Any) -> int:
        return int(opinion_map.result.get("participants_counted", 0))

    @extend_schema_field(OpinionGroupSerializer(many=True))
    def get_groups(self, opinion_map: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": str(group_name(group["label"])),
                "size": group["size"],
                "distinguishing": self._findings(group.get("distinguishing", [])),
            }
            for group in opinion_map.result.get("groups", [])
        ]

    @extend_schema_field(FindingSerializer(many=True))
    def get_common_ground(self, opinion_map: Any) -> list[dict[str, Any]]:
        consensus = opinion_map.result.get("consensus", [])
        return self._findings([item for item in consensus if item.get("majority", True)])


# --- impact ------------------------------------------------------------------------------


def _concept_uri() -> serializers.URLField:
    return serializers.URLField(
        read_only=True,
        allow_null=True,
        help_text="URI of the national (KS) concept this row's indicator and series match.",
    )


class NationalConceptSerializer(serializers.ModelSerializer):
    class Meta:
        model = NationalConcept
        fields = ["uri", "notation", "title", "series"]


class IndicatorSerializer(serializers.ModelSerializer):
    municipality = _optional_municipality()
    category = serializers.SlugRelatedField(read_only=True, slug_field="code")
    purposes = _codes()
    action_areas = _codes()
    sdg_targets = serializers.ListField(child=serializers.CharField(), read_only=True)
    national_concepts = NationalConceptSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "slug",
            "name",
            "definition",
            "formula",
            "municipality",
            "dimension",
            "sub_dimension",
            "category",
            "level",
            "unit",
            "direction",
            "ideal_value",
            "min_value",
            "max_value",
            "sdg_targets",
            "purposes",
            "action_areas",
            "national_concepts",
        ]


class ObservationSerializer(serializers.ModelSerializer):
    municipality = _municipality()
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    concept_uri = _concept_uri()

    class Meta:
        model = Observation
        fields = [
            "id",
            "municipality",
            "indicator",
            "concept_uri",
            "series",
            "granularity",
            "period",
            "value",
            "source",
            "quality",
            "note",
            "verified",
        ]


class TargetSerializer(serializers.ModelSerializer):
    municipality = _municipality()
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    concept_uri = _concept_uri()

    class Meta:
        model = Target
        fields = [
            "id",
            "municipality",
            "indicator",
            "concept_uri",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "updated_at",
        ]


class ScoreSerializer(serializers.ModelSerializer):
    """A score derived from the newest yearly value and the target (docs/indicators.md)."""

    municipality = _municipality()
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    concept_uri = _concept_uri()
    value = serializers.FloatField(source="latest_value", read_only=True, allow_null=True)
    period = serializers.DateField(source="latest_period", read_only=True, allow_null=True)
    achievement = serializers.SerializerMethodField()
    band = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "municipality",
            "indicator",
            "concept_uri",
            "target_value",
            "target_year",
            "value",
            "period",
            "achievement",
            "band",
            "progress",
        ]

    def _score(self, target: Any) -> scoring.Score:
        if target.latest_value is None:
            return scoring.NO_SCORE
        return scoring.score(target.latest_value, target.indicator, target)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_achievement(self, target: Any) -> float | None:
        return self._score(target).achievement

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_band(self, target: Any) -> str | None:
        return self._score(target).band

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_progress(self, target: Any) -> float | None:
        return self._score(target).progress
