//! Notifications against the real database engine in memory: the settings
//! decide the channels inside the notice's own query, security notices and
//! the centre ignore them, a person reads and marks only their own notices,
//! push messages wait in the outbox, and the list of sent messages shows
//! their state without the text of a sensitive one.

// See account/tests.rs: clippy does not treat this cfg as test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use chrono::TimeDelta;

use super::dto::DeliveryState;
use super::model::{NoticeChannel, NoticeKind, Settings};
use super::{service, store};
use crate::auth::accounts::{self, AccountRow};
use crate::demo::DEMO_ACCOUNTS;
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt};
use crate::platform::outbox::{self, Channel, Deliver};
use crate::testing::{caller, t0, with_people};

fn ivanov() -> &'static str {
    DEMO_ACCOUNTS[0].key
}

fn petrova() -> &'static str {
    DEMO_ACCOUNTS[1].key
}

async fn account(db: &Db, key: &str) -> AccountRow {
    accounts::load(db, key).await.unwrap().unwrap()
}

/// The channels of the outbox rows sent to `key` with `subject` in them.
async fn channels(db: &Db, key: &str, subject: &str) -> Vec<String> {
    let mut c: Vec<String> = db
        .query("SELECT VALUE channel FROM outbox WHERE account = $a AND (string::contains(subject ?? '', $s) OR string::contains(body, $s))")
        .bind(("a", key.to_string()))
        .bind(("s", subject.to_string()))
        .all("channels")
        .await
        .unwrap();
    c.sort();
    c
}

async fn notice(db: &Db, a: &AccountRow, kind: NoticeKind, subject: &str) {
    super::notice(db, a, kind, subject, "Текст уведомления.", Some("/documents"), t0()).await.unwrap();
}

fn settings(on: &[(NoticeKind, NoticeChannel)]) -> Settings {
    let mut s = Settings::none();
    for (k, c) in on {
        s.set(*k, *c, true);
    }
    s
}

#[tokio::test]
async fn a_new_account_gets_a_notice_by_push_sms_and_email() {
    let db = with_people().await;
    let a = account(&db, ivanov()).await;
    assert_eq!(store::settings(&db, ivanov()).await.unwrap(), Settings::default());
    notice(&db, &a, NoticeKind::Status, "Заявление принято").await;
    assert_eq!(channels(&db, ivanov(), "Заявление принято").await, ["email", "push", "sms"]);
}

#[tokio::test]
async fn the_settings_decide_the_channels_of_each_kind() {
    use NoticeChannel::{Email, Push, Sms};
    use NoticeKind::{Deadline, PersonalData, Status};
    let db = with_people().await;
    let a = account(&db, ivanov()).await;
    let s = settings(&[(Status, Sms), (PersonalData, Email), (PersonalData, Push), (Deadline, Push), (Deadline, Sms)]);
    store::save_settings(&db, ivanov(), &s, t0()).await.unwrap();
    assert_eq!(store::settings(&db, ivanov()).await.unwrap(), s);

    notice(&db, &a, Status, "Статус изменён").await;
    notice(&db, &a, PersonalData, "Документ принят").await;
    super::deadline_notice(&db, &a, "Черновик скоро удалится", "Через 7 дней.", Some("/"), t0()).await.unwrap();
    assert_eq!(channels(&db, ivanov(), "Статус изменён").await, ["sms"]);
    assert_eq!(channels(&db, ivanov(), "Документ принят").await, ["email", "push"]);
    assert_eq!(channels(&db, ivanov(), "Черновик скоро удалится").await, ["push", "sms"]);

    // Every combination of one kind, and the other person's defaults untouched.
    let b = account(&db, petrova()).await;
    for (i, on) in
        [[false, false, false], [true, false, true], [false, true, false], [true, true, true]].into_iter().enumerate()
    {
        let mut s = Settings::none();
        for (c, on) in NoticeChannel::ALL.into_iter().zip(on) {
            s.set(Status, c, on);
        }
        store::save_settings(&db, ivanov(), &s, t0()).await.unwrap();
        let subject = format!("Проверка {i}");
        notice(&db, &a, Status, &subject).await;
        let mut want: Vec<&str> =
            NoticeChannel::ALL.into_iter().zip(on).filter(|(_, on)| *on).map(|(c, _)| c.as_str()).collect();
        want.sort();
        assert_eq!(channels(&db, ivanov(), &subject).await, want, "{on:?}");
    }
    notice(&db, &b, Status, "Статус у Петровой").await;
    assert_eq!(channels(&db, petrova(), "Статус у Петровой").await, ["email", "push", "sms"]);
}

