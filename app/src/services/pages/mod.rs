//! The pages of state services: the catalogue `/services` with its search
//! (also the search section of the public home page), and a page per
//! service `/services/<code>`.

mod catalogue;
mod service;

pub use catalogue::{CataloguePage, PopularServices};
pub use service::ServicePage;
