// The one way the app speaks to the API: same-origin fetch with the session cookie and its
// CSRF token locally, a bearer token from the user pool on AWS. Errors are the API's
// problem details (RFC 9457), thrown as Problem.

const state = { base: "", csrf: null, bearer: null };

/** Where the API is (empty: this origin) and how the caller is known. */
export function configure({ base = "", csrf = null, bearer = null } = {}) {
  Object.assign(state, { base, csrf, bearer });
}

export function setCsrf(token) { state.csrf = token; }
export function setBearer(token) { state.bearer = token; }

/** An error the API answered, with its detail and field errors. */
export class Problem extends Error {
  constructor(status, body = {}, retryAfter = null) {
    super(body.detail || body.title || `The server answered ${status}`);
    this.status = status;
    this.errors = body.errors || [];
    this.retryAfter = retryAfter;
  }
}

/** Calls the API; resolves to the parsed JSON (null for 204), or the Response when `raw`. */
export async function call(path, { method = "GET", json, headers = {}, raw = false, signal } = {}) {
  const sent = { ...headers };
  if (state.bearer) sent.authorization = `Bearer ${state.bearer}`;
  if (state.csrf && method !== "GET") sent["x-csrf-token"] = state.csrf;
  let body;
  if (json !== undefined) {
    sent["content-type"] = "application/json";
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(state.base + path, { method, headers: sent, body, signal, credentials: "same-origin" });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new Problem(0, { detail: "Storyloom cannot be reached; check the connection and try again." });
  }
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch (_) { /* not JSON */ }
    throw new Problem(response.status, problem, response.headers.get("retry-after"));
  }
  if (raw) return response;
  return response.status === 204 ? null : response.json();
}

/** An object URL for an image or file the API serves (cookies or bearer alike). */
export async function objectUrl(path) {
  const response = await call(path, { raw: true });
  return URL.createObjectURL(await response.blob());
}

/** Downloads a file the API serves under `name`. */
export async function download(path, name) {
  const url = await objectUrl(path);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
