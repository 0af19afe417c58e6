//! What a notice is about, the channels it may go by, and the person's
//! settings of type × channel (spec 003 «Настройка уведомлений»). Pure: the
//! same code draws the settings page and decides on the server.

use serde::{Deserialize, Serialize};

/// What a notice is about; the person's settings choose its channels.
/// Security notices (`security_notice`) are not a kind: they are always on,
/// every confirmed channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeKind {
    /// «О статусе заявки»: an application moved on.
    Status,
    /// «Об изменении персональных данных»: a document checked, a change of
    /// data decided, the account's level changed.
    PersonalData,
    /// «О предстоящих сроках»: a draft about to be deleted, a deadline near.
    Deadline,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 3] = [NoticeKind::Status, NoticeKind::PersonalData, NoticeKind::Deadline];

    /// The prefix of its settings fields (`status_sms`, …) and its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Status => "status",
            NoticeKind::PersonalData => "personal",
            NoticeKind::Deadline => "deadline",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// As the settings page names it.
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Status => "О статусе заявки",
            NoticeKind::PersonalData => "Об изменении персональных данных",
            NoticeKind::Deadline => "О предстоящих сроках",
        }
    }

    fn index(self) -> usize {
        match self {
            NoticeKind::Status => 0,
            NoticeKind::PersonalData => 1,
            NoticeKind::Deadline => 2,
        }
    }
}

/// A channel a notice may go by besides the centre (which always gets it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeChannel {
    Push,
    Sms,
    Email,
}

impl NoticeChannel {
    pub const ALL: [NoticeChannel; 3] = [NoticeChannel::Push, NoticeChannel::Sms, NoticeChannel::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeChannel::Push => "push",
            NoticeChannel::Sms => "sms",
            NoticeChannel::Email => "email",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NoticeChannel::Push => "Пуш‑уведомления",
            NoticeChannel::Sms => "SMS",
            NoticeChannel::Email => "Электронная почта",
        }
    }

    fn index(self) -> usize {
        match self {
            NoticeChannel::Push => 0,
            NoticeChannel::Sms => 1,
            NoticeChannel::Email => 2,
        }
    }
}

/// The settings field of one type × channel: `status_sms`.
pub fn field(kind: NoticeKind, channel: NoticeChannel) -> String {
    format!("{}_{}", kind.as_str(), channel.as_str())
}

/// Which channels each kind of notice goes by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    on: [[bool; 3]; 3],
}

impl Default for Settings {
    /// A new account gets every kind by every channel: nothing the person
    /// should know is silent until they choose so (product rules §15).
    fn default() -> Self {
        Settings { on: [[true; 3]; 3] }
    }
}

impl Settings {
    /// Nothing by any channel (the centre still gets every notice).
    pub fn none() -> Settings {
        Settings { on: [[false; 3]; 3] }
    }

    pub fn wants(&self, kind: NoticeKind, channel: NoticeChannel) -> bool {
        self.on[kind.index()][channel.index()]
    }

    pub fn set(&mut self, kind: NoticeKind, channel: NoticeChannel, on: bool) {
        self.on[kind.index()][channel.index()] = on;
    }

    /// The boxes a form sent ticked (`status.sms`, …); anything else is ignored.
    pub fn from_ticked(ticked: &[String]) -> Settings {
        let mut s = Settings::none();
        for t in ticked {
            let Some((k, c)) = t.split_once('.') else { continue };
            let (Some(k), Some(c)) = (NoticeKind::parse(k), NoticeChannel::ALL.into_iter().find(|x| x.as_str() == c))
            else {
                continue;
            };
            s.set(k, c, true);
        }
        s
    }

    /// The value of a box in the form: `status.sms`.
    pub fn box_value(kind: NoticeKind, channel: NoticeChannel) -> String {
        format!("{}.{}", kind.as_str(), channel.as_str())
    }
}

/// «Уведомления, 3 непрочитанных» — the bell's accessible name.
pub fn bell_label(unread: u32) -> String {
    match unread {
        0 => "Уведомления, нет непрочитанных".to_string(),
        n if n % 10 == 1 && n % 100 != 11 => format!("Уведомления, {n} непрочитанное"),
        n => format!("Уведомления, {n} непрочитанных"),
    }
}

/// «+7 916 ***-**-67», «an***@example.ru»: enough to recognise one's own
/// contact, not enough to learn someone's.
pub fn mask_recipient(channel: &str, recipient: &str) -> String {
    match channel {
        "push" => "Мобильное приложение".to_string(),
        "email" => crate::format::mask_email(recipient),
        _ => crate::format::mask_phone(recipient),
    }
}

/// The first `n` words of a text, with «…» when there were more.
pub fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n { words.join(" ") } else { format!("{}…", words[..n].join(" ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_account_gets_every_kind_by_every_channel() {
        let s = Settings::default();
        for k in NoticeKind::ALL {
            for c in NoticeChannel::ALL {
                assert!(s.wants(k, c));
            }
        }
    }

    #[test]
    fn ticked_boxes_become_settings_and_strange_values_are_ignored() {
        let s = Settings::from_ticked(&["status.sms".into(), "deadline.push".into(), "x.sms".into(), "status".into()]);
        assert!(s.wants(NoticeKind::Status, NoticeChannel::Sms));
        assert!(s.wants(NoticeKind::Deadline, NoticeChannel::Push));
        assert!(!s.wants(NoticeKind::Status, NoticeChannel::Email));
        assert!(!s.wants(NoticeKind::PersonalData, NoticeChannel::Sms));
    }

    #[test]
    fn the_bell_says_how_many_are_unread_in_russian() {
        assert_eq!(bell_label(0), "Уведомления, нет непрочитанных");
        assert_eq!(bell_label(1), "Уведомления, 1 непрочитанное");
        assert_eq!(bell_label(3), "Уведомления, 3 непрочитанных");
        assert_eq!(bell_label(11), "Уведомления, 11 непрочитанных");
        assert_eq!(bell_label(21), "Уведомления, 21 непрочитанное");
    }

    #[test]
    fn recipients_are_masked() {
        assert_eq!(mask_recipient("sms", "+79161234567"), "+7 916 ***-**-67");
        assert_eq!(mask_recipient("email", "anna@example.ru"), "an***@example.ru");
        assert_eq!(mask_recipient("push", "app"), "Мобильное приложение");
        assert_eq!(first_words("один два три четыре", 3), "один два три…");
    }
}