#[tokio::test]
async fn a_notice_switched_off_everywhere_still_appears_in_the_centre() {
    let db = with_people().await;
    let a = account(&db, ivanov()).await;
    store::save_settings(&db, ivanov(), &Settings::none(), t0()).await.unwrap();
    notice(&db, &a, NoticeKind::PersonalData, "Документ отклонён").await;
    assert!(channels(&db, ivanov(), "Документ отклонён").await.is_empty());
    let me = caller(&db, ivanov(), false, t0()).await;
    let centre = service::centre(&db, &me).await.unwrap();
    assert_eq!(centre.unread, 1);
    assert_eq!(centre.items[0].subject, "Документ отклонён");
    assert_eq!(centre.items[0].kind, Some(NoticeKind::PersonalData));
    assert!(!centre.items[0].read);
}

#[tokio::test]
async fn security_notices_ignore_the_settings() {
    let db = with_people().await;
    let a = account(&db, ivanov()).await;
    store::save_settings(&db, ivanov(), &Settings::none(), t0()).await.unwrap();
    super::security_notice(&db, "http://localhost", &a, "Вход с нового устройства", "Выполнен вход.", t0())
        .await
        .unwrap();
    assert_eq!(channels(&db, ivanov(), "Вход с нового устройства").await, ["email"]);
    // The SMS carries no subject; it is there too, tied to the account.
    let all: Vec<String> = db
        .query("SELECT VALUE channel FROM outbox WHERE account = $a")
        .bind(("a", ivanov().to_string()))
        .all("c")
        .await
        .unwrap();
    assert!(all.contains(&"sms".to_string()) && all.contains(&"email".to_string()), "{all:?}");
}

#[tokio::test]
async fn an_unconfirmed_contact_gets_nothing_whatever_the_settings() {
    let db = with_people().await;
    let mut a = account(&db, ivanov()).await;
    a.email_confirmed = false;
    notice(&db, &a, NoticeKind::Status, "Без почты").await;
    assert_eq!(channels(&db, ivanov(), "Без почты").await, ["push", "sms"]);
    let me = caller(&db, ivanov(), false, t0()).await;
    let mut me = me;
    me.account.email_confirmed = false;
    let v = service::settings(&db, &me).await.unwrap();
    let email = v.channels.iter().find(|c| c.channel == NoticeChannel::Email).unwrap();
    assert!(!email.ready && email.note.contains("не подтверждена"), "{}", email.note);
}

#[tokio::test]
async fn the_unread_count_counts_only_ones_own_unread_notices() {
    let db = with_people().await;
    let (a, b) = (account(&db, ivanov()).await, account(&db, petrova()).await);
    for i in 0..3 {
        notice(&db, &a, NoticeKind::Status, &format!("Иванову {i}")).await;
    }
    notice(&db, &b, NoticeKind::Status, "Петровой").await;
    assert_eq!(store::unread(&db, ivanov()).await.unwrap(), 3);
    assert_eq!(store::unread(&db, petrova()).await.unwrap(), 1);
    let me = caller(&db, ivanov(), false, t0()).await;
    let id = service::centre(&db, &me).await.unwrap().items[0].id.clone();
    service::open(&db, &me, &id, t0()).await.unwrap();
    assert_eq!(store::unread(&db, ivanov()).await.unwrap(), 2);
    let home = service::home(&db, &me).await.unwrap();
    assert_eq!(home.unread, 2);
    assert_eq!(home.latest.len(), 2);
    assert_eq!(home.greeting, "Иван Иванович");
}

