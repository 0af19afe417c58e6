//! What the staff server functions send to the pages.

use serde::{Deserialize, Serialize};

use crate::auth::Role;

/// A staff member in «Сотрудники».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: String,
    /// «Иванова Ольга Петровна»
    pub name: String,
    /// «+7 916 123-45-67»
    pub phone: String,
    pub email: Option<String>,
    pub roles: Vec<Role>,
    pub department: Option<String>,
    pub office: Option<String>,
    pub disabled: bool,
    /// Has an authenticator app or a passkey (can open the console).
    pub second_step: bool,
    /// The administrator looking at the list.
    pub me: bool,
}

/// One line of the journal of staff changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// «22.11.2026 14:35» (Moscow time)
    pub at: String,
    pub actor: String,
    pub target: String,
    /// «Добавлен», «Роли изменены», «Отключён», «Включён»
    pub action: String,
    pub details: String,
}

/// «Сотрудники».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffList {
    pub members: Vec<StaffMember>,
    pub audit: Vec<AuditEntry>,
}

/// A citizen reported a look at their data they did not expect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessAlert {
    pub key: String,
    /// When it was reported, Moscow time.
    pub at: String,
    /// The citizen, «Иванов И. И.».
    pub citizen: String,
    /// The staff member who looked, «Сотрудникова С. С.» (role, unit).
    pub staff: String,
    /// What they opened and why, and when.
    pub access: String,
    /// The citizen's words.
    pub note: String,
}
