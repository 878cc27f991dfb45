//! CalDAV's XML: reading request bodies into typed requests, writing multistatus and error
//! bodies.

pub mod calendar_data;
pub mod filter;
pub mod mkcalendar;
pub mod multistatus;
pub mod names;
pub mod propfind;
pub mod proppatch;
pub mod read;
pub mod report;
pub mod shared_text;
pub mod write;
