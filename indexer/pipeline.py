"""Write validated records into an index: normalize, embed (cached) and bulk, with the
embedding of one batch overlapping the bulk request of the previous one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from core.embedder import Embedder
from indexer.embed import EmbedStats, embed_batch
from indexer.embedding_cache import EmbeddingCache
from indexer.normalize import passage_document, provider_document
from indexer.progress import Progress
from indexer.records import PassageRecord, ProviderRecord
from indexer.store import BulkFailure, IndexStore
from indexer.validate import Located

BATCH_SIZE = 256


@dataclass
class WriteResult:
    doc_type: str
    indexed: int = 0
    failures: list[tuple[Located, str]] = field(default_factory=list)
    stats: EmbedStats = field(default_factory=EmbedStats)
    seconds: float = 0.0


def to_document(item: Located) -> dict[str, Any]:
    record = item.record
    if isinstance(record, ProviderRecord):
        return provider_document(record)
    assert isinstance(record, PassageRecord)
    return passage_document(record)


def batches(items: list[Located], size: int) -> Iterable[list[Located]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write(
    store: IndexStore,
    index: str,
    doc_type: str,
    items: list[Located],
    embedder_factory: Callable[[], Embedder],
    cache: EmbeddingCache,
    *,
    refresh: bool = False,
) -> WriteResult:
    result = WriteResult(doc_type)
    if not items:
        return result
    embedder = embedder_factory()
    progress = Progress(f"{doc_type:>9}", len(items))
    pending: Future[list[BulkFailure]] | None = None
    pending_batch: list[Located] = []

    def collect(future: Future[list[BulkFailure]], batch: list[Located]) -> None:
        failures = {f.doc_id: f.reason for f in future.result()}
        by_id = {item.record.id: item for item in batch}
        result.failures.extend((by_id[doc_id], reason) for doc_id, reason in failures.items())
        result.indexed += len(batch) - len(failures)
        progress.advance(len(batch))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk") as bulk_worker:
        for batch in batches(items, BATCH_SIZE):
            docs = [to_document(item) for item in batch]
            embed_batch(docs, doc_type, embedder, cache, result.stats)
            if pending is not None:
                collect(pending, pending_batch)
            pending = bulk_worker.submit(store.bulk_index, index, docs)
            pending_batch = batch
        if pending is not None:
            collect(pending, pending_batch)
    if refresh:
        store.refresh(index)
    progress.close()
    result.seconds = progress.elapsed
    return result
