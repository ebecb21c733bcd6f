//! Pieces used on more than one page.

pub mod audience_switch;
pub mod browse_list;
pub mod care_mode;
pub mod clause_list;
pub mod demo_notice;
pub mod due_date;
pub mod hotline;
pub mod item_card;
pub mod material_checklist;
pub mod places;
pub mod search_box;
pub mod site_footer;
pub mod site_header;
pub mod situation_questions;
pub mod status;
