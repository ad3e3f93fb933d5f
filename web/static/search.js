// The search page: state in the URL, one request per search, the pieces rendered by their modules.

import { search, suggest } from "./api.js";
import { renderChips, understoodItems } from "./chips.js";
import { howToReach, renderCrisis } from "./crisis.js";
import { renderEmpty } from "./empty.js";
import { el } from "./html.js";
import { PANEL_PARAMS, readFilters, renderFilters } from "./facets.js";
import { learnLabels } from "./labels.js";
import { renderPassages, renderProviders } from "./results.js";
import { attachTypeahead } from "./typeahead.js";
import {
  cloneState,
  DEFAULT_SORT,
  emptyFilters,
  fromQueryString,
  hasFilters,
  mergeFilters,
  toParams,
  toQueryString,
  withoutFilter,
} from "./url-state.js";

const PAGE_SIZE = 10;
const FILTER_DELAY_MS = 250; // a few quick clicks in the panel make one search
const TOPIC_FILTERS = ["specialty", "age_group", "therapy_type"]; // reset when the words change
const TITLE = "Find support — CareSearch";

const $ = (id) => document.getElementById(id);
const ui = {
  form: $("search-form"),
  input: $("q"),
  suggestions: $("suggestions"),
  suggestPanel: $("suggest-panel"),
  suggestCrisis: $("suggest-crisis"),
  suggestStatus: $("suggest-status"),
  status: $("status"),
  error: $("error"),
  crisis: $("crisis"),
  understood: $("understood"),
  results: $("results"),
  filters: $("filters"),
  filtersPanel: $("filters-panel"),
  providers: $("provider-list"),
  passages: $("passage-list"),
  more: $("more"),
  therapistsCount: $("therapists-count"),
  empty: $("empty-state"),
  sort: $("sort"),
  jump: $("jump-answers"),
  answers: $("answers"),
  answersHeading: $("answers-h"),
};

let state = fromQueryString(window.location.search);
let understood = [];
let shownProviders = 0;
let totalProviders = 0;
let inflight = null;
let retryTimer = null;
let filterTimer = null;

const plural = (n, one, many) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

// ---- navigation: every change of state is a URL, so Back and shared links work

function navigate(next, { push = true, focus = null } = {}) {
  state = next;
  const url = `${window.location.pathname}${toQueryString(state)}`;
  if (push && url !== `${window.location.pathname}${window.location.search}`) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
  return run({ focus });
}

function syncInputs() {
  ui.input.value = state.q;
  const browsing = !state.q && hasFilters(state.filters);
  document.title = state.q ? `${state.q} — ${TITLE}` : browsing ? `Therapists — ${TITLE}` : TITLE;
  ui.sort.value = state.sort;
}

/** "Nearest" needs a point to measure from: the service sorts by distance from `lat`/`lon`,
 * which only a link gives (a city in the words or filters is not a point to it yet). */
function updateSortChoices() {
  const point = typeof state.filters.lat === "number" && typeof state.filters.lon === "number";
  const nearest = ui.sort.querySelector('option[value="distance"]');
  nearest.disabled = !point;
  nearest.title = point ? "" : "Nearest first needs a place to measure from";
}

// ---- running a search

async function run({ focus = null } = {}) {
  clearTimeout(retryTimer);
  inflight?.abort();
  typeahead.close();
  syncInputs();
  if (!state.q && !hasFilters(state.filters)) {
    clearAll();
    return;
  }
  const controller = new AbortController();
  inflight = controller;
  ui.results.setAttribute("aria-busy", "true");
  ui.status.textContent = "Searching…";
  try {
    const params = toParams(state);
    params.set("size", String(PAGE_SIZE));
    if (!state.q) params.set("type", "providers"); // browsing: guide answers are found by words
    const data = await search(params, { signal: controller.signal });
    if (controller !== inflight) return;
    hideError();
    render(data);
    restoreFocus(focus);
  } catch (error) {
    if (error.name === "AbortError" || controller !== inflight) return;
    showError(error, () => run({ focus }));
  } finally {
    if (controller === inflight) ui.results.removeAttribute("aria-busy");
  }
}

