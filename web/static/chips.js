// "What we understood" and "Filters" as removable chips.
//
// Understood items come from `interpreted` (specialties, age groups, therapy types, place,
// remote), each with the words it was read from (`matched_terms`). Removing one re-runs the
// search with interpret=false and the *other* understood items as explicit filters (so what
// is left stays in force, now as a filter rather than a boost); see web/README.md.
// Filter chips are the explicit filters in the URL; removing one drops just that filter.

import { el } from "./html.js";
import { LIST_FILTERS } from "./url-state.js";

const FILTER_LABELS = {
  state: "State",
  city: "City",
  zip: "ZIP",
  specialty: "Helps with",
  credential: "Credential",
  language: "Language",
  insurance: "Insurance",
  age_group: "Ages",
  therapy_type: "Approach",
};

function saidFor(terms, meaning) {
  const found = terms.find((t) => t.meaning === meaning);
  return found ? found.text : null;
}

/** [{label, said, params}] for what the service understood and applied. */
export function understoodItems(interpreted) {
  if (!interpreted) return [];
  const terms = Array.isArray(interpreted.matched_terms) ? interpreted.matched_terms : [];
  const applied = interpreted.applied ?? {};
  const items = [];
  for (const name of interpreted.specialties ?? []) {
    items.push({ label: name, said: saidFor(terms, name), params: { specialty: name } });
  }
  for (const name of interpreted.age_groups ?? []) {
    items.push({ label: name, said: saidFor(terms, name), params: { age_group: name } });
  }
  for (const name of interpreted.therapy_types ?? []) {
    items.push({ label: name, said: saidFor(terms, name), params: { therapy_type: name } });
  }
  const place = {};
  for (const key of ["city", "state", "zip"]) {
    if (interpreted[key] && applied[key] === "filter") place[key] = interpreted[key];
  }
  if (Object.keys(place).length) {
    const label = [place.city, place.state, place.zip].filter(Boolean).join(", ");
    const said = terms.find((t) => [label, place.city, place.state, place.zip].includes(t.meaning))?.text ?? null;
    items.push({ label: `In ${label}`, said, params: place });
  }
  if (interpreted.remote && applied.remote === "filter") {
    items.push({ label: "Online sessions", said: saidFor(terms, "remote"), params: { remote: true } });
  }
  return items;
}

export function filterChips(filters) {
  const chips = [];
  for (const key of ["state", "city", "zip"]) {
    if (filters[key]) chips.push({ name: key, value: filters[key], label: `${FILTER_LABELS[key]}: ${filters[key]}` });
  }
  if (typeof filters.lat === "number" && typeof filters.lon === "number") {
    const within = typeof filters.radius_km === "number" ? `Within ${filters.radius_km} km` : "Nearest first";
    chips.push({ name: "lat", label: `${within} of the place you chose` });
  }
  if (filters.remote === true) chips.push({ name: "remote", label: "Online sessions" });
  if (filters.remote === false) chips.push({ name: "remote", label: "Has an office" });
  if (filters.telehealth === true) chips.push({ name: "telehealth", label: "Offers online sessions" });
  if (filters.telehealth === false) chips.push({ name: "telehealth", label: "No online sessions" });
  if (filters.accepting === true) chips.push({ name: "accepting", label: "Accepting new clients" });
  if (filters.accepting === false) chips.push({ name: "accepting", label: "Not accepting new clients" });
  for (const name of LIST_FILTERS) {
    for (const value of filters[name] ?? []) chips.push({ name, value, label: `${FILTER_LABELS[name]}: ${value}` });
  }
  return chips;
}

function chipButton(label, said, removeLabel, onClick) {
  return el(
    "button",
    { type: "button", class: "chip", "aria-label": removeLabel, onclick: onClick },
    el("span", { class: "chip-label", text: label }),
    said ? el("span", { class: "said", text: `“${said}”` }) : null,
    el("span", { class: "x", "aria-hidden": "true", text: "×" }),
  );
}

/**
 * renderChips(section, {understood, filters, interpretOff}, handlers) where handlers are
 * {removeUnderstood(index), removeFilter(name, value), clearFilters(), interpretOn()}.
 */
export function renderChips(section, { understood, filters, interpretOff }, handlers) {
  section.replaceChildren();
  const chips = filterChips(filters);
  if (understood.length) {
    const row = el("div", { class: "chip-row", "data-testid": "understood" });
    row.append(el("span", { class: "chip-row-label", id: "understood-label", text: "We understood:" }));
    understood.forEach((item, index) => {
      const what = item.said ? `${item.label}, understood from “${item.said}”` : item.label;
      row.append(chipButton(item.label, item.said, `Remove ${what}`, () => handlers.removeUnderstood(index)));
    });
    section.append(row);
  }
  if (chips.length) {
    const row = el("div", { class: "chip-row", "data-testid": "active-filters" });
    row.append(el("span", { class: "chip-row-label", text: "Filters:" }));
    for (const chip of chips) {
      row.append(chipButton(chip.label, null, `Remove filter ${chip.label}`, () => handlers.removeFilter(chip.name, chip.value)));
    }
    if (chips.length > 1) {
      row.append(el("button", { type: "button", class: "link-button", onclick: handlers.clearFilters, text: "Clear all" }));
    }
    section.append(row);
  }
  if (interpretOff) {
    section.append(
      el(
        "p",
        { class: "understood-note" },
        "Showing results for your words and filters only. ",
        el("button", { type: "button", class: "link-button", onclick: handlers.interpretOn, text: "Read my words again" }),
      ),
    );
  }
  section.hidden = section.childElementCount === 0;
}
