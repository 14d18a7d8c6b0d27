//! What every operation shares, added once to the operations the handlers describe: the
//! middleware and the extractors give these answers to every endpoint alike, so no handler
//! repeats them.

use super::about;
use crate::endpoint::{BODY_LIMIT, HEALTH_PATH, METRICS_PATH, READY_PATH};
use crate::problem::Problem;
use storyloom_domain::{BookId, CharacterId, OwnerId};
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::SchemaType;
use utoipa::openapi::{
    Content, ContentBuilder, HeaderBuilder, ObjectBuilder, OpenApi, Ref, RefOr, Required, Response,
    ResponseBuilder, Schema, Type,
};
use utoipa::{PartialSchema, ToSchema};

const PROBLEM_JSON: &str = "application/problem+json";

/// The probes and the metrics view: public, so none of the API's own answers apply.
const PUBLIC: [&str; 3] = [HEALTH_PATH, READY_PATH, METRICS_PATH];

/// Completes every operation of `doc` with what it shares with the others.
pub(super) fn complete(doc: &mut OpenApi) {
    let operations: Vec<(String, String)> = doc
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            [&item.get, &item.put, &item.post, &item.delete]
                .into_iter()
                .flatten()
                .filter_map(|op| Some((path.clone(), op.operation_id.clone()?)))
        })
        .collect();
    for (path, item) in doc.paths.paths.iter_mut() {
        let post = item.post.as_mut().map(|op| (op, true));
        let others = [&mut item.get, &mut item.put, &mut item.delete]
            .into_iter()
            .filter_map(|op| op.as_mut().map(|op| (op, false)));
        for (op, is_post) in post.into_iter().chain(others) {
            if PUBLIC.contains(&path.as_str()) {
                // No token needed.
                op.security = Some(Vec::new());
                problems_as_json(op);
                continue;
            }
            parameters(path, op, is_post);
            if op.request_body.is_some() || is_post {
                body_problems(op);
            }
            problems_as_json(op);
            downloads(op);
            if is_post {
                links(path, op, &operations);
                idempotency_conflict(op);
            }
            every_call(op);
        }
    }
}

/// The path's own parameters first, in the order the path names them, then the handler's,
/// then the Idempotency-Key every POST takes.
fn parameters(path: &str, op: &mut Operation, is_post: bool) {
    let mut all: Vec<Parameter> = path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| path_parameter(path, name))
        .collect();
    all.extend(
        op.parameters
            .take()
            .unwrap_or_default()
            .into_iter()
            .map(never_null),
    );
    if is_post {
        all.push(idempotency_key());
    }
    op.parameters = (!all.is_empty()).then_some(all);
}

/// utoipa writes an optional header's type as nullable, but a header is absent or a
/// string, never null.
fn never_null(mut parameter: Parameter) -> Parameter {
    if parameter.parameter_in == ParameterIn::Header
        && let Some(RefOr::T(Schema::Object(object))) = parameter.schema.as_mut()
        && let SchemaType::Array(types) = &object.schema_type
        && let [only] = types
            .iter()
            .filter(|t| **t != Type::Null)
            .collect::<Vec<_>>()[..]
    {
        object.schema_type = SchemaType::Type(only.clone());
    }
    parameter
}

/// The schema and meaning of a path parameter, by its name.
fn path_parameter(path: &str, name: &str) -> Parameter {
    let number = |about| {
        let schema = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(u32::MAX));
        (RefOr::from(schema), about)
    };
    let (schema, about) = match name {
        "id" if path.starts_with("/v1/characters") => (CharacterId::schema(), "The character's id"),
        "id" => (BookId::schema(), "The book's id"),
        "n" => number("The page number, from 1"),
        "r" => number("The revision number"),
        "user" => (OwnerId::schema(), "The user's id"),
        _ => (String::schema(), "Named by the path"),
    };
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(about))
        .schema(Some(schema))
        .build()
}

fn idempotency_key() -> Parameter {
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
        .build()
}

/// What the body extractor answers; an operation's own answer for a status wins.
fn body_problems(op: &mut Operation) {
    let answers = [
        (400, "The body is not valid JSON".to_owned()),
        (413, format!("The body is larger than {BODY_LIMIT} bytes")),
        (415, "The body is not sent as application/json".to_owned()),
        (
            422,
            "The body does not fit (each field at fault is named in `errors`), the content \
             policy refused it, or the Idempotency-Key was used for another request"
                .to_owned(),
        ),
    ];
    for (status, about) in answers {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| problem(&about).build().into());
    }
}

