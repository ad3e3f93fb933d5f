"""`report`: one self-contained HTML file (inline CSS, figures as base64 PNG data URIs, no
other file or network access needed) for a saved eval run or for a comparison of two runs.

``report OUT.json --out R.html``               a run: metadata, mode x metric table with the
                                               bootstrap intervals, unjudged share, paired tests
                                               between modes, figures, a per-query table
``report A.run B.run --out R.html``            a comparison, as `compare` computes it: summary,
                                               wins/ties/losses, p, configuration changes, the
                                               per-query deltas, largest regressions and gains
                                               with the query text, rank movements and legs
``--sweep SWEEP.json``                         adds the sweep's plot and best point

Every text that came from data (queries, ids, paths, settings) is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from relevance import compare as compare_module
from relevance import plots
from relevance.errors import RelevanceError
from relevance.saved import expand, judgments_for, read_json, write_text

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;
color:#1d1d1f;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f6}td.n{text-align:right}.muted{color:#666;font-size:.9em}
.warn{background:#fff4e5;border-left:4px solid #f0a020;padding:.4rem .7rem}
.up{color:#1a7f37}.down{color:#c62828}img{max-width:100%;height:auto}
details{margin:.3rem 0}summary{cursor:pointer}code{font-size:.9em}
"""
UNJUDGED_WARNING = 0.30


