// Calls to the Search API v1; failures become ApiError with what the page needs to say.

export const DEFAULT_RETRY_S = 5;

// The server puts its public search key (search and suggest only) in <meta name="api-key">
// when it has one; without it (the local demo) requests go without a key.
const API_KEY = globalThis.document?.querySelector('meta[name="api-key"]')?.content ?? "";
const HEADERS = API_KEY ? { Accept: "application/json", "X-API-Key": API_KEY } : { Accept: "application/json" };

export class ApiError extends Error {
  constructor(status, message, retryAfterS = null, code = null) {
    super(message);
    this.name = "ApiError";
    this.status = status; // 0: the service could not be reached
    this.retryAfterS = retryAfterS;
    this.code = code;
  }

  get retryable() {
    return this.status === 0 || this.status === 503;
  }
}

function retryAfter(response) {
  const value = response.headers.get("Retry-After");
  const seconds = Number(value);
  if (value !== null && Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 300);
  const date = Date.parse(value ?? "");
  if (Number.isFinite(date)) return Math.max(0, Math.min((date - Date.now()) / 1000, 300));
  return DEFAULT_RETRY_S;
}

/** GET path?params as JSON; throws ApiError (or the AbortError of `signal`). */
export async function getJson(path, params, { signal } = {}) {
  const query = params instanceof URLSearchParams ? params : new URLSearchParams(params);
  let response;
  try {
    response = await fetch(`${path}?${query}`, { signal, headers: HEADERS });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "The search service could not be reached.", DEFAULT_RETRY_S);
  }
  if (response.ok) return response.json();
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const message = body?.error?.message ?? `The search service answered ${response.status}.`;
  const wait = response.status === 503 ? retryAfter(response) : null;
  throw new ApiError(response.status, message, wait, body?.error?.code ?? null);
}

export const search = (params, options) => getJson("/v1/search", params, options);
export const suggest = (q, options) => getJson("/v1/suggest", { q }, options);
