"""The benchmark's fixed query set (bench/queries.tsv) and what each query becomes: the API's
parameters, and the engine filters the API would apply (explicit and understood alike)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
from pydantic import ValidationError

from search_api.doc_types import PROVIDERS
from search_api.params import LIST_PARAMS, SearchParams
from search_api.plan import plan
from search_api.tuning import DEFAULT_TUNING

DEFAULT_QUERIES = Path(__file__).resolve().with_name("queries.tsv")


class QuerySetError(ValueError):
    """A malformed line, reported as PATH:LINE: reason."""


@dataclass(frozen=True)
class BenchQuery:
    id: str
    text: str
    filters: tuple[tuple[str, str], ...] = ()  # (name, value) pairs, as in a query string

    @property
    def filtered(self) -> bool:
        return bool(self.filters)

    def params(self, mode: str, doc_type: str = "all") -> httpx.QueryParams:
        """The query string of GET /v1/search."""
        return httpx.QueryParams([("q", self.text), ("mode", mode), ("type", doc_type), *self.filters])

    def search_params(self) -> SearchParams:
        values: dict[str, Any] = {"q": self.text}
        for name, value in self.filters:
            if name in LIST_PARAMS:
                values.setdefault(name, []).append(value)
            else:
                values[name] = value
        return SearchParams.model_validate(values)


def read_query_set(path: Path = DEFAULT_QUERIES) -> list[BenchQuery]:
    """`id TAB query [TAB filters]` lines; `#` starts a comment line. Every query is checked
    against the API's own parameter model, so a bad filter fails here, not mid-run."""
    queries: list[BenchQuery] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) not in (2, 3) or not parts[0].strip() or not parts[1].strip():
            raise QuerySetError(f"{path}:{number}: expected `id TAB query [TAB filters]`")
        filters = tuple(parse_qsl(parts[2], keep_blank_values=False, strict_parsing=True)) if len(parts) == 3 else ()
        query = BenchQuery(parts[0].strip(), parts[1].strip(), filters)
        try:
            query.search_params()
        except ValidationError as exc:
            reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
            raise QuerySetError(f"{path}:{number}: {reasons}") from exc
        queries.append(query)
    if not queries:
        raise QuerySetError(f"{path}: no queries")
    return queries


def engine_filters(query: BenchQuery) -> list[dict[str, Any]]:
    """The provider filter clauses the API would send for this query."""
    return plan(query.search_params(), DEFAULT_TUNING).leg_plan(PROVIDERS).filters
