//! Recurrence: rules, and the occurrences of a calendar object in a window.

pub mod bounds;
pub mod expand;
pub mod rule;
pub mod stream;

pub use bounds::{TimeBounds, bounds};
pub use expand::{ExpandOptions, Expansion, Occurrence, Selection, Window, expand};
