//! Warm handler time: `GET /v1/books/{id}/progress` through the whole router (auth, rate
//! limit, store read, JSON) over the embedded adapters, no network in between.

use super::{percentile, report};
use crate::stack::StackOptions;
use axum::body::Body;
use axum::http::Request;
use std::time::Instant;
use storyloom_http::Identity;
use tower::ServiceExt;

/// Requests measured after the warm-up.
const REQUESTS: usize = 2_000;

/// Measures `handler_p50_us` and `handler_p99_us`.
pub async fn run(options: &StackOptions) -> anyhow::Result<()> {
    let super::book::OneBook {
        dir: _dir,
        stack,
        token,
        id,
        ..
    } = super::book::one_book(options).await?;
    let app = storyloom_http::router(stack.ports.clone(), Identity::Bearer(stack.tokens.clone()));
    let uri = format!("/v1/books/{id}/progress");
    let mut times = Vec::with_capacity(REQUESTS);
    for i in 0..REQUESTS + 200 {
        let request = Request::get(&uri)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())?;
        let started = Instant::now();
        let response = app.clone().oneshot(request).await?;
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await?;
        let elapsed = started.elapsed();
        anyhow::ensure!(!body.is_empty(), "an empty progress response");
        if i >= 200 {
            times.push(elapsed.as_secs_f64() * 1e6);
        }
    }
    times.sort_by(f64::total_cmp);
    report("handler_p50_us", percentile(&times, 0.50));
    report("handler_p99_us", percentile(&times, 0.99));
    stack.stop().await;
    Ok(())
}
