//! Storyloom's HTTP API under `/v1` (axum). The same handlers run in the local stack (one
//! router of every [`Endpoint`]) and, endpoint by endpoint, inside `lambda_http` functions.
//! Every error is `application/problem+json`.

mod account_routes;
pub mod auth;
mod book_routes;
mod budget_routes;
mod caller;
mod character_routes;
mod endpoint;
mod events;
mod extract;
mod health;
pub mod idempotency;
mod ids;
mod listener;
mod live_routes;
mod metrics;
pub mod openapi;
mod page_routes;
mod problem;
mod reply;
pub mod route;
pub mod session;
mod share_routes;
mod throttle;
pub mod web_app;

pub use auth::TokenAuthority;
pub use caller::{Identity, VerifiedOwner, tier_of};
pub use endpoint::{BODY_LIMIT, Endpoint, HEALTH_PATH, READY_PATH, probes, router, router_for};
pub use listener::{ClientAddr, ProblemIo, ProblemListener};
pub use problem::Problem;
pub use route::Route;
pub use session::LocalAuth;
