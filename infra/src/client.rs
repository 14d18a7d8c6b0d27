//! An HTTP client that speaks to the API as one signed-in user.

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

/// A client sending `Authorization: Bearer <token>` on every request.
pub fn signed_in(token: &str) -> anyhow::Result<reqwest::Client> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))?;
    // Keeps the token out of any debug output of the request.
    value.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, value);
    Ok(reqwest::Client::builder()
        .default_headers(headers)
        .build()?)
}
