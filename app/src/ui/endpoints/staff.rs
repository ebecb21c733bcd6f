//! Typed calls of the staff side: queue, review, supervision (see [`crate::ui::http`]).
