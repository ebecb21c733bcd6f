//! Pieces used on more than one page.

pub mod apply_online;
pub mod audience_switch;
pub mod browse_list;
pub mod care_mode;
pub mod case_form;
pub mod case_view;
pub mod clause_list;
pub mod demo_notice;
pub mod district_map;
pub mod due_date;
pub mod hotline;
pub mod item_card;
pub mod item_sites;
pub mod material_checklist;
pub mod material_uploads;
pub mod near_picker;
pub mod places;
pub mod search_box;
pub mod session_links;
pub mod site_card;
pub mod site_footer;
pub mod site_header;
pub mod situation_questions;
pub mod status;
pub mod submit_bar;
