// The analysts' workbench: one query in bm25, vector and hybrid side by side (one request per
// mode, explain=true), rank movement between columns, live fusion settings for the hybrid column,
// and judgments (TREC qrels or JSON Lines) for gain badges and nDCG@10 per column.

import { search } from "./api.js";
import { explainBlock, movement } from "./explain.js";
import { el, stripMarks } from "./html.js";
import { JudgmentError, ndcgAt, parseJudgments, qidForText } from "./judgments.js";

const MODES = ["bm25", "vector", "hybrid"];
const K = 10;
// The service's defaults (search_api/tuning.py) for display; untouched controls are not sent.
const DEFAULTS = { fusion: "linear", bm25_weight: 0.3, rank_constant: 60, window: 100, num_candidates: 200 };
const SLIDER_DELAY_MS = 200;

const $ = (id) => document.getElementById(id);
const ui = {
  runForm: $("run-form"),
  q: $("wb-q"),
  type: $("wb-type"),
  size: $("wb-size"),
  interpret: $("wb-interpret"),
  tuning: $("tuning"),
  tuningNote: $("tuning-note"),
  fusion: $("wb-fusion"),
  weight: $("wb-weight"),
  weightOut: $("wb-weight-out"),
  rankConstant: $("wb-k"),
  window: $("wb-window"),
  candidates: $("wb-cands"),
  reset: $("wb-reset"),
  file: $("wb-file"),
  qid: $("wb-qid"),
  compare: $("wb-compare"),
  judgmentsStatus: $("wb-judgments-status"),
  status: $("wb-status"),
  columns: $("columns"),
};
const controls = {
  fusion: ui.fusion,
  bm25_weight: ui.weight,
  rank_constant: ui.rankConstant,
  window: ui.window,
  num_candidates: ui.candidates,
};

const touched = new Set();
const results = Object.fromEntries(MODES.map((m) => [m, null])); // {hits, total, took} | {error}
const generation = Object.fromEntries(MODES.map((m) => [m, 0]));
const retryTimers = {};
let judgments = null;
let sliderTimer = null;

const column = (mode) => ui.columns.querySelector(`.column[data-mode="${mode}"]`);

// ---- requests

function baseParams(mode) {
  const params = new URLSearchParams({
    q: ui.q.value.trim(),
    type: ui.type.value,
    mode,
    size: ui.size.value,
    explain: "true",
  });
  if (!ui.interpret.checked) params.set("interpret", "false");
  if (mode === "hybrid") {
    for (const name of touched) params.set(name, controls[name].value);
  }
  return params;
}

async function runColumn(mode) {
  clearTimeout(retryTimers[mode]);
  const mine = ++generation[mode];
  const node = column(mode);
  node.setAttribute("aria-busy", "true");
  try {
    const data = await search(baseParams(mode));
    if (mine !== generation[mode]) return;
    const list = data[ui.type.value] ?? { hits: [], total: 0 };
    results[mode] = { hits: list.hits ?? [], total: list.total ?? 0, took: data.took_ms?.total ?? null, query: data.query };
  } catch (error) {
    if (mine !== generation[mode]) return;
    results[mode] = { error };
    if (error.retryable) retryTimers[mode] = setTimeout(() => runColumn(mode), (error.retryAfterS ?? 5) * 1000);
  } finally {
    if (mine === generation[mode]) node.removeAttribute("aria-busy");
  }
  renderAll();
}

async function runAll() {
  const q = ui.q.value.trim();
  if (!q) {
    ui.status.textContent = "Type a query first.";
    ui.q.focus();
    return;
  }
  saveUrl();
  matchQid();
  ui.status.textContent = `Running “${q}” in bm25, vector and hybrid…`;
  await Promise.all(MODES.map(runColumn));
  ui.status.textContent = `Ran “${q}” over ${ui.type.value} in three modes.`;
}

// ---- rendering

function referenceFor(mode) {
  if (mode === "bm25") return null;
  if (ui.compare.value === "previous") return MODES[MODES.indexOf(mode) - 1];
  return "bm25";
}

function activeJudgments() {
  if (!judgments || !ui.qid.value) return null;
  return judgments.qrels.get(ui.qid.value) ?? null;
}

function hitTitle(hit) {
  if (ui.type.value === "providers") return hit.name ?? hit.id;
  if (hit.title) return hit.title;
  const text = stripMarks(hit.snippet ?? hit.text ?? "").trim();
  return text.length > 80 ? `${text.slice(0, 80)}…` : text || hit.id;
}

