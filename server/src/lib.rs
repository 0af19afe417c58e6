//! The portal server as a library: the router and its layers (`http`), so
//! the binary and the in-process tests (`server/tests/`) build the same one.

pub mod benchkit;
pub mod http;
