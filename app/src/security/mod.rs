//! «Настройки безопасности»: strong authentication beyond the password.

pub mod passkeys;
