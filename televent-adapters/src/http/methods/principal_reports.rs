//! REPORTs on the root, the principals and the home: expand-property, principal-search-property-set
//! and principal-property-search (RFC 3253, RFC 3744), as Apple's and Mozilla's clients send them
//! during discovery.
//!
//! **Invariant:** a principal search finds at most the caller's own principal: it must never
//! reveal that another user exists.

use http::StatusCode;

use crate::http::error::app_error;
use crate::http::handler::{Dav, DavRequest};
use crate::http::paths::Target;
use crate::http::props::{PropContext, Resource, asks_for_addresses};
use crate::http::response::{Condition, HttpResponse, dav_error, multistatus, xml};
use crate::http::xml::multistatus::multistatus as write_multistatus;
use crate::http::xml::names::{DAV, Name};
use crate::http::xml::propfind::PropfindRequest;
use crate::http::xml::report::ReportRequest;
use crate::http::xml::write::{Element, el, empty, text};

/// The reports the root, principals and the home answer, as advertised in
/// DAV:supported-report-set.
pub const PRINCIPAL_REPORTS: [(&str, &str); 3] = [
    (DAV, "expand-property"),
    (DAV, "principal-property-search"),
    (DAV, "principal-search-property-set"),
];

/// The properties a principal search may test.
const SEARCHABLE: [(&str, &str, &str); 2] = [
    (DAV, "displayname", "Name"),
    (
        "urn:ietf:params:xml:ns:caldav",
        "calendar-user-address-set",
        "Calendar user address",
    ),
];

fn resource_of(target: &Target) -> Resource<'static> {
    match target {
        Target::Principal(_) => Resource::Principal,
        Target::Home(_) => Resource::Home,
        _ => Resource::Root,
    }
}

/// A principal-related REPORT on `request.target` (not a calendar).
pub async fn principal_report(dav: &Dav, request: &DavRequest, query: ReportRequest) -> HttpResponse {
    let needs_addresses = match &query {
        ReportRequest::ExpandProperty { props } => {
            matches!(request.target, Target::Principal(_)) && asks_for_addresses(props.iter())
        }
        ReportRequest::PrincipalPropertySearch { searches, props, .. } => {
            asks_for_addresses(searches.iter().flat_map(|(names, _)| names).chain(props))
        }
        _ => false,
    };
    let linked = if needs_addresses {
        match dav.engine.addresses(&request.user).await {
            Ok(linked) => linked,
            Err(error) => return app_error(&error, &|href| href.to_string()),
        }
    } else {
        Vec::new()
    };
    let ctx = PropContext {
        user: &request.user,
        max_resource_size: dav.config.max_resource_size,
        linked_addresses: &linked,
        home_sync_token: None,
    };
    match query {
        ReportRequest::ExpandProperty { props } => {
            let response = resource_of(&request.target).propfind(&ctx, &PropfindRequest::Prop(props), false);
            multistatus(write_multistatus(vec![response], None))
        }
        ReportRequest::PrincipalSearchPropertySet => {
            let properties = SEARCHABLE
                .iter()
                .map(|(ns, local, description)| {
                    el(
                        DAV,
                        "principal-search-property",
                        vec![
                            el(DAV, "prop", vec![empty(ns, local)]),
                            Element::new(Name::dav("description"), vec![text(*description)])
                                .attr("xml:lang", "en")
                                .node(),
                        ],
                    )
                })
                .collect();
            let body = crate::http::xml::write::document(&Element::new(
                Name::dav("principal-search-property-set"),
                properties,
            ));
            xml(StatusCode::OK, body)
        }
        ReportRequest::PrincipalPropertySearch {
            searches,
            any_of,
            props,
        } => {
            let principal = Resource::Principal;
            let hit = |(names, needle): &(Vec<Name>, String)| {
                let needle = needle.trim().to_lowercase();
                names.iter().any(|name| {
                    let Some(value) = principal.value(&ctx, name) else {
                        return false;
                    };
                    let mut haystack = String::new();
                    collect_text(&value, &mut haystack);
                    haystack.to_lowercase().contains(&needle)
                })
            };
            let found = !searches.is_empty()
                && if any_of {
                    searches.iter().any(hit)
                } else {
                    searches.iter().all(hit)
                };
            let responses = if found {
                vec![principal.propfind(&ctx, &PropfindRequest::Prop(props), false)]
            } else {
                Vec::new()
            };
            multistatus(write_multistatus(responses, None))
        }
        other => {
            let message = format!("this report is not supported here: {other:?}");
            dav_error(StatusCode::FORBIDDEN, Condition::new(DAV, "supported-report"), &message)
        }
    }
}

/// Every text inside `nodes`.
fn collect_text(nodes: &[crate::http::xml::write::Node], out: &mut String) {
    for node in nodes {
        match node {
            crate::http::xml::write::Node::Text(value) => {
                out.push_str(value);
                out.push(' ');
            }
            crate::http::xml::write::Node::Shared(_) => {}
            crate::http::xml::write::Node::Element(element) => collect_text(&element.children, out),
        }
    }
}
