//! The operator's pages: `/staff/mfc` (find or register), `/staff/mfc/visit`
//! (the citizen of a visit, the activation code and the sheet, «Подтвердить
//! личность», «Завершить приём»), `/staff/mfc/pin` (the PIN pad the citizen
//! types the code on).

mod home;
mod pin;
mod visit;

pub use home::MfcHome;
pub use pin::PinPadPage;
pub use visit::VisitPage;
