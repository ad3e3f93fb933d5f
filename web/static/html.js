// Building DOM safely: text always goes in as text; highlights keep exactly <mark> and </mark>.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const NAMED = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Undo the engine's HTML escaping (its highlights arrive as `haven&#x27;t`), so that the
 * text can be escaped once, by us, without showing entities literally. */
export function decodeEntities(text) {
  return String(text ?? "").replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

/** A highlight fragment made safe for innerHTML: everything is escaped, then exactly
 * `<mark>` and `</mark>` are allowed back (no attributes, no other tag). */
export function safeMarked(fragment) {
  return String(fragment ?? "")
    .split(/(<\/?mark>)/i)
    .map((part) => {
      const tag = part.toLowerCase();
      if (tag === "<mark>" || tag === "</mark>") return tag;
      return escapeHtml(decodeEntities(part));
    })
    .join("");
}

/** Text with the engine's <mark> tags removed (to compare a highlight with its plain value). */
export function stripMarks(fragment) {
  return decodeEntities(String(fragment ?? "").replace(/<\/?mark>/gi, ""));
}

/** el("p", {class: "x", text: "hi"}, child...) — attributes via setAttribute, text via textContent. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "marked") node.innerHTML = safeMarked(value);
    else if (key === "class") node.className = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Only http(s) links leave the page; anything else (javascript:, data:) is dropped. */
export function safeUrl(url) {
  if (typeof url !== "string") return null;
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}
