// Display labels for specialties. The API returns them beside the directory's names (a hit's
// `specialty_labels`, a facet entry's `label`, `interpreted.specialty_labels`); the page keeps
// each it has seen, so a chip for a filter in the URL shows the same label as the facet did.
// The name stays what a filter sends.

const known = new Map();

function learn(names, labels) {
  if (!Array.isArray(names) || !Array.isArray(labels)) return;
  names.forEach((name, i) => {
    if (typeof name === "string" && typeof labels[i] === "string" && labels[i]) known.set(name, labels[i]);
  });
}

export function learnLabels(data) {
  learn(data?.interpreted?.specialties, data?.interpreted?.specialty_labels);
  for (const hit of data?.providers?.hits ?? []) learn(hit.specialties, hit.specialty_labels);
  for (const entry of data?.providers?.facets?.specialties ?? []) learn([entry.value], [entry.label]);
}

/** The label for a specialty's directory name; the name itself when none is known. */
export function labelOf(name) {
  return known.get(name) ?? name;
}