function gainBadge(judged, id) {
  if (!judged) return null;
  const gain = judged.get(id);
  if (gain === undefined) return el("span", { class: "gain unjudged", title: "not judged (counts as gain 0)", text: "unjudged" });
  return el("span", { class: `gain g${Math.max(0, Math.min(gain, 3))}`, "data-gain": String(gain), text: `gain ${gain}` });
}

function hitItem(hit, rank, refRanks, refName, judged) {
  const move = refRanks ? movement(rank, refRanks.get(hit.id) ?? null, refName) : null;
  const sub = ui.type.value === "providers"
    ? [hit.city, hit.state].filter(Boolean).join(", ") || (hit.remote_only ? "remote only" : "")
    : hit.guide ?? "";
  return el(
    "li",
    { class: "hit", "data-id": hit.id },
    el(
      "div",
      { class: "hit-line" },
      el("span", { class: "rank", text: String(rank) }),
      move ? el("span", { class: `move ${move.kind}`, title: move.label, "aria-label": move.label, text: move.text }) : null,
      el("span", { class: hit.title || ui.type.value === "providers" ? "hit-title" : "hit-title untitled", text: hitTitle(hit) }),
      gainBadge(judged, hit.id),
    ),
    el(
      "p",
      { class: "hit-sub" },
      el("code", { text: hit.id }),
      sub ? ` · ${sub}` : "",
      typeof hit.score === "number" ? ` · ${hit.score.toFixed(4)}` : "",
    ),
    explainBlock(hit.explain),
  );
}

function renderColumn(mode, judged) {
  const node = column(mode);
  const list = node.querySelector(".hits");
  const meta = node.querySelector(".column-meta");
  const score = node.querySelector(".column-score");
  const result = results[mode];
  list.replaceChildren();
  score.replaceChildren();
  if (!result) {
    meta.textContent = "";
    return;
  }
  if (result.error) {
    const { error } = result;
    meta.textContent = "";
    const text = error.retryable
      ? `Search is temporarily unavailable, retrying in ${Math.round(error.retryAfterS ?? 5)} s…`
      : `Error ${error.status}: ${error.message}`;
    list.append(el("li", { class: "column-error", text }));
    return;
  }
  meta.textContent = `${result.total.toLocaleString()} matches${result.took === null ? "" : ` · ${Math.round(result.took)} ms`}`;
  const ref = referenceFor(mode);
  const refResult = ref ? results[ref] : null;
  const refRanks = refResult?.hits ? new Map(refResult.hits.map((h, i) => [h.id, i + 1])) : null;
  result.hits.forEach((hit, i) => list.append(hitItem(hit, i + 1, refRanks, ref, judged)));
  if (!result.hits.length) list.append(el("li", { class: "muted", text: "no hits" }));
  if (judged) {
    const ids = result.hits.map((h) => h.id);
    const value = ndcgAt(ids, judged, K);
    const judgedCount = ids.slice(0, K).filter((id) => judged.has(id)).length;
    score.append(
      el("strong", { class: "ndcg", "data-ndcg": value.toFixed(6), text: `nDCG@${K} ${value.toFixed(3)}` }),
      ` · ${judgedCount}/${Math.min(K, ids.length)} judged`,
    );
  }
}

function renderAll() {
  const judged = activeJudgments();
  for (const mode of MODES) renderColumn(mode, judged);
}

// ---- fusion settings: changes re-run only the hybrid column

function noteTuning() {
  ui.weightOut.textContent = Number(ui.weight.value).toFixed(2);
  ui.tuningNote.textContent = touched.size ? `(sent: ${[...touched].join(", ")})` : "(service defaults)";
}

function tuningChanged(name, { delay = 0 } = {}) {
  const input = controls[name];
  if (input.checkValidity && !input.checkValidity()) {
    ui.status.textContent = `${name}: ${input.validationMessage}`;
    return;
  }
  touched.add(name);
  noteTuning();
  saveUrl();
  if (!ui.q.value.trim()) return;
  clearTimeout(sliderTimer);
  sliderTimer = setTimeout(() => runColumn("hybrid"), delay);
}

function resetTuning() {
  touched.clear();
  for (const [name, value] of Object.entries(DEFAULTS)) controls[name].value = String(value);
  noteTuning();
  saveUrl();
  if (ui.q.value.trim()) runColumn("hybrid");
}

// ---- judgments

