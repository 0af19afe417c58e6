//! The security pages: the second step at sign-in, «Двухэтапная проверка»
//! with backup codes, «Активные сеансы», «Журнал входов», «Это был не я».

mod not_me;
mod second;
mod sessions;
mod two_step;

pub use not_me::NotMePage;
pub use second::SecondStepPage;
pub use sessions::{JournalPage, SessionsPage};
pub use two_step::{BackupCodesPage, Reauth, TwoStepPage};
