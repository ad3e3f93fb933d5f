// One hit's `explain` (fused score, each leg's rank/score/normalized, boosts) as an expandable block,
// and rank movement between two columns.

import { el } from "./html.js";

const fmt = (value, digits = 4) => (typeof value === "number" ? value.toFixed(digits).replace(/\.?0+$/, "") || "0" : "—");

export function explainBlock(explain) {
  if (!explain) return null;
  const legs = Object.entries(explain.legs ?? {});
  const boosts = Object.entries(explain.boosts ?? {});
  const legTable = el(
    "table",
    { class: "explain-table" },
    el("caption", { class: "visually-hidden", text: "Each leg's rank and score" }),
    el("thead", {}, el("tr", {}, ["leg", "rank", "score", "normalized"].map((h) => el("th", { scope: "col", text: h })))),
    el(
      "tbody",
      {},
      legs.length
        ? legs.map(([leg, v]) =>
            el(
              "tr",
              {},
              el("th", { scope: "row", text: leg }),
              el("td", { text: String(v?.rank ?? "—") }),
              el("td", { text: fmt(v?.score) }),
              el("td", { text: fmt(v?.normalized) }),
            ),
          )
        : el("tr", {}, el("td", { colspan: "4", text: "no leg returned this document" })),
    ),
  );
  const boostList = boosts.length
    ? el(
        "ul",
        { class: "boosts" },
        boosts.map(([name, value]) => el("li", {}, el("span", { text: name }), el("span", { class: "num", text: `+${fmt(value)}` }))),
      )
    : el("p", { class: "muted", text: "no boosts" });
  return el(
    "details",
    { class: "explain" },
    el("summary", {}, "Explain ", el("span", { class: "muted", text: `fused ${fmt(explain.fused_score)}` })),
    legTable,
    el("p", { class: "explain-sub", text: "Boosts" }),
    boostList,
  );
}

/** {text, label, kind} for a hit at `rank` whose rank in the reference column is `refRank` (or null). */
export function movement(rank, refRank, refName) {
  if (refRank === null || refRank === undefined) {
    return { text: "new", kind: "new", label: `not in the ${refName} column` };
  }
  const delta = refRank - rank;
  if (delta > 0) return { text: `▲${delta}`, kind: "up", label: `up ${delta} from ${refName}` };
  if (delta < 0) return { text: `▼${-delta}`, kind: "down", label: `down ${-delta} from ${refName}` };
  return { text: "=", kind: "same", label: `same rank as in ${refName}` };
}
