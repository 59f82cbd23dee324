"""Additions to the generated OpenAPI schema: the error answers every operation may give, so
a client (and the contract test) knows each status and its body; and the schema kept the same
on every database."""

from __future__ import annotations

from typing import Any

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# One entry per bad parameter, each with what is wrong with it.
PARAMETER_ERRORS = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"municipality": ["There is no municipality with the short name atlantis."]},
}


# The integer ranges a database stores (SQLite: 64 bits for every field; PostgreSQL: 16, 32 or 64).
# They bound what the database keeps, not what the API means, and would make the committed schema
# depend on the database it was generated on.
STORAGE_BOUNDS = {
    "maximum": {2**15 - 1, 2**31 - 1, 2**63 - 1},
    "minimum": {-(2**15), -(2**31), -(2**63)},
}


def _without_storage_bounds(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "integer":
            dropped = [key for key, limits in STORAGE_BOUNDS.items() if node.get(key) in limits]
            for key in dropped:
                del node[key]
            if dropped:
                node.pop("format", None)
        for value in node.values():
            _without_storage_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _without_storage_bounds(value)


def _response(description: str, component: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    _without_storage_bounds(result.get("components", {}))  # the bodies; parameters set their own
    result.setdefault("components", {}).setdefault("schemas", {}).update(
        {"Detail": DETAIL, "ParameterErrors": PARAMETER_ERRORS}
    )
    for path, operations in result["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                # An empty value is refused (filters.StrictFilterBackend).
                if parameter["schema"].get("type") == "string":
                    parameter["schema"].setdefault("minLength", 1)
            responses = operation["responses"]
            responses["304"] = {"description": "Not modified since the ETag or date given."}
            # From the web server in front (gunicorn's request-line limit), before Django.
            responses["414"] = {"description": "The address is longer than the server takes."}
            responses["429"] = _response("Too many requests; see Retry-After.", "Detail")
            if "{" in path:
                responses["404"] = _response("No public row has this key.", "Detail")
            else:
                responses["400"] = _response(
                    "A parameter is unknown or its value is wrong.", "ParameterErrors"
                )
    return result
