//! The API's OpenAPI 3.1 document, generated from the code: the paths from [`Endpoint`]
//! (the same list the routers are built from, so no route can be left out), the bodies from
//! the types the handlers read and write, and the errors from what the middleware and the
//! handlers can answer. Served at `/v1/openapi.json`.

use crate::budget_routes::{BudgetRequest, CapRequest};
use crate::endpoint::{BODY_LIMIT, Endpoint, HEALTH_PATH, METRICS_PATH, READY_PATH};
use crate::health::{Health, Ready};
use crate::live_routes::TicketView;
use crate::metrics::MetricsView;
use crate::page_routes::{HistoryView, PageEdit, PageView, RedrawRequest, RevisionView};
use crate::problem::Problem;
use crate::routes::BookView;
use crate::share_routes::{ShareRequest, ShareView, SharedBookView};
use axum::http::Method;
use std::sync::OnceLock;
use storyloom_domain::budget::BudgetView;
use storyloom_domain::{BookId, Character, CharacterId, NewBook, NewCharacter, OwnerId, Progress};
use utoipa::openapi::link::{Link, LinkBuilder};
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, ParameterBuilder, ParameterIn,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ArrayBuilder, ContentBuilder, HeaderBuilder, ObjectBuilder, OpenApi, PathItem, Ref, RefOr,
    Required, ResponseBuilder, Schema, Type,
};
use utoipa::{OpenApi as _, PartialSchema, ToSchema};

/// The document's component schemas; the types they refer to are collected with them.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Storyloom API",
        description = "Save a cast of characters, order illustrated picture books, watch them \
                       being made, share them and download them. Every endpoint needs a bearer \
                       JWT; every error is application/problem+json."
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
struct Components;

const PROBLEM_JSON: &str = "application/problem+json";
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
    let mut doc = Components::openapi();
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
    for (path, id, summary, body, unready) in [
        (
            HEALTH_PATH,
            "health",
            "Liveness: the process answers",
            schema_ref::<Health>(),
            false,
        ),
        (
            READY_PATH,
            "ready",
            "Readiness: the store, queue, blob store and secrets answer",
            schema_ref::<Ready>(),
            true,
        ),
        (
            METRICS_PATH,
            "metrics",
            "The local stack's metrics: counts, sums and percentiles since it started",
            schema_ref::<MetricsView>(),
            false,
        ),
    ] {
        let mut op = OperationBuilder::new()
            .operation_id(Some(id))
            .summary(Some(summary))
            .tag("health")
            // Public: no token needed.
            .securities(Some(Vec::<SecurityRequirement>::new()))
            .response(
                "200",
                ResponseBuilder::new().description("Up").content(
                    "application/json",
                    ContentBuilder::new().schema(Some(body)).build(),
                ),
            );
        if unready {
            op = op.response(
                "503",
                problem_with_header(
                    "A dependency does not answer (named in `detail`)",
                    "Retry-After",
                    RETRY_AFTER_ABOUT,
                ),
            );
        }
        doc.paths
            .paths
            .insert(path.to_owned(), PathItem::new(HttpMethod::Get, op.build()));
    }
    for endpoint in Endpoint::ALL {
        let method = http_method(&endpoint.method());
        let item = PathItem::new(method, operation(endpoint));
        match doc.paths.paths.get_mut(endpoint.path()) {
            Some(existing) => existing.merge_operations(item),
            None => {
                doc.paths.paths.insert(endpoint.path().to_owned(), item);
            }
        }
    }
    doc
}

fn http_method(method: &Method) -> HttpMethod {
    match *method {
        Method::POST => HttpMethod::Post,
        Method::PUT => HttpMethod::Put,
        Method::DELETE => HttpMethod::Delete,
        _ => HttpMethod::Get,
    }
}

fn schema_ref<T: ToSchema>() -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(T::name()))
}

/// `{"items": [T]}`, the shape of every list.
fn listing<T: ToSchema>() -> RefOr<Schema> {
    ObjectBuilder::new()
        .property("items", ArrayBuilder::new().items(schema_ref::<T>()))
        .required("items")
        .into()
}

/// What a successful call returns.
enum Success {
    Json(u16, &'static str, Box<RefOr<Schema>>),
    Empty(u16, &'static str),
    /// The bytes themselves (local stack) or a redirect to a short-lived URL (AWS).
    Download(&'static str, &'static str),
}

/// What one endpoint takes and answers, beyond what every endpoint answers.
struct Contract {
    summary: &'static str,
    body: Option<RefOr<Schema>>,
    success: Success,
    /// Endpoint-specific errors, with when they happen.
    errors: &'static [(u16, &'static str)],
}

