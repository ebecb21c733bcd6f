//! Typed calls of the cases area (see [`crate::ui::http`]).
