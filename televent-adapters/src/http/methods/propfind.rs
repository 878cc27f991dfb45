//! PROPFIND (RFC 4918 section 9.1) at Depth 0 or 1 on the root, a principal, a home, a
//! calendar or a resource. Depth infinity is refused with `DAV:propfind-finite-depth`.
//!
//! A Depth 1 listing of a calendar reads `object_metas` only: this module must never load the
//! bytes of the resources it lists.

use http::StatusCode;
use televent_domain::event::{Href, ObjectMeta};

use super::home_token::HomeState;
use super::request::{bad_xml, body_text, depth, load_calendar};
use crate::http::body::{CHUNK_BYTES, Listing};
use crate::http::error::app_error;
use crate::http::handler::{Dav, DavRequest};
use crate::http::paths::{self, Target};
use crate::http::props::{PropContext, Resource, member_responses, request_asks_for_addresses};
use crate::http::response::{Condition, HttpResponse, dav_error, multistatus, multistatus_in_chunks, plain};
use crate::http::xml::multistatus::{MultistatusWriter, multistatus as write_multistatus};
use crate::http::xml::names::DAV;
use crate::http::xml::propfind::parse_propfind;

/// True when the client asked for a minimal answer (RFC 7240 `Prefer: return=minimal`, the
/// `return-minimal` some clients send, or Apple's older `Brief: t`).
fn minimal(request: &DavRequest) -> bool {
    let prefer = request
        .headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("return-minimal") || v.contains("return=minimal"));
    let brief = request
        .headers
        .get("brief")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("t"));
    prefer || brief
}

/// PROPFIND. An absent Depth header is read as 0 (discovery requests often omit it).
pub async fn propfind(dav: &Dav, request: &DavRequest) -> HttpResponse {
    let depth = match depth(request, Some(0)) {
        Ok(Some(depth)) => depth,
        Ok(None) => {
            return dav_error(
                StatusCode::FORBIDDEN,
                Condition::new(DAV, "propfind-finite-depth"),
                "Depth infinity is not supported; use 0 or 1",
            );
        }
        Err(response) => return response,
    };
    let query = match body_text(request).map(parse_propfind) {
        Ok(Ok(query)) => query,
        Ok(Err(error)) => return bad_xml(&error),
        Err(response) => return response,
    };
    let linked = if matches!(request.target, Target::Principal(_)) && request_asks_for_addresses(&query) {
        match dav.engine.addresses(&request.user).await {
            Ok(linked) => linked,
            Err(error) => return app_error(&error, &|href| href.to_string()),
        }
    } else {
        Vec::new()
    };
    // The home's calendars: its members at Depth 1, and its sync-token at any depth.
    let home_calendars = if matches!(request.target, Target::Home(_)) {
        match dav.engine.calendars(&request.user).await {
            Ok(calendars) => calendars,
            Err(error) => return app_error(&error, &|href| href.to_string()),
        }
    } else {
        Vec::new()
    };
    let home_token = HomeState::of(&home_calendars).token(request.user.id);
    let ctx = PropContext {
        user: &request.user,
        max_resource_size: dav.config.max_resource_size,
        linked_addresses: &linked,
        home_sync_token: matches!(request.target, Target::Home(_)).then_some(home_token.as_str()),
    };
    let minimal = minimal(request);
    let mut responses = Vec::new();
    match &request.target {
        Target::Root => responses.push(Resource::Root.propfind(&ctx, &query, minimal)),
        Target::Principal(_) => responses.push(Resource::Principal.propfind(&ctx, &query, minimal)),
        Target::Home(_) => {
            responses.push(Resource::Home.propfind(&ctx, &query, minimal));
            if depth == 1 {
                responses.extend(
                    home_calendars
                        .iter()
                        .map(|c| Resource::Calendar(c).propfind(&ctx, &query, minimal)),
                );
            }
        }
        Target::Calendar { calendar, .. } => {
            let calendar = match load_calendar(dav, request, calendar).await {
                Ok(calendar) => calendar,
                Err(response) => return response,
            };
            responses.push(Resource::Calendar(&calendar).propfind(&ctx, &query, minimal));
            if depth == 1 {
                let metas = match dav.engine.store().object_metas(calendar.id).await {
                    Ok(metas) => metas,
                    Err(error) => return app_error(&error.into(), &|href| href.to_string()),
                };
                // Made as the connection takes it, a chunk at a time: the listing holds the
                // members' listing data, never the whole answer's text.
                let mut writer = MultistatusWriter::with_capacity(CHUNK_BYTES);
                writer.extend(&responses);
                let mut respond = member_responses(&ctx, &calendar, query, minimal);
                let listing = Listing::new(writer, metas, move |meta: ObjectMeta| respond(&meta));
                return with_preference(multistatus_in_chunks(listing), minimal);
            }
        }
        Target::Object { calendar, resource, .. } => {
            let calendar = match load_calendar(dav, request, calendar).await {
                Ok(calendar) => calendar,
                Err(response) => return response,
            };
            let Ok(href) = Href::parse(resource) else {
                return plain(StatusCode::NOT_FOUND, "not found");
            };
            let object = match dav.engine.store().object(calendar.id, &href).await {
                Ok(Some(object)) => object,
                Ok(None) => return plain(StatusCode::NOT_FOUND, "not found"),
                Err(error) => {
                    let user = request.user.name.as_str();
                    return app_error(&error.into(), &|href| {
                        paths::object(user, calendar.slug.as_str(), href.as_str())
                    });
                }
            };
            let meta = object.meta();
            responses.push(Resource::Object(&calendar, &meta).propfind(&ctx, &query, minimal));
        }
        Target::WellKnown | Target::Health | Target::Metrics | Target::Unknown => {
            return plain(StatusCode::NOT_FOUND, "not found");
        }
    }
    with_preference(multistatus(write_multistatus(responses, None)), minimal)
}

/// `response`, saying so when it applied `Prefer: return=minimal` (RFC 7240).
fn with_preference(mut response: HttpResponse, minimal: bool) -> HttpResponse {
    if minimal {
        response
            .headers_mut()
            .insert("preference-applied", http::HeaderValue::from_static("return=minimal"));
    }
    response
}
