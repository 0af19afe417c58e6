//! The pages of applications: the start and the steps of a draft
//! (`apply.rs`), «Мои заявления», one application and the public check of a
//! result (`mine.rs`), the official's console (`staff.rs`), and the field
//! drawn from its definition (`fields.rs`).

mod apply;
mod fields;
mod mine;
mod staff;

pub use apply::{ApplyPage, DraftEditPage};
pub use mine::{ApplicationPage, CheckDocumentPage, MyApplicationsPage};
pub use staff::{StaffApplicationPage, StaffQueuePage};