#[tokio::test]
async fn marking_read_touches_only_the_callers_own_notices() {
    let db = with_people().await;
    let (a, b) = (account(&db, ivanov()).await, account(&db, petrova()).await);
    notice(&db, &a, NoticeKind::Status, "Иванову").await;
    notice(&db, &b, NoticeKind::Status, "Петровой").await;
    let ivan = caller(&db, ivanov(), false, t0()).await;
    let maria = caller(&db, petrova(), false, t0()).await;
    let hers = service::centre(&db, &maria).await.unwrap().items[0].id.clone();

    // Ivanov opens Petrova's notice by its id: not found, and still unread.
    assert!(matches!(service::open(&db, &ivan, &hers, t0()).await, Err(AppError::NotFound)));
    assert!(matches!(service::open(&db, &ivan, "nothing", t0()).await, Err(AppError::NotFound)));
    assert!(matches!(
        service::open(&db, &ivan, "notification:x; DELETE notification", t0()).await,
        Err(AppError::NotFound)
    ));
    assert_eq!(store::unread(&db, petrova()).await.unwrap(), 1);

    // «Отметить все прочитанными» marks his only.
    assert_eq!(service::read_all(&db, &ivan, t0()).await.unwrap(), 1);
    assert_eq!(store::unread(&db, ivanov()).await.unwrap(), 0);
    assert_eq!(store::unread(&db, petrova()).await.unwrap(), 1);

    // She opens hers: read, with its link to follow.
    let opened = service::open(&db, &maria, &hers, t0()).await.unwrap();
    assert_eq!(opened.notice.link.as_deref(), Some("/documents"));
    assert!(opened.notice.read);
    assert_eq!(store::unread(&db, petrova()).await.unwrap(), 0);
}

