//! The kernel's page pieces: who is signed in as context, the guards for
//! signed-in and staff pages, the account menu in the header, the session
//! timer with «Продлить», and the code form with «Не пришёл код?».

mod code;
mod nav;
mod session;

pub use code::{CodeField, CodeHelp};
pub use nav::{SettingsNav, StaffNav};
pub use session::{
    AccountMenu, LevelGate, LevelNeeded, MeResource, RequireSignIn, RequireStaff, SessionTimer, provide_me, use_me,
};
