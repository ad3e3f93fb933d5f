"""The indexer's side of the engine: versioned builds behind an alias, bulk writes, swaps.

An alias `{prefix}-{type}` names what is live; builds are `{alias}-v{UTC timestamp}`.
Only an atomic `_aliases` call ever changes what the alias serves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from core.embedding_meta import ANALYSIS_KEY, DEFINITION_KEY, ENGINE_KEY
from core.engines import EngineError, EngineUnavailable, SyncEngine, ndjson
from core.settings import Settings
from indexer.index_body import analysis_for, body_fingerprint, index_body

T = TypeVar("T")
RETRY_DELAYS_S = (0.5, 1.0, 2.0, 4.0, 8.0)
# while a build is filled nothing reads it: no refreshes (each one writes a small segment the
# HNSW graphs must later be merged from) and no replicas (each copy would index every document)
BULK_LOAD_SETTINGS: dict[str, Any] = {"refresh_interval": "-1", "number_of_replicas": 0}
SERVING_REFRESH = "1s"
# one segment: one HNSW graph to search instead of one per segment (measured: bench/scale.py)
MERGED_SEGMENTS = 1
MERGE_POLL_S = 0.5
# pages of the live build's (id, content_hash) pairs: a deep page is fine with search_after
FINGERPRINT_PAGE = 10_000


def with_retry(
    action: Callable[[], T],
    delays: Iterable[float] | None = None,
    on_retry: Callable[[float, Exception], None] | None = None,
) -> T:
    """Run `action`, retrying with backoff while the cluster is unreachable; re-raise after.
    `delays` defaults to RETRY_DELAYS_S as it is when called (not when this was defined)."""
    for delay in RETRY_DELAYS_S if delays is None else delays:
        try:
            return action()
        except EngineUnavailable as exc:
            if on_retry:
                on_retry(delay, exc)
            time.sleep(delay)
    return action()


@dataclass(frozen=True)
class BulkFailure:
    doc_id: str
    reason: str


def build_name(alias: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")
    return f"{alias}-v{stamp}"


def previous_build(builds: list[str], live: str | None) -> str | None:
    """The newest build older than the live one."""
    older = sorted(b for b in builds if live is None or b < live)
    return older[-1] if older else None


def builds_to_prune(builds: list[str], live: str | None, unfinished: Collection[str] = ()) -> list[str]:
    """Everything but the live build and the finished one before it (kept for rollback). An
    unfinished build (left by a failed run) is never kept for rollback."""
    keep = {live, previous_build([b for b in builds if b not in unfinished], live)}
    return sorted(b for b in builds if b not in keep and (live is None or b < live))


def serving_settings(configured: dict[str, Any]) -> dict[str, Any]:
    """What a finished build serves with: the refresh and replicas its mapping configures
    (refresh 1 s, replicas 1 when the mapping says nothing, as the engines default)."""
    return {
        "refresh_interval": configured.get("refresh_interval", SERVING_REFRESH),
        "number_of_replicas": int(configured.get("number_of_replicas", 1)),
    }


def bulk_load_body(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the index body to create a build with, the settings to restore before it is served)."""
    index_settings = body.setdefault("settings", {}).setdefault("index", {})
    serving = serving_settings({k: v for k, v in index_settings.items() if k != "refresh_interval"})
    index_settings.update(BULK_LOAD_SETTINGS)
    return body, serving


