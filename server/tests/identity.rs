//! «Подтверждение личности» through the real router, without a browser: the
//! form posts to `identity/send` as it does with JavaScript off, and the
//! page the server renders says «На проверке», then what the registries
//! said, with the data sent filled in again, or that they did not answer,
//! with the form to send again. The registries' side is in
//! `app/src/identity/tests.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use app::auth::sessions::{self, NewSession, SessionKind};
use app::demo::DEMO_ACCOUNTS;
use app::platform::auth_settings::AuthSettings;
use app::platform::clock;
use http::StatusCode;
use support::Portal;

/// Петрова (demo, «Упрощённая»), signed in with her password current.
async fn petrova(portal: &Portal) -> String {
    let new = NewSession {
        account: DEMO_ACCOUNTS[1].key,
        kind: SessionKind::Own,
        strong: false,
        enrol: false,
        must_change_password: false,
        ip: "192.0.2.1",
        user_agent: "test",
    };
    let token = sessions::create(&portal.state.db, &AuthSettings::default(), new, clock::now()).await.unwrap();
    format!("portal_session={token}")
}

/// Percent-encodes a form value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn form(snils: &str, number: &str) -> String {
    [
        ("snils", snils),
        ("passport_series", "45 12"),
        ("passport_number", number),
        ("passport_issued_on", "20.11.2012"),
        ("passport_issued_by", "ГУ МВД России по г. Москве"),
        ("passport_division", "770-028"),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", enc(v)))
    .collect::<Vec<_>>()
    .join("&")
}

async fn set_state(portal: &Portal, state: &str, refusals: &[&str]) {
    portal
        .state
        .db
        .query("UPDATE identity_check SET state = $s, refusals = $r, pending_for = record::id(id), settled_at = time::now()")
        .bind(("s", state.to_string()))
        .bind(("r", refusals.iter().map(|r| r.to_string()).collect::<Vec<_>>()))
        .await
        .unwrap()
        .check()
        .unwrap();
}

#[tokio::test]
async fn the_page_shows_the_check_under_way_then_what_was_not_found_with_the_data_to_correct() {
    let portal = Portal::new().await;
    let cookie = petrova(&portal).await;
    let page = portal.get("/profile/verify", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Отправить на проверку"), "{}", page.body);
    assert!(page.body.contains("Петрова Мария Сергеевна"));

    let sent = portal.post("identity/send", &form("127-485-031 64", "345679"), &cookie).await;
    assert_eq!(sent.location().as_deref(), Some("/profile/verify?sent=1"), "{} {}", sent.status, sent.body);
    let page = portal.get("/profile/verify?sent=1", &cookie).await;
    assert!(page.body.contains("На проверке"), "{}", page.body);
    assert!(page.body.contains(">Обновить</a>"), "no «Обновить» without JavaScript");
    assert!(!page.body.contains("Отправить на проверку"));

    // A second send while the first is under way is refused.
    let again = portal.post("identity/send", &form("127-485-031 64", "345679"), &cookie).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("Данные уже отправлены на проверку"), "{}", again.body);

    set_state(&portal, "refused", &["passport_not_found"]).await;
    let page = portal.get("/profile/verify", &cookie).await;
    assert!(page.body.contains("Паспорт: сведения не найдены в МВД России"), "{}", page.body);
    assert!(!page.body.contains("СНИЛС: сведения не найдены"));
    assert!(page.body.contains("value=\"345679\""), "the number sent is there to correct");
    assert!(page.body.contains("value=\"127-485-031 64\""));
    assert!(page.body.contains("Отправить на проверку"));
}

#[tokio::test]
async fn when_the_registries_do_not_answer_the_page_says_so_and_the_data_can_be_sent_again() {
    let portal = Portal::new().await;
    let cookie = petrova(&portal).await;
    let sent = portal.post("identity/send", &form("127-485-031 64", "345678"), &cookie).await;
    assert!(sent.location().is_some(), "{} {}", sent.status, sent.body);
    set_state(&portal, "failed", &[]).await;
    let page = portal.get("/profile/verify", &cookie).await;
    assert!(page.body.contains("Проверка не завершена"), "{}", page.body);
    assert!(page.body.contains("value=\"345678\""));
    let again = portal.post("identity/send", &form("127-485-031 64", "345678"), &cookie).await;
    assert_eq!(again.location().as_deref(), Some("/profile/verify?sent=1"), "{} {}", again.status, again.body);
}

#[tokio::test]
async fn a_wrong_snils_comes_back_with_its_message_and_everything_typed() {
    let portal = Portal::new().await;
    let cookie = petrova(&portal).await;
    let a = portal.post("identity/send", &form("127-485-031 65", "345678"), &cookie).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("В номере СНИЛС ошибка"), "{}", a.body);
    assert!(a.body.contains("345678"), "typed values are echoed: {}", a.body);
}

#[tokio::test]
async fn a_citizen_already_confirmed_sees_that_and_no_form() {
    let portal = Portal::new().await;
    let new = NewSession {
        account: DEMO_ACCOUNTS[0].key,
        kind: SessionKind::Own,
        strong: false,
        enrol: false,
        must_change_password: false,
        ip: "192.0.2.1",
        user_agent: "test",
    };
    let token = sessions::create(&portal.state.db, &AuthSettings::default(), new, clock::now()).await.unwrap();
    let page = portal.get("/profile/verify", &format!("portal_session={token}")).await;
    assert!(page.body.contains("Личность уже подтверждена"), "{}", page.body);
    assert!(page.body.contains("«Подтверждённая»"));
    assert!(!page.body.contains("Отправить на проверку"));
}
