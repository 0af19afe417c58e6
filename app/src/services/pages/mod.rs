//! The pages of state services: the catalogue `/services` with its search
//! (also the search section of the public home page) and a page per service
//! `/services/<code>` (`catalogue.rs`, `service.rs`); the start and the
//! steps of a draft (`apply.rs`), «Мои заявления», one application and the
//! public check of a result (`mine.rs`), the official's console
//! (`staff.rs`), and the field drawn from its definition (`fields.rs`).

mod apply;
mod catalogue;
mod fields;
mod mine;
mod service;
mod staff;

pub use apply::{ApplyPage, DraftEditPage};
pub use catalogue::{CataloguePage, PopularServices};
pub use mine::{ApplicationPage, ApplicationsHomeCard, CheckDocumentPage, MyApplicationsPage};
pub use service::ServicePage;
pub use staff::{StaffApplicationPage, StaffQueuePage};
