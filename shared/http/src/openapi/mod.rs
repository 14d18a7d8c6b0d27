//! The API's OpenAPI 3.1 document. Each handler describes its own operation beside its
//! code (`#[utoipa::path]`: the summary, the body, the success and the errors only it
//! gives); what every operation shares — path parameters, the Idempotency-Key, the body's
//! problems, auth and rate limits, downloads, links — is added once by [`shared`]. Served
//! at `/v1/openapi.json`; `docs/openapi.json` is the published copy, kept equal by a test.

pub(crate) mod about;
mod shared;

use crate::book_routes::{self, BookView};
use crate::budget_routes::{self, BudgetRequest, CapRequest};
use crate::character_routes;
use crate::health::{self, Health, Ready};
use crate::live_routes::{self, TicketView};
use crate::metrics::{self, MetricsView};
use crate::page_routes::{self, HistoryView, PageEdit, PageView, RedrawRequest, RevisionView};
use crate::problem::Problem;
use crate::share_routes::{self, ShareRequest, ShareView, SharedBookView};
use std::sync::OnceLock;
use storyloom_domain::budget::BudgetView;
use storyloom_domain::{Character, NewBook, NewCharacter, Progress};
use utoipa::OpenApi as _;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};

/// The operations, from their handlers, and the component schemas; the types those refer
/// to are collected with them.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Storyloom API",
        description = "Save a cast of characters, order illustrated picture books, watch them \
                       being made, share them and download them. Every endpoint needs a bearer \
                       JWT; every error is application/problem+json."
    ),
    paths(
        health::health,
        health::ready,
        metrics::metrics,
        character_routes::create_character,
        character_routes::list_characters,
        character_routes::get_character,
        character_routes::delete_character,
        character_routes::update_character,
        character_routes::portrait,
        character_routes::redraw_portrait,
        book_routes::create_book,
        book_routes::list_books,
        book_routes::get_book,
        book_routes::cancel_book,
        book_routes::retry_book,
        book_routes::progress,
        book_routes::pages,
        book_routes::picture,
        book_routes::pdf,
        book_routes::delete_book,
        book_routes::epub,
        share_routes::list_shared_books,
        share_routes::list_shares,
        share_routes::put_share,
        share_routes::delete_share,
        page_routes::get_page,
        page_routes::edit_page,
        page_routes::list_revisions,
        page_routes::restore_revision,
        page_routes::revision_picture,
        page_routes::redraw,
        budget_routes::set_cap,
        budget_routes::get_budget,
        budget_routes::put_budget,
        live_routes::create_ticket,
    ),
    components(schemas(
        NewCharacter,
        Character,
        NewBook,
        BookView,
        Progress,
        PageView,
        PageEdit,
        RedrawRequest,
        RevisionView,
        HistoryView,
        BudgetRequest,
        BudgetView,
        CapRequest,
        TicketView,
        ShareRequest,
        ShareView,
        SharedBookView,
        Problem,
        Health,
        Ready,
        MetricsView
    ))
)]
struct Api;

const BEARER: &str = "bearer";

/// The document, built once.
pub fn document() -> &'static OpenApi {
    static DOCUMENT: OnceLock<OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(build)
}

/// The document as served, built once.
pub fn document_json() -> &'static serde_json::Value {
    static JSON: OnceLock<serde_json::Value> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut json = serde_json::to_value(document()).unwrap_or_default();
        camel_case_links(&mut json);
        json
    })
}

/// utoipa 5 writes a link's `operationId` as `operation_id`, which OpenAPI tools ignore;
/// this renames it wherever a `links` object holds one.
fn camel_case_links(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(links)) = map.get_mut("links") {
                for link in links.values_mut() {
                    if let Some(obj) = link.as_object_mut()
                        && let Some(id) = obj.remove("operation_id")
                    {
                        obj.insert("operationId".to_owned(), id);
                    }
                }
            }
            map.values_mut().for_each(camel_case_links);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(camel_case_links),
        _ => {}
    }
}

fn build() -> OpenApi {
    let mut doc = Api::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    if let Some(components) = doc.components.as_mut() {
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
    doc.security = Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
    shared::complete(&mut doc);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::Endpoint;
    use axum::http::Method;

    #[test]
    fn every_endpoint_is_in_the_document_with_its_method() {
        let doc = document();
        for endpoint in Endpoint::ALL {
            let item = doc
                .paths
                .paths
                .get(endpoint.path())
                .unwrap_or_else(|| panic!("{endpoint:?} missing"));
            let op = match endpoint.method() {
                Method::POST => &item.post,
                Method::PUT => &item.put,
                Method::DELETE => &item.delete,
                _ => &item.get,
            };
            let op = op
                .as_ref()
                .unwrap_or_else(|| panic!("{endpoint:?} has no operation"));
            assert_eq!(op.operation_id.as_deref(), Some(endpoint.function_name()));
            for status in ["401", "429", "503"] {
                assert!(
                    op.responses.responses.contains_key(status),
                    "{endpoint:?} {status}"
                );
            }
        }
        let operations: usize = doc
            .paths
            .paths
            .values()
            .map(|i| {
                [&i.get, &i.put, &i.post, &i.delete]
                    .iter()
                    .filter(|o| o.is_some())
                    .count()
            })
            .sum();
        assert_eq!(
            operations,
            Endpoint::ALL.len() + 3,
            "the endpoints, the two probes and the metrics view"
        );
    }

    #[test]
    fn every_referenced_schema_is_defined() {
        let text = serde_json::to_string(document()).expect("serialises");
        let defined = &document().components.as_ref().expect("components").schemas;
        for reference in text.split("\"#/components/schemas/").skip(1) {
            let name = reference.split('"').next().unwrap_or_default();
            assert!(
                defined.contains_key(name),
                "{name} is referenced but not defined"
            );
        }
        let served = document_json().to_string();
        assert!(served.contains("\"operationId\":\"get-book\""));
        assert!(!served.contains("operation_id"));
        // Request bodies are strict, as the server is.
        let new_book = serde_json::to_value(&defined["NewBook"]).expect("serialises");
        assert_eq!(new_book["additionalProperties"], false, "{new_book}");
    }
}

#[cfg(test)]
mod snapshot {
    /// The document as published in `docs/openapi.json`, the contract clients build
    /// against: any change to the served document shows up here, on purpose or not.
    const PUBLISHED: &str = include_str!("../../../../docs/openapi.json");

    #[test]
    fn the_served_document_is_the_published_one() {
        let served = super::document_json();
        if std::env::var_os("STORYLOOM_PUBLISH_OPENAPI").is_some() {
            let text = serde_json::to_string_pretty(served).expect("serialises") + "\n";
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
            std::fs::write(path, text).expect("writes docs/openapi.json");
            return;
        }
        let published: serde_json::Value =
            serde_json::from_str(PUBLISHED).expect("docs/openapi.json is JSON");
        assert!(
            *served == published,
            "the served OpenAPI document differs from docs/openapi.json; if the change is \
             meant, publish it with STORYLOOM_PUBLISH_OPENAPI=1 cargo test -p storyloom-http \
             the_served_document"
        );
    }
}
