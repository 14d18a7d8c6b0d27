//! Shared test support: the port contract suites that every adapter must pass, and the
//! fixtures that stand adapters up (embedded on a temporary directory, AWS on
//! `moto_server`).

pub mod clock;
pub mod contract;
pub mod fixture;
pub mod lambda;
pub mod pdf;

/// A plain HTTP client, from the workspace's one builder (`storyloom_providers::http_client`,
/// which every reqwest client must come from).
pub fn http() -> reqwest::Client {
    storyloom_providers::http_client()
        .build()
        .expect("the HTTP client builds")
}
