//! The live properties of each kind of resource: which exist, their values, and the propstats
//! a PROPFIND gets.
//!
//! Values come only from what the caller already loaded (a calendar, an object's listing
//! data, the user's linked addresses): this module must never touch the store, so a Depth 1
//! listing costs no extra query. [`asks_for_addresses`] tells the caller when to load the
//! linked addresses.

use chrono::{DateTime, Utc};
use http::StatusCode;
use televent_domain::attendee::CalAddress;
use televent_domain::calendar::Calendar;
use televent_domain::event::ObjectMeta;
use televent_domain::user::User;

use super::methods::home_sync::HOME_REPORTS;
use super::methods::principal_reports::PRINCIPAL_REPORTS;
use super::methods::report::SUPPORTED_REPORTS;
use super::paths;
use super::xml::multistatus::{Propstat, Response, ResponseBody};
use super::xml::names::{APPLE_ICAL, CALDAV, CALENDARSERVER, DAV, Name};
use super::xml::propfind::PropfindRequest;
use super::xml::write::{Element, Node, el, empty, href, text};

/// A resource whose properties are asked for.
#[derive(Debug, Clone, Copy)]
pub enum Resource<'a> {
    /// `/` and `/dav/`.
    Root,
    /// The user's principal.
    Principal,
    /// The user's calendar home.
    Home,
    /// One of the user's calendars.
    Calendar(&'a Calendar),
    /// A resource of a calendar, by its listing data.
    Object(&'a Calendar, &'a ObjectMeta),
}

/// What every property may depend on besides the resource.
#[derive(Debug, Clone, Copy)]
pub struct PropContext<'a> {
    /// The authenticated user (who owns everything they can see).
    pub user: &'a User,
    /// Advertised CALDAV:max-resource-size.
    pub max_resource_size: u64,
    /// The user's linked addresses, for CALDAV:calendar-user-address-set. Loaded only when
    /// [`asks_for_addresses`] says so; empty otherwise.
    pub linked_addresses: &'a [CalAddress],
    /// The calendar home's DAV:sync-token (a digest of its calendars' tokens, see
    /// `methods::home_token`), when the request is on the home; `None` elsewhere.
    pub home_sync_token: Option<&'a str>,
}

/// The responses for `calendar`'s members, made one at a time by what this owns: a listing
/// sent in chunks outlives the request whose context it was made in.
pub fn member_responses(
    ctx: &PropContext<'_>,
    calendar: &Calendar,
    request: PropfindRequest,
    minimal: bool,
) -> impl FnMut(&ObjectMeta) -> Response + Send + 'static {
    let (user, calendar, max_resource_size) = (ctx.user.clone(), calendar.clone(), ctx.max_resource_size);
    move |meta| {
        let ctx = PropContext {
            user: &user,
            max_resource_size,
            linked_addresses: &[],
            home_sync_token: None,
        };
        Resource::Object(&calendar, meta).propfind(&ctx, &request, minimal)
    }
}

/// True when answering `names` on the principal needs the user's linked addresses (one store
/// read the caller makes only then).
pub fn asks_for_addresses<'n>(mut names: impl Iterator<Item = &'n Name>) -> bool {
    names.any(|name| name.ns == CALDAV && name.local == "calendar-user-address-set")
}

/// True when answering `request` on the principal needs the user's linked addresses: it names
/// CALDAV:calendar-user-address-set, or it is an allprop.
pub fn request_asks_for_addresses(request: &PropfindRequest) -> bool {
    match request {
        PropfindRequest::Prop(names) => asks_for_addresses(names.iter()),
        PropfindRequest::AllProp(_) => true,
        PropfindRequest::PropName => false,
    }
}

