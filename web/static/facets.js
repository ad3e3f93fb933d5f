// The filters panel: facet counts from `providers.facets`, the current filters checked.
// readFilters(form) turns the panel back into filter values.

import { el } from "./html.js";

const SHOWN = 5; // values shown per facet before "Show more"
const LISTS = [
  // [facet name in the response, filter parameter, legend]
  ["specialties", "specialty", "What they help with"],
  ["insurance", "insurance", "Insurance"],
  ["languages", "language", "Language"],
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
      label: bucket.value,
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
  );
}

export function renderFilters(form, facets, filters) {
  const f = facets ?? {};
  form.replaceChildren(availability(f, filters));
  const state = listFacet("state", "state", "State", f.state, filters.state ? [filters.state] : [], "radio");
  if (state) form.append(state);
  for (const [key, param, legend] of LISTS) {
    const fieldset = listFacet(key, param, legend, f[key], filters[param] ?? []);
    if (fieldset) form.append(fieldset);
  }
}

/** The panel's values: {accepting, telehealth, state, specialty: [], insurance: [], ...}. */
export function readFilters(form) {
  const data = new FormData(form);
  const values = {
    accepting: data.get("accepting") === "true" ? true : undefined,
    telehealth: data.get("telehealth") === "true" ? true : undefined,
    state: data.get("state") || undefined,
  };
  for (const [, param] of LISTS) values[param] = data.getAll(param).map(String);
  return values;
}

/** The parameters the panel owns (others, like city or remote, are kept as they are). */
export const PANEL_PARAMS = ["accepting", "telehealth", "state", ...LISTS.map(([, param]) => param)];
