//! Which method handler a request goes to; a method a target does not take is a 405 with the
//! methods it does take. It must never handle a method itself.

use http::Method;

use super::{mkcalendar, object, options, propfind, proppatch, report};
use crate::http::handler::{Dav, DavRequest};
use crate::http::response::HttpResponse;

/// Calls the method's handler.
pub async fn dispatch(dav: &Dav, request: &DavRequest) -> HttpResponse {
    match request.method.as_str() {
        "PROPFIND" => propfind::propfind(dav, request).await,
        "PROPPATCH" => proppatch::proppatch(dav, request).await,
        "REPORT" => report::report(dav, request).await,
        "MKCALENDAR" | "MKCOL" => mkcalendar::mkcalendar(dav, request).await,
        _ if request.method == Method::GET || request.method == Method::HEAD => object::get(dav, request).await,
        _ if request.method == Method::PUT => object::put(dav, request).await,
        _ if request.method == Method::DELETE => object::delete(dav, request).await,
        _ => options::not_allowed(&request.target),
    }
}
