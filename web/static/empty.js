// When a search finds nothing at all: say so kindly, and offer a way forward (the spelling the
// service suggests, searching without the filters, browsing therapists by what they help with).

import { el } from "./html.js";

// [what a person would click, the specialty as the directory names it]
export const BROWSE_SPECIALTIES = [
  ["Anxiety", "Anxiety"],
  ["Depression", "Depression"],
  ["Trauma", "Trauma"],
  ["Relationships", "Relationship(s) with Partner/Husband/Wife"],
  ["Grief and loss", "Grief"],
  ["Family conflict", "Family Conflict"],
  ["Stress at work", "Work Stress"],
  ["Alcohol and drugs", "Substance Use"],
  ["Sleep", "Insomnia"],
  ["Self-harm", "Self Harm"],
  ["Parenting", "Parenting"],
  ["ADHD", "ADHD"],
];

const linkTo = (params) => `/?${new URLSearchParams(params)}`;

function followed(action) {
  return (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return; // new tab
    event.preventDefault();
    action();
  };
}

/**
 * renderEmpty(section, {query, suggestion, filtered}, {searchFor(text), browse(specialty), clearFilters()}):
 * `suggestion` is the service's spelling suggestion (a string or null); `filtered`, whether
 * filters were on.
 */
export function renderEmpty(section, { query, suggestion, filtered }, handlers) {
  const heading = query
    ? `We couldn’t find a therapist or a guide answer for “${query}”`
    : "No therapists match all of these filters";
  const hint =
    typeof suggestion === "string" && suggestion.trim() && suggestion.trim() !== query
      ? el(
          "p",
          { class: "did-you-mean" },
          "Did you mean ",
          el("a", {
            href: linkTo({ q: suggestion.trim() }),
            text: suggestion.trim(),
            onclick: followed(() => handlers.searchFor(suggestion.trim())),
          }),
          "?",
        )
      : null;
  const withoutFilters = filtered
    ? el(
        "p",
        {},
        "Some filters are on. ",
        el("button", { type: "button", class: "link-button", text: "Search without them", onclick: handlers.clearFilters }),
      )
    : null;
  const links = BROWSE_SPECIALTIES.map(([label, specialty]) =>
    el(
      "li",
      {},
      el("a", {
        class: "browse-link",
        href: linkTo({ specialty }),
        text: label,
        onclick: followed(() => handlers.browse(specialty)),
      }),
    ),
  );
  const parts = [
    el("h2", { id: "empty-h", tabindex: "-1", text: heading }),
    hint,
    withoutFilters,
    el("p", {
      text: query
        ? "This directory lists therapists and answers questions about mental health. You could tell us what’s been going on in your own words, or browse therapists by what they help with:"
        : "You could remove a filter, or browse therapists by what they help with:",
    }),
    el("ul", { class: "browse-links", "aria-label": "Browse therapists by what they help with" }, ...links),
  ];
  section.replaceChildren(...parts.filter(Boolean));
  section.hidden = false;
}
