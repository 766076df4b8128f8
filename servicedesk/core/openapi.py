"""The OpenAPI schema's error responses: one ``Error`` body (see ``servicedesk.core.api``) documented
on every operation for the statuses it can really answer.

drf-spectacular documents only the success response of each view. Clients (and the fuzzing test,
which checks that every status and body the API sends is documented) need the errors too:

- 400 — bad input (a body, a query filter, a page size …): ``errors`` names each field at fault;
- 403 — not signed in, or the role may not do this;
- 404 — an id (in the path, the body or a filter) that does not exist or is not visible to the
  user, or a page past the last one;
- 409 — a state change the object's current state does not allow (``InvalidTransition``,
  ``Conflict``), on the operations that change something;
- 422 — an ``Idempotency-Key`` reused for a different request (spares documents).

An operation that documents one of these itself (``extend_schema(responses=…)``) keeps its own.

Imported by ``CoreConfig.ready`` so the field extension below is registered before any schema is built.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension

ERROR_COMPONENT = {
    "type": "object",
    "description": "Every error answer: one sentence, a machine code and the messages per input field "
    "(``non_field_errors`` when no single field is at fault).",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["detail", "code", "errors"],
}
_REF = {"$ref": "#/components/schemas/Error"}
_DESCRIPTIONS = {
    "400": "Bad input: `errors` names each field at fault.",
    "403": "Not signed in, or not allowed for this role.",
    "404": "No such object visible to you (or a page past the last one).",
    "409": "Not allowed in the object's current state.",
    "422": "Idempotency-Key reused for a different request.",
    "429": "Too many failed sign-ins: locked for a while.",
}
_UNSAFE = {"post", "put", "patch", "delete"}


def _statuses(path: str, method: str, operation: dict) -> list[str]:
    params = operation.get("parameters", [])
    has_input = bool(params) or "requestBody" in operation
    anonymous = operation.get("security") in (None, [], [{}])  # the token sign-in: no 403, a 429 instead
    statuses = [] if anonymous else ["403"]
    if has_input:
        statuses.append("400")
    if has_input and not anonymous:
        # An id in the path, the body or a filter that does not exist or is not visible to the user
        # (404 rather than 403, so its existence is not confirmed), or a page past the last one.
        statuses.append("404")
    if method in _UNSAFE and not anonymous:
        statuses.append("409")
    if any(p.get("in") == "header" and p.get("name", "").lower() == "idempotency-key" for p in params):
        statuses.append("422")
    if anonymous and method == "post":
        statuses.append("429")
    return statuses


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_COMPONENT
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status in _statuses(path, method, operation):
                documented = responses.get(status)
                if documented is None:
                    responses[status] = {"content": {"application/json": {"schema": _REF}}, "description": _DESCRIPTIONS[status]}
                elif "content" not in documented:
                    # extend_schema(responses={409: OpenApiResponse(description=…)}) names the case but no body.
                    documented["content"] = {"application/json": {"schema": _REF}}
    return result


class ReadOnlyBlankChoiceField(OpenApiSerializerFieldExtension):
    """A model's blank choice field (``status_before_hold``, ``zone`` …) sent read-only still sends "".

    DRF drops ``allow_blank`` from the fields it builds read-only, so the schema's enum would leave out
    the "" the API really sends; this puts it back (drf-spectacular then adds its ``BlankEnum``).
    """

    target_class = "rest_framework.fields.ChoiceField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        if field.read_only and not field.allow_blank and _model_field_is_blank(field) and "enum" in schema:
            if "" not in schema["enum"]:
                schema["enum"] = [*schema["enum"], ""]
        return schema


def _model_field_is_blank(field) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except Exception:  # not a model field (a property, an annotation)
        return False
