//! «Настройки безопасности»: two-step sign-in (SMS, authenticator app,
//! backup codes), the second step at sign-in, «Активные сеансы», «Журнал
//! входов», security notices with «Это был не я», and «Биометрия» (passkeys).

#[cfg(feature = "ssr")]
pub mod alerts;
pub mod api;
pub mod dto;
pub mod pages;
pub mod passkeys;
#[cfg(all(test, feature = "ssr"))]
mod tests;
