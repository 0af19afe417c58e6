//! What the security server functions send to the pages. Nothing secret:
//! the authenticator key goes out only while it is being added.

use serde::{Deserialize, Serialize};

/// The second step at sign-in, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondStep {
    /// The method of this page: `totp`, `sms`, `backup`, `passkey`.
    pub method: String,
    /// Every method the person may use, `(method, label)`, this one included.
    pub methods: Vec<(String, String)>,
    /// An SMS code has been sent in this step.
    pub sms_sent: bool,
    /// «+7 916 ***-**-67» for the SMS method.
    pub phone: Option<String>,
    /// Backup codes left.
    pub backup_left: usize,
}

/// «Двухэтапная проверка» as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStep {
    pub on: bool,
    pub sms: bool,
    /// The masked confirmed phone, if there is one (SMS possible).
    pub phone: Option<String>,
    pub totp: bool,
    /// An app being added: its key as text and the QR code (`data:` URL).
    pub totp_pending: Option<TotpEnrolment>,
    pub backup_left: usize,
    /// «22.11.2026» when the current backup codes were made.
    pub backup_created: Option<String>,
    /// The password was given within the re-authentication window.
    pub proof_fresh: bool,
    /// Minutes of that window (for the page's words).
    pub proof_minutes: i64,
    /// The account has passkeys (a passkey can give the fresh proof too).
    pub has_passkeys: bool,
    /// A staff account: SMS does not count, the console needs an app or a passkey.
    pub staff: bool,
    /// This session passed (or set up) a strong second step.
    pub strong: bool,
    /// A second step may be added in this session (staff: only with a
    /// strong one, or at the first sign-in with a temporary password).
    pub may_set_up: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrolment {
    /// The key in groups of four, to type by hand.
    pub key: String,
    pub qr: String,
}

/// One row of «Активные сеансы».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub device: String,
    pub ip: String,
    pub started: String,
    pub last_seen: String,
    pub current: bool,
    pub public: bool,
}

/// One row of «Журнал входов».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub at: String,
    pub ok: bool,
    pub result: String,
    pub method: String,
    pub ip: String,
    pub device: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalPage {
    pub entries: Vec<JournalEntry>,
    pub page: u32,
    pub pages: u32,
    pub total: u64,
}
