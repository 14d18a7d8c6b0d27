//! Browser sessions of the local stack's accounts: an `HttpOnly`, `SameSite=Strict` cookie
//! naming a server-side session (so it can expire and be revoked), and a CSRF token every
//! state-changing request signed in by cookie must echo in `X-CSRF-Token`.

use crate::auth::TokenAuthority;
use crate::caller::{VerifiedOwner, unauthorized};
use crate::throttle::Throttle;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use cookie::{Cookie, SameSite};
use std::sync::Arc;
use storyloom_domain::Tier;
use storyloom_domain::account::{Account, AccountStore, Session};

/// The session cookie's name.
pub const COOKIE: &str = "storyloom_session";
/// The header a cookie-signed-in request that changes something carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What the local stack verifies callers with: bearer tokens (scripts) and account
/// sessions (browsers).
pub struct LocalAuth {
    pub tokens: Arc<TokenAuthority>,
    pub accounts: Arc<dyn AccountStore>,
    /// Mark every cookie `Secure`, whatever the request says (a stack only served over TLS).
    pub secure_cookies: bool,
    pub(crate) throttle: Throttle,
}

impl std::fmt::Debug for LocalAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalAuth")
            .field("secure_cookies", &self.secure_cookies)
            .finish_non_exhaustive()
    }
}

impl LocalAuth {
    /// Tokens and accounts, with cookies marked `Secure` when `secure_cookies`.
    pub fn new(
        tokens: Arc<TokenAuthority>,
        accounts: Arc<dyn AccountStore>,
        secure_cookies: bool,
    ) -> Self {
        LocalAuth {
            tokens,
            accounts,
            secure_cookies,
            throttle: Throttle::default(),
        }
    }

    /// The `Set-Cookie` value that starts a session, for a request with `headers`.
    pub(crate) fn start(&self, token: &str, session: &Session, headers: &HeaderMap) -> HeaderValue {
        let seconds = session.expires_at_ms.saturating_sub(session.created_at_ms) / 1000;
        self.cookie(
            token,
            cookie::time::Duration::seconds(seconds as i64),
            headers,
        )
    }

    /// The `Set-Cookie` value that ends one.
    pub(crate) fn end(&self, headers: &HeaderMap) -> HeaderValue {
        self.cookie("", cookie::time::Duration::ZERO, headers)
    }

    /// Cookies are `Secure` when the browser reached the stack over TLS: a proxy in front
    /// that terminates it says so in `X-Forwarded-Proto` (a client faking it only makes
    /// its own cookie stricter).
    fn secure(&self, headers: &HeaderMap) -> bool {
        self.secure_cookies
            || headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("https"))
    }

    fn cookie(
        &self,
        value: &str,
        max_age: cookie::time::Duration,
        headers: &HeaderMap,
    ) -> HeaderValue {
        let cookie = Cookie::build((COOKIE, value.to_owned()))
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure(headers))
            .path("/")
            .max_age(max_age)
            .build();
        // Hex tokens and fixed attributes are always valid header text.
        HeaderValue::from_str(&cookie.to_string()).unwrap_or(HeaderValue::from_static(""))
    }
}

/// The session token a request's cookies carry, if any.
pub(crate) fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == COOKIE && !c.value().is_empty())
        .map(|c| c.value().to_owned())
}

/// The live session a request's cookie names, with its account and token; a change also
/// needs the session's CSRF token. The one check behind both the API and the account
/// routes.
pub(crate) async fn signed_in(
    local: &LocalAuth,
    ports: &storyloom_application::Ports,
    method: &Method,
    headers: &HeaderMap,
) -> Result<(String, Session, Account), crate::Problem> {
    let token = token(headers).ok_or_else(|| {
        unauthorized("sign in first (or send a bearer token: Authorization: Bearer <token>)")
    })?;
    let (session, account) =
        storyloom_application::accounts::session(&*ports.clock, &*local.accounts, &token)
            .await?
            .ok_or_else(|| unauthorized("your session has ended; sign in again"))?;
    if !csrf_ok(method, headers, &session) {
        return Err(crate::Problem::new(
            axum::http::StatusCode::FORBIDDEN,
            "Forbidden",
            "a change made with a session cookie must carry the session's X-CSRF-Token header",
        ));
    }
    Ok((token, session, account))
}

/// Whether a request may go ahead on a cookie session: reads always; changes only with
/// the session's CSRF token (compared in constant time).
fn csrf_ok(method: &Method, headers: &HeaderMap, session: &Session) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let Some(sent) = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let (a, b) = (sent.as_bytes(), session.csrf.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The caller a session stands for: the account's owner, on the free tier (local
/// accounts have no plan; tokens can still name one).
pub(crate) fn caller(account: &Account) -> VerifiedOwner {
    VerifiedOwner {
        owner: account.owner().clone(),
        tier: Tier::Free,
    }
}
