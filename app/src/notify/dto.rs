//! What the notification server functions send to the pages: plain serde
//! types, times already in Moscow time.

use serde::{Deserialize, Serialize};

use super::model::{NoticeChannel, NoticeKind, Settings};

/// One notice in the centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: String,
    /// None for notices older than the kinds.
    pub kind: Option<NoticeKind>,
    pub subject: String,
    pub text: String,
    /// Where it leads (an application, a document, later a payment…).
    pub link: Option<String>,
    /// «10.03.2026 12:00»
    pub at: String,
    pub read: bool,
}

/// One message sent to the person, as «Отправленные сообщения» lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    /// «SMS», «E-mail», «Пуш‑уведомление».
    pub channel: String,
    /// Masked: «+7 916 ***-**-67».
    pub to: String,
    /// Its subject, or the first words of a plain message; a security
    /// notice shows only its subject (never its link).
    pub what: String,
    /// «10.03.2026 12:00»
    pub at: String,
    pub state: DeliveryState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryState {
    Delivered,
    Waiting,
    Failed,
}

impl DeliveryState {
    pub fn parse(status: &str) -> DeliveryState {
        match status {
            "sent" => DeliveryState::Delivered,
            "pending" => DeliveryState::Waiting,
            _ => DeliveryState::Failed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeliveryState::Delivered => "Доставлено",
            DeliveryState::Waiting => "Ожидает отправки",
            DeliveryState::Failed => "Не доставлено",
        }
    }
}

/// `/notifications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Centre {
    pub items: Vec<NotificationView>,
    pub unread: u32,
    pub deliveries: Vec<DeliveryView>,
}

/// A contact channel's state on the settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelState {
    pub channel: NoticeChannel,
    /// Messages by it can be sent now.
    pub ready: bool,
    /// Why not, or where they go: «на +7 916 ***-**-67».
    pub note: String,
}

/// `/settings/notifications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub settings: Settings,
    pub channels: Vec<ChannelState>,
}

/// A notice opened from the centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opened {
    pub notice: NotificationView,
}

/// What the personal home shows of notifications and the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeSummary {
    /// «Анна Петровна», as stored.
    pub greeting: String,
    pub unread: u32,
    /// The newest unread ones (a few).
    pub latest: Vec<NotificationView>,
    /// Things only the person can do: (text, link text, href).
    pub actions: Vec<HomeAction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeAction {
    pub text: String,
    pub link: String,
    pub href: String,
}

/// The label of a kind for a notice (None for older notices).
pub fn kind_label(kind: Option<NoticeKind>) -> &'static str {
    kind.map(NoticeKind::label).unwrap_or("Уведомление")
}