async function loadJudgments(file) {
  try {
    judgments = parseJudgments(await file.text(), file.name);
  } catch (error) {
    judgments = null;
    ui.judgmentsStatus.textContent = error instanceof JudgmentError ? error.message : `Could not read ${file.name}`;
    fillQids();
    renderAll();
    return;
  }
  const count = [...judgments.qrels.values()].reduce((n, docs) => n + docs.size, 0);
  const withText = [...judgments.queries.values()].filter(Boolean).length;
  ui.judgmentsStatus.textContent =
    `${file.name}: ${count.toLocaleString()} judgments for ${judgments.qrels.size.toLocaleString()} queries` +
    (withText ? "" : " (no query text: type the query, then pick its id)");
  fillQids();
  if (!matchQid()) renderAll();
}

function fillQids() {
  ui.qid.replaceChildren(el("option", { value: "", text: judgments ? "— none —" : "load a file first" }));
  ui.qid.disabled = !judgments;
  if (!judgments) return;
  for (const qid of judgments.queries.keys()) {
    const text = judgments.queries.get(qid);
    const label = text ? `${qid}: ${text.length > 80 ? `${text.slice(0, 80)}…` : text}` : qid;
    ui.qid.append(el("option", { value: qid, text: label }));
  }
}

/** Select the judged query whose text is the one typed; true when the selection changed. */
function matchQid() {
  if (!judgments) return false;
  const qid = qidForText(judgments.queries, ui.q.value);
  if (qid && ui.qid.value !== qid) {
    ui.qid.value = qid;
    renderAll();
    return true;
  }
  return false;
}

function qidChosen() {
  const text = judgments?.queries.get(ui.qid.value);
  if (text) {
    ui.q.value = text;
    runAll();
  } else {
    renderAll();
  }
}

// ---- the URL keeps the query and the settings (a link reproduces a comparison)

function saveUrl() {
  const params = new URLSearchParams();
  if (ui.q.value.trim()) params.set("q", ui.q.value.trim());
  params.set("type", ui.type.value);
  if (ui.size.value !== "10") params.set("size", ui.size.value);
  if (!ui.interpret.checked) params.set("interpret", "false");
  for (const name of touched) params.set(name, controls[name].value);
  if (ui.compare.value !== "bm25") params.set("compare", ui.compare.value);
  window.history.replaceState(null, "", `${window.location.pathname}?${params}`);
}

function loadUrl() {
  const params = new URLSearchParams(window.location.search);
  ui.q.value = params.get("q") ?? "";
  if (["providers", "passages"].includes(params.get("type"))) ui.type.value = params.get("type");
  if (["10", "20", "50"].includes(params.get("size"))) ui.size.value = params.get("size");
  ui.interpret.checked = params.get("interpret") !== "false";
  if (params.get("compare") === "previous") ui.compare.value = "previous";
  for (const name of Object.keys(controls)) {
    const value = params.get(name);
    if (value === null) continue;
    controls[name].value = value;
    if (!controls[name].checkValidity || controls[name].checkValidity()) touched.add(name);
    else controls[name].value = String(DEFAULTS[name]);
  }
  noteTuning();
}

// ---- wiring

ui.runForm.addEventListener("submit", (event) => {
  event.preventDefault();
  runAll();
});
for (const input of [ui.type, ui.size, ui.interpret]) {
  input.addEventListener("change", () => ui.q.value.trim() && runAll());
}
ui.weight.addEventListener("input", () => tuningChanged("bm25_weight", { delay: SLIDER_DELAY_MS }));
ui.fusion.addEventListener("change", () => tuningChanged("fusion"));
for (const name of ["rank_constant", "window", "num_candidates"]) {
  controls[name].addEventListener("change", () => tuningChanged(name));
}
ui.tuning.addEventListener("submit", (event) => event.preventDefault());
ui.reset.addEventListener("click", resetTuning);
ui.file.addEventListener("change", () => ui.file.files[0] && loadJudgments(ui.file.files[0]));
ui.qid.addEventListener("change", qidChosen);
ui.compare.addEventListener("change", () => {
  saveUrl();
  renderAll();
});

// the same document is outlined in every column while the pointer or focus is on it
function link(event) {
  const id = event.target.closest?.(".hit")?.dataset.id ?? null;
  ui.columns.querySelectorAll(".hit.linked").forEach((node) => node.classList.remove("linked"));
  if (id) ui.columns.querySelectorAll(`.hit[data-id="${CSS.escape(id)}"]`).forEach((node) => node.classList.add("linked"));
}
ui.columns.addEventListener("mouseover", link);
ui.columns.addEventListener("focusin", link);
const unlink = () => link({ target: ui.columns });
ui.columns.addEventListener("mouseleave", unlink);
ui.columns.addEventListener("focusout", (event) => !ui.columns.contains(event.relatedTarget) && unlink());

loadUrl();
if (ui.q.value.trim()) runAll();
