//! The account's pages: registration, sign-in, recovery, «Личные данные»,
//! «Безопасность» and the password field with its checklist.

mod legal;
mod login;
mod password;
mod profile;
mod recover;
mod register;
mod security;

pub use legal::{PrivacyPage, TermsPage};
pub use login::LoginPage;
pub use password::PasswordField;
pub use profile::{ContactConfirmPage, ProfilePage};
pub use recover::{RecoverConfirmPage, RecoverPage};
pub use register::{RegisterConfirmPage, RegisterPage};
pub use security::{PasswordExpiredPage, SecurityPage};

pub(crate) use crate::ui::form::{FormError, echoed, field_error, last_error};
