//! Time zones: resolving TZIDs, zones defined by VTIMEZONE, and Windows zone names.

pub mod local;
pub mod resolve;
pub mod vtimezone;
mod windows_zones;
pub mod zone;

pub use resolve::{Resolution, ZoneResolver};
pub use zone::Zone;
