// Who is signed in. Locally: the stack's own accounts (a session cookie and a CSRF token).
// On AWS: the Cognito user pool's hosted sign-in, authorization code with PKCE; the ID
// token is the bearer the HTTP API's JWT authorizer verifies. One interface for both.

import { call, setBearer, setCsrf } from "./api.js";

let config = { auth: "local" };
const TOKENS = "storyloom-tokens";
const VERIFIER = "storyloom-pkce";

export function configure(c) { config = c; }

/** Whether accounts are managed here (local) or by the user pool's hosted pages. */
export function hosted() { return config.auth === "cognito"; }

/** The signed-in person ({login, owner}), or null. Finishes a hosted sign-in if one is
 * coming back with a code. */
export async function current() {
  if (hosted()) return cognitoCurrent();
  try {
    const s = await call("/v1/session");
    setCsrf(s.csrf);
    return { login: s.login, owner: s.owner };
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function signUp(login, password) {
  const s = await call("/v1/account", { method: "POST", json: { login, password } });
  setCsrf(s.csrf);
  return { login: s.login, owner: s.owner };
}

export async function signIn(login, password) {
  if (hosted()) return cognitoRedirect("login");
  const s = await call("/v1/session", { method: "POST", json: { login, password } });
  setCsrf(s.csrf);
  return { login: s.login, owner: s.owner };
}

export async function signOut() {
  if (hosted()) {
    sessionStorage.removeItem(TOKENS);
    const c = config.cognito;
    location.assign(`${c.domain}/logout?client_id=${encodeURIComponent(c.client_id)}&logout_uri=${encodeURIComponent(c.redirect_uri)}`);
    return;
  }
  await call("/v1/session", { method: "DELETE" });
  setCsrf(null);
}

export async function changePassword(current_password, new_password) {
  const s = await call("/v1/account/password", { method: "PUT", json: { current_password, new_password } });
  setCsrf(s.csrf);
}

export async function closeAccount(password) {
  await call("/v1/account", { method: "DELETE", json: { password } });
  setCsrf(null);
}

// --- Cognito hosted sign-in (authorization code + PKCE) ---

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Sends the browser to the hosted page (`login` or `signup`). */
export async function cognitoRedirect(page = "login") {
  const c = config.cognito;
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const stateValue = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(VERIFIER, JSON.stringify({ verifier, state: stateValue }));
  const query = new URLSearchParams({
    response_type: "code", client_id: c.client_id, redirect_uri: c.redirect_uri,
    scope: c.scopes || "openid email", code_challenge: challenge, code_challenge_method: "S256", state: stateValue,
  });
  location.assign(`${c.domain}/${page}?${query}`);
  return new Promise(() => {});
}

async function cognitoCurrent() {
  const params = new URLSearchParams(location.search);
  if (params.has("code")) {
    const pending = JSON.parse(sessionStorage.getItem(VERIFIER) || "null");
    sessionStorage.removeItem(VERIFIER);
    history.replaceState(null, "", location.pathname + location.hash);
    if (!pending || pending.state !== params.get("state")) return null;
    const c = config.cognito;
    const response = await fetch(`${c.domain}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code", client_id: c.client_id, code: params.get("code"),
        redirect_uri: c.redirect_uri, code_verifier: pending.verifier,
      }),
    });
    if (!response.ok) return null;
    const t = await response.json();
    sessionStorage.setItem(TOKENS, JSON.stringify({ id: t.id_token, expires: Date.now() + t.expires_in * 1000 }));
  }
  const tokens = JSON.parse(sessionStorage.getItem(TOKENS) || "null");
  if (!tokens || tokens.expires < Date.now() + 30000) return null;
  setBearer(tokens.id);
  const claims = JSON.parse(atob(tokens.id.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
  return { login: claims.email || claims["cognito:username"] || claims.sub, owner: claims.sub };
}
