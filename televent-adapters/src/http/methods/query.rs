//! REPORT calendar-query (RFC 4791 section 7.8): the resources of a calendar that match a
//! filter (see `xml::filter` for what is supported and `matching` for how it is evaluated).
//!
//! A time-range on the object's component reads only the store's candidates (stored bounds
//! that may overlap); a filter on component kinds alone with no calendar-data reads only the
//! listing (`object_metas`); anything else reads the resources and matches each. Filters the
//! server cannot run are refused with `CALDAV:supported-filter`, never answered wrongly. This
//! module must never write.

use std::sync::Arc;

use http::StatusCode;
use televent_domain::calendar::Calendar;
use televent_domain::component::ComponentKind;
use televent_domain::event::{Href, ObjectMeta, StoredObject};
use televent_domain::recurrence::{ExpandOptions, Selection, Window};

use super::report::{budgeted_multistatus, object_response, responses_size};
use crate::http::body::{CHUNK_BYTES, Listing};
use crate::http::error::app_error;
use crate::http::handler::Dav;
use crate::http::matching::{matches, window_of};
use crate::http::props::{PropContext, member_responses};
use crate::http::response::{Condition, HttpResponse, dav_error, multistatus, multistatus_in_chunks};
use crate::http::xml::calendar_data::DataRequest;
use crate::http::xml::filter::{CompFilter, FilterError, QueryFilter};
use crate::http::xml::multistatus::MultistatusWriter;
use crate::http::xml::names::{CALDAV, Name};
use crate::http::xml::propfind::PropfindRequest;

/// Which component kinds a filter admits, when that is all it tests.
#[derive(Debug, Clone, Copy)]
enum Kinds {
    All,
    Only(ComponentKind),
    AllBut(ComponentKind),
    None,
}

impl Kinds {
    /// `Some` when the filter tests nothing but which component the resource has.
    fn of(filter: &QueryFilter) -> Option<Self> {
        match filter.comps.as_slice() {
            [] => Some(Self::All),
            [comp] if comp.time_range.is_none() && comp.props.is_empty() && comp.comps.is_empty() => {
                Some(match (ComponentKind::from_name(&comp.name), comp.is_not_defined) {
                    (Some(kind), false) => Self::Only(kind),
                    (Some(kind), true) => Self::AllBut(kind),
                    // Nothing stored has another component, so every resource lacks it.
                    (None, true) => Self::All,
                    (None, false) => Self::None,
                })
            }
            _ => None,
        }
    }

    fn accepts(self, kind: ComponentKind) -> bool {
        match self {
            Self::All => true,
            Self::Only(wanted) => kind == wanted,
            Self::AllBut(unwanted) => kind != unwanted,
            Self::None => false,
        }
    }
}

/// A quick test on the index before parsing: the kind a positive comp-filter names.
fn kind_admitted(comps: &[CompFilter], kind: ComponentKind) -> bool {
    comps
        .iter()
        .filter(|c| !c.is_not_defined)
        .all(|c| ComponentKind::from_name(&c.name) == Some(kind))
}

