//! What the page «Подтверждение личности» receives. Plain serde types,
//! shared by browser and server.

use serde::{Deserialize, Serialize};

use super::model::{CheckState, Refusal, VerifyInput};
use crate::auth::Level;

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyView {
    pub level: Level,
    /// «Соколова Елена Викторовна»: what the registries compare with.
    pub full_name: String,
    /// «14.02.1991»
    pub birth_date: String,
    /// The newest check, if any.
    pub check: Option<CheckView>,
    /// What the form starts with: the data of the newest check, or the
    /// СНИЛС on record.
    pub values: VerifyInput,
    /// The portal can reach the registries (dev mode: the simulation).
    pub available: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckView {
    pub state: CheckState,
    /// «30.11.2026 14:35» (Moscow time)
    pub sent_at: String,
    pub settled_at: Option<String>,
    pub refusals: Vec<Refusal>,
}