/// Properties listed for allprop and propname, in order; those without a value on a resource
/// are left out.
const LISTED: [(&str, &str); 23] = [
    (DAV, "resourcetype"),
    (DAV, "displayname"),
    (DAV, "getetag"),
    (DAV, "getcontenttype"),
    (DAV, "getcontentlength"),
    (DAV, "getlastmodified"),
    (DAV, "owner"),
    (DAV, "current-user-principal"),
    (DAV, "principal-URL"),
    (DAV, "principal-collection-set"),
    (DAV, "current-user-privilege-set"),
    (DAV, "supported-report-set"),
    (DAV, "sync-token"),
    (CALDAV, "calendar-home-set"),
    (CALDAV, "calendar-user-address-set"),
    (CALDAV, "supported-calendar-component-set"),
    (CALDAV, "supported-calendar-data"),
    (CALDAV, "calendar-description"),
    (CALDAV, "calendar-timezone"),
    (CALDAV, "max-resource-size"),
    (CALENDARSERVER, "getctag"),
    (APPLE_ICAL, "calendar-color"),
    (APPLE_ICAL, "calendar-order"),
];

impl Resource<'_> {
    /// The resource's path.
    pub fn href(&self, ctx: &PropContext<'_>) -> String {
        let user = ctx.user.name.as_str();
        match self {
            Self::Root => paths::DAV_ROOT.to_owned(),
            Self::Principal => paths::principal(user),
            Self::Home => paths::home(user),
            Self::Calendar(calendar) => paths::calendar(user, calendar.slug.as_str()),
            Self::Object(calendar, meta) => paths::object(user, calendar.slug.as_str(), meta.href.as_str()),
        }
    }

    /// The value of property `name`, `None` when the resource does not have it.
    pub fn value(&self, ctx: &PropContext<'_>, name: &Name) -> Option<Vec<Node>> {
        let user = ctx.user.name.as_str();
        let principal = || vec![href(&paths::principal(user))];
        match (name.ns.as_str(), name.local.as_str(), self) {
            (DAV, "resourcetype", resource) => Some(resource.resource_type()),
            (DAV, "displayname", Self::Principal | Self::Home) => Some(vec![text(user)]),
            (DAV, "displayname", Self::Calendar(calendar)) => Some(vec![text(&calendar.display_name)]),
            (DAV, "current-user-principal", _) => Some(principal()),
            (DAV, "principal-URL", Self::Principal) => Some(principal()),
            (DAV, "principal-collection-set", _) => Some(vec![href(&paths::principals())]),
            (DAV, "owner", Self::Principal | Self::Home | Self::Calendar(_) | Self::Object(..)) => Some(principal()),
            (DAV, "current-user-privilege-set", resource) => Some(resource.privileges()),
            (DAV, "supported-report-set", Self::Calendar(_)) => Some(supported_reports(&SUPPORTED_REPORTS)),
            (DAV, "supported-report-set", Self::Root | Self::Principal) => Some(supported_reports(&PRINCIPAL_REPORTS)),
            (DAV, "supported-report-set", Self::Home) => Some(supported_reports(&HOME_REPORTS)),
            (DAV, "sync-token", Self::Calendar(calendar)) => Some(vec![text(calendar.sync_token.to_string())]),
            (DAV, "sync-token", Self::Home) => ctx.home_sync_token.map(|token| vec![text(token)]),
            (DAV, "getlastmodified", Self::Calendar(calendar)) => Some(vec![text(http_date(calendar.updated_at))]),
            (DAV, "getetag", Self::Object(_, meta)) => Some(vec![text(meta.etag.as_str())]),
            (DAV, "getcontenttype", Self::Object(_, meta)) => Some(vec![text(format!(
                "text/calendar; charset=utf-8; component={}",
                meta.kind.as_str().to_ascii_lowercase()
            ))]),
            (DAV, "getcontentlength", Self::Object(_, meta)) => Some(vec![text(meta.size.to_string())]),
            (DAV, "getlastmodified", Self::Object(_, meta)) => Some(vec![text(http_date(meta.updated_at))]),
            (CALDAV, "calendar-home-set", Self::Principal | Self::Root) => Some(vec![href(&paths::home(user))]),
            (CALDAV, "calendar-user-address-set", Self::Principal) => Some(
                std::iter::once(href(&ctx.user.internal_address()))
                    .chain(ctx.linked_addresses.iter().map(|a| href(a.as_str())))
                    .chain([href(&paths::principal(user))])
                    .collect(),
            ),
            (CALDAV, "supported-calendar-component-set", Self::Calendar(calendar)) => Some(
                calendar
                    .components
                    .iter()
                    .map(|kind| {
                        Element::new(Name::caldav("comp"), Vec::new())
                            .attr("name", kind.as_str())
                            .node()
                    })
                    .collect(),
            ),
            (CALDAV, "supported-calendar-data", Self::Calendar(_)) => Some(vec![
                Element::new(Name::caldav("calendar-data"), Vec::new())
                    .attr("content-type", "text/calendar")
                    .attr("version", "2.0")
                    .node(),
            ]),
            (CALDAV, "calendar-description", Self::Calendar(calendar)) => {
                calendar.description.as_ref().map(|d| vec![text(d)])
            }
            (CALDAV, "calendar-timezone", Self::Calendar(calendar)) => {
                calendar.time_zone.as_ref().map(|z| vec![text(z)])
            }
            (CALDAV, "max-resource-size", Self::Calendar(_)) => Some(vec![text(ctx.max_resource_size.to_string())]),
            (CALENDARSERVER, "getctag", Self::Calendar(calendar)) => Some(vec![text(calendar.sync_token.to_string())]),
            (APPLE_ICAL, "calendar-color", Self::Calendar(calendar)) => calendar.color.as_ref().map(|c| vec![text(c)]),
            (APPLE_ICAL, "calendar-order", Self::Calendar(calendar)) => {
                calendar.order.map(|o| vec![text(o.to_string())])
            }
            _ => None,
        }
    }

    fn resource_type(&self) -> Vec<Node> {
        match self {
            Self::Root | Self::Home => vec![empty(DAV, "collection")],
            Self::Principal => vec![empty(DAV, "collection"), empty(DAV, "principal")],
            Self::Calendar(_) => vec![empty(DAV, "collection"), empty(CALDAV, "calendar")],
            Self::Object(..) => Vec::new(),
        }
    }

    /// What the user may do: everything on their own resources, read on the root.
    fn privileges(&self) -> Vec<Node> {
        let names: &[&str] = match self {
            Self::Root => &["read", "read-current-user-privilege-set"],
            _ => &[
                "all",
                "read",
                "write",
                "write-properties",
                "write-content",
                "bind",
                "unbind",
                "read-current-user-privilege-set",
            ],
        };
        names
            .iter()
            .map(|name| el(DAV, "privilege", vec![empty(DAV, name)]))
            .collect()
    }

    /// The `<response>` for a PROPFIND on this resource. With `minimal` (`Prefer:
    /// return-minimal`, `Brief: t`) the 404 propstat is left out.
    pub fn propfind(&self, ctx: &PropContext<'_>, request: &PropfindRequest, minimal: bool) -> Response {
        let mut found = Vec::new();
        let mut missing = Vec::new();
        match request {
            PropfindRequest::Prop(names) => {
                for name in names {
                    match self.value(ctx, name) {
                        Some(value) => found.push((name.clone(), value)),
                        None => missing.push((name.clone(), Vec::new())),
                    }
                }
            }
            PropfindRequest::AllProp(include) => {
                for (ns, local) in LISTED {
                    let name = Name::new(ns, local);
                    if let Some(value) = self.value(ctx, &name) {
                        found.push((name, value));
                    }
                }
                for name in include {
                    if found.iter().any(|(n, _)| n == name) {
                        continue;
                    }
                    match self.value(ctx, name) {
                        Some(value) => found.push((name.clone(), value)),
                        None => missing.push((name.clone(), Vec::new())),
                    }
                }
            }
            PropfindRequest::PropName => {
                for (ns, local) in LISTED {
                    let name = Name::new(ns, local);
                    if self.value(ctx, &name).is_some() {
                        found.push((name, Vec::new()));
                    }
                }
            }
        }
        let mut propstats = vec![Propstat {
            status: StatusCode::OK,
            props: found,
        }];
        if !minimal {
            propstats.push(Propstat {
                status: StatusCode::NOT_FOUND,
                props: missing,
            });
        }
        Response {
            href: self.href(ctx),
            body: ResponseBody::Propstats(propstats),
        }
    }
}

fn supported_reports(reports: &[(&str, &str)]) -> Vec<Node> {
    reports
        .iter()
        .map(|(ns, local)| el(DAV, "supported-report", vec![el(DAV, "report", vec![empty(ns, local)])]))
        .collect()
}

/// An RFC 9110 HTTP-date (`Tue, 15 Nov 1994 08:12:31 GMT`).
pub fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}
