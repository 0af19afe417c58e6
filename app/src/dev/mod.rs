//! Pages for developers and demo only: the dev outbox (messages that would
//! have gone out by SMS, e-mail or voice call) and a sheet of the design
//! system. In production their server functions answer «не найдено» and the
//! server does not route `/dev/*` at all.

mod outbox_page;
mod ui_kit;

pub use outbox_page::{OutboxItem, OutboxPage, dev_outbox};
pub use ui_kit::UiKitPage;
