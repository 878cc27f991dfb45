//! Who is calling: a session (Bearer token or cookie) or HTTP Basic with a device password.

use http::header::{AUTHORIZATION, COOKIE};
use televent_domain::user::User;

use super::ApiRequest;
use super::problem::Problem;
use crate::http::handler::Dav;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "televent_session";

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Who.
    pub user: User,
    /// The session secret they came with, if they came with one (signing out ends it).
    pub session: Option<String>,
}

/// The caller `request` proves, or 401.
pub async fn caller(dav: &Dav, request: &ApiRequest) -> Result<Caller, Problem> {
    let authorization = request.headers.get(AUTHORIZATION);
    if let Some(value) = authorization.and_then(|v| v.to_str().ok()) {
        let (scheme, credential) = value.trim().split_once(' ').unwrap_or((value, ""));
        if scheme.eq_ignore_ascii_case("bearer") {
            return from_session(dav, credential.trim()).await;
        }
        if scheme.eq_ignore_ascii_case("basic") {
            return match dav.auth.authenticate(authorization, &request.client).await? {
                Some(user) => Ok(Caller { user, session: None }),
                None => Err(Problem::unauthorized()),
            };
        }
        return Err(Problem::unauthorized());
    }
    match session_cookie(&request.headers) {
        Some(secret) => from_session(dav, &secret).await,
        None => Err(Problem::unauthorized()),
    }
}

async fn from_session(dav: &Dav, secret: &str) -> Result<Caller, Problem> {
    if secret.is_empty() || secret.len() > 128 {
        return Err(Problem::unauthorized());
    }
    match dav.engine.session_user(secret).await? {
        Some(user) => Ok(Caller {
            user,
            session: Some(secret.to_owned()),
        }),
        None => Err(Problem::unauthorized()),
    }
}

/// The session cookie's value, if the request carries one.
pub fn session_cookie(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE && !value.is_empty()).then(|| value.to_owned())
        })
}
