//! Recurrence: rules, and the occurrences of a calendar object in a window.

pub mod rule;
