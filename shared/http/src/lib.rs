//! Storyloom's HTTP API under `/v1` (axum). The same router runs in the local stack and,
//! route by route, inside `lambda_http` functions. Every error is `application/problem+json`.

mod extract;
mod problem;
mod routes;

pub use problem::Problem;
pub use routes::router;