function render(data) {
  learnLabels(data);
  renderCrisis(ui.crisis, data.crisis);
  understood = state.interpret ? understoodItems(data.interpreted) : [];
  renderChips(ui.understood, { understood, filters: state.filters, interpretOff: !state.interpret }, chipHandlers);

  const providers = data.providers ?? { total: 0, hits: [], facets: {} };
  const passages = data.passages ?? { total: 0, hits: [] };
  const providerHits = providers.hits ?? [];
  const passageHits = passages.hits ?? [];
  document.body.classList.add("has-results");
  updateSortChoices();
  const help = data.crisis ? `Help is available right now: ${howToReach(data.crisis)}. ` : "";

  if (!providerHits.length && !passageHits.length) {
    // nothing offered as if it matched: say so, and how to go on
    ui.results.hidden = true;
    renderEmpty(ui.empty, { query: state.q, suggestion: data.suggestion ?? null, filtered: hasFilters(state.filters) }, emptyHandlers);
    ui.status.textContent = `${help}Nothing found${state.q ? ` for “${state.q}”` : ""}.`;
    return;
  }
  ui.empty.hidden = true;
  const focusKey = filterFocusKey();
  renderFilters(ui.filters, providers.facets, state.filters);
  refocusFilter(focusKey);
  renderProviders(ui.providers, providerHits, { specialties: state.filters.specialty });
  const browsing = data.passages === undefined;
  ui.answers.hidden = browsing;
  ui.results.classList.toggle("browsing", browsing);
  if (!browsing) renderPassages(ui.passages, passageHits);
  ui.jump.hidden = !passageHits.length || !providerHits.length;
  shownProviders = providerHits.length;
  totalProviders = providers.total ?? shownProviders;
  updateCounts();
  ui.results.hidden = false;

  const therapists = plural(totalProviders, "therapist", "therapists");
  const found = browsing
    ? `${therapists}.`
    : `${therapists} and ${plural(passageHits.length, "answer", "answers")} from our guides.`;
  ui.status.textContent = `${help}${found}`;
}

function updateCounts() {
  ui.therapistsCount.textContent = totalProviders
    ? `Showing ${shownProviders} of ${totalProviders.toLocaleString()}`
    : "";
  ui.more.hidden = shownProviders >= totalProviders || shownProviders === 0;
}

function clearAll() {
  renderCrisis(ui.crisis, null);
  ui.understood.hidden = true;
  ui.results.hidden = true;
  ui.empty.hidden = true;
  document.body.classList.remove("has-results");
  ui.status.textContent = "";
  hideError();
}

async function showMore() {
  const params = toParams(state);
  params.set("type", "providers");
  params.set("size", String(PAGE_SIZE));
  params.set("from", String(shownProviders));
  ui.more.disabled = true;
  try {
    const data = await search(params);
    const hits = data.providers?.hits ?? [];
    const cards = renderProviders(ui.providers, hits, { append: true, specialties: state.filters.specialty });
    shownProviders += cards.length;
    updateCounts();
    ui.status.textContent = `Showing ${shownProviders} of ${plural(totalProviders, "therapist", "therapists")}.`;
    cards[0]?.focus();
  } catch (error) {
    if (error.name !== "AbortError") showError(error, showMore);
  } finally {
    ui.more.disabled = false;
  }
}

// ---- errors: 503 and unreachable retry by themselves; 422 says what was wrong

function hideError() {
  ui.error.hidden = true;
  ui.error.replaceChildren();
}

function showError(error, retry) {
  ui.error.replaceChildren();
  ui.error.className = "notice";
  if (error.retryable) {
    const seconds = Math.max(1, Math.round(error.retryAfterS ?? 5));
    ui.error.append(
      el("p", { text: "Search is temporarily unavailable, retrying…" }),
      el("p", { class: "hint", text: `Trying again in ${plural(seconds, "second", "seconds")}.` }),
    );
    retryTimer = setTimeout(retry, seconds * 1000);
  } else if (error.status === 422) {
    ui.error.classList.add("error");
    ui.error.append(el("p", { text: `We couldn’t run this search: ${error.message}` }));
  } else {
    ui.error.classList.add("error");
    ui.error.append(
      el("p", { text: "Something went wrong on our side. Please try again." }),
      el("button", { type: "button", class: "button", text: "Try again", onclick: retry }),
    );
  }
  ui.error.hidden = false;
  ui.results.hidden = true;
  ui.empty.hidden = true;
  ui.understood.hidden = true;
  ui.status.textContent = ""; // the notice itself is announced (role="alert")
}

// ---- focus after a change, for keyboard users

