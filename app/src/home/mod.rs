//! The home page: what the account offers, and (given by the route table)
//! the search over the services, from the catalogue's full-text search.

mod page;

pub use page::HomePage;
