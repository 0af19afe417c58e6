//! The pages of the identity check: `/profile/verify`.

mod verify;

pub use verify::VerifyPage;
