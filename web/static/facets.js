// The filters panel: facet counts from `providers.facets`, the current filters checked.
// readFilters(form) turns the panel back into filter values.

import { el } from "./html.js";
import { labelOf } from "./labels.js";
import { maxFeeInWords, withinDaysInWords } from "./plain-words.js";

const SHOWN = 5; // values shown per facet before "Show more"
const LISTS = [
  // [facet name in the response, filter parameter, legend]
  ["specialties", "specialty", "What they help with"],
  ["insurance", "insurance", "Insurance"],
  ["languages", "language", "Language"],
  ["gender", "gender", "Therapist’s gender"],
  ["faith", "faith", "Faith-informed care"],
  ["ages_served", "age_group", "Ages they work with"],
];
const expanded = new Set(); // facets the user opened stay open across searches

function option({ type, name, value, label, count, checked, hidden }) {
  return el(
    "label",
    { class: "facet-option", hidden },
    el("input", { type, name, value, checked }),
    el("span", { class: "facet-value", text: label }),
    count === null || count === undefined ? null : el("span", { class: "count", text: String(count) }),
  );
}

function moreButton(fieldset, key, hiddenCount) {
  const open = expanded.has(key);
  const button = el("button", {
    type: "button",
    class: "link-button",
    "aria-expanded": open ? "true" : "false",
    text: open ? "Show fewer" : `Show ${hiddenCount} more`,
  });
  button.addEventListener("click", () => {
    const nowOpen = !expanded.has(key);
    if (nowOpen) expanded.add(key);
    else expanded.delete(key);
    fieldset.querySelectorAll(".facet-option.extra").forEach((node) => {
      node.hidden = !nowOpen;
    });
    button.setAttribute("aria-expanded", nowOpen ? "true" : "false");
    button.textContent = nowOpen ? "Show fewer" : `Show ${hiddenCount} more`;
  });
  return button;
}

/** Facet values with the selected ones first and always present (count unknown: not in the list). */
function valuesOf(buckets, selected) {
  const list = Array.isArray(buckets) ? buckets.filter((b) => b && b.value) : [];
  const chosen = selected.map((value) => list.find((b) => b.value === value) ?? { value, count: null });
  const rest = list.filter((b) => !selected.includes(b.value));
  return [...chosen, ...rest];
}

function listFacet(key, param, legend, buckets, selected, type = "checkbox") {
  const values = valuesOf(buckets, selected);
  const fieldset = el("fieldset", { class: "facet", "data-facet": param }, el("legend", { text: legend }));
  if (type === "radio") {
    fieldset.append(option({ type, name: param, value: "", label: "Any", checked: !selected.length }));
  }
  values.forEach((bucket, i) => {
    const extra = i >= SHOWN && !selected.includes(bucket.value);
    const node = option({
      type,
      name: param,
      value: bucket.value,
      label: param === "specialty" ? labelOf(bucket.value) : bucket.value,
      count: bucket.count,
      checked: selected.includes(bucket.value),
      hidden: extra && !expanded.has(key),
    });
    if (extra) node.classList.add("extra");
    fieldset.append(node);
  });
  const hiddenCount = fieldset.querySelectorAll(".facet-option.extra").length;
  if (hiddenCount) fieldset.append(moreButton(fieldset, key, hiddenCount));
  return values.length ? fieldset : null;
}

function availability(facets, filters) {
  return el(
    "fieldset",
    { class: "facet", "data-facet": "availability" },
    el("legend", { text: "Availability" }),
    option({
      type: "checkbox",
      name: "accepting",
      value: "true",
      label: "Accepting new clients",
      count: facets.accepting_new_clients,
      checked: filters.accepting === true,
    }),
    option({
      type: "checkbox",
      name: "telehealth",
      value: "true",
      label: "Offers online sessions",
      count: facets.telehealth,
      checked: filters.telehealth === true,
    }),
    option({
      type: "checkbox",
      name: "in_person",
      value: "true",
      label: "Sees clients in person",
      checked: filters.in_person === true,
    }),
  );
}

/** Radio buttons for one number filter: "Any", then `choices` [{value, label, count}], and the
 * current value kept (without a count) when it is none of them, as a chip may set it. */
