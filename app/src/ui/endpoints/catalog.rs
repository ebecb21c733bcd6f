//! Typed calls of the catalog area (see [`crate::ui::http`]).
