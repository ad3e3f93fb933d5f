// The search page's state <-> its query string (so links can be shared and Back works).
// State: {q, interpret, sort, filters: {state, city, zip, remote, telehealth, accepting, max_fee, specialty: [], ...}}

export const LIST_FILTERS = [
  "specialty",
  "credential",
  "language",
  "insurance",
  "age_group",
  "therapy_type",
  "gender",
  "faith",
];
export const TEXT_FILTERS = ["state", "city", "zip"];
export const BOOL_FILTERS = ["remote", "telehealth", "accepting", "in_person", "sliding_scale"];
// whole numbers: US dollars a session, and days to the next opening
export const INT_FILTERS = ["max_fee", "available_within_days"];
// a place and radius: only from a link (the page does not ask the browser where it is)
export const NUMBER_FILTERS = ["lat", "lon", "radius_km"];
export const SORTS = ["relevance", "distance", "availability", "fee"];
export const DEFAULT_SORT = "relevance";

export function emptyFilters() {
  return Object.fromEntries(LIST_FILTERS.map((name) => [name, []]));
}

export function fromQueryString(search) {
  const params = new URLSearchParams(search);
  const filters = emptyFilters();
  for (const name of LIST_FILTERS) {
    filters[name] = [...new Set(params.getAll(name).map((v) => v.trim()).filter(Boolean))];
  }
  for (const name of TEXT_FILTERS) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  for (const name of BOOL_FILTERS) {
    const value = params.get(name);
    if (value === "true" || value === "false") filters[name] = value === "true";
  }
  for (const name of INT_FILTERS) {
    const value = params.get(name)?.trim() ?? "";
    if (/^\d{1,5}$/.test(value)) filters[name] = Number(value);
  }
  for (const name of NUMBER_FILTERS) {
    const value = Number(params.get(name) ?? "");
    if (params.get(name) && Number.isFinite(value)) filters[name] = value;
  }
  const sort = params.get("sort");
  return {
    q: (params.get("q") ?? "").trim(),
    interpret: params.get("interpret") !== "false",
    sort: SORTS.includes(sort) ? sort : DEFAULT_SORT,
    filters,
  };
}

/** URLSearchParams in a stable order: q, filters, sort when not the default, then interpret=false when set. */
export function toParams(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const name of TEXT_FILTERS) {
    if (state.filters[name]) params.set(name, state.filters[name]);
  }
  for (const name of BOOL_FILTERS) {
    if (typeof state.filters[name] === "boolean") params.set(name, String(state.filters[name]));
  }
  for (const name of [...INT_FILTERS, ...NUMBER_FILTERS]) {
    if (typeof state.filters[name] === "number") params.set(name, String(state.filters[name]));
  }
  for (const name of LIST_FILTERS) {
    for (const value of state.filters[name] ?? []) params.append(name, value);
  }
  if (state.sort && state.sort !== DEFAULT_SORT) params.set("sort", state.sort);
  if (state.interpret === false) params.set("interpret", "false");
  return params;
}

export function toQueryString(state) {
  const text = toParams(state).toString();
  return text ? `?${text}` : "";
}

export function cloneState(state) {
  return {
    q: state.q,
    interpret: state.interpret,
    sort: state.sort ?? DEFAULT_SORT,
    filters: structuredClone(state.filters),
  };
}

/** Whether any filter is set (a search without words browses by them). */
export function hasFilters(filters) {
  return Object.values(filters).some((value) => (Array.isArray(value) ? value.length > 0 : value !== undefined));
}

/** A copy of `filters` with `extra` merged in (lists are unioned, single values replaced). */
export function mergeFilters(filters, extra) {
  const merged = structuredClone(filters);
  for (const [name, value] of Object.entries(extra)) {
    if (LIST_FILTERS.includes(name)) {
      const values = Array.isArray(value) ? value : [value];
      merged[name] = [...new Set([...(merged[name] ?? []), ...values])];
    } else if (!(name in merged) || merged[name] === undefined) {
      merged[name] = value;
    }
  }
  return merged;
}

/** A copy of `filters` without `name` (or, for a list, without `value` in it); the place
 * (lat, lon, radius_km) goes as one. */
export function withoutFilter(filters, name, value) {
  const next = structuredClone(filters);
  if (LIST_FILTERS.includes(name)) next[name] = (next[name] ?? []).filter((v) => v !== value);
  else if (NUMBER_FILTERS.includes(name)) NUMBER_FILTERS.forEach((key) => delete next[key]);
  else delete next[name];
  return next;
}