/// Runs a calendar-query on `calendar`.
pub async fn calendar_query(
    dav: &Dav,
    ctx: &PropContext<'_>,
    calendar: &Calendar,
    props: &[Name],
    filter: Result<QueryFilter, FilterError>,
    data: &DataRequest,
) -> HttpResponse {
    let filter = match filter {
        Ok(filter) => filter,
        Err(FilterError::Unsupported(what)) => {
            let message = format!("this server does not run {what}");
            return dav_error(
                StatusCode::FORBIDDEN,
                Condition::new(CALDAV, "supported-filter"),
                &message,
            );
        }
        Err(FilterError::Collation(collation)) => {
            let message = format!("the collation {collation} is not supported; use i;ascii-casemap or i;octet");
            return dav_error(
                StatusCode::FORBIDDEN,
                Condition::new(CALDAV, "supported-collation"),
                &message,
            );
        }
        Err(FilterError::Invalid(why)) => {
            return dav_error(StatusCode::FORBIDDEN, Condition::new(CALDAV, "valid-filter"), &why);
        }
    };
    let store = dav.engine.store();
    let path_of = |href: &Href| href.to_string();
    let wants_data = props.iter().any(|p| p.is(CALDAV, "calendar-data"));
    if let (Some(kinds), false) = (Kinds::of(&filter), wants_data) {
        let metas = match store.object_metas(calendar.id).await {
            Ok(metas) => metas,
            Err(error) => return app_error(&error.into(), &path_of),
        };
        let request = PropfindRequest::Prop(props.to_vec());
        // Made as the connection takes it: this lists the whole calendar.
        let listed: Vec<ObjectMeta> = metas.into_iter().filter(|meta| kinds.accepts(meta.kind)).collect();
        let mut respond = member_responses(ctx, calendar, request, false);
        let writer = MultistatusWriter::with_capacity(CHUNK_BYTES);
        return multistatus_in_chunks(Listing::new(writer, listed, move |meta: ObjectMeta| respond(&meta)));
    }
    let range = filter
        .comps
        .iter()
        .filter(|c| !c.is_not_defined)
        .find_map(|c| c.time_range);
    let snapshot = match dav.snapshots.of(store.as_ref(), calendar).await {
        Ok(snapshot) => snapshot,
        Err(error) => return app_error(&error.into(), &path_of),
    };
    // The filter clients send most (one component kind in a time-range) is answered from the
    // snapshot's occurrence index: only what overlaps is touched.
    if let [comp] = filter.comps.as_slice()
        && let (Some(range), Some(kind), false, true, true) = (
            comp.time_range,
            ComponentKind::from_name(&comp.name),
            comp.is_not_defined,
            comp.props.is_empty(),
            comp.comps.is_empty(),
        )
    {
        let (from, to) = window_of(range);
        let zone = ctx.user.time_zone.tz();
        let (listed, unlisted) = snapshot.overlapping(Window { from, to }, zone, &dav.objects);
        let options = ExpandOptions {
            floating_in: zone,
            selection: Selection::Overlaps,
            ..ExpandOptions::default()
        };
        let capacity = responses_size(listed.iter().chain(&unlisted));
        let responses = listed
            .iter()
            .filter(|stored| stored.index.kind == kind)
            .chain(
                unlisted
                    .iter()
                    .filter(|stored| stored.index.kind == kind)
                    .filter(|stored| matches(&filter, stored.as_ref(), &options, &dav.objects)),
            )
            .map(|stored| object_response(ctx, &dav.objects, calendar, stored, props, data));
        return multistatus(budgeted_multistatus(
            responses,
            capacity,
            collection_path(ctx, calendar),
        ));
    }
    let objects = match range {
        Some(range) => {
            let (from, to) = window_of(range);
            snapshot.candidates(from, to)
        }
        None => snapshot.all(),
    };
    let options = ExpandOptions {
        floating_in: ctx.user.time_zone.tz(),
        selection: Selection::Overlaps,
        ..ExpandOptions::default()
    };
    let matching: Vec<&Arc<StoredObject>> = objects
        .iter()
        .filter(|stored| kind_admitted(&filter.comps, stored.index.kind))
        .filter(|stored| matches(&filter, stored.as_ref(), &options, &dav.objects))
        .collect();
    let capacity = responses_size(matching.iter().copied());
    let responses = matching
        .into_iter()
        .map(|stored| object_response(ctx, &dav.objects, calendar, stored, props, data));
    multistatus(budgeted_multistatus(
        responses,
        capacity,
        collection_path(ctx, calendar),
    ))
}

/// The calendar's own path, for the 507 that ends a report cut short.
fn collection_path(ctx: &PropContext<'_>, calendar: &Calendar) -> String {
    crate::http::paths::calendar(ctx.user.name.as_str(), calendar.slug.as_str())
}
