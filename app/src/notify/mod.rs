//! Notifications (spec 003 «Настройка уведомлений», «Push‑уведомления»;
//! product rules §15): security notices to every confirmed contact with a
//! «Это был не я» link; notices of a kind (`NoticeKind`: status of an
//! application, personal data, coming deadlines) that always land in the
//! notification centre and go by push / SMS / e-mail as the person's
//! settings say, decided inside the caller's transaction; the centre
//! (`/notifications`, the bell in the header, «Отправленные сообщения»),
//! the settings page (`/settings/notifications`) and the wake-up of the
//! outbox worker.
//!
//! It must never: show or mark another person's notice; show the text of a
//! sensitive message (a code, a «Это был не я» link) in the list of sent
//! messages; let the settings silence a security notice.
//!
//! A later area makes a notice with `notice` / `notice_in` (kind `Status`
//! for applications) or `deadline_notice` («О предстоящих сроках»).
//!
//! Files: `model.rs` (kinds, channels, settings; pure), `send.rs` (the
//! notices and the outbox rows), `store.rs`, `service.rs`, `api.rs`,
//! `dto.rs`, `pages/`, `tests.rs`.

pub mod api;
pub mod dto;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod send;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use model::{NoticeChannel, NoticeKind, Settings};
#[cfg(feature = "ssr")]
pub use send::{
    PUSH_RECIPIENT, deadline_notice, link_account, new_link, notice, notice_in, security_notice, settings_id, wake,
};
