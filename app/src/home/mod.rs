//! The home page: for anyone, what the account offers and the search over
//! the services (given by the route table, from the catalogue's full-text
//! search); for a signed-in citizen, their own «Личный кабинет»
//! (`personal.rs`; `Home` chooses).

mod page;
mod personal;

pub use page::HomePage;
pub use personal::{Home, PersonalHome};
