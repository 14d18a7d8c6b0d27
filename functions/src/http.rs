//! HTTP functions: one endpoint's router inside `lambda_http`. API Gateway's JWT authorizer
//! has already verified the caller's token; its `sub` claim becomes the owner and its
//! `tier` claim the reader's tier, and nothing the client sends can override them.

use crate::wiring::Links;
use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use storyloom_application::Ports;
use storyloom_domain::{OwnerId, Tier};
use storyloom_http::{Identity, Route, VerifiedOwner, router_for, tier_of};
use tracing::Instrument;

/// The claim that names the caller.
pub const OWNER_CLAIM: &str = "sub";

/// One HTTP function: its route and what it links.
#[derive(Clone, Copy)]
pub struct HttpFunction {
    pub route: Route,
    pub links: Links,
}

impl HttpFunction {
    /// The function serving `route`, linking what its endpoint needs. Call it in a
    /// constant (`const { HttpFunction::of(..) }`) so the choice is made at compile time.
    pub const fn of(route: Route) -> Self {
        HttpFunction {
            route,
            links: Links::of(route.endpoint.needs()),
        }
    }
}

/// The app one HTTP function serves: `route` alone, the owner taken from the verified
/// token's claims.
pub fn app(route: Route, ports: Ports) -> Router {
    router_for(&[route], ports, Identity::Verified).layer(middleware::from_fn(verified_owner))
}

/// Puts the authorizer's verified subject on the request (a missing or unusable one leaves
/// the request anonymous, which the handlers answer with 401).
async fn verified_owner(mut request: Request, next: Next) -> Response {
    let caller = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx
            .authorizer
            .as_ref()
            .and_then(|a| a.jwt.as_ref())
            .and_then(|jwt| {
                let owner = OwnerId::parse(jwt.claims.get(OWNER_CLAIM)?).ok()?;
                let tier = tier_of(jwt.claims.get(Tier::CLAIM).map(String::as_str));
                Some(VerifiedOwner { owner, tier })
            }),
        _ => None,
    };
    if let Some(caller) = caller {
        request.extensions_mut().insert(caller);
    }
    next.run(request).await
}

/// Runs an HTTP function: wiring once, then every request through [`app`].
pub async fn serve(function: HttpFunction) -> Result<(), lambda_http::Error> {
    let HttpFunction { route, links } = function;
    let started = crate::wiring::start(route.endpoint.function_name(), links).await?;
    let app =
        app(route, started.ports).layer(middleware::from_fn(crate::logging::after_invocation));
    lambda_http::run(app).instrument(started.span).await
}