const NOT_FOUND: (u16, &str) = (404, "No such thing among those the caller may see");
const FORBIDDEN: (u16, &str) = (403, "Shared with the caller, but not for this");
const CONFLICT: (u16, &str) = (409, "The book is not in a state that allows this");
const STALE: (u16, &str) = (412, "The page changed since the ETag sent in If-Match");
const MISSING_IF_MATCH: (u16, &str) = (428, "If-Match is required: send the page's ETag");

fn contract(endpoint: Endpoint) -> Contract {
    use Endpoint::*;
    let json = |status, about, schema| Success::Json(status, about, Box::new(schema));
    let (summary, body, success, errors): (_, _, _, &'static [(u16, &'static str)]) = match endpoint
    {
        CreateCharacter => (
            "Save a character",
            Some(schema_ref::<NewCharacter>()),
            json(201, "The saved character", schema_ref::<Character>()),
            &[],
        ),
        ListCharacters => (
            "The caller's characters, oldest first",
            None,
            json(200, "The characters", listing::<Character>()),
            &[],
        ),
        GetCharacter => (
            "One character",
            None,
            json(200, "The character", schema_ref::<Character>()),
            &[NOT_FOUND],
        ),
        DeleteCharacter => (
            "Delete a character (books keep their copy)",
            None,
            Success::Empty(204, "Deleted"),
            &[NOT_FOUND],
        ),
        UpdateCharacter => (
            "Edit a character; their portrait is drawn again (books already made keep their copy)",
            Some(schema_ref::<NewCharacter>()),
            json(200, "The edited character", schema_ref::<Character>()),
            &[NOT_FOUND],
        ),
        GetPortrait => (
            "A character's portrait, drawn by the image model with the look books use",
            None,
            Success::Download("image/png", "The portrait"),
            &[NOT_FOUND],
        ),
        RedrawPortrait => (
            "Draw a character's portrait anew (a new seed), when it is next requested",
            None,
            json(200, "The character", schema_ref::<Character>()),
            &[NOT_FOUND],
        ),
        CreateBook => (
            "Order a book; it is written, checked, drawn and typeset in the background",
            Some(schema_ref::<NewBook>()),
            json(202, "The book, queued", schema_ref::<BookView>()),
            &[],
        ),
        ListBooks => (
            "The caller's books, newest first; with `q`, those whose title, premise or pages \
             hold every word of it",
            None,
            json(200, "The books", listing::<BookView>()),
            &[(422, "The search is longer than 200 characters")],
        ),
        GetBook => (
            "One book",
            None,
            json(200, "The book", schema_ref::<BookView>()),
            &[NOT_FOUND],
        ),
        CancelBook => (
            "Stop making a book",
            None,
            json(200, "The book, cancelled", schema_ref::<BookView>()),
            &[FORBIDDEN, NOT_FOUND, CONFLICT],
        ),
        RetryBook => (
            "Redraw the pictures that failed in a partial book",
            None,
            json(
                202,
                "The book, being illustrated again",
                schema_ref::<BookView>(),
            ),
            &[FORBIDDEN, NOT_FOUND, CONFLICT],
        ),
        GetProgress => (
            "Where a book is, stage by stage",
            None,
            json(200, "The progress", schema_ref::<Progress>()),
            &[NOT_FOUND],
        ),
        ListPages => (
            "The pages written so far",
            None,
            json(200, "The pages", listing::<PageView>()),
            &[NOT_FOUND],
        ),
        GetPagePicture => (
            "A page's picture",
            None,
            Success::Download("image/png", "The picture"),
            &[NOT_FOUND],
        ),
        DownloadPdf => (
            "The print-ready PDF",
            None,
            Success::Download("application/pdf", "The PDF"),
            &[NOT_FOUND],
        ),
        DeleteBook => (
            "Delete a book with its pages, pictures and shares (owner only)",
            None,
            Success::Empty(204, "Deleted"),
            &[FORBIDDEN, NOT_FOUND, CONFLICT],
        ),
        ListSharedBooks => (
            "The books other users shared with the caller",
            None,
            json(
                200,
                "The books and the caller's access",
                listing::<SharedBookView>(),
            ),
            &[],
        ),
        ListShares => (
            "Who a book is shared with (owner only)",
            None,
            json(200, "The shares", listing::<ShareView>()),
            &[FORBIDDEN, NOT_FOUND],
        ),
        PutShare => (
            "Share a book with a user as viewer or editor (owner only)",
            Some(schema_ref::<ShareRequest>()),
            json(200, "The share", schema_ref::<ShareView>()),
            &[FORBIDDEN, NOT_FOUND],
        ),
        DeleteShare => (
            "Revoke a user's share (owner only)",
            None,
            Success::Empty(204, "Revoked, or there was none"),
            &[FORBIDDEN, NOT_FOUND, (422, "The user id is not valid")],
        ),
        GetPage => (
            "One page; its ETag guards edits",
            None,
            json(
                200,
                "The page (ETag header: its revision)",
                schema_ref::<PageView>(),
            ),
            &[NOT_FOUND],
        ),
        EditPage => (
            "Replace a page's text as a new revision (send If-Match with its ETag); the PDF \
             is typeset again",
            Some(schema_ref::<PageEdit>()),
            json(
                200,
                "The page at its new revision",
                schema_ref::<PageView>(),
            ),
            &[FORBIDDEN, NOT_FOUND, CONFLICT, STALE, MISSING_IF_MATCH],
        ),
        ListRevisions => (
            "A page's current revision and the ones it replaced, oldest first",
            None,
            json(200, "The history", schema_ref::<HistoryView>()),
            &[NOT_FOUND],
        ),
        RestoreRevision => (
            "Make an earlier revision current again (as a new revision), with the picture it had",
            None,
            json(
                200,
                "The page at its new revision",
                schema_ref::<PageView>(),
            ),
            &[FORBIDDEN, NOT_FOUND, CONFLICT, STALE],
        ),
        GetRevisionPicture => (
            "The picture a page showed at an earlier revision",
            None,
            Success::Download("image/png", "The picture"),
            &[NOT_FOUND],
        ),
        RedrawPicture => (
            "Redraw only this page's picture, optionally with a note; the book is typeset again",
            Some(schema_ref::<RedrawRequest>()),
            json(
                202,
                "The page, its picture being drawn",
                schema_ref::<PageView>(),
            ),
            &[FORBIDDEN, NOT_FOUND, CONFLICT],
        ),
        SetBookCap => (
            "Set or remove a book's cost cap; raising it resumes a book it paused",
            Some(schema_ref::<CapRequest>()),
            json(200, "The book", schema_ref::<BookView>()),
            &[FORBIDDEN, NOT_FOUND],
        ),
        GetBudget => (
            "The caller's monthly budget and this month's spending",
            None,
            json(200, "The budget", schema_ref::<BudgetView>()),
            &[],
        ),
        PutBudget => (
            "Set or remove the caller's monthly budget; raising it resumes paused books",
            Some(schema_ref::<BudgetRequest>()),
            json(200, "The budget", schema_ref::<BudgetView>()),
            &[],
        ),
        DownloadEpub => (
            "The EPUB 3 e-book, with the pictures and their descriptions",
            None,
            Success::Download("application/epub+zip", "The e-book"),
            &[NOT_FOUND],
        ),
        CreateLiveTicket => (
            "A single-use ticket, valid for a minute, to open the live-progress WebSocket \
             with (`wss://…?ticket=…`), since a browser cannot send a bearer token there",
            None,
            json(201, "The ticket", schema_ref::<TicketView>()),
            &[],
        ),
    };
    Contract {
        summary,
        body,
        success,
        errors,
    }
}

