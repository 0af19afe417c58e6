//! The pages of notifications: the bell in the header, the centre
//! `/notifications` (with «Отправленные сообщения»), one notice
//! `/notifications/<id>` (opens it, marks it read, goes to its link) and the
//! settings `/settings/notifications`.

mod bell;
mod centre;
mod settings;

pub use bell::Bell;
pub use centre::{NoticeList, NoticePage, NotificationsPage};
pub use settings::NotificationSettingsPage;
