// A combobox with a grouped listbox (WAI-ARIA APG pattern, aria-activedescendant):
// focus stays in the input; arrows move the active option, Enter picks it, Escape closes.

import { el } from "./html.js";

const GROUPS = [
  ["specialties", "What people get help with"],
  ["providers", "Therapists"],
  ["questions", "Questions from our guides"],
];
const MIN_CHARS = 2;

function detailOf(kind, item) {
  if (kind === "providers") return [item.city, item.state].filter(Boolean).join(", ") || "Online";
  if (kind === "questions") return item.guide ? `Guide: ${item.guide}` : "";
  return "";
}

/**
 * attachTypeahead(input, listbox, {fetchSuggestions(text, signal), onChoose(item), announce(text),
 *                                  popup, showSafety(crisis)})
 * `popup` is what opens and closes (the listbox itself, or a panel holding it); `showSafety`
 * shows the answer's safety block there, above the suggestions, or clears it with null.
 * Returns {close()}: the page closes the list when it runs a search.
 */
export function attachTypeahead(
  input,
  listbox,
  { fetchSuggestions, onChoose, announce = () => {}, debounceMs = 120, popup = listbox, showSafety = () => {} },
) {
  let options = []; // [{kind, item, node}]
  let active = -1;
  let timer = null;
  let controller = null;
  let generation = 0;

  const isOpen = () => !listbox.hidden;

  function close() {
    clearTimeout(timer);
    controller?.abort();
    generation += 1;
    listbox.hidden = true;
    popup.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(index) {
    options.forEach((option, i) => option.node.setAttribute("aria-selected", i === index ? "true" : "false"));
    active = index;
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    const node = options[index].node;
    input.setAttribute("aria-activedescendant", node.id);
    node.scrollIntoView({ block: "nearest" });
  }

  function choose(index) {
    const option = options[index];
    if (!option) return;
    close();
    onChoose({ kind: option.kind, ...option.item });
  }

  function render(data) {
    options = [];
    listbox.replaceChildren();
    showSafety(data.crisis ?? null);
    for (const [kind, label] of GROUPS) {
      const items = data[kind] ?? [];
      if (!items.length) continue;
      const labelId = `${listbox.id}-${kind}`;
      const group = el("div", { role: "group", class: "suggestion-group", "aria-labelledby": labelId });
      group.append(el("div", { role: "presentation", id: labelId, class: "suggestion-label", text: label }));
      for (const item of items) {
        const index = options.length;
        const detail = detailOf(kind, item);
        const node = el(
          "div",
          { role: "option", id: `${listbox.id}-opt-${index}`, class: "suggestion", "aria-selected": "false" },
          item.text,
          detail ? el("span", { class: "detail", text: detail }) : null,
        );
        // mousedown would blur the input before the click lands
        node.addEventListener("mousedown", (event) => event.preventDefault());
        node.addEventListener("click", () => choose(index));
        group.append(node);
        options.push({ kind, item, node });
      }
      listbox.append(group);
    }
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!options.length) {
      close();
      if (data.crisis) popup.hidden = false; // the safety block shows even with nothing to suggest
      return;
    }
    listbox.hidden = false;
    popup.hidden = false;
    input.setAttribute("aria-expanded", "true");
    announce(`${options.length} suggestion${options.length === 1 ? "" : "s"}; use the arrow keys to choose.`);
  }

  async function load(text) {
    controller?.abort();
    controller = new AbortController();
    const mine = ++generation;
    try {
      const data = await fetchSuggestions(text, controller.signal);
      if (mine !== generation || input.value.trim() !== text || document.activeElement !== input) return;
      render(data);
    } catch (error) {
      if (error.name !== "AbortError" && mine === generation) close();
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < MIN_CHARS) {
      close();
      return;
    }
    timer = setTimeout(() => load(text), debounceMs);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      if (!isOpen()) {
        listbox.hidden = false;
        popup.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      const start = active < 0 ? (step > 0 ? -1 : options.length) : active;
      setActive((start + step + options.length) % options.length);
    } else if (event.key === "Enter") {
      if (isOpen() && active >= 0) {
        event.preventDefault();
        choose(active);
      } else {
        close(); // the form submits
      }
    } else if (event.key === "Escape") {
      if (isOpen() || !popup.hidden) {
        event.preventDefault();
        close();
      }
    } else if (event.key === "Tab") {
      close();
    }
  });

  input.addEventListener("blur", () => setTimeout(() => document.activeElement !== input && close(), 0));

  return { close };
}