def e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def num(value: Any, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def span(values: Sequence[float] | None) -> str:
    return "-" if not values else f"{values[0]:.3f}–{values[1]:.3f}"


def image(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{e(alt)}" src="data:image/png;base64,{data}">'


def table(header: Iterable[str], rows: Iterable[Iterable[str]], numeric_from: int = 1) -> str:
    """Cells are HTML already (escape data with e()); columns from `numeric_from` right-aligned."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = []
    for row in rows:
        cells = [f'<td class="n">{c}</td>' if i >= numeric_from else f"<td>{c}</td>" for i, c in enumerate(row)]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def page(title: str, sections: list[str]) -> str:
    made = datetime.now(UTC).isoformat(timespec="seconds")
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{e(title)}</title>'
        f"<style>{CSS}</style></head><body><h1>{e(title)}</h1>"
        f'<p class="muted">made {e(made)} by <code>python -m relevance report</code></p>'
        + "\n".join(sections)
        + "</body></html>\n"
    )


def meta_section(meta: dict[str, Any], heading: str = "Run") -> str:
    keys = (
        "time",
        "commit",
        "type",
        "k",
        "modes",
        "api",
        "index_prefix",
        "queries",
        "qrels",
        "answers_qrels",
        "seconds",
    )
    rows = [[e(k), e(", ".join(meta[k]) if isinstance(meta.get(k), list) else meta.get(k))] for k in keys if k in meta]
    tuning = meta.get("tuning") or {}
    details = ""
    if tuning:
        tuned = table(["setting", "value"], ([e(k), e(v)] for k, v in tuning.items()))
        details = f"<details><summary>ranking tuning ({e(meta.get('tuning_source'))})</summary>{tuned}</details>"
    return f"<h2>{e(heading)}</h2>" + table(["", ""], rows, numeric_from=9) + details


# ---- a run


def metrics_of(record: dict[str, Any], modes: list[str]) -> list[str]:
    first = record[modes[0]]
    return [k for k in first.get("ci95", {})]


def run_sections(record: dict[str, Any]) -> list[str]:
    meta = record.get("_meta", {})
    modes = [m for m in meta.get("modes", []) if m in record] or [k for k in record if not k.startswith("_")]
    if not modes:
        raise RelevanceError("the record has no modes")
    metrics = metrics_of(record, modes)
    k = meta.get("k", 10)
    unjudged_key = f"unjudged@{k}"
    sections = [meta_section(meta)]
    rows = []
    for mode in modes:
        row = record[mode]
        cells = [e(mode)] + [
            f"{num(row.get(m))}<br><span class=muted>{span(row['ci95'].get(m))}</span>" for m in metrics
        ]
        rows.append([*cells, num(row.get(unjudged_key), 3), e(row.get("queries"))])
    sections.append(
        "<h2>Scores</h2><p class=muted>means over the judged queries; below each, the bootstrap 95% interval "
        "(1,000 resamples of the queries)</p>" + table(["mode", *map(e, metrics), e(unjudged_key), "queries"], rows)
    )
    high = [m for m in modes if (record[m].get(unjudged_key) or 0) > UNJUDGED_WARNING]
    if high:
        sections.append(
            f"<p class=warn>{len(high)} mode(s) have more than {UNJUDGED_WARNING:.0%} unjudged documents in the "
            f"top {e(k)} ({e(', '.join(high))}): unjudged documents count as gain 0, so their scores are a "
            "lower bound unless unlisted documents are known non-relevant. "
            "<code>python -m relevance unjudged</code> writes them out for raters.</p>"
        )
    sections.append(image(plots.means_figure(record, metrics), "means per mode and metric with 95% intervals"))
    if record.get("_compare"):
        rows = [
            [e(c["a"]), e(c["b"]), f"{c['delta']:+.4f}", f"{c['wins']}/{c['ties']}/{c['losses']}", num(c["p"])]
            for c in record["_compare"]
        ]
        metric = record["_compare"][0]["metric"]
        sections.append(
            f"<h2>Paired tests on {e(metric)}</h2><p class=muted>delta = B − A; wins/ties/losses counted for B; "
            f"{e(record['_compare'][0].get('test', 'paired randomization'))}</p>"
            + table(["A", "B", "delta", "wins/ties/losses", "p"], rows, numeric_from=2)
        )
    sections.extend(per_query_sections(record.get("_queries") or {}, modes, metrics))
    return sections


def per_query_sections(queries: dict[str, Any], modes: list[str], metrics: list[str]) -> list[str]:
    if not queries:
        return ["<p class=muted>this record has no per-query scores (made before they were saved)</p>"]
    main, second = metrics[0], next((m for m in metrics if m.startswith("recall")), metrics[-1])
    per_mode = {m: [row[m][main] for row in queries.values() if row.get(m, {}).get(main) is not None] for m in modes}
    header = (
        ["qid", "query"] + [f"{e(mode)} {e(main)}" for mode in modes] + [f"{e(mode)} {e(second)}" for mode in modes]
    )
    rows = [
        [e(qid), e(row.get("query"))]
        + [num(row.get(mode, {}).get(main), 3) for mode in modes]
        + [num(row.get(mode, {}).get(second), 3) for mode in modes]
        for qid, row in queries.items()
    ]
    return [
        f"<h2>Per query</h2>{image(plots.distribution_figure(per_mode, main), 'per-query distribution')}"
        f"<details><summary>{len(rows)} queries</summary>{table(header, rows, numeric_from=2)}</details>"
    ]


# ---- a comparison


def movement_rows(change: compare_module.QueryChange) -> str:
    rows = [
        [
            e(row["docid"]),
            e(row["gain"]),
            e(row["rank_a"] or "–"),
            e(row["rank_b"] or "–"),
            e(compare_module.leg_text(row["legs_a"]) or "–"),
            e(compare_module.leg_text(row["legs_b"]) or "–"),
        ]
        for row in change.movements[:10]
    ]
    return table(["document", "gain", "rank A", "rank B", "legs A", "legs B"], rows, numeric_from=1)


def comparison_sections(document: dict[str, Any], changes: list[compare_module.QueryChange], top: int) -> list[str]:
    summary = document["summary"]
    sections = [meta_section(document["a"]["meta"], f"A: {document['a']['path']} ({document['a']['mode']})")]
    sections.append(meta_section(document["b"]["meta"], f"B: {document['b']['path']} ({document['b']['mode']})"))
    if document["configuration_changes"]:
        items = "".join(f"<li>{e(line)}</li>" for line in document["configuration_changes"])
        sections.append(f"<h2>What changed A → B</h2><ul>{items}</ul>")
    metric = summary["metric"]
    direction = "up" if summary["delta"] > 0 else "down" if summary["delta"] < 0 else ""
    sections.append(
        f"<h2>Summary: {e(metric)}</h2>"
        + table(
            ["queries", "A", "B", "delta (B − A)", "wins/ties/losses for B", "paired randomization p"],
            [
                [
                    e(summary["queries"]),
                    num(summary["mean_a"]),
                    num(summary["mean_b"]),
                    f'<span class="{direction}">{summary["delta"]:+.4f}</span>',
                    f"{summary['wins']}/{summary['ties']}/{summary['losses']}",
                    num(summary["p_value"]),
                ]
            ],
            numeric_from=0,
        )
        + image(plots.delta_figure([c.delta for c in changes], metric), "per-query deltas")
    )
    regressions, gains = compare_module.gains_and_regressions(changes, top)
    for title, chosen in (("Largest regressions (B below A)", regressions), ("Largest gains", gains)):
        blocks = [
            f"<h3>{e(c.qid)} <span class={'down' if c.delta < 0 else 'up'}>{c.delta:+.3f}</span> "
            f"({c.a:.3f} → {c.b:.3f}): {e(c.query)}</h3>{movement_rows(c)}"
            for c in chosen
        ]
        sections.append(f"<h2>{e(title)}</h2>" + ("".join(blocks) or "<p class=muted>none</p>"))
    return sections


# ---- sweep


def sweep_sections(document: dict[str, Any]) -> list[str]:
    best = document["best"]
    chosen = ", ".join(f"{k}={v}" for k, v in best["point"].items())
    versus = best.get("vs_defaults_B", {})
    defaults = document.get("defaults", {})
    rows = [
        [
            e(", ".join(f"{k}={v}" for k, v in p["point"].items())),
            num(p["scores"]["all"]),
            num(p["scores"]["A"]),
            num(p["scores"]["B"]),
        ]
        for p in document["points"][:15]
    ]
    return [
        f"<h2>Sweep: {e(document['metric'])}</h2>"
        f"<p>best on half A: <b>{e(chosen)}</b>: all queries {num(best['scores']['all'])} "
        f"(95% CI {span(best['ci95']['all'])}), held-out half B {num(best['scores']['B'])} "
        f"(95% CI {span(best['ci95']['B'])}); current defaults {num(document['baseline']['all'])} "
        f"(95% CI {span(defaults.get('ci95', {}).get('all'))}). On half B, best − defaults = "
        f"{versus.get('delta', 0):+.4f}, p = {num(versus.get('p'))}.</p>"
        + image(plots.sweep_figure(document), "metric against each swept parameter")
        + table(["point (best on half A first)", "all", "half A", "half B"], rows)
    ]


# ---- the command


def command(args: Any, out: TextIO, err: TextIO) -> int:
    inputs: list[Path] = args.inputs
    sections: list[str]
    if len(inputs) == 1 and inputs[0].suffix.lower() == ".json":
        record = read_json(inputs[0], "run record")
        if not isinstance(record, dict):
            raise RelevanceError(f"{inputs[0]}: not an eval record (a JSON object)")
        title = args.title or f"Relevance run: {inputs[0].name}"
        sections = run_sections(record)
    elif len(inputs) == 2 and all(p.suffix.lower() != ".json" for p in inputs):
        compare_module.check_metric(args.metric)
        a, b = expand(inputs)
        qrels, queries, notes = judgments_for([a, b], args.qrels, args.queries)
        for note in notes:
            print(note, file=err)
        k = compare_module.metric_cutoff(args.metric)
        result = compare_module.compare_runs(a.run, b.run, qrels, queries, args.metric, k, a.legs, b.legs)
        document = compare_module.document(a, b, result)
        title = args.title or f"Relevance comparison: {inputs[0].name} vs {inputs[1].name}"
        sections = comparison_sections(document, result["changes"], args.top)
    else:
        raise RelevanceError("report takes one eval record (OUT.json) or two run files (A.run B.run)")
    if args.sweep is not None:
        sweep_document = read_json(args.sweep, "sweep file")
        if not isinstance(sweep_document, dict) or "best" not in sweep_document:
            raise RelevanceError(f"{args.sweep}: not a sweep file from `sweep --json`")
        sections.extend(sweep_sections(sweep_document))
    write_text(args.out, page(title, sections))
    print(f"wrote {args.out}", file=out)
    return 0
