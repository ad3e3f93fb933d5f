// "What we understood" and "Filters" as removable chips.
//
// Understood items come from `interpreted` (specialties, age groups, therapy types, place,
// remote, and the practical `conditions`: language, insurance, gender, faith, cost, when, in
// person), each with the words it was read from (`matched_terms`). Removing one re-runs the
// search with interpret=false and the *other* understood items as explicit filters (so what
// is left stays in force, now as a filter rather than a boost); see web/README.md.
// Filter chips are the explicit filters in the URL; removing one drops just that filter.

import { el } from "./html.js";
import { labelOf } from "./labels.js";
import { calendarDay, dayInWords, daysUntil, maxFeeInWords, withinDaysInWords } from "./plain-words.js";
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
  gender: "Gender",
  faith: "Faith-informed care",
};

/** The words the service read as one of `meanings` (compared without letter case). */
function saidFor(terms, ...meanings) {
  const wanted = meanings.filter(Boolean).map((m) => String(m).toLowerCase());
  const found = terms.find((t) => wanted.includes(String(t.meaning ?? "").toLowerCase()));
  return found ? found.text : null;
}

/** How the service used an understood condition: "filter", "boost", "ignored: ...", or null
 * when it did not (an explicit filter of the same kind won). */
function appliedAs(applied, key, value) {
  const status = applied[`${key}:${value}`] ?? (value === true ? applied[key] : undefined);
  return typeof status === "string" && !status.startsWith("ignored") ? status : null;
}

const textList = (value) => (Array.isArray(value) ? value.filter((v) => typeof v === "string" && v) : []);

/** "an opening within 7 days" as the service wrote it, else the days to the date it gave. */
function openingDays(terms, availableBy) {
  for (const term of terms) {
    const meaning = String(term.meaning ?? "");
    if (meaning === "an opening today") return { days: 0, said: term.text };
    const within = /^an opening within (\d+) days?$/.exec(meaning);
    if (within) return { days: Number(within[1]), said: term.text };
  }
  const days = daysUntil(availableBy);
  return { days: days === null ? null : Math.max(0, days), said: null };
}

/** The practical conditions understood and applied, as chips. */
function conditionItems(interpreted, terms, applied) {
  const c = interpreted.conditions ?? {};
  const items = [];
  const each = (list, key, label, meaning) => {
    for (const value of textList(list)) {
      if (appliedAs(applied, key, value)) {
        items.push({ label: label(value), said: saidFor(terms, meaning(value), value), params: { [key]: value } });
      }
    }
  };
  each(c.languages, "language", (v) => `Speaks ${v}`, (v) => `speaks ${v}`);
  each(c.insurance, "insurance", (v) => `Takes ${v}`, (v) => `takes ${v}`);
  each(c.genders, "gender", (v) => `${v} therapist`, (v) => `${v} therapist`);
  each(c.faiths, "faith", (v) => `${v} faith-informed care`, (v) => `${v} faith`);
  if (Number.isInteger(c.max_fee) && appliedAs(applied, "max_fee", c.max_fee)) {
    const said = terms.find((t) => /^(at most \$\d+ a session|free or low cost)$/.test(String(t.meaning ?? "")))?.text;
    items.push({ label: maxFeeInWords(c.max_fee), said: said ?? null, params: { max_fee: c.max_fee } });
  }
  if (c.sliding_scale === true && appliedAs(applied, "sliding_scale", true)) {
    items.push({ label: "Sliding scale", said: saidFor(terms, "sliding scale"), params: { sliding_scale: true } });
  }
  if (c.accepting === true && appliedAs(applied, "accepting", true)) {
    const said = saidFor(terms, "accepting new clients");
    items.push({ label: "Accepting new clients", said, params: { accepting: true } });
  }
  if (calendarDay(c.available_by) && appliedAs(applied, "available_by", c.available_by)) {
    const read = openingDays(terms, c.available_by);
    // the service's own count of days (from its today) beats the browser's calendar
    const days = Number.isInteger(c.available_within_days) ? c.available_within_days : read.days;
    const said = read.said;
    const by = dayInWords(c.available_by);
    // "by Friday, December 11" where the words named a day; "this week" where they said so
    const named = by && ![0, 1, 7, 14, 31].includes(days);
    const label = days === null ? "An opening soon" : named ? `An opening by ${by}` : withinDaysInWords(days);
    items.push({ label, said, params: days === null ? {} : { available_within_days: days } });
  }
  const inPerson = c.in_person ?? interpreted.in_person;
  if (inPerson === true && appliedAs(applied, "in_person", true)) {
    items.push({ label: "In person", said: saidFor(terms, "in person", "in_person"), params: { in_person: true } });
  }
  return items;
}

/** [{label, said, params}] for what the service understood and applied. */
export function understoodItems(interpreted) {
  if (!interpreted) return [];
  const terms = Array.isArray(interpreted.matched_terms) ? interpreted.matched_terms : [];
  const applied = interpreted.applied ?? {};
  const items = [];
  for (const name of interpreted.specialties ?? []) {
    items.push({ label: labelOf(name), said: saidFor(terms, name), params: { specialty: name } });
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
  return [...items, ...conditionItems(interpreted, terms, applied)];
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
  if (filters.in_person === true) chips.push({ name: "in_person", label: "In person" });
  if (filters.in_person === false) chips.push({ name: "in_person", label: "Online only" });
  if (typeof filters.available_within_days === "number") {
    chips.push({ name: "available_within_days", label: withinDaysInWords(filters.available_within_days) });
  }
  if (typeof filters.max_fee === "number") chips.push({ name: "max_fee", label: maxFeeInWords(filters.max_fee) });
  if (filters.sliding_scale === true) chips.push({ name: "sliding_scale", label: "Sliding scale" });
  if (filters.sliding_scale === false) chips.push({ name: "sliding_scale", label: "No sliding scale" });
  for (const name of LIST_FILTERS) {
    for (const value of filters[name] ?? []) {
      const shown = name === "specialty" ? labelOf(value) : value;
      chips.push({ name, value, label: `${FILTER_LABELS[name]}: ${shown}` });
    }
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
