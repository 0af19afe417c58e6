//! The design system: small, accessible building blocks every page uses.
//! It knows nothing of accounts, services or payments, and never calls the
//! server; pages give it text and signals.

mod alert;
mod button;
mod card;
mod field;
pub mod form;
mod home_card;
mod modal;
pub mod password;
mod stepper;
mod toast;

pub use alert::{Alert, AlertKind};
pub use button::{Button, ButtonLink, ButtonVariant};
pub use card::Card;
pub use field::{TextField, typed_value};
pub use form::{FormError, echoed, field_error, last_error};
pub use home_card::HomeCard;
pub use modal::Modal;
pub use password::PasswordField;
pub use stepper::Stepper;
pub use toast::{ToastHost, Toasts, provide_toasts, use_toasts};