#[tokio::test]
async fn opening_a_notice_many_times_at_once_keeps_the_first_reading_time() {
    let db = Arc::new(with_people().await);
    let a = account(&db, ivanov()).await;
    notice(&db, &a, NoticeKind::Status, "Один раз").await;
    let me = Arc::new(caller(&db, ivanov(), false, t0()).await);
    let id = service::centre(&db, &me).await.unwrap().items[0].id.clone();
    let mut tasks = Vec::new();
    for i in 0..16 {
        let (db, me, id) = (db.clone(), me.clone(), id.clone());
        tasks.push(tokio::spawn(async move { service::open(&db, &me, &id, t0() + TimeDelta::seconds(i)).await }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let times: Vec<chrono::DateTime<chrono::Utc>> =
        db.query("SELECT VALUE read_at FROM notification").all("read_at").await.unwrap();
    assert_eq!(times.len(), 1);
    // Re-opening later never moves it.
    service::open(&db, &me, &id, t0() + TimeDelta::days(1)).await.unwrap();
    let again: Vec<chrono::DateTime<chrono::Utc>> =
        db.query("SELECT VALUE read_at FROM notification").all("read_at").await.unwrap();
    assert_eq!(times, again);
}

struct Recorder {
    seen: Mutex<Vec<Channel>>,
}

impl Deliver for Recorder {
    async fn deliver(&self, channel: Channel, _: &str, _: Option<&str>, _: &str) -> Result<&'static str, String> {
        self.seen.lock().unwrap().push(channel);
        Ok("smtp")
    }
}

#[tokio::test]
async fn push_messages_wait_and_are_never_handed_to_a_channel() {
    let db = with_people().await;
    let a = account(&db, ivanov()).await;
    for i in 0..25 {
        notice(&db, &a, NoticeKind::Status, &format!("Статус {i}")).await;
    }
    let rec = Recorder { seen: Mutex::new(Vec::new()) };
    // 50 SMS and e-mails go in batches; the 25 pushes never come up, so the
    // worker ends with nothing to do instead of spinning on them.
    let mut rounds = 0;
    while outbox::deliver_due(&db, &rec, t0() + TimeDelta::seconds(1)).await.unwrap() > 0 {
        rounds += 1;
        assert!(rounds < 10, "the worker keeps finding work");
    }
    assert!(!rec.seen.lock().unwrap().contains(&Channel::Push));
    assert_eq!(rec.seen.lock().unwrap().len(), 50);
    let waiting: Vec<String> =
        db.query("SELECT VALUE status FROM outbox WHERE channel = 'push'").all("push").await.unwrap();
    assert_eq!(waiting.len(), 25);
    assert!(waiting.iter().all(|s| s == "pending"));
    assert_eq!(outbox::deliver_due(&db, &rec, t0() + TimeDelta::days(30)).await.unwrap(), 0);
}

#[tokio::test]
async fn sent_messages_show_their_state_and_never_a_sensitive_text() {
    let db = with_people().await;
    let a = account(&db, ivanov()).await;
    super::security_notice(&db, "http://localhost", &a, "Пароль изменён", "Пароль изменён.", t0()).await.unwrap();
    notice(&db, &a, NoticeKind::PersonalData, "Документ принят").await;
    // A code to a contact is not the account's notice: not listed.
    outbox::enqueue(
        &db,
        outbox::NewMessage {
            channel: Channel::Sms,
            recipient: a.phone.clone().unwrap(),
            subject: None,
            body: "Код: 123456".into(),
            sensitive: true,
            expires_at: None,
        },
        t0(),
    )
    .await
    .unwrap();
    let rec = Recorder { seen: Mutex::new(Vec::new()) };
    outbox::deliver_due(&db, &rec, t0() + TimeDelta::seconds(1)).await.unwrap();

    let me = caller(&db, ivanov(), false, t0()).await;
    let sent = service::centre(&db, &me).await.unwrap().deliveries;
    assert_eq!(sent.len(), 5, "{sent:?}");
    for d in &sent {
        assert!(!d.what.contains("not-me") && !d.what.contains("123456"), "{d:?}");
        assert!(!d.to.contains("0000001") && !d.to.contains("ivanov@"), "{d:?}");
    }
    let push = sent.iter().find(|d| d.channel == "Пуш‑уведомление").unwrap();
    assert_eq!(push.state, DeliveryState::Waiting);
    assert_eq!(push.what, "Документ принят");
    assert!(sent.iter().filter(|d| d.channel != "Пуш‑уведомление").all(|d| d.state == DeliveryState::Delivered));
    assert!(sent.iter().any(|d| d.what == "Уведомление безопасности"), "{sent:?}");
    assert!(sent.iter().any(|d| d.what == "Пароль изменён"), "{sent:?}");
    assert!(sent.iter().any(|d| d.what.starts_with("Госпортал: Документ принят")), "{sent:?}");

    // Petrova sees none of his.
    let maria = caller(&db, petrova(), false, t0()).await;
    assert!(service::centre(&db, &maria).await.unwrap().deliveries.is_empty());
}

#[tokio::test]
async fn a_failed_message_shows_as_not_delivered() {
    struct Down;
    impl Deliver for Down {
        async fn deliver(&self, _: Channel, _: &str, _: Option<&str>, _: &str) -> Result<&'static str, String> {
            Err("down".into())
        }
    }
    let db = with_people().await;
    let a = account(&db, ivanov()).await;
    store::save_settings(&db, ivanov(), &settings(&[(NoticeKind::Status, NoticeChannel::Sms)]), t0()).await.unwrap();
    notice(&db, &a, NoticeKind::Status, "Не дошло").await;
    let mut now = t0();
    for _ in 0..outbox::MAX_ATTEMPTS {
        outbox::deliver_due(&db, &Down, now).await.unwrap();
        now += TimeDelta::hours(2);
    }
    let me = caller(&db, ivanov(), false, t0()).await;
    let sent = service::centre(&db, &me).await.unwrap().deliveries;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].state, DeliveryState::Failed);
}