function numberFacet(param, legend, choices, current, anyLabel, words) {
  const known = choices.some((c) => c.value === current);
  const all = typeof current === "number" && !known ? [...choices, { value: current, label: words(current) }] : choices;
  if (!all.some((c) => c.count) && typeof current !== "number") return null;
  return el(
    "fieldset",
    { class: "facet", "data-facet": param },
    el("legend", { text: legend }),
    option({ type: "radio", name: param, value: "", label: anyLabel, checked: typeof current !== "number" }),
    ...all.map((c) =>
      option({ type: "radio", name: param, value: String(c.value), label: c.label, count: c.count, checked: c.value === current }),
    ),
  );
}

/** "When": openings within 7, 14 or 31 days; the facet's counts already include the sooner ones. */
function openings(facets, filters) {
  const bands = Array.isArray(facets.next_available) ? facets.next_available : [];
  const choices = bands
    .filter((b) => /^\d+$/.test(String(b?.key ?? "")))
    .map((b) => ({ value: Number(b.key), label: b.value, count: b.count }));
  return numberFacet("available_within_days", "Next opening", choices, filters.available_within_days, "Any time", withinDaysInWords);
}

/** "Cost": a sliding scale, and a most per session. Each `fee_bands` choice ("80": up to $80)
 * is counted by the filter's own rule (a sliding scale qualifies), so its count is what it returns. */
function cost(facets, filters) {
  const bands = Array.isArray(facets.fee_bands) ? facets.fee_bands : [];
  const choices = bands
    .filter((b) => /^\d+$/.test(String(b?.key ?? "")))
    .map((b) => ({ value: Number(b.key), label: maxFeeInWords(Number(b.key)), count: b.count }));
  const fee = numberFacet("max_fee", "Cost", choices, filters.max_fee, "Any fee", maxFeeInWords);
  const sliding = option({
    type: "checkbox",
    name: "sliding_scale",
    value: "true",
    label: "Sliding scale (pay what you can afford)",
    count: facets.sliding_scale,
    checked: filters.sliding_scale === true,
  });
  if (!fee && !facets.sliding_scale && filters.sliding_scale !== true) return null;
  const fieldset = fee ?? el("fieldset", { class: "facet", "data-facet": "max_fee" }, el("legend", { text: "Cost" }));
  fieldset.append(sliding);
  return fieldset;
}

export function renderFilters(form, facets, filters) {
  const f = facets ?? {};
  form.replaceChildren(availability(f, filters));
  for (const fieldset of [openings(f, filters), cost(f, filters)]) if (fieldset) form.append(fieldset);
  const state = listFacet("state", "state", "State", f.state, filters.state ? [filters.state] : [], "radio");
  if (state) form.append(state);
  for (const [key, param, legend] of LISTS) {
    const fieldset = listFacet(key, param, legend, f[key], filters[param] ?? []);
    if (fieldset) form.append(fieldset);
  }
}

const checked = (data, name) => (data.get(name) === "true" ? true : undefined);
const wholeNumber = (data, name) => (/^\d+$/.test(String(data.get(name) ?? "")) ? Number(data.get(name)) : undefined);

/** The panel's values: {accepting, telehealth, state, max_fee, specialty: [], insurance: [], ...}. */
export function readFilters(form) {
  const data = new FormData(form);
  const values = {
    accepting: checked(data, "accepting"),
    telehealth: checked(data, "telehealth"),
    in_person: checked(data, "in_person"),
    sliding_scale: checked(data, "sliding_scale"),
    max_fee: wholeNumber(data, "max_fee"),
    available_within_days: wholeNumber(data, "available_within_days"),
    state: data.get("state") || undefined,
  };
  for (const [, param] of LISTS) values[param] = data.getAll(param).map(String);
  return values;
}

/** The parameters the panel owns (others, like city or remote, are kept as they are). */
export const PANEL_PARAMS = [
  "accepting",
  "telehealth",
  "in_person",
  "sliding_scale",
  "max_fee",
  "available_within_days",
  "state",
  ...LISTS.map(([, param]) => param),
];
