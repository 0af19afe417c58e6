//! What the kernel's server functions send to every page. Plain serde
//! types, shared by browser and server; nothing secret ever goes in here.

use serde::{Deserialize, Serialize};

use super::model::{Level, Role};

/// The signed-in person as every page needs it (header, session timer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// «Иванов И. И.»
    pub short_name: String,
    /// Seconds until the session ends if nothing happens.
    pub expires_in: i64,
    /// Seconds of warning before that, with «Продлить».
    pub warn_before: i64,
    /// The password is older than allowed: only the change page is open.
    pub must_change_password: bool,
    /// «Чужой компьютер» was ticked at sign-in.
    pub public: bool,
    /// Staff roles (empty for a citizen): the header shows «Кабинет сотрудника».
    pub roles: Vec<Role>,
    /// The session passed a strong second step (staff pages need it).
    pub strong: bool,
    /// The account's level; pages that need more say how to get it.
    pub level: Level,
    /// Unread notices (the bell in the header); 0 for staff.
    pub unread: u32,
}

impl Me {
    pub fn is_staff(&self) -> bool {
        !self.roles.is_empty()
    }
}

/// A pending code step as the code page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowView {
    /// `register`, `recover`, `phone`, `email`.
    pub purpose: String,
    /// Where the last code went: `sms`, `email` or `voice`.
    pub channel: String,
    /// «на номер +7 916 ***-**-67», «на почту iv***@mail.ru», or, in
    /// recovery by СНИЛС/ИНН, «на телефон или почту, указанные в учётной записи».
    pub destination: String,
    /// The channel the person may switch to (`sms` or `email`), if any.
    pub other_channel: Option<String>,
    /// «Получить код по телефону» (a voice call) is possible.
    pub voice: bool,
    /// Seconds until «Отправить код ещё раз» is allowed.
    pub resend_in: i64,
    /// Seconds until the current code expires (0: expired or none).
    pub code_expires_in: i64,
}