class IndexStore:
    def __init__(
        self, engine: SyncEngine, settings: Settings, on_retry: Callable[[float, Exception], None] | None = None
    ) -> None:
        self.engine = engine
        self.settings = settings
        self._on_retry = on_retry
        self._serving: dict[str, dict[str, Any]] = {}  # build -> settings to restore before serving

    def _call(self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None) -> Any:
        return with_retry(lambda: self.engine.request(method, path, body, params), on_retry=self._on_retry)

    def _get_unless_missing(self, path: str) -> Any:
        """GET `path`; None when the engine answers 404 (no such alias or index)."""
        try:
            return self._call("GET", path)
        except EngineError as exc:
            if exc.status == 404:
                return None
            raise

    # ---- what is live
    def live_index(self, doc_type: str) -> str | None:
        found = self._get_unless_missing(f"/_alias/{self.settings.alias_for(doc_type)}")
        names = sorted(found or {})
        return names[-1] if names else None

    def live_build(self, doc_type: str) -> tuple[str, dict[str, Any]] | None:
        """(the live index, its mapping's `_meta`), or None when the alias does not exist."""
        found = self._get_unless_missing(f"/{self.settings.alias_for(doc_type)}/_mapping")
        if not found:
            return None
        index = sorted(found)[-1]
        return index, dict(found[index].get("mappings", {}).get("_meta") or {})

    def live_fingerprints(self, index: str) -> dict[str, str | None]:
        """id -> content_hash of every document in `index` (None where a document has none).
        Doc values only: `_source` holds the vectors, and reading it makes a page ~5x dearer."""
        body: dict[str, Any] = {
            "size": FINGERPRINT_PAGE,
            "query": {"match_all": {}},
            "sort": [{"id": "asc"}],
            "_source": False,
            "stored_fields": "_none_",
            "docvalue_fields": ["id", "content_hash"],
            "track_total_hits": False,
        }
        pairs: dict[str, str | None] = {}
        while True:
            hits = self._call("POST", f"/{index}/_search", body)["hits"]["hits"]
            for hit in hits:
                fields = hit.get("fields", {})
                pairs[fields["id"][0]] = (fields.get("content_hash") or [None])[0]
            if len(hits) < FINGERPRINT_PAGE:
                return pairs
            body["search_after"] = hits[-1]["sort"]

    def builds(self, doc_type: str) -> list[str]:
        alias = self.settings.alias_for(doc_type)
        rows = self._call("GET", f"/_cat/indices/{alias}-v*", params={"format": "json", "h": "index"})
        return sorted(row["index"] for row in rows or [])

    def unfinished_builds(self, doc_type: str) -> set[str]:
        """Builds created for a rebuild and never verified (a failed run could not remove them)."""
        found = self._call("GET", f"/{self.settings.alias_for(doc_type)}-v*/_mapping")
        return {
            name for name, body in (found or {}).items() if body.get("mappings", {}).get("_meta", {}).get("building")
        }

    def count(self, index: str) -> int:
        return int(self._call("GET", f"/{index}/_count")["count"])

    # ---- builds
    def create_build(self, doc_type: str, *, bulk_load: bool, meta: dict[str, Any] | None = None) -> str:
        """`meta` goes into the mapping's `_meta` (e.g. the embedder the vectors come from), with
        the fingerprint of the index definition (mapping and analysis, without bulk-load settings)."""
        name = build_name(self.settings.alias_for(doc_type))
        analysis = analysis_for(self.engine.info)
        body = index_body(doc_type, self.engine.dialect, analysis=analysis, bulk_load=bulk_load)
        recorded = {
            DEFINITION_KEY: self.definition(doc_type),
            ANALYSIS_KEY: analysis.value,
            ENGINE_KEY: self.engine.info.label,
        }
        body["mappings"]["_meta"] = {**body["mappings"].get("_meta", {}), **(meta or {}), **recorded}
        if bulk_load:  # unfinished until mark_built: a failed run's leftover is never rolled back to
            body, self._serving[name] = bulk_load_body(body)
            body["mappings"]["_meta"] = {**body["mappings"].get("_meta", {}), "building": True}
        self._call("PUT", f"/{name}", body)
        return name

    def definition(self, doc_type: str) -> str:
        """The fingerprint of the index this code creates for `doc_type` (mapping and analysis,
        without the bulk-load settings), as a build's `_meta` records it."""
        return body_fingerprint(index_body(doc_type, self.engine.dialect, analysis=analysis_for(self.engine.info)))

    def mark_built(self, index: str) -> None:
        """The build is complete and verified: it may be served and rolled back to."""
        # a _meta update replaces the whole _meta: keep what create_build recorded
        found = self._call("GET", f"/{index}/_mapping")
        meta = (found.get(index, {}).get("mappings", {}).get("_meta") or {}) if isinstance(found, dict) else {}
        self._call("PUT", f"/{index}/_mapping", {"_meta": {**meta, "building": False}})

    def finish_build(self, index: str) -> None:
        """Ready to serve, before the alias swap: refreshed, merged to one segment while it has
        no replicas (fewer segments make kNN faster), then its serving refresh and replicas."""
        serving = self._serving.pop(index, {"refresh_interval": SERVING_REFRESH})
        self._call("POST", f"/{index}/_refresh")
        self.force_merge(index, MERGED_SEGMENTS)
        self._call("PUT", f"/{index}/_settings", {"index": serving})
        if serving.get("number_of_replicas"):
            self.wait_for_copies(index)

    def wait_for_copies(self, index: str) -> None:
        """The replicas are copied now; wait (within one request's timeout) so the swap serves
        from all of them. A node short of room for them (a single node) answers 408: go on."""
        wait_s = max(1, int(self.settings.es_timeout_s * 0.8))
        try:
            self._call("GET", f"/_cluster/health/{index}", params={"wait_for_status": "green", "timeout": f"{wait_s}s"})
        except EngineError as exc:
            if exc.status != 408:
                raise

    def force_merge(self, index: str, segments: int) -> None:
        """Merged in a background task, polled: a large merge outlasts one request's timeout."""
        task = self._call(
            "POST", f"/{index}/_forcemerge", params={"max_num_segments": segments, "wait_for_completion": "false"}
        )["task"]
        while True:
            status = self._call("GET", f"/_tasks/{task}")
            if status.get("completed"):
                if status.get("error"):
                    raise EngineError(500, status["error"])
                return
            time.sleep(MERGE_POLL_S)

    def delete_index(self, index: str) -> None:
        self._call("DELETE", f"/{index}", params={"ignore_unavailable": "true"})

    def swap(self, doc_type: str, new_index: str) -> str | None:
        """Point the alias at `new_index` in one atomic call; return what it served before."""
        return self.swap_all({doc_type: new_index})[doc_type]

    def swap_all(self, new_indices: Mapping[str, str]) -> dict[str, str | None]:
        """Point each type's alias at its new index, all in one atomic `_aliases` call (a reader
        never sees one type swapped and the other not); return what each served before."""
        before: dict[str, str | None] = {}
        actions: list[dict[str, Any]] = []
        for doc_type, new_index in new_indices.items():
            alias = self.settings.alias_for(doc_type)
            old = before[doc_type] = self.live_index(doc_type)
            if old and old != new_index:
                actions.append({"remove": {"index": old, "alias": alias}})
            actions.append({"add": {"index": new_index, "alias": alias}})
        if actions:
            self._call("POST", "/_aliases", {"actions": actions})
        return before

    def prune(self, doc_type: str) -> list[str]:
        doomed = builds_to_prune(self.builds(doc_type), self.live_index(doc_type), self.unfinished_builds(doc_type))
        for index in doomed:
            self.delete_index(index)
        return doomed

    def rollback(self, doc_type: str) -> tuple[str | None, str]:
        live = self.live_index(doc_type)
        unfinished = self.unfinished_builds(doc_type)
        target = previous_build([b for b in self.builds(doc_type) if b not in unfinished], live)
        if target is None:
            raise LookupError(f"no previous build of {self.settings.alias_for(doc_type)} to roll back to")
        self.swap(doc_type, target)
        return live, target

    def ensure_live(self, doc_type: str) -> str:
        """The live index, created (empty, and made live) when there is none."""
        live = self.live_index(doc_type)
        if live:
            return live
        index = self.create_build(doc_type, bulk_load=False)
        self.swap(doc_type, index)
        return index

    # ---- documents
    def bulk_index(self, index: str, docs: list[dict[str, Any]], *, refresh: bool = False) -> list[BulkFailure]:
        """The documents the engine refused, each with its reason; every other one is written.
        When the engine refuses the whole request (400: one action it cannot take, such as an id
        past its limit), the batch is halved until the refused documents stand alone."""
        lines: list[dict[str, Any]] = []
        for doc in docs:
            lines.append({"index": {"_index": index, "_id": doc["id"]}})
            lines.append(doc)
        try:
            return self._bulk(lines, refresh)
        except EngineError as exc:
            if exc.status != 400:
                raise
            if len(docs) == 1:
                return [BulkFailure(docs[0]["id"], refusal_reason(exc.body))]
            half = len(docs) // 2
            return self.bulk_index(index, docs[:half], refresh=refresh) + self.bulk_index(
                index, docs[half:], refresh=refresh
            )

    def bulk_delete(self, index: str, ids: list[str], *, refresh: bool = True) -> tuple[list[str], list[str]]:
        """(deleted ids, ids that were not there)."""
        response = self._call(
            "POST",
            "/_bulk",
            ndjson({"delete": {"_index": index, "_id": i}} for i in ids),
            {"refresh": "true"} if refresh else None,
        )
        deleted: list[str] = []
        missing: list[str] = []
        for item in response["items"]:
            result = item["delete"]
            (deleted if result.get("result") == "deleted" else missing).append(result["_id"])
        return deleted, missing

    def _bulk(self, lines: list[dict[str, Any]], refresh: bool) -> list[BulkFailure]:
        if not lines:
            return []
        response = self._call("POST", "/_bulk", ndjson(lines), {"refresh": "true"} if refresh else None)
        if not response.get("errors"):
            return []
        failures = []
        for item in response["items"]:
            result = next(iter(item.values()))
            if result.get("error"):
                error = result["error"]
                failures.append(BulkFailure(result["_id"], f"{error.get('type')}: {error.get('reason')}"))
        return failures

    def refresh(self, index: str) -> None:
        self._call("POST", f"/{index}/_refresh")


def refusal_reason(body: Any, limit: int = 300) -> str:
    """`type: reason` of an engine's refusal of a whole request, shortened."""
    error = body.get("error") if isinstance(body, dict) else None
    text = f"{error.get('type')}: {error.get('reason')}" if isinstance(error, dict) else str(body)
    return text if len(text) <= limit else text[: limit - 1] + "…"
