"""What a FHIR resource handler offers: read, search (with its parameters) and, for some, create."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from interop.fhir.search import Search
from interop.fhir.selectors import logged_page, read_one


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # FHIR search parameter type: token, string, date, reference
    documentation: str


@dataclass(frozen=True)
class Handler:
    resource_type: str
    profile: str
    build: Callable  # row → resource dict
    queryset: Callable | None = None  # actor → scoped queryset
    filters: Callable | None = None  # (queryset, Search) → queryset
    params: tuple[Param, ...] = ()
    create: Callable | None = None  # (actor, model, request) → resource dict
    read_fn: Callable | None = None  # overrides the queryset read (Binary, Observation)
    search_fn: Callable | None = None  # overrides the queryset search (Observation)
    documentation: str = ""
    interactions: tuple[str, ...] = field(default=("read", "search-type"))

    @property
    def known(self) -> set[str]:
        return {p.name for p in self.params}

    def read(self, actor, raw_id) -> dict:
        if self.read_fn is not None:
            return self.read_fn(actor, raw_id)
        return self.build(read_one(actor, self.queryset(actor), raw_id, detail=f"FHIR {self.resource_type}"))

    def search(self, actor, search: Search) -> tuple[int, list[dict]]:
        if self.search_fn is not None:
            return self.search_fn(actor, search)
        queryset: QuerySet = self.queryset(actor)
        if "_id" in search.params:
            ids = [int(v) for v in ",".join(search.params["_id"]).split(",") if v.isdigit() and len(v) < 19]
            queryset = queryset.filter(pk__in=ids)
        queryset = self.filters(queryset, search)
        total = queryset.count()
        rows = list(queryset[search.offset : search.offset + search.count]) if search.count else []
        rows = logged_page(actor, rows, detail=f"FHIR {self.resource_type} (recherche)")
        return total, [self.build(row) for row in rows]


ID_PARAM = Param("_id", "token", "Identifiant logique de la ressource (plusieurs séparés par des virgules).")
