//! The web page and the read-only calendar subscriptions.
//!
//! The page is a few static files (`assets/`: HTML, one ES module, CSS, an icon) compiled into
//! the binary and served with a strict Content-Security-Policy: no CDN, no inline script, no
//! build step. It talks to the REST API only. Every app route (`/`, `/week`, ...) answers the
//! same `index.html`; the script renders the view the path names.
//!
//! `/ics/{token}.ics` answers a calendar as one VCALENDAR to anyone holding its secret token
//! (Google Calendar, Outlook.com, any app that can only subscribe), with an ETag so pollers
//! that send If-None-Match get 304.

use bytes::Bytes;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, HeaderName, HeaderValue};
use http::{HeaderMap, StatusCode};
use televent_domain::etag::ETag;

use super::handler::Dav;
use super::methods::conditions::Conditions;
use super::response::{HttpResponse, empty, plain, with_body};

/// The page's routes: each answers `index.html`.
const PAGES: [&str; 6] = ["/", "/login", "/week", "/month", "/settings", "/devices"];

/// The files under `/assets/`: name, media type, bytes.
const ASSETS: [(&str, &str, &[u8]); 3] = [
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/app.js"),
    ),
    ("app.css", "text/css; charset=utf-8", include_bytes!("assets/app.css")),
    ("icon.svg", "image/svg+xml", include_bytes!("assets/icon.svg")),
];

const INDEX: &[u8] = include_bytes!("assets/index.html");

/// Only our own files; inside Telegram the page is framed by Telegram's web client.
const CSP: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'self' https://web.telegram.org https://*.telegram.org";

/// The page or asset at `path` (for GET and HEAD), `None` when the path is no part of it.
pub fn page(path: &str, headers: &HeaderMap) -> Option<HttpResponse> {
    if PAGES.contains(&path) {
        return Some(hardened(cached(headers, "text/html; charset=utf-8", INDEX, "no-cache")));
    }
    let name = path.strip_prefix("/assets/")?;
    let (_, media, bytes) = ASSETS.iter().find(|(asset, _, _)| *asset == name)?;
    Some(hardened(cached(headers, media, bytes, "no-cache")))
}

/// A calendar's subscription URL on the server at `base`, and the same as `webcal://` for apps
/// that open such links (None when `base` is neither http nor https).
pub fn subscription_urls(base: &str, token: &str) -> (String, Option<String>) {
    let url = format!("{}/ics/{token}.ics", base.trim_end_matches('/'));
    let webcal = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| format!("webcal://{rest}"));
    (url, webcal)
}

/// The one-time sign-in link for a login-link `secret` on the server at `base`: the secret in
/// the fragment, which browsers never send (link previews and server logs never see it); the
/// page posts it to `/api/v1/sessions`.
pub fn login_url(base: &str, secret: &str) -> String {
    format!("{}/login#token={secret}", base.trim_end_matches('/'))
}

/// A subscription path's token: `/ics/{token}.ics`.
pub fn subscription_token(path: &str) -> Option<&str> {
    let token = path.strip_prefix("/ics/")?.strip_suffix(".ics")?;
    (!token.is_empty()
        && token.len() <= 128
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(token)
}

/// The calendar a subscription token opens, as one VCALENDAR.
pub async fn subscription(dav: &Dav, token: &str, headers: &HeaderMap) -> HttpResponse {
    let found = match dav.engine.subscribed_calendar(token).await {
        Ok(found) => found,
        Err(error) => return super::error::app_error(&error, &|href| href.to_string()),
    };
    let Some((owner, calendar)) = found else {
        return plain(
            StatusCode::NOT_FOUND,
            "no calendar has this subscription link (it may have been revoked)",
        );
    };
    match dav.engine.export(&owner, &calendar).await {
        Ok(text) => {
            let mut response = cached(
                headers,
                "text/calendar; charset=utf-8",
                text.as_bytes(),
                "private, max-age=300",
            );
            let name = format!("inline; filename=\"{}.ics\"", calendar.slug.as_str());
            if let Ok(value) = HeaderValue::from_str(&name) {
                response.headers_mut().insert(http::header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => super::error::app_error(&error, &|href| href.to_string()),
    }
}

/// `bytes` with a strong ETag, or 304 when the client has them already.
fn cached(headers: &HeaderMap, media: &'static str, bytes: &[u8], cache: &'static str) -> HttpResponse {
    let etag = ETag::of(bytes);
    let fresh = Conditions::of(headers)
        .if_none_match
        .is_some_and(|tags| tags.contains(&etag));
    let mut response = if fresh {
        empty(StatusCode::NOT_MODIFIED)
    } else {
        with_body(StatusCode::OK, media, Bytes::copy_from_slice(bytes))
    };
    if fresh {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(media));
    }
    if let Ok(value) = HeaderValue::from_str(etag.as_str()) {
        response.headers_mut().insert(ETAG, value);
    }
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

fn hardened(mut response: HttpResponse) -> HttpResponse {
    let headers = response.headers_mut();
    headers.insert(
        HeaderName::from_static("content-security-policy"),
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        HeaderName::from_static("referrer-policy"),
        HeaderValue::from_static("no-referrer"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_assets_and_tokens() {
        let none = HeaderMap::new();
        assert_eq!(page("/week", &none).map(|r| r.status()), Some(StatusCode::OK));
        assert_eq!(page("/assets/app.js", &none).map(|r| r.status()), Some(StatusCode::OK));
        assert!(page("/assets/../Cargo.toml", &none).is_none());
        assert!(page("/dav/", &none).is_none());
        let etag = page("/", &none).and_then(|r| r.headers().get(ETAG).cloned()).unwrap();
        let mut again = HeaderMap::new();
        again.insert(http::header::IF_NONE_MATCH, etag);
        assert_eq!(page("/", &again).map(|r| r.status()), Some(StatusCode::NOT_MODIFIED));
        assert_eq!(subscription_token("/ics/abc_DEF-1.ics"), Some("abc_DEF-1"));
        assert_eq!(subscription_token("/ics/a%2F.ics"), None);
        assert_eq!(subscription_token("/ics/.ics"), None);
    }
}
