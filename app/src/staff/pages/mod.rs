//! The staff console: `/staff` (the shell with navigation by role), each
//! role's home (what it will hold), and «Сотрудники» for administrators.

mod admin;
mod home;

pub use admin::AdminPage;
pub use home::{OfficialHome, StaffHome, SupportHome};

pub use crate::auth::pages::StaffNav;
