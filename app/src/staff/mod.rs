//! The staff console (`/staff`) and staff accounts. The console shell
//! greets a staff member and leads to the home of each role they hold;
//! later areas put their staff pages under `<area>/pages/staff/` and check
//! their role through `auth::caller::staff`. The administrator's
//! «Сотрудники» lists staff, adds one (a temporary password goes to their
//! phone), changes roles and disables one (its sessions end at once); every
//! such change is journaled in `staff_audit`.
//!
//! It must never: grant a role to a citizen account, let an administrator
//! remove their own administrator role or disable themselves, or show a
//! temporary password to anyone but its owner (the console prints it to
//! the operator who ran `portal create-staff`).
//!
//! Files: `model.rs` (the new-staff form's rules), `dto.rs`, `api.rs`,
//! `service.rs` (rules on `&Caller`), `store.rs` (rows and queries),
//! `pages/` (console shell, role homes, «Сотрудники»), `tests.rs`.

pub mod api;
pub mod dto;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod tests;