/// Every error is `application/problem+json`, so the handlers name only when it happens
/// (and a `Retry-After` they send means what it always means).
fn problems_as_json(op: &mut Operation) {
    for (status, response) in op.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        if status.as_str() >= "400" && response.content.is_empty() {
            response
                .content
                .insert(PROBLEM_JSON.to_owned(), problem_content());
        }
        if let Some(header) = response.headers.get_mut("Retry-After") {
            header
                .description
                .get_or_insert_with(|| about::RETRY_AFTER.to_owned());
        }
    }
}

/// A download is the bytes on the local stack and a redirect to a short-lived URL on AWS
/// (`reply::deliver`); the handler names only the media type.
fn downloads(op: &mut Operation) {
    let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") else {
        return;
    };
    let Some((media, content)) = ok.content.iter_mut().next() else {
        return;
    };
    if media == "application/json" || content.schema.is_some() {
        return;
    }
    content.schema = Some(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .content_media_type(media.as_str())
            .into(),
    );
    let about = std::mem::take(&mut ok.description);
    ok.description = format!("{about} (the local stack serves the bytes)");
    let redirect = ResponseBuilder::new()
        .description(format!("{about}, at a short-lived presigned URL (on AWS)"))
        .header(
            "Location",
            HeaderBuilder::new().schema(String::schema()).build(),
        )
        .build();
    op.responses
        .responses
        .insert("307".to_owned(), redirect.into());
}

/// What a client can do next with what a POST made: every operation on the new thing
/// (`{path}/{id}`), its `id` taken from the response.
fn links(path: &str, op: &mut Operation, operations: &[(String, String)]) {
    let family = format!("{path}/{{id}}");
    let Some(RefOr::T(made)) = op
        .responses
        .responses
        .iter_mut()
        .find(|(status, _)| status.starts_with('2'))
        .map(|(_, response)| response)
    else {
        return;
    };
    for (_, id) in operations.iter().filter(|(p, _)| p.starts_with(&family)) {
        let link = LinkBuilder::new()
            .operation_id(id)
            .parameter("id", "$response.body#/id")
            .build();
        made.links.insert(id.clone(), link.into());
    }
}

/// The idempotency layer wraps every POST; a 409 the operation has already explains both
/// causes.
fn idempotency_conflict(op: &mut Operation) {
    const BUSY: &str = "another request with the same Idempotency-Key is being handled";
    let about = match op.responses.responses.get("409") {
        Some(RefOr::T(own)) => format!("{}, or {BUSY}", own.description),
        _ => format!("In progress: {BUSY}"),
    };
    op.responses
        .responses
        .insert("409".to_owned(), retry_later(&about).into());
}

/// What the authentication, rate-limit and availability layers answer any call.
fn every_call(op: &mut Operation) {
    let unauthorised = problem("No valid bearer token")
        .header(
            "WWW-Authenticate",
            HeaderBuilder::new()
                .schema(String::schema())
                .description(Some("The authentication scheme to use"))
                .build(),
        )
        .build();
    let answers = [
        ("401", unauthorised),
        (
            "429",
            retry_later("Over the caller's request rate, daily books or books being made at once"),
        ),
        ("503", retry_later("A dependency is briefly unavailable")),
    ];
    for (status, response) in answers {
        op.responses
            .responses
            .insert(status.to_owned(), response.into());
    }
}

fn problem_content() -> Content {
    ContentBuilder::new()
        .schema(Some(RefOr::<Schema>::Ref(Ref::from_schema_name(
            Problem::name(),
        ))))
        .build()
}

fn problem(description: &str) -> ResponseBuilder {
    ResponseBuilder::new()
        .description(description)
        .content(PROBLEM_JSON, problem_content())
}

/// A problem with the seconds to wait before trying again.
fn retry_later(description: &str) -> Response {
    problem(description)
        .header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(String::schema())
                .description(Some(about::RETRY_AFTER))
                .build(),
        )
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::Endpoint;

    #[test]
    fn every_path_parameter_is_described_by_name() {
        for endpoint in Endpoint::ALL {
            let mut op = Operation::default();
            parameters(endpoint.path(), &mut op, false);
            for parameter in op.parameters.unwrap_or_default() {
                assert_ne!(
                    parameter.description.as_deref(),
                    Some("Named by the path"),
                    "{endpoint:?}: {{{}}} has no meaning in `path_parameter`",
                    parameter.name
                );
            }
        }
    }
}
