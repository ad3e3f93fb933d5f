"""Write documents into an index: embed (cached) and bulk, with the embedding of one batch
overlapping the bulk request of the previous one.

Each record is normalized once (`documents`): a rebuild normalizes all of a type's records to
compare their content hashes with the live build, then hands the same documents to `write`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
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


@dataclass(frozen=True)
class Document:
    """A record normalized once: where it came from, and what is indexed (without its vector)."""

    item: Located
    body: dict[str, Any]


def documents(items: Iterable[Located]) -> Iterator[Document]:
    """Each record's document, made as it is asked for."""
    for item in items:
        yield Document(item, to_document(item))


def batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(docs)
    while batch := list(itertools.islice(it, size)):
        yield batch


def write(
    store: IndexStore,
    index: str,
    doc_type: str,
    docs: Iterable[Document],
    total: int,
    embedder_factory: Callable[[], Embedder],
    cache: EmbeddingCache,
    *,
    refresh: bool = False,
) -> WriteResult:
    """Index `docs` (`total` of them, for the progress line), batch by batch."""
    result = WriteResult(doc_type)
    if not total:
        return result
    embedder = embedder_factory()
    progress = Progress(f"{doc_type:>9}", total)
    pending: Future[list[BulkFailure]] | None = None
    pending_batch: list[Document] = []

    def collect(future: Future[list[BulkFailure]], batch: list[Document]) -> None:
        failures = {f.doc_id: f.reason for f in future.result()}
        by_id = {doc.item.record.id: doc.item for doc in batch}
        result.failures.extend((by_id[doc_id], reason) for doc_id, reason in failures.items())
        result.indexed += len(batch) - len(failures)
        progress.advance(len(batch))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk") as bulk_worker:
        for batch in batches(docs, BATCH_SIZE):
            # the vectors go on copies, which are dropped once bulked: a caller holding the
            # documents (a rebuild holds a type's, for its unchanged check) never holds 384
            # floats per document as well
            bodies = [dict(doc.body) for doc in batch]
            embed_batch(bodies, doc_type, embedder, cache, result.stats)
            if pending is not None:
                collect(pending, pending_batch)
            pending = bulk_worker.submit(store.bulk_index, index, bodies)
            pending_batch = batch
        if pending is not None:
            collect(pending, pending_batch)
    if refresh:
        store.refresh(index)
    progress.close()
    result.seconds = progress.elapsed
    return result
