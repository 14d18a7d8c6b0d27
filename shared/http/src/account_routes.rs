//! The local stack's account routes: sign up, sign in, who is signed in, sign out, change
//! password, close the account. On AWS a Cognito user pool serves these instead, so they
//! are not endpoints of the Lambda functions.

use crate::caller::unauthorized;
use crate::extract::Body;
use crate::problem::Problem;
use crate::session::{self, LocalAuth};
use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use storyloom_application::Ports;
use storyloom_application::accounts::{self, AccountError, Issued};
use storyloom_application::limits::Limiter;
use storyloom_domain::account::{Account, Session};

type Shared = (Ports, Arc<LocalAuth>);

/// `/v1/account`, `/v1/account/password` and `/v1/session`.
pub(crate) fn routes(ports: Ports, local: Arc<LocalAuth>) -> Router {
    Router::new()
        .route("/v1/account", post(sign_up).delete(close))
        .route("/v1/account/password", put(change_password))
        .route("/v1/session", post(sign_in).get(current).delete(sign_out))
        .with_state((ports, local))
}

impl From<AccountError> for Problem {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::BadCredentials => unauthorized(e.to_string()),
            AccountError::Domain(e) => Problem::from(e),
        }
    }
}

/// A sign-up or sign-in form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    login: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordChange {
    current_password: String,
    new_password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Closing {
    password: String,
}

/// Who is signed in, and the token their changes must carry.
#[derive(Serialize)]
struct SessionView {
    login: String,
    owner: String,
    csrf: String,
    expires_at_ms: u64,
}

fn view(login: &str, session: &Session) -> SessionView {
    SessionView {
        login: login.to_owned(),
        owner: session.owner.to_string(),
        csrf: session.csrf.clone(),
        expires_at_ms: session.expires_at_ms,
    }
}

fn issued(local: &LocalAuth, status: StatusCode, issued: &Issued, headers: &HeaderMap) -> Response {
    (
        status,
        [(
            header::SET_COOKIE,
            local.start(&issued.token, &issued.session, headers),
        )],
        axum::Json(view(issued.login.as_str(), &issued.session)),
    )
        .into_response()
}

fn ended(local: &LocalAuth, headers: &HeaderMap) -> Response {
    (
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, local.end(headers))],
    )
        .into_response()
}

fn address(request: &Request) -> String {
    request
        .extensions()
        .get::<ConnectInfo<crate::ClientAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.0.ip().to_string())
}

fn too_many(wait_ms: u64) -> Problem {
    Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many requests",
        "too many failed attempts; wait a little and try again",
    )
    .retry_after(wait_ms.div_ceil(1000))
}

async fn form<T: serde::de::DeserializeOwned>(request: Request) -> Result<T, Problem> {
    use axum::extract::FromRequest;
    Body::<T>::from_request(request, &()).await.map(|b| b.0)
}

async fn sign_up(State((ports, local)): State<Shared>, request: Request) -> Response {
    // Sign-ups have their own per-address count, apart from failed sign-ins.
    let addr = format!("sign-up {}", address(&request));
    let now = ports.clock.now_ms();
    if let Some(wait) = local.throttle.wait("", &addr, now) {
        return too_many(wait).into_response();
    }
    let headers = request.headers().clone();
    let result = async {
        let c: Credentials = form(request).await?;
        // Each sign-up counts, so one client cannot mint accounts freely.
        local.throttle.fail("", &addr, now);
        let made =
            accounts::sign_up(&*ports.clock, &*local.accounts, &c.login, &c.password).await?;
        Ok::<_, Problem>(issued(&local, StatusCode::CREATED, &made, &headers))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

async fn sign_in(State((ports, local)): State<Shared>, request: Request) -> Response {
    let addr = address(&request);
    let headers = request.headers().clone();
    let result = async {
        let c: Credentials = form(request).await?;
        let now = ports.clock.now_ms();
        if let Some(wait) = local.throttle.wait(&c.login, &addr, now) {
            return Err(too_many(wait));
        }
        match accounts::sign_in(&*ports.clock, &*local.accounts, &c.login, &c.password).await {
            Ok(made) => {
                local.throttle.succeed(&c.login);
                Ok(issued(&local, StatusCode::OK, &made, &headers))
            }
            Err(AccountError::BadCredentials) => {
                local.throttle.fail(&c.login, &addr, now);
                Err(AccountError::BadCredentials.into())
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

async fn current(
    State((ports, local)): State<Shared>,
    headers: HeaderMap,
) -> Result<axum::Json<SessionView>, Problem> {
    let (_, session, account) = session::signed_in(&local, &ports, &Method::GET, &headers).await?;
    Ok(axum::Json(view(account.login.as_str(), &session)))
}

async fn sign_out(State((ports, local)): State<Shared>, headers: HeaderMap) -> Response {
    match session::signed_in(&local, &ports, &Method::DELETE, &headers).await {
        Ok((token, _, _)) => match accounts::sign_out(&*local.accounts, &token).await {
            Ok(()) => ended(&local, &headers),
            Err(e) => Problem::from(e).into_response(),
        },
        // No live session: there is nothing to end, and the stale cookie goes.
        Err(p) if p.status == StatusCode::UNAUTHORIZED.as_u16() => ended(&local, &headers),
        Err(p) => p.into_response(),
    }
}

/// A change to the signed-in account: the account (its session and CSRF token checked),
/// the request's headers, and the form.
async fn account_change<T: serde::de::DeserializeOwned>(
    ports: &Ports,
    local: &LocalAuth,
    request: Request,
) -> Result<(Account, HeaderMap, T), Problem> {
    let (parts, body) = request.into_parts();
    let (_, _, account) = session::signed_in(local, ports, &parts.method, &parts.headers).await?;
    let headers = parts.headers.clone();
    let form = form(Request::from_parts(parts, body)).await?;
    Ok((account, headers, form))
}

async fn change_password(
    State((ports, local)): State<Shared>,
    request: Request,
) -> Result<Response, Problem> {
    let (account, headers, change): (_, _, PasswordChange) =
        account_change(&ports, &local, request).await?;
    let made = accounts::change_password(
        &*ports.clock,
        &*local.accounts,
        account,
        &change.current_password,
        &change.new_password,
    )
    .await?;
    Ok(issued(&local, StatusCode::OK, &made, &headers))
}

async fn close(
    State((ports, local)): State<Shared>,
    request: Request,
) -> Result<Response, Problem> {
    let (account, headers, closing): (_, _, Closing) =
        account_change(&ports, &local, request).await?;
    accounts::close(
        &Limiter::of(&ports),
        &*ports.blobs,
        &*local.accounts,
        &account,
        &closing.password,
    )
    .await?;
    Ok(ended(&local, &headers))
}
