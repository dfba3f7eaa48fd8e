"""Checking API responses against our OpenAPI document (JSON Schema 2020-12 under OpenAPI 3.1)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from search_api.openapi import openapi_document

SPEC_URI = "urn:ratsuche:openapi"


@lru_cache(maxsize=1)
def _registry() -> tuple[dict[str, Any], Registry]:
    spec = openapi_document()
    return spec, Registry().with_resource(SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))


def _path_template(path: str, spec: dict[str, Any]) -> str:
    for template in spec["paths"]:
        pattern = "^" + re.sub(r"\\{[^/]+\\}", ".+", re.escape(template)) + "$"
        if path == template or re.match(pattern, path):
            if template.endswith("/similar") != path.endswith("/similar"):
                continue
            return template
    raise AssertionError(f"{path} is not in the OpenAPI document")


def check_response(method: str, path: str, status: int, content_type: str, body: Any) -> None:
    """Assert that a response is documented (path, method, status, media type) and matches its schema."""
    spec, registry = _registry()
    template = _path_template(path.split("?", 1)[0], spec)
    operation = spec["paths"][template][method.lower()]
    responses = operation["responses"]
    assert str(status) in responses, f"{method} {template}: status {status} is not documented"
    media = content_type.split(";", 1)[0].strip()
    content = responses[str(status)]["content"]
    assert media in content, f"{method} {template} {status}: {media} is not documented ({list(content)})"
    pointer = content[media]["schema"]["$ref"].lstrip("#")
    validator = Draft202012Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=registry)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, f"{method} {path} {status}: " + "; ".join(
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5])
