//! `POST /api/v1/sessions` (sign in by one-time link, Telegram Mini App data or device
//! password) and `DELETE /api/v1/sessions/current` (sign out).

use http::StatusCode;
use http::header::{HeaderValue, SET_COOKIE};
use serde_json::json;
use televent_app::{IssuedSecret, SESSION_LIFETIME};

use super::body::json_object;
use super::caller::{Caller, SESSION_COOKIE};
use super::json::{instant, json_response};
use super::problem::Problem;
use super::{ApiRequest, audit, init_data};
use crate::http::handler::Dav;
use crate::http::response::{HttpResponse, empty};

/// Signs in.
pub async fn create(dav: &Dav, request: &ApiRequest) -> Result<HttpResponse, Problem> {
    let body = json_object(request, &["method", "token", "init_data", "user", "password"])?;
    let method = body.required_string("method")?;
    let issued = match method.as_str() {
        "link" => {
            let token = body.required_string("token")?;
            dav.engine.sign_in_with_link(token.trim()).await?.ok_or_else(|| {
                Problem::new(
                    "unauthorized",
                    StatusCode::UNAUTHORIZED,
                    "this sign-in link is unknown, used or expired; send /web to the bot for a new one",
                )
            })?
        }
        "telegram" => {
            let data = body.required_string("init_data")?;
            let Some(bot_token) = &dav.config.telegram_bot_token else {
                return Err(Problem::new(
                    "forbidden",
                    StatusCode::FORBIDDEN,
                    "this server has no Telegram bot, so it cannot check Telegram sign-ins",
                ));
            };
            let telegram = init_data::verify(&data, bot_token, dav.engine.now())
                .map_err(|error| Problem::new("unauthorized", StatusCode::UNAUTHORIZED, error.to_string()))?;
            dav.engine.sign_in_with_telegram(telegram).await?.ok_or_else(|| {
                Problem::new(
                    "unauthorized",
                    StatusCode::UNAUTHORIZED,
                    "no Televent account is linked to this Telegram account; send /start to the bot first",
                )
            })?
        }
        "password" => {
            let name = body.required_string("user")?;
            let password = body.required_string("password")?;
            let Some((user, device)) = dav.auth.verify(name, password, &request.client).await? else {
                return Err(Problem::new(
                    "unauthorized",
                    StatusCode::UNAUTHORIZED,
                    "the user name or device password is wrong",
                ));
            };
            dav.engine.start_session(&user, Some(device)).await?
        }
        other => {
            return Err(Problem::invalid(format!(
                "unknown sign-in method '{other}' (link, telegram or password)"
            )));
        }
    };
    audit(dav, request, &issued.user, "session.create", &method).await;
    Ok(signed_in(dav, &issued))
}

fn signed_in(dav: &Dav, issued: &IssuedSecret) -> HttpResponse {
    let mut response = json_response(
        StatusCode::CREATED,
        &json!({
            "token": issued.secret,
            "user": issued.user.name.as_str(),
            "expires_at": instant(issued.expires_at),
        }),
    );
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        issued.secret,
        SESSION_LIFETIME.num_seconds(),
        if secure(dav) { "; Secure" } else { "" }
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}

/// Signs out: ends the session the caller came with and clears the cookie.
pub async fn delete(dav: &Dav, caller: &Caller) -> Result<HttpResponse, Problem> {
    if let Some(secret) = &caller.session {
        dav.engine.sign_out(secret).await?;
    }
    let mut response = empty(StatusCode::NO_CONTENT);
    let cookie = format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure(dav) { "; Secure" } else { "" }
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    Ok(response)
}

/// Cookies are marked Secure when the server speaks TLS or is reached over https.
fn secure(dav: &Dav) -> bool {
    dav.config.tls
        || dav
            .config
            .public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
}
