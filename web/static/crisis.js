// The crisis block: shown above everything whenever the service returns `crisis`.
// The service's resources come first; the three lines everyone must see are added if missing.

import { el, safeUrl } from "./html.js";

const ALWAYS = [
  { name: "988 Suicide & Crisis Lifeline", phone: "988", sms: "988", url: "https://988lifeline.org" },
  { name: "Crisis Text Line", phone: null, sms: "Text HOME to 741741", url: "https://www.crisistextline.org" },
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
  return number ? { href: `sms:${number}`, label: `Text ${number}` } : null;
}

function numbersOf(resource) {
  return [digits(resource.phone), digits(resource.sms)];
}

export function crisisResources(resources) {
  const given = Array.isArray(resources) ? resources.filter((r) => r && r.name) : [];
  const known = new Set(given.flatMap(numbersOf).filter(Boolean));
  const missing = ALWAYS.filter((r) => !numbersOf(r).some((n) => n && known.has(n)));
  return [...given, ...missing];
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
  const site = safeUrl(resource.url);
  return el(
    "li",
    {},
    el("span", { class: "crisis-name", text: resource.name }),
    el(
      "span",
      { class: "crisis-actions" },
      ...actions,
      site ? el("a", { class: "crisis-site", href: site, rel: "noopener", text: "Website" }) : null,
    ),
  );
}

/** Fill `container` with the block for `crisis`, or empty it when crisis is null. */
export function renderCrisis(container, crisis) {
  container.replaceChildren();
  if (!crisis) return;
  const block = el(
    "section",
    { class: "crisis", role: "alert", "aria-labelledby": "crisis-heading", "data-testid": "crisis" },
    el("h2", { id: "crisis-heading", text: "You don’t have to face this alone" }),
    el("p", { text: crisis.message || FALLBACK_MESSAGE }),
    el("ul", { class: "crisis-list" }, crisisResources(crisis.resources).map(resourceItem)),
  );
  container.append(block);
}
