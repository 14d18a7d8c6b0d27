//! Who is calling: established once per request by [`authenticate`], before any handler or
//! the idempotency layer runs, and read by handlers through the [`Owner`] extractor. The
//! caller comes only from a verified token, never from the body, path or another header.

use crate::auth::TokenAuthority;
use crate::problem::Problem;
use crate::session::{self, LocalAuth};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use storyloom_application::Ports;
use storyloom_domain::{OwnerId, Tier};

/// Where a router takes the caller's identity from.
#[derive(Debug, Clone)]
pub enum Identity {
    /// A bearer JWT the router verifies itself: the local stack, with nothing in front.
    Bearer(Arc<TokenAuthority>),
    /// A bearer JWT or a local account's session cookie: the local stack serving browsers.
    Local(Arc<LocalAuth>),
    /// Only a [`VerifiedOwner`] put on the request by the edge (on AWS, the subject of a
    /// JWT that API Gateway's authorizer verified). A request without one is refused.
    Verified,
}

/// The caller's id and tier, verified before the request reached the handlers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedOwner {
    pub owner: OwnerId,
    pub tier: Tier,
}

/// The caller; every query is scoped by it.
pub struct Owner(pub OwnerId);

pub(crate) fn unauthorized(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::UNAUTHORIZED, "Unauthorized", detail)
}

/// The whole verified caller, for the handlers that need more than the owner.
impl<S: Send + Sync> FromRequestParts<S> for VerifiedOwner {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<VerifiedOwner>()
            .cloned()
            .ok_or_else(|| unauthorized("sign in first: send a valid bearer token"))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Owner {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        VerifiedOwner::from_request_parts(parts, state)
            .await
            .map(|v| Owner(v.owner))
    }
}

/// Establishes the caller or answers 401: a request reaches the routes only with a
/// [`VerifiedOwner`].
pub(crate) async fn authenticate(
    State((identity, ports)): State<(Identity, Ports)>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.extensions().get::<VerifiedOwner>().is_none() {
        let caller = match &identity {
            Identity::Verified => Err(unauthorized(
                "the request carries no verified identity; sign in first",
            )),
            Identity::Bearer(authority) => by_token(authority, &request),
            Identity::Local(local) => {
                if request.headers().contains_key(header::AUTHORIZATION) {
                    by_token(&local.tokens, &request)
                } else {
                    let (method, headers) = (request.method().clone(), request.headers().clone());
                    session::signed_in(local, &ports, &method, &headers)
                        .await
                        .map(|(_, _, account)| session::caller(&account))
                }
            }
        };
        match caller {
            Ok(caller) => {
                request.extensions_mut().insert(caller);
            }
            Err(problem) => return problem.into_response(),
        }
    }
    next.run(request).await
}

fn by_token(authority: &TokenAuthority, request: &Request) -> Result<VerifiedOwner, Problem> {
    let token = bearer_token(request)?;
    authority
        .verify(token)
        .map_err(|e| unauthorized(e.to_string()))
}

/// Takes one request from the caller's bucket, or answers 429 with `Retry-After`. A
/// refused request is not counted and reaches nothing else.
pub(crate) async fn rate_limit(
    State(ports): State<Ports>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(VerifiedOwner { owner, .. }) = request.extensions().get::<VerifiedOwner>()
        && let Err(e) = storyloom_application::limits::Limiter::of(&ports)
            .take_request(owner)
            .await
    {
        return Problem::from(e).into_response();
    }
    next.run(request).await
}

fn bearer_token(request: &Request) -> Result<&str, Problem> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| unauthorized("send a bearer token: Authorization: Bearer <token>"))?
        .to_str()
        .map_err(|_| unauthorized("the Authorization header must be plain text"))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or_else(|| unauthorized("the Authorization header must be `Bearer <token>`"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(unauthorized(
            "the Authorization header must be `Bearer <token>`",
        ));
    }
    Ok(token.trim())
}

/// The tier a verified token's claim names. An unknown value reads as free, and is logged:
/// a validly signed token naming a tier that does not exist means an identity provider is
/// set up wrong, which someone should hear about (the tiers are `free` and `paid`).
pub fn tier_of(claim: Option<&str>) -> Tier {
    if let Some(unknown) = claim.filter(|c| Tier::known(c).is_none()) {
        let shown: String = unknown.chars().take(32).collect();
        tracing::warn!(claim = %shown, "a verified token names an unknown tier; it is treated as free (the tiers are free and paid)");
    }
    Tier::from_claim(claim)
}
