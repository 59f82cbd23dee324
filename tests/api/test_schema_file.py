"""docs/openapi.yaml is the published contract: it must be what the code generates."""

from pathlib import Path

from django.core.management import call_command
from django.utils import translation

COMMITTED = Path(__file__).resolve().parent.parent.parent / "docs" / "openapi.yaml"


def test_the_committed_schema_is_what_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"
    with translation.override("en"):
        call_command("spectacular", file=str(generated), validate=True, fail_on_warn=True)
    assert generated.read_text() == COMMITTED.read_text(), (
        "docs/openapi.yaml differs from the schema the code generates. If the change to the API "
        "is meant (see the changelog policy in docs/api.md), regenerate it with: make api-schema"
    )
