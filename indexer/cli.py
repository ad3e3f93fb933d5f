"""`python -m indexer`: load, rebuild, delete and roll back (docs/contract.md: Commands).

Exit codes: 0 all records indexed; 1 some records rejected (each as PATH:LINE: reason on
stderr); 2 usage error or the cluster unreachable. A rejected or failed run never changes
what the alias serves unless --allow-invalid is given.

A rebuild keeps a type's live build, untouched, when it already holds exactly the documents the
sources would produce (every id and content hash), made by the same embedder and index
definition; --force builds anyway.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TextIO

from core.embedder import Embedder, LazyEmbedder
from core.embedding_meta import build_meta
from core.engines import EngineError, EngineUnavailable, SyncEngine
from core.settings import DOC_TYPES, PROJECT_ROOT, Settings
from indexer.embedding_cache import EmbeddingCache
from indexer.pipeline import Document, WriteResult, documents, write
from indexer.sources import Loaded, UsageError, load
from indexer.store import IndexStore
from indexer.unchanged import difference, meta_mismatch

OK, REJECTED, FAILED = 0, 1, 2


@dataclass
class Context:
    settings: Settings
    out: TextIO
    err: TextIO
    embedder_factory: Callable[[], Embedder]
    cache_path: Path
    engine: SyncEngine | None = None
    notes: list[str] = field(default_factory=list)

    def store(self) -> IndexStore:
        if self.engine is None:
            self.engine = SyncEngine(self.settings)
            if not self.engine.info.analysis_common:
                print(
                    f"note: {self.engine.info.label} has no analysis-common: builds use the reduced analysis"
                    " (Hunspell stemming; the lay-term synonyms go into the query; docs/engines.md)",
                    file=self.err,
                )
        return IndexStore(self.engine, self.settings, on_retry=self._retrying)

    def _retrying(self, delay: float, exc: Exception) -> None:
        print(f"the cluster is not answering ({exc}); retrying in {delay:.1f} s", file=self.err)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m indexer", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = p.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("providers", "add or update provider records (JSON Lines or CSV)"),
        ("passages", "add or update guide passages (JSON Lines)"),
        ("pages", "split guide pages (text, Markdown, HTML) into passages and providers"),
    ):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("paths", nargs="+", metavar="PATH")
        cmd.add_argument(
            "--allow-invalid", action="store_true", help="index the valid records even if some are rejected"
        )
    rebuild_help = (
        "fresh versioned indices from exactly these sources, then one alias swap; a type whose live "
        "build already holds exactly these documents (same embedder and index definition) is kept"
    )
    rebuild = sub.add_parser("rebuild", help=rebuild_help, description=rebuild_help)
    rebuild.add_argument("--providers", nargs="+", default=[], metavar="PATH")
    rebuild.add_argument("--passages", nargs="+", default=[], metavar="PATH")
    rebuild.add_argument("--pages", nargs="+", default=[], metavar="PATH")
    rebuild.add_argument("--allow-invalid", action="store_true")
    rebuild.add_argument(
        "--force", action="store_true", help="build and swap even where the live build already holds these documents"
    )
    delete = sub.add_parser("delete", help="remove records from the live index by id")
    delete.add_argument("--type", required=True, choices=DOC_TYPES)
    delete.add_argument("ids", nargs="+", metavar="ID")
    rollback = sub.add_parser("rollback", help="point the aliases back at the previous build")
    rollback.add_argument("--type", choices=DOC_TYPES, help="only this type (default: both)")
    sub.add_parser("status", help="what each alias serves, and the builds kept")
    demo = sub.add_parser("demo", help="load the demo corpus (generated providers, the project's guide, the seed page)")
    demo.add_argument("--if-empty", action="store_true", help="only when the indices are missing or empty")
    demo.add_argument("--providers", type=int, default=int(os.environ.get("DEMO_PROVIDERS", "1000")))
    return p


def main(
    argv: list[str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    embedder_factory: Callable[[], Embedder] | None = None,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage line
        return FAILED if exc.code else OK
    try:
        settings = Settings()
    except Exception as exc:
        print(f"error: bad environment: {exc}", file=err)
        return FAILED
    ctx = Context(
        settings,
        out,
        err,
        embedder_factory
        or cache(
            lambda: LazyEmbedder(
                settings.embedding_model, threads=settings.indexer_embedding_threads, backend=settings.embedding_backend
            )
        ),
        Path(os.environ.get("EMBEDDING_CACHE", PROJECT_ROOT / ".data" / "embedding-cache.sqlite")),
    )
    try:
        return COMMANDS[args.command](ctx, args)
    except UsageError as exc:
        print(f"error: {exc}", file=err)
        return FAILED
    except EngineUnavailable as exc:
        print(f"error: {exc}; nothing the aliases serve was changed", file=err)
        return FAILED
    except EngineError as exc:
        print(f"error: {exc}", file=err)
        return FAILED
    finally:
        if ctx.engine is not None:
            ctx.engine.close()


# ------------------------------------------------------------------ commands


def report_rejections(ctx: Context, loaded: Loaded) -> None:
    for note in loaded.notes:
        print(f"note: {note}", file=ctx.err)
    for rejection in loaded.rejections:
        print(str(rejection), file=ctx.err)


def summary(ctx: Context, results: list[WriteResult], rejected: int) -> None:
    for r in results:
        rate = r.indexed / r.seconds if r.seconds else 0.0
        print(
            f"{r.doc_type}: indexed {r.indexed}, rejected {rejected if r is results[0] else 0}"
            f"{', failed ' + str(len(r.failures)) if r.failures else ''}; "
            f"embedded {r.stats.embedded}, reused {r.stats.reused}; {r.seconds:.1f} s ({rate:,.0f} docs/s)",
            file=ctx.out,
        )
    if not results:
        print(f"nothing indexed; rejected {rejected}", file=ctx.out)


def cmd_upsert(ctx: Context, args: argparse.Namespace) -> int:
    kind = {"providers": "providers", "passages": "passages", "pages": "pages"}[args.command]
    loaded = load(**{kind: args.paths})
    report_rejections(ctx, loaded)
    if loaded.rejections and not args.allow_invalid:
        print(
            f"{len(loaded.rejections)} record(s) rejected: nothing was written (use --allow-invalid "
            "to index the valid ones)",
            file=ctx.err,
        )
        return REJECTED
    store = ctx.store()
    results = []
    with_cache = EmbeddingCache(ctx.cache_path)
    try:
        for doc_type, items in (("providers", loaded.providers), ("passages", loaded.passages)):
            if not items:
                continue
            index = store.ensure_live(doc_type)
            docs = documents(items.values())  # each normalized as its batch is written
            result = write(store, index, doc_type, docs, len(items), ctx.embedder_factory, with_cache, refresh=True)
            for item, reason in result.failures:
                print(f"{item.path}:{item.line}: rejected by the engine: {reason}", file=ctx.err)
            results.append(result)
    finally:
        with_cache.close()
    summary(ctx, results, len(loaded.rejections))
    failed = any(r.failures for r in results)
    return REJECTED if loaded.rejections or failed else OK


def cmd_rebuild(ctx: Context, args: argparse.Namespace) -> int:
    if not (args.providers or args.passages or args.pages):
        print("error: rebuild needs at least one of --providers, --passages, --pages", file=ctx.err)
        return FAILED
    loaded = load(args.providers, args.passages, args.pages)
    report_rejections(ctx, loaded)
    if loaded.rejections and not args.allow_invalid:
        print(f"{len(loaded.rejections)} record(s) rejected: no new build, the aliases are unchanged", file=ctx.err)
        return REJECTED
    return rebuild(ctx, loaded, include_types=_types_named(args), force=args.force)


def _types_named(args: argparse.Namespace) -> set[str]:
    types = set()
    if args.providers or args.pages:
        types.add("providers")
    if args.passages or args.pages:
        types.add("passages")
    return types


def rebuild(ctx: Context, loaded: Loaded, include_types: set[str], force: bool = False) -> int:
    store = ctx.store()
    built: dict[str, str] = {}
    kept: dict[str, str] = {}
    results: list[WriteResult] = []
    embedder = ctx.embedder_factory().name
    cache_db = EmbeddingCache(ctx.cache_path)
    try:
        for doc_type, items in (("providers", loaded.providers), ("passages", loaded.passages)):
            if doc_type not in include_types:
                continue
            # normalized once: the unchanged check reads their hashes, the build writes them
            docs = list(documents(items.values()))
            live = None if force else unchanged_live_build(ctx, store, doc_type, docs, embedder)
            if live:
                kept[doc_type] = live
                print(f"{doc_type}: unchanged ({len(items)} documents match the live build {live}), kept", file=ctx.out)
                continue
            index = store.create_build(doc_type, bulk_load=True, meta=build_meta(embedder))
            built[doc_type] = index
            result = write(store, index, doc_type, docs, len(docs), ctx.embedder_factory, cache_db)
            del docs  # the next type's documents are made without these still held
            results.append(result)
            store.finish_build(index)
            problem = verify(store, index, result, len(items))
            if problem:
                print(f"error: {problem}; the aliases are unchanged", file=ctx.err)
                for index_name in built.values():
                    store.delete_index(index_name)
                return REJECTED
            store.mark_built(index)
        store.swap_all(built)
    except BaseException:
        # never leave a half-built index behind; the aliases were not touched
        for index_name in built.values():
            try:
                store.delete_index(index_name)
            except (EngineUnavailable, EngineError):
                print(f"note: could not remove the unfinished build {index_name}", file=ctx.err)
        raise
    finally:
        cache_db.close()
    for doc_type in built:
        removed = store.prune(doc_type)
        if removed:
            print(f"{doc_type}: removed old builds {', '.join(removed)}", file=ctx.out)
    if results or not kept or loaded.rejections:
        summary(ctx, results, len(loaded.rejections))
    for doc_type, index in built.items():
        print(f"{ctx.settings.alias_for(doc_type)} now serves {index}", file=ctx.out)
    for doc_type, index in kept.items():
        print(f"{ctx.settings.alias_for(doc_type)} still serves {index}", file=ctx.out)
    return REJECTED if loaded.rejections else OK


def unchanged_live_build(
    ctx: Context, store: IndexStore, doc_type: str, docs: list[Document], embedder: str
) -> str | None:
    """The live build when it already holds exactly these documents, made by this embedder and
    index definition: rebuilding it would rewrite every vector and graph for nothing. Otherwise
    None, and a line saying why the type is built."""
    live = store.live_build(doc_type)
    if live is None:
        return None
    index, meta = live
    why = meta_mismatch(meta, embedder, store.definition(doc_type))
    if why is None:
        expected = {doc.body["id"]: doc.body["content_hash"] for doc in docs}
        found = difference(expected, store.live_fingerprints(index))
        if found.none:
            return index
        why = f"differs from these records ({found})"
    print(f"{doc_type}: the live build {index} {why}: building", file=ctx.out)
    return None


def verify(store: IndexStore, index: str, result: WriteResult, expected: int) -> str | None:
    for item, reason in result.failures:
        return f"{item.path}:{item.line}: rejected by the engine: {reason}"
    count = store.count(index)
    if count != expected:
        return f"{index} holds {count} documents, expected {expected}"
    return None


def cmd_delete(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    live = store.live_index(args.type)
    if live is None:
        print(f"error: {ctx.settings.alias_for(args.type)} does not exist", file=ctx.err)
        return FAILED
    deleted, missing = store.bulk_delete(live, list(dict.fromkeys(args.ids)))
    for doc_id in missing:
        print(f"{args.type}: no record with id {doc_id!r}", file=ctx.err)
    print(f"{args.type}: deleted {len(deleted)}, not found {len(missing)}", file=ctx.out)
    return REJECTED if missing else OK


def cmd_rollback(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    status = OK
    for doc_type in [args.type] if args.type else DOC_TYPES:
        try:
            before, after = store.rollback(doc_type)
        except LookupError as exc:
            print(f"error: {exc}", file=ctx.err)
            status = FAILED
            continue
        print(f"{ctx.settings.alias_for(doc_type)}: {before} -> {after}", file=ctx.out)
    return status


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    for doc_type in DOC_TYPES:
        live = store.live_index(doc_type)
        count = store.count(live) if live else 0
        print(
            f"{ctx.settings.alias_for(doc_type)} -> {live or '(none)'} ({count} documents); "
            f"builds: {', '.join(store.builds(doc_type)) or '(none)'}",
            file=ctx.out,
        )
    return OK


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    from indexer.demo_corpus import demo_sources

    store = ctx.store()
    if args.if_empty:
        counts = {t: (store.count(live) if (live := store.live_index(t)) else 0) for t in DOC_TYPES}
        if all(counts.values()):
            print(
                f"demo corpus already loaded ({counts['providers']} providers, {counts['passages']} passages)",
                file=ctx.out,
            )
            return OK
    sources = demo_sources(args.providers, ctx.cache_path.parent / "demo", ctx.settings.current_date())
    loaded = load(sources.providers, sources.passages, sources.pages)
    report_rejections(ctx, loaded)
    print(demo_origins(loaded, set(sources.pages)), file=ctx.out)
    return rebuild(ctx, loaded, include_types=set(DOC_TYPES))


def demo_origins(loaded: Loaded, pages: set[str]) -> str:
    """Where the demo's documents come from, so "indexed 1006" is not a puzzle when 1,000 were asked for."""
    providers = Counter(item.path in pages for item in loaded.providers.values())
    passages = Counter(item.path in pages for item in loaded.passages.values())
    line = f"demo corpus: {providers[False]:,} generated providers and {passages[False]:,} guide passages"
    if providers[True] or passages[True]:
        line += f", + {providers[True]:,} providers and {passages[True]:,} passages from the seed page"
    return line


COMMANDS: dict[str, Callable[[Context, argparse.Namespace], int]] = {
    "providers": cmd_upsert,
    "passages": cmd_upsert,
    "pages": cmd_upsert,
    "rebuild": cmd_rebuild,
    "delete": cmd_delete,
    "rollback": cmd_rollback,
    "status": cmd_status,
    "demo": cmd_demo,
}
