//! The home page: for anyone, what the account offers and a search over
//! the popular services that works with JavaScript off (a GET form) and
//! live with it on; for a signed-in citizen, their own «Личный кабинет»
//! (`personal.rs`; `Home` chooses).

mod model;
mod page;
mod personal;

pub use model::{Service, popular_services, search_services};
pub use page::HomePage;
pub use personal::{Home, PersonalHome};