fn problem(description: &str) -> utoipa::openapi::ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        PROBLEM_JSON,
        ContentBuilder::new()
            .schema(Some(schema_ref::<Problem>()))
            .build(),
    )
}

/// A problem answered with a header the client should read.
fn problem_with_header(
    description: &str,
    header: &str,
    about: &str,
) -> utoipa::openapi::ResponseBuilder {
    problem(description).header(
        header,
        HeaderBuilder::new()
            .schema(String::schema())
            .description(Some(about))
            .build(),
    )
}

/// What `Retry-After` means, wherever it is sent.
const RETRY_AFTER_ABOUT: &str = "Seconds to wait before trying again";

fn path_parameter(
    name: &str,
    schema: RefOr<Schema>,
    about: &str,
) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(about))
        .schema(Some(schema))
        .build()
}

/// What a client can do next with what `endpoint` created: every operation on the new
/// thing, its `id` taken from the response.
fn links_from(endpoint: Endpoint) -> Vec<(String, Link)> {
    let family = match endpoint {
        Endpoint::CreateCharacter => "/v1/characters/{id}",
        Endpoint::CreateBook => "/v1/books/{id}",
        _ => return Vec::new(),
    };
    Endpoint::ALL
        .into_iter()
        .filter(|e| e.path().starts_with(family))
        .map(|e| {
            let link = LinkBuilder::new()
                .operation_id(e.function_name())
                .parameter("id", "$response.body#/id")
                .build();
            (e.function_name().to_owned(), link)
        })
        .collect()
}

