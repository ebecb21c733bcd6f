//! Typed calls of the bundles area (see [`crate::ui::http`]).
