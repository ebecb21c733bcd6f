//! Typed calls of the sites area (see [`crate::ui::http`]).
