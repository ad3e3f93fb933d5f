// The safety block: shown above everything whenever the service returns `crisis` (a search, or
// typeahead while the words are still being typed). It names what the service recognised in
// plain words, then the lines to reach, each with its ways (call, text, chat) and hours.
// Should the service ever send no lines, the page still shows 988 and 911.

import { el, safeUrl } from "./html.js";

const FALLBACK = [
  { name: "988 Suicide & Crisis Lifeline", phone: "988", sms: "988", url: "https://988lifeline.org" },
  { name: "Emergency services", phone: "911", sms: null, url: null },
];
const FALLBACK_MESSAGE =
  "If you or someone you know may be in danger, help is available right now. " +
  "You can call or text 988 any time, day or night.";

const digits = (text) => String(text ?? "").replace(/[^0-9]/g, "");

/** "988" -> {href: "sms:988", label: "Text 988"}; "Text HOME to 741741" -> sms:741741 with body HOME. */
function smsAction(sms) {
  const keyword = /text\s+(\w+)\s+to\s+([\d\s-]+)/i.exec(sms);
  if (keyword) {
    const number = digits(keyword[2]);
    return { href: `sms:${number}?&body=${encodeURIComponent(keyword[1])}`, label: sms.trim() };
  }
  const number = digits(sms);
  return number ? { href: `sms:${number}`, label: `Text ${sms.trim()}` } : null;
}

export function crisisResources(resources) {
  const given = Array.isArray(resources) ? resources.filter((r) => r && r.name) : [];
  if (!given.length) return FALLBACK;
  const has911 = given.some((r) => digits(r.phone) === "911");
  return has911 ? given : [...given, FALLBACK[1]];
}

/** How to reach the first line, for the status text read out to screen readers. */
export function howToReach(crisis) {
  const [first] = crisisResources(crisis?.resources);
  const ways = [];
  if (first.phone) ways.push(`call ${first.phone}`);
  if (first.sms) ways.push(/^text\s/i.test(first.sms) ? first.sms.replace(/^Text/, "text") : `text ${first.sms}`);
  return ways.join(" or ");
}

function resourceItem(resource) {
  const actions = [];
  if (resource.phone) {
    const number = digits(resource.phone);
    if (number) actions.push(el("a", { class: "crisis-action", href: `tel:${number}`, text: `Call ${resource.phone}` }));
  }
  if (resource.sms) {
    const sms = smsAction(resource.sms);
    if (sms) {
      const cls = actions.length ? "crisis-action secondary" : "crisis-action";
      actions.push(el("a", { class: cls, href: sms.href, text: sms.label }));
    }
  }
  const chat = safeUrl(resource.chat);
  if (chat) actions.push(el("a", { class: "crisis-action secondary", href: chat, rel: "noopener", text: "Chat online" }));
  const site = safeUrl(resource.url);
  return el(
    "li",
    {},
    el(
      "span",
      { class: "crisis-name" },
      resource.name,
      resource.hours ? el("span", { class: "crisis-hours", text: resource.hours }) : null,
    ),
    el(
      "span",
      { class: "crisis-actions" },
      ...actions,
      site && site !== chat ? el("a", { class: "crisis-site", href: site, rel: "noopener", text: "Website" }) : null,
    ),
  );
}

function situationLines(crisis) {
  const situations = Array.isArray(crisis.situations) ? crisis.situations.filter((s) => s && s.message) : [];
  if (!situations.length) return [el("p", { text: crisis.message || FALLBACK_MESSAGE })];
  return situations.map((s) =>
    el("p", { class: "crisis-situation", "data-situation": s.id }, el("strong", { text: `${s.label}. ` }), s.message),
  );
}

/** Fill `container` with the block for `crisis`, or empty it when crisis is null. `id` keeps
 * the heading's id unique where the page shows two blocks (the dropdown and the results). */
export function renderCrisis(container, crisis, { id = "crisis-heading", compact = false } = {}) {
  container.replaceChildren();
  if (!crisis) return;
  const now = crisis.immediate_danger
    ? el("p", { class: "crisis-now" }, el("a", { class: "crisis-action", href: "tel:911", text: "Call 911" }), " ",
        crisis.immediate_danger_message || "If you are in danger right now, call 911.")
    : null;
  const block = el(
    "section",
    { class: compact ? "crisis compact" : "crisis", role: "alert", "aria-labelledby": id, "data-testid": "crisis" },
    el("h2", { id, text: "You don’t have to face this alone" }),
    now,
    ...situationLines(crisis),
    el("ul", { class: "crisis-list" }, crisisResources(crisis.resources).map(resourceItem)),
  );
  container.append(block);
}