fn operation(endpoint: Endpoint) -> Operation {
    let c = contract(endpoint);
    let path = endpoint.path();
    let mut op = OperationBuilder::new()
        .operation_id(Some(endpoint.function_name()))
        .summary(Some(c.summary))
        .tag(if path.starts_with("/v1/characters") {
            "characters"
        } else {
            "books"
        });
    if path.contains("{id}") {
        let (schema, about) = if path.starts_with("/v1/characters") {
            (CharacterId::schema(), "The character's id")
        } else {
            (BookId::schema(), "The book's id")
        };
        op = op.parameter(path_parameter("id", schema, about));
    }
    for (name, about) in [
        ("n", "The page number, from 1"),
        ("r", "The revision number"),
    ] {
        if path.contains(&format!("{{{name}}}")) {
            let number = ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(u32::MAX));
            op = op.parameter(path_parameter(name, number.into(), about));
        }
    }
    if endpoint == Endpoint::EditPage || endpoint == Endpoint::RestoreRevision {
        op = op.parameter(
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .required(if endpoint == Endpoint::EditPage {
                    Required::True
                } else {
                    Required::False
                })
                .description(Some("The page's ETag, as read: \"r<revision>\""))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build(),
        );
    }
    if endpoint == Endpoint::ListBooks {
        op = op.parameter(
            ParameterBuilder::new()
                .name("q")
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(
                    "Words (case-insensitive) every listed book's title, premise or pages hold",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .max_length(Some(200)),
                ))
                .build(),
        );
    }
    if path.contains("{user}") {
        op = op.parameter(path_parameter("user", OwnerId::schema(), "The user's id"));
    }
    if endpoint.method() == Method::POST {
        op = op.parameter(
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "Makes a retried request safe: the first response is replayed for 24 hours",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .max_length(Some(255))
                        .pattern(Some("^[!-~]+$")),
                ))
                .build(),
        );
    }
    match c.success {
        Success::Json(status, about, schema) => {
            let mut response = ResponseBuilder::new().description(about).content(
                "application/json",
                ContentBuilder::new().schema(Some(*schema)).build(),
            );
            for (name, link) in links_from(endpoint) {
                response = response.link(name, link);
            }
            op = op.response(status.to_string(), response);
        }
        Success::Empty(status, about) => {
            op = op.response(
                status.to_string(),
                ResponseBuilder::new().description(about),
            );
        }
        Success::Download(content_type, about) => {
            let binary = ObjectBuilder::new()
                .schema_type(Type::String)
                .content_media_type(content_type);
            op = op
                .response(
                    "200",
                    ResponseBuilder::new()
                        .description(format!("{about} (the local stack serves the bytes)"))
                        .content(
                            content_type,
                            ContentBuilder::new().schema(Some(binary)).build(),
                        ),
                )
                .response(
                    "307",
                    ResponseBuilder::new()
                        .description(format!("{about}, at a short-lived presigned URL (on AWS)"))
                        .header(
                            "Location",
                            HeaderBuilder::new().schema(String::schema()).build(),
                        ),
                );
        }
    }
    if c.body.is_some() || endpoint.method() == Method::POST {
        op = op
            .response("400", problem("The body is not valid JSON"))
            .response(
                "413",
                problem(&format!("The body is larger than {BODY_LIMIT} bytes")),
            )
            .response("415", problem("The body is not sent as application/json"))
            .response(
                "422",
                problem(
                    "The body does not fit (each field at fault is named in `errors`), the \
                     content policy refused it, or the Idempotency-Key was used for another \
                     request",
                ),
            );
    }
    if let Some(body) = c.body {
        op = op.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(body)).build(),
                )
                .build(),
        ));
    }
    for (status, about) in c.errors {
        op = op.response(status.to_string(), problem(about));
    }
    if endpoint.method() == Method::POST {
        // The idempotency layer wraps every POST; a 409 the endpoint has already explains
        // both causes.
        const BUSY: &str = "another request with the same Idempotency-Key is being handled";
        let about = match c.errors.iter().find(|(status, _)| *status == 409) {
            Some((_, own)) => format!("{own}, or {BUSY}"),
            None => format!("In progress: {BUSY}"),
        };
        op = op.response(
            "409",
            problem_with_header(&about, "Retry-After", RETRY_AFTER_ABOUT),
        );
    }
    op.response(
        "401",
        problem_with_header(
            "No valid bearer token",
            "WWW-Authenticate",
            "The authentication scheme to use",
        ),
    )
    .response(
        "429",
        problem_with_header(
            "Over the caller's request rate, daily books or books being made at once",
            "Retry-After",
            RETRY_AFTER_ABOUT,
        ),
    )
    .response(
        "503",
        problem_with_header(
            "A dependency is briefly unavailable",
            "Retry-After",
            RETRY_AFTER_ABOUT,
        ),
    )
    .build()
}

#[cfg(test)]
mod tests {
    use super::*;

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
