"""JSON parser of the API: a document nested too deeply is a 400, never a RecursionError (500)."""

import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No API body is legitimately deeper than this; Python's json module recurses once per level.
MAX_JSON_DEPTH = 32


def _depth_exceeded(text: str, limit: int) -> bool:
    """Count bracket nesting outside strings before handing the text to json (linear, no recursion)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError("Corps JSON illisible : encodage UTF-8 attendu.") from error
        if _depth_exceeded(text, MAX_JSON_DEPTH):
            raise ParseError(f"Corps JSON refusé : plus de {MAX_JSON_DEPTH} niveaux d'imbrication.")
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as error:
            raise ParseError("Corps JSON invalide.") from error


def _refuse_constant(name: str):
    raise ValueError(f"{name} n'est pas du JSON valide")
