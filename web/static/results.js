// Result cards: therapists and answers from the guides. Highlights go through safeMarked.

import { el, safeUrl, stripMarks } from "./html.js";
import { labelOf } from "./labels.js";
import { dayInWords, feeInWords } from "./plain-words.js";

const BIO_CHARS = 220;
const SHOWN_SPECIALTIES = 6;

function shorten(text, limit) {
  const clean = String(text ?? "").replace(/\s+/g, " ").trim();
  if (clean.length <= limit) return clean;
  const cut = clean.slice(0, limit);
  return `${cut.slice(0, cut.lastIndexOf(" ") > limit * 0.6 ? cut.lastIndexOf(" ") : limit)}…`;
}

function placeOf(hit) {
  if (hit.remote_only) return "Remote only";
  const place = [hit.city, hit.state].filter(Boolean).join(", ");
  return place || "Location not listed";
}

/** "What they treat": the specialties, the ones the engine marked or the filters ask for first
 * and marked (a card found by browsing "Anxiety" must not hide it behind "and 2 more"). */
function treats(hit, wanted) {
  const marked = new Map((hit.highlights?.specialties ?? []).map((h) => [stripMarks(h), h]));
  const specialties = Array.isArray(hit.specialties) ? hit.specialties : [];
  for (const name of specialties) if (wanted.has(name)) marked.set(name, name);
  const ordered = [...specialties.filter((s) => marked.has(s)), ...specialties.filter((s) => !marked.has(s))];
  const shown = ordered.slice(0, SHOWN_SPECIALTIES);
  const line = el("p", { class: "treats" }, el("span", { class: "treats-label", text: "Helps with: " }));
  shown.forEach((name, i) => {
    if (i) line.append(", ");
    const label = labelOf(name); // the display label; the directory's name stays the filter value
    line.append(marked.has(name) ? el("mark", { text: label }) : label); // the whole name, calmer than words
  });
  if (ordered.length > shown.length) line.append(`, and ${ordered.length - shown.length} more`);
  return shown.length ? line : null;
}

function bioLine(hit) {
  const highlighted = hit.highlights?.bio?.[0];
  if (highlighted) return el("p", { class: "bio-line", marked: highlighted });
  return hit.bio ? el("p", { class: "bio-line", text: shorten(hit.bio, BIO_CHARS) }) : null;
}

const listOf = (value) => (Array.isArray(value) ? value.filter((v) => typeof v === "string" && v) : []);

function joinWords(words) {
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function fact(name, label, ...value) {
  return el("li", { class: "fact", "data-fact": name }, el("span", { class: "fact-label", text: `${label}: ` }), ...value);
}

/** What people choose by besides the need: cost, the next opening, who the therapist is.
 * Only what the provider states is shown; nothing is said of what they leave out. */
function facts(hit) {
  const items = [];
  const fee = feeInWords(hit.session_fee_min, hit.session_fee_max);
  if (fee || hit.sliding_scale === true) {
    const sliding = hit.sliding_scale === true ? el("span", { class: "tag good", text: "Sliding scale" }) : null;
    items.push(fact("fee", "Cost", fee ?? "", fee && sliding ? " " : "", sliding));
  }
  const opening = hit.accepting_new_clients === false ? null : dayInWords(hit.next_available);
  if (opening) items.push(fact("opening", "Next opening", opening));
  if (typeof hit.gender === "string" && hit.gender) items.push(fact("gender", "Gender", hit.gender));
  const languages = listOf(hit.languages);
  if (languages.some((name) => name !== "English")) items.push(fact("languages", "Speaks", joinWords(languages)));
  const faith = listOf(hit.faith);
  if (faith.length) items.push(fact("faith", "Faith-informed care", joinWords(faith)));
  return items.length ? el("ul", { class: "facts" }, ...items) : null;
}

function distance(hit) {
  if (typeof hit.distance_km !== "number") return null;
  const km = hit.distance_km < 10 ? hit.distance_km.toFixed(1) : Math.round(hit.distance_km);
  return el("span", { class: "tag", text: `${km} km away` });
}

export function providerCard(hit, { specialties = [] } = {}) {
  const credentials = Array.isArray(hit.credentials) ? hit.credentials.join(" · ") : "";
  const profile = safeUrl(hit.profile_url);
  return el(
    "li",
    { class: "card provider", "data-id": hit.id, "data-state": hit.state ?? "", tabindex: "-1" },
    el("h3", {}, profile ? el("a", { href: profile, text: hit.name }) : hit.name),
    credentials ? el("p", { class: "credentials", text: credentials }) : null,
    el(
      "p",
      { class: "place" },
      el("span", { class: "place-name", text: placeOf(hit) }),
      distance(hit),
      hit.telehealth && !hit.remote_only ? el("span", { class: "tag", text: "Online sessions" }) : null,
      hit.accepting_new_clients === true ? el("span", { class: "tag good", text: "Accepting new clients" }) : null,
      hit.accepting_new_clients === false ? el("span", { class: "tag", text: "Not accepting new clients" }) : null,
    ),
    treats(hit, new Set(specialties)),
    facts(hit),
    bioLine(hit),
  );
}

function paragraphs(text) {
  return String(text ?? "")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => el("p", { text: p }));
}

function titleCase(text) {
  const value = String(text ?? "").trim();
  return value ? value[0].toUpperCase() + value.slice(1) : "";
}

export function passageCard(hit) {
  const guide = titleCase(hit.guide);
  const question = hit.title || (guide ? `A therapist’s answer about ${guide.toLowerCase()}` : "A therapist’s answer");
  const link = /^https?:/i.test(hit.url ?? "") ? safeUrl(hit.url) : null;
  const snippet = hit.snippet || hit.highlights?.text?.[0] || shorten(hit.text, BIO_CHARS);
  return el(
    "li",
    { class: "card passage", "data-id": hit.id },
    guide ? el("p", { class: "eyebrow", text: `${guide} guide` }) : null,
    el("h3", { text: question }),
    el("p", { class: "snippet", marked: snippet }),
    hit.text
      ? el("details", { class: "full-answer" }, el("summary", { text: "Read the full answer" }), ...paragraphs(hit.text))
      : null,
    link ? el("p", {}, el("a", { href: link, rel: "noopener", text: "Open in the guide" })) : null,
  );
}

/** `specialties`: the ones the filters ask for, shown first on every card. */
export function renderProviders(list, hits, { append = false, specialties = [] } = {}) {
  if (!append) list.replaceChildren();
  const cards = hits.map((hit) => providerCard(hit, { specialties }));
  list.append(...cards);
  if (!append && !hits.length) {
    list.append(
      el("li", { class: "empty" }, "No therapists match all of this. Try removing a filter or using other words."),
    );
  }
  return cards;
}

export function renderPassages(list, hits) {
  list.replaceChildren(...hits.map(passageCard));
  if (!hits.length) list.append(el("li", { class: "empty", text: "No answers from our guides matched." }));
}
