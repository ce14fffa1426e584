"""Search parameters and searchset Bundles: known parameters per resource, `_count` and `_offset` paging
(capped), unknown parameters ignored per the FHIR spec unless `Prefer: handling=strict` (then a 400)."""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from interop.fhir.outcome import FhirError, invalid

DEFAULT_COUNT = 20
MAX_COUNT = 100
MAX_OFFSET = 10_000
COMMON = {"_count", "_offset", "_format"}
_DATE_RE = re.compile(r"^(?P<prefix>eq|ne|gt|lt|ge|le|sa|eb)?(?P<value>\d{4}(-\d{2}(-\d{2})?)?)$")


@dataclass
class Search:
    params: dict[str, list[str]]
    count: int = DEFAULT_COUNT
    offset: int = 0
    ignored: list[str] = field(default_factory=list)

    def first(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None


def _int(raw: str, name: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise invalid(f"Paramètre {name} : nombre entier attendu, reçu « {str(raw)[:30]} ».") from None
    if value < low:
        raise invalid(f"Paramètre {name} : {low} au minimum.")
    if value > high:
        if name == "_offset":
            raise FhirError(400, "too-costly", f"Paramètre _offset : {high} au plus ; affinez la recherche.")
        value = high
    return value


def parse(query, known: set[str], *, strict: bool) -> Search:
    """The search of a query string (a QueryDict): each known parameter with its values."""
    params: dict[str, list[str]] = {}
    ignored = []
    for name in query:
        base = name.split(":")[0]
        if base not in known and base not in COMMON:
            ignored.append(name)
            continue
        values = [value for value in query.getlist(name) if value != ""]
        if values:
            params[name] = values
    if ignored and strict:
        raise invalid(f"Paramètre(s) de recherche non pris en charge : {', '.join(sorted(ignored))[:200]}.")
    search = Search(params=params, ignored=ignored)
    if "_count" in params:
        search.count = _int(params["_count"][0], "_count", 0, MAX_COUNT)
    if "_offset" in params:
        search.offset = _int(params["_offset"][0], "_offset", 0, MAX_OFFSET)
    return search


def date_range(raw: str, name: str) -> tuple[str, datetime.date, datetime.date]:
    """(prefix, first day, last day) of a FHIR date search value at year, month or day precision."""
    match = _DATE_RE.match(raw or "")
    if not match:
        raise invalid(f"Paramètre {name} : date attendue (AAAA, AAAA-MM ou AAAA-MM-JJ, préfixes ge, le, gt, lt).")
    prefix = match["prefix"] or "eq"
    value = match["value"]
    try:
        if len(value) == 4:
            first, last = datetime.date(int(value), 1, 1), datetime.date(int(value), 12, 31)
        elif len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            first = datetime.date(year, month, 1)
            following = datetime.date(year + month // 12, month % 12 + 1, 1)
            last = following - datetime.timedelta(days=1)
        else:
            first = last = datetime.date.fromisoformat(value)
    except ValueError:
        raise invalid(f"Paramètre {name} : date inexistante « {value} ».") from None
    if prefix in ("ne", "sa", "eb"):
        raise invalid(f"Paramètre {name} : préfixe « {prefix} » non pris en charge (eq, gt, lt, ge, le).")
    return prefix, first, last


def date_filter(field_name: str, raw: str, name: str, *, is_datetime: bool = False) -> dict:
    """ORM lookups for one date search value on a date (or datetime, by its local date) field."""
    prefix, first, last = date_range(raw, name)
    target = f"{field_name}__date" if is_datetime else field_name
    if prefix == "eq":
        return {f"{target}__gte": first, f"{target}__lte": last}
    return {
        "gt": {f"{target}__gt": last},
        "ge": {f"{target}__gte": first},
        "lt": {f"{target}__lt": first},
        "le": {f"{target}__lte": last},
    }[prefix]


def token(raw: str) -> tuple[str | None, str]:
    """(system or None, code) of a token search value `system|code` or `code`."""
    if "|" in raw:
        system, code = raw.split("|", 1)
        return system, code
    return None, raw


def reference_id(raw: str, resource_type: str, name: str) -> int:
    """The id in `Patient/12`, `12` or an absolute URL ending in `Patient/12`."""
    value = raw.rstrip("/").split("/")
    if len(value) >= 2 and value[-2] != resource_type:
        raise invalid(f"Paramètre {name} : référence {resource_type}/<id> attendue.")
    try:
        number = int(value[-1])
    except ValueError:
        number = 0
    return number if 0 < number < 2**63 else 0


def bundle(request, resource_type: str, search: Search, total: int, resources: list[dict]) -> dict:
    """A searchset Bundle with its total, self and next (and previous) links."""
    base = request.build_absolute_uri(request.path)

    def link(offset: int) -> str:
        pairs = [(k, v) for k, values in search.params.items() if k not in ("_count", "_offset") for v in values]
        pairs += [("_count", search.count), ("_offset", offset)]
        return f"{base}?{urlencode(pairs)}"

    links = [{"relation": "self", "url": link(search.offset)}]
    if search.count and search.offset + search.count < total:
        links.append({"relation": "next", "url": link(search.offset + search.count)})
    if search.offset > 0:
        links.append({"relation": "previous", "url": link(max(0, search.offset - search.count))})
    root = request.build_absolute_uri("/fhir/")
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": [
            {"fullUrl": f"{root}{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "match"}}
            for r in resources
        ],
    }