/** The filter control that has focus, as a selector that finds it again after a re-render. */
function filterFocusKey() {
  const active = document.activeElement;
  if (!active || !ui.filters.contains(active)) return null;
  if (active.name) return `input[name="${CSS.escape(active.name)}"][value="${CSS.escape(active.value)}"]`;
  const facet = active.closest("fieldset")?.dataset.facet;
  return facet ? `fieldset[data-facet="${CSS.escape(facet)}"] button` : null;
}

function refocusFilter(key) {
  if (!key) return;
  (ui.filters.querySelector(key) ?? ui.filters.querySelector("input"))?.focus();
}

function restoreFocus(focus) {
  if (focus === "chips") {
    const chip = ui.understood.querySelector("button");
    (chip && !ui.understood.hidden ? chip : ui.input).focus();
  }
}

// ---- the pieces that change the state

const chipHandlers = {
  removeUnderstood(index) {
    // interpret=false, and every other understood item re-applied as an explicit filter
    let filters = state.filters;
    understood.forEach((item, i) => {
      if (i !== index) filters = mergeFilters(filters, item.params);
    });
    navigate({ q: state.q, interpret: false, sort: state.sort, filters }, { focus: "chips" });
  },
  removeFilter(name, value) {
    navigate({ ...cloneState(state), filters: withoutFilter(state.filters, name, value) }, { focus: "chips" });
  },
  clearFilters() {
    navigate({ ...cloneState(state), filters: emptyFilters() }, { focus: "chips" });
  },
  interpretOn() {
    navigate({ ...cloneState(state), interpret: true }, { focus: "chips" });
  },
};

const emptyHandlers = {
  searchFor(text) {
    submitQuery(text);
  },
  browse(specialty) {
    navigate({ q: "", interpret: true, sort: DEFAULT_SORT, filters: { ...emptyFilters(), specialty: [specialty] } });
  },
  clearFilters() {
    navigate({ ...cloneState(state), filters: emptyFilters() });
  },
};

function submitQuery(text) {
  const q = text.trim();
  if (!q) {
    ui.status.textContent = "Type a few words about what you would like help with.";
    ui.input.focus();
    return;
  }
  if (q === state.q) {
    navigate(cloneState(state), { push: false });
    return;
  }
  // new words: understand them afresh; keep where/how/insurance filters, drop topic ones
  const filters = structuredClone(state.filters);
  for (const name of TOPIC_FILTERS) filters[name] = [];
  navigate({ q, interpret: true, sort: state.sort, filters });
}

function onFiltersChanged() {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    const panel = readFilters(ui.filters);
    const filters = structuredClone(state.filters);
    for (const name of PANEL_PARAMS) delete filters[name];
    for (const [name, value] of Object.entries(panel)) {
      if (value !== undefined) filters[name] = value;
      else if (state.filters[name] === false) filters[name] = false; // an explicit "no" from the URL stays
    }
    navigate({ ...cloneState(state), filters });
  }, FILTER_DELAY_MS);
}

const typeahead = attachTypeahead(ui.input, ui.suggestions, {
  fetchSuggestions: (text, signal) => suggest(text, { signal }),
  popup: ui.suggestPanel,
  showSafety: (crisis) => renderCrisis(ui.suggestCrisis, crisis, { id: "suggest-crisis-heading", compact: true }),
  onChoose: (item) => {
    ui.input.value = item.text;
    submitQuery(item.text);
  },
  announce: (text) => {
    ui.suggestStatus.textContent = text;
  },
});

ui.form.addEventListener("submit", (event) => {
  event.preventDefault();
  submitQuery(ui.input.value);
});
ui.filters.addEventListener("change", onFiltersChanged);
ui.more.addEventListener("click", showMore);
ui.sort.addEventListener("change", () => navigate({ ...cloneState(state), sort: ui.sort.value }));
ui.jump.addEventListener("click", (event) => {
  // in the page, not a new history entry (a #fragment would re-run the search on Back)
  event.preventDefault();
  ui.answersHeading.scrollIntoView({ block: "start" });
  ui.answersHeading.focus({ preventScroll: true });
});
window.addEventListener("popstate", () => {
  state = fromQueryString(window.location.search);
  run();
});

// the filters start folded on a phone, open on wider screens
const wide = window.matchMedia("(min-width: 641px)");
ui.filtersPanel.open = wide.matches;
wide.addEventListener("change", () => {
  ui.filtersPanel.open = wide.matches;
});

if (state.q || hasFilters(state.filters)) navigate(state, { push: false });
