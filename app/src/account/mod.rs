//! Accounts: registration, sign-in, recovery, profile.

pub mod model;
