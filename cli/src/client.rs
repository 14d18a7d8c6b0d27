//! An HTTP client that speaks to the API as one signed-in user.

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

/// A client sending `Authorization: Bearer <token>` on every request.
pub fn signed_in(token: &str) -> anyhow::Result<reqwest::Client> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))?;
    // Keeps the token out of any debug output of the request.
    value.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, value);
    Ok(storyloom_providers::http_client()
        .default_headers(headers)
        .build()?)
}

/// Sends `request` and returns its JSON body, or an error naming the status and the
/// problem's detail when the API refused it.
pub async fn json(request: reqwest::RequestBuilder) -> anyhow::Result<serde_json::Value> {
    let response = request.send().await?;
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    if !status.is_success() {
        anyhow::bail!("the API answered {status}: {}", body["detail"]);
    }
    Ok(body)
}

/// Downloads a book's PDF.
pub async fn pdf(http: &reqwest::Client, base: &str, id: &str) -> anyhow::Result<Vec<u8>> {
    Ok(http
        .get(format!("{base}/v1/books/{id}/book.pdf"))
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?
        .to_vec())
}
