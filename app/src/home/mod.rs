//! The home page: what the account offers, and a search over the popular
//! services that works with JavaScript off (a GET form) and live with it on.

mod model;
mod page;

pub use model::{Service, popular_services, search_services};
pub use page::HomePage;
