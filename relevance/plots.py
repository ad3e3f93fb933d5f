"""Figures as PNG bytes (matplotlib, Agg backend: no display needed), each drawn from the
saved JSON (sweep, eval record, comparison) so a report can be made from files alone."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot: files only, never a window

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

MODE_COLOURS = {"bm25": "#8c6d31", "vector": "#3182bd", "hybrid": "#31a354"}


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def _label(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def swept_parameters(space: Mapping[str, Sequence[Any]]) -> list[str]:
    return [name for name, values in space.items() if len(values) > 1]


def profiles(document: Mapping[str, Any], name: str) -> tuple[list[Any], list[float], list[float | None]]:
    """For one parameter: its values, the best score over all other parameters at each value,
    and the score with the others held at the best point (None where that point is absent)."""
    values = list(document["space"][name])
    best = document["best"]["point"]
    top: list[float] = []
    held: list[float | None] = []
    for value in values:
        rows = [p for p in document["points"] if p["point"].get(name) == value]
        top.append(max(p["scores"]["all"] for p in rows) if rows else float("nan"))
        at_best = [
            p["scores"]["all"] for p in rows if all(p["point"].get(k) == v for k, v in best.items() if k != name)
        ]
        held.append(at_best[0] if at_best else None)
    return values, top, held


def sweep_figure(document: Mapping[str, Any], title: str = "") -> bytes:
    """The metric (all queries) against each swept parameter: the best over the other
    parameters, the others held at the best point, and the current defaults."""
    names = swept_parameters(document["space"]) or list(document["space"])
    columns = min(3, len(names))
    rows = (len(names) + columns - 1) // columns
    # one y scale for all panels, so a parameter that barely matters looks flat
    figure, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.2 * rows), squeeze=False, sharey=True)
    baseline = document["baseline"]["all"]
    for axis, name in zip(axes.flat, names, strict=False):
        values, top, held = profiles(document, name)
        x = list(range(len(values)))
        axis.plot(x, top, "o-", color="#31a354", label="best over the others")
        held_x = [i for i, v in zip(x, held, strict=True) if v is not None]
        axis.plot(held_x, [v for v in held if v is not None], "s--", color="#3182bd", label="others at best point")
        axis.axhline(baseline, color="#888888", linestyle=":", label="current defaults")
        axis.set_xticks(x, [_label(v) for v in values])
        axis.set_xlabel(name)
        axis.set_ylabel(f"{document['metric']} (all queries)")
        axis.grid(alpha=0.3)
    for axis in list(axes.flat)[len(names) :]:
        axis.axis("off")
    axes.flat[0].legend(fontsize=7, loc="lower right")
    best = ", ".join(f"{k}={_label(v)}" for k, v in document["best"]["point"].items())
    figure.suptitle(title or f"sweep: best on half A {best}", fontsize=9)
    figure.tight_layout()
    return _png(figure)


def means_figure(record: Mapping[str, Any], metrics: Sequence[str]) -> bytes:
    """Each mode's mean per metric with its bootstrap 95% interval."""
    modes = [m for m in record.get("_meta", {}).get("modes", []) if m in record] or [
        k for k in record if not k.startswith("_")
    ]
    figure, axis = plt.subplots(figsize=(7.5, 3.4))
    width = 0.8 / max(len(modes), 1)
    for i, mode in enumerate(modes):
        row = record[mode]
        shown = [m for m in metrics if row.get(m) is not None]
        xs = [metrics.index(m) + (i - (len(modes) - 1) / 2) * width for m in shown]
        means = [row[m] for m in shown]
        spans = [row["ci95"].get(m) or [row[m], row[m]] for m in shown]
        errors = [
            [mean - lo for mean, (lo, _) in zip(means, spans, strict=True)],
            [hi - mean for mean, (_, hi) in zip(means, spans, strict=True)],
        ]
        axis.bar(xs, means, width, yerr=errors, capsize=3, label=mode, color=MODE_COLOURS.get(mode))
    axis.set_xticks(range(len(metrics)), list(metrics))
    axis.set_ylabel("mean over queries (95% CI)")
    axis.set_ylim(0, 1)
    axis.legend(fontsize=8)
    axis.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    return _png(figure)


def distribution_figure(per_mode: Mapping[str, Sequence[float]], metric: str) -> bytes:
    """How the per-query values of one metric spread, per mode."""
    figure, axis = plt.subplots(figsize=(7.5, 3.0))
    bins = [i / 10 for i in range(11)]
    for mode, values in per_mode.items():
        axis.hist(values, bins=bins, histtype="step", linewidth=1.8, label=mode, color=MODE_COLOURS.get(mode))
    axis.set_xlabel(f"per-query {metric}")
    axis.set_ylabel("queries")
    axis.legend(fontsize=8)
    axis.grid(alpha=0.3)
    figure.tight_layout()
    return _png(figure)


def delta_figure(deltas: Sequence[float], metric: str) -> bytes:
    """Per-query B - A, sorted: losses left, ties flat, wins right."""
    ordered = sorted(deltas)
    figure, axis = plt.subplots(figsize=(7.5, 3.0))
    colours = ["#de2d26" if d < 0 else "#31a354" if d > 0 else "#aaaaaa" for d in ordered]
    axis.bar(range(len(ordered)), ordered, width=1.0, color=colours)
    axis.axhline(0, color="#444444", linewidth=0.8)
    axis.set_xlabel("queries, sorted by delta")
    axis.set_ylabel(f"{metric}: B - A")
    axis.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    return _png(figure)
