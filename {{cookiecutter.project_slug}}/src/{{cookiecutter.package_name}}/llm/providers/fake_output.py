"""Deterministic output for the offline fake provider: plausible, schema-valid, no network.

Given a JSON schema it builds an instance that validates against it, choosing an enum value
that the user's text mentions when there is one, so a demo answers sensibly offline.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from ..types import ModelRequest

MAX_STRING = 80


def fake_text(request: ModelRequest) -> str:
    user_text = last_user_text(request)
    if request.output_schema is None:
        return f"echo: {user_text}"
    schema = request.output_schema
    return orjson.dumps(instance_of(schema, schema, user_text)).decode()


def last_user_text(request: ModelRequest) -> str:
    for message in reversed(request.messages):
        if message.role == "user":
            return " ".join(message.content.split())
    return ""


def instance_of(schema: dict[str, Any], root: dict[str, Any], text: str) -> Any:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return instance_of(root.get("$defs", {})[name], root, text)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return choose(schema["enum"], text)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [option for option in schema[key] if option.get("type") != "null"]
            return instance_of(options[0] if options else {"type": "null"}, root, text)
    kind = schema.get("type", "object")
    if kind == "object":
        properties: dict[str, Any] = schema.get("properties", {})
        return {name: instance_of(sub, root, text) for name, sub in properties.items()}
    if kind == "array":
        return [instance_of(schema.get("items", {}), root, text)] * schema.get("minItems", 1)
    if kind == "string":
        limit = min(schema.get("maxLength", MAX_STRING), MAX_STRING)
        return (text or "n/a")[:limit].ljust(schema.get("minLength", 0), ".")
    if kind in ("integer", "number"):
        return schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
    if kind == "boolean":
        return False
    return None


def choose(values: list[Any], text: str) -> Any:
    """The value the text mentions first, else one picked by a stable hash of the text."""
    lowered = text.lower()
    mentioned = [v for v in values if isinstance(v, str) and v.lower() in lowered]
    if mentioned:
        return min(mentioned, key=lambda v: lowered.index(v.lower()))
    digest = hashlib.sha256(text.encode()).digest()
    return values[digest[0] % len(values)]
