//! One module per HTTP method or report; `dispatch` picks one, `request` holds what several
//! need.
//!
//! Handlers and helpers return `Result<_, HttpResponse>`: the error is the response that ends
//! the request. It is built at most once per request, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod collection;
pub mod conditions;
pub mod dispatch;
pub mod freebusy;
pub mod home_sync;
pub mod home_token;
pub mod mkcalendar;
pub mod object;
pub mod options;
pub mod principal_reports;
pub mod propfind;
pub mod proppatch;
pub mod query;
pub mod report;
pub mod request;

pub use dispatch::dispatch;
