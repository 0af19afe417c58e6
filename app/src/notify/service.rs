//! What the notification pages ask for, for the signed-in person only:
//! their centre, a notice opened (and so read), «Отметить все
//! прочитанными», their settings, and the summary on their personal home.

use chrono::{DateTime, Utc};

use super::dto::{
    Centre, ChannelState, DeliveryState, DeliveryView, HomeAction, HomeSummary, NotificationView, Opened, SettingsView,
};
use super::model::{NoticeChannel, NoticeKind, Settings, first_words, mask_recipient};
use super::store::{self, NotificationRow};
use crate::auth::Level;
use crate::auth::accounts::AccountRow;
use crate::auth::caller::Caller;
use crate::error::AppError;
use crate::format::msk;
use crate::platform::db::{Db, record_key};
use crate::platform::outbox::{self, Channel};

/// How many notices the centre lists.
const CENTRE_LIMIT: i64 = 100;
/// How many sent messages «Отправленные сообщения» lists.
const DELIVERIES_LIMIT: i64 = 30;
/// How many unread notices the personal home shows.
const HOME_LATEST: i64 = 3;

fn view(r: NotificationRow) -> NotificationView {
    NotificationView {
        id: record_key(&r.id),
        kind: r.kind.as_deref().and_then(NoticeKind::parse),
        subject: r.subject,
        text: r.text,
        link: r.link.filter(|l| is_local(l)),
        at: msk(r.created_at),
        read: r.read_at.is_some(),
    }
}

/// A link inside the portal (a notice never sends anyone elsewhere).
fn is_local(link: &str) -> bool {
    link.starts_with('/') && !link.starts_with("//") && !link.contains('\\')
}

/// «Отправленные сообщения»: what went to the person, never a code or a
/// link of a sensitive message.
pub fn delivery_view(d: outbox::Delivery) -> DeliveryView {
    let what = match (&d.subject, &d.body) {
        (Some(s), _) => s.trim_end_matches(" — Госпортал").to_string(),
        (None, Some(body)) => first_words(body, 10),
        (None, None) => "Уведомление безопасности".to_string(),
    };
    DeliveryView {
        channel: Channel::label(&d.channel).to_string(),
        to: mask_recipient(&d.channel, &d.recipient),
        what,
        at: msk(d.sent_at.unwrap_or(d.created_at)),
        state: DeliveryState::parse(&d.status),
    }
}

/// `/notifications`.
pub async fn centre(db: &Db, caller: &Caller) -> Result<Centre, AppError> {
    let key = caller.key();
    let items = store::list(db, &key, false, CENTRE_LIMIT).await?;
    let unread = store::unread(db, &key).await?;
    let deliveries = outbox::for_account(db, &key, DELIVERIES_LIMIT).await?;
    Ok(Centre {
        items: items.into_iter().map(view).collect(),
        unread,
        deliveries: deliveries.into_iter().map(delivery_view).collect(),
    })
}

/// Opens one of the caller's notices and marks it read; another person's
/// (or none) is «не найдено».
pub async fn open(db: &Db, caller: &Caller, id: &str, now: DateTime<Utc>) -> Result<Opened, AppError> {
    match store::open(db, &caller.key(), id, now).await? {
        Some(r) => Ok(Opened { notice: view(r) }),
        None => Err(AppError::NotFound),
    }
}

/// «Отметить все прочитанными».
pub async fn read_all(db: &Db, caller: &Caller, now: DateTime<Utc>) -> Result<usize, AppError> {
    store::mark_all_read(db, &caller.key(), now).await
}

/// Whether messages by `channel` can reach the person, and a note saying
/// where they go or why not.
fn channel_state(a: &AccountRow, channel: NoticeChannel) -> ChannelState {
    let (ready, note) = match channel {
        NoticeChannel::Push => (
            true,
            "Придут в мобильное приложение «Госпортал». Пока приложения нет, они ждут отправки и видны в «Отправленных сообщениях».".to_string(),
        ),
        NoticeChannel::Sms => match (&a.phone, a.phone_confirmed) {
            (Some(p), true) => (true, format!("На номер {}.", crate::format::mask_phone(p))),
            (Some(_), false) => (false, "Телефон не подтверждён: SMS не отправляются, пока вы не подтвердите его в профиле.".to_string()),
            (None, _) => (false, "Телефон не указан: SMS не отправляются. Добавьте его в профиле.".to_string()),
        },
        NoticeChannel::Email => match (&a.email, a.email_confirmed) {
            (Some(e), true) => (true, format!("На адрес {}.", crate::format::mask_email(e))),
            (Some(_), false) => (false, "Почта не подтверждена: письма не отправляются, пока вы не подтвердите её в профиле.".to_string()),
            (None, _) => (false, "Электронная почта не указана: письма не отправляются. Добавьте её в профиле.".to_string()),
        },
    };
    ChannelState { channel, ready, note }
}

/// `/settings/notifications`.
pub async fn settings(db: &Db, caller: &Caller) -> Result<SettingsView, AppError> {
    let settings = store::settings(db, &caller.key()).await?;
    let channels = NoticeChannel::ALL.into_iter().map(|c| channel_state(&caller.account, c)).collect();
    Ok(SettingsView { settings, channels })
}

/// «Применить»: the ticked boxes (`status.sms`, …) become the settings.
pub async fn save(db: &Db, caller: &Caller, ticked: &[String], now: DateTime<Utc>) -> Result<Settings, AppError> {
    let s = Settings::from_ticked(ticked);
    store::save_settings(db, &caller.key(), &s, now).await?;
    Ok(s)
}

/// «Анна Петровна» (the name and patronymic as stored), or the name alone.
pub fn greeting(a: &AccountRow) -> String {
    match a.patronymic.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => format!("{} {p}", a.name),
        None => a.name.clone(),
    }
}

/// What the personal home shows of notifications and the account.
pub async fn home(db: &Db, caller: &Caller) -> Result<HomeSummary, AppError> {
    let a = &caller.account;
    let key = caller.key();
    let unread = store::unread(db, &key).await?;
    let latest = if unread > 0 { store::list(db, &key, true, HOME_LATEST).await? } else { Vec::new() };
    let mut actions = Vec::new();
    if a.level == Level::Simplified {
        actions.push(HomeAction {
            text: "Подтвердите личность: со стандартной учётной записью доступно большинство услуг.".into(),
            link: "Подтвердить личность".into(),
            href: "/profile/verify".into(),
        });
    }
    if !a.email_confirmed || !a.phone_confirmed {
        let what = if a.email_confirmed { "телефон" } else { "электронную почту" };
        actions.push(HomeAction {
            text: format!("Добавьте и подтвердите {what}, чтобы уведомления приходили и туда."),
            link: "Открыть профиль".into(),
            href: "/profile".into(),
        });
    }
    Ok(HomeSummary { greeting: greeting(a), unread, latest: latest.into_iter().map(view).collect(), actions })
}
