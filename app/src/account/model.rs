//! Checks of what a person types into the account forms that only this
//! area uses. The birth date and the passport (`auth::personal`), the identifiers (`auth::identifier`), names
//! (`auth::names`), the password policy (`auth::policy`) and the code format
//! (`auth::model`) are the kernel's; they are re-exported here for the
//! account's pages. Pure functions that build for wasm.

pub use crate::auth::identifier::{
    Identifier, normalize_email, normalize_inn, normalize_phone, normalize_snils, parse_identifier,
};
pub use crate::auth::model::validate_code;
pub use crate::auth::names::validate_name;
pub use crate::auth::personal::{parse_date, validate_birth_date};
pub use crate::auth::policy::*;
pub use crate::ui::password::keyboard_layout_hint;

/// A contact change on a session whose password was not proven lately.
pub const CONTACT_NEEDS_PASSWORD: &str = "Чтобы сменить контакт, введите пароль от личного кабинета";
