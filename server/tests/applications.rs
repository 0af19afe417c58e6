//! Applications through the real router, as a browser without JavaScript
//! sends them: the step form (`answers[<id>]=…` fields) kept and judged,
//! «Отправить» once, and the result download (the owner only, as an
//! attachment that is never cached or sniffed).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use app::auth::sessions::{self, NewSession, SessionKind};
use app::platform::auth_settings::AuthSettings;
use app::platform::clock;
use http::StatusCode;
use support::Portal;

async fn cookie(portal: &Portal, key: &str, staff: bool) -> String {
    let new = NewSession {
        account: key,
        kind: if staff { SessionKind::Staff } else { SessionKind::Own },
        strong: staff,
        enrol: false,
        must_change_password: false,
        ip: "192.0.2.1",
        user_agent: "test",
    };
    let token = sessions::create(&portal.state.db, &AuthSettings::default(), new, clock::now()).await.unwrap();
    format!("portal_session={token}")
}

const HTML: &[(&str, &str)] = &[("accept", "text/html")];

async fn form(portal: &Portal, endpoint: &str, body: &str, cookie: &str) -> support::Answer {
    portal.send("POST", &format!("/api/{endpoint}"), body.as_bytes().to_vec(), cookie, HTML).await
}

#[tokio::test]
async fn without_javascript_a_form_is_filled_step_by_step_sent_once_and_its_result_downloaded() {
    let portal = Portal::new().await;
    let me = cookie(&portal, "demo_ivanov", false).await;
    let a = form(&portal, "applications/start", "code=passport-foreign", &me).await;
    let to = a.location().unwrap_or_default();
    assert!(to.starts_with("/applications/") && to.ends_with("/edit?step=0"), "{} {to}", a.status);
    let key = to.trim_start_matches("/applications/").trim_end_matches("/edit?step=0").to_string();

    // A wrong step stays, naming its field on the page; what was typed is kept.
    let a = form(&portal, "applications/step", &format!("id={key}&step=0&go=next&answers%5Bname_changed%5D=yes"), &me)
        .await;
    assert_eq!(a.location().as_deref(), Some(format!("/applications/{key}/edit?step=0&check=1").as_str()));
    let page = portal.get(&format!("/applications/{key}/edit?step=0&check=1"), &me).await;
    assert!(page.body.contains("Заполните поле «Прежние фамилия, имя, отчество»"), "{}", page.body);
    assert!(page.body.contains("Иванов"));

    let steps = [
        "answers%5Bname_changed%5D=no",
        "answers%5Bkind%5D=new&answers%5Breason%5D=expiring",
        "answers%5Baddress%5D=%D0%B3.+%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0%2C+%D1%83%D0%BB.+%D0%A2%D0%B2%D0%B5%D1%80%D1%81%D0%BA%D0%B0%D1%8F%2C+%D0%B4.+7&answers%5Bphone%5D=%2B79160000001&answers%5Bwork%5D=%D0%9E%D0%9E%D0%9E+%D0%A0%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0",
    ];
    for (i, s) in steps.iter().enumerate() {
        let a = form(&portal, "applications/step", &format!("id={key}&step={i}&go=next&{s}"), &me).await;
        assert_eq!(a.location(), Some(format!("/applications/{key}/edit?step={}", i + 1)), "step {i}");
    }
    let review = portal.get(&format!("/applications/{key}/edit?step=3"), &me).await;
    assert!(review.body.contains("Проверьте данные") && review.body.contains("Истекает срок действия"));
    for _ in 0..2 {
        let a = form(&portal, "applications/submit", &format!("id={key}"), &me).await;
        assert_eq!(a.location(), Some(format!("/applications/{key}?sent=1")));
    }
    let page = portal.get(&format!("/applications/{key}?sent=1"), &me).await;
    assert!(page.body.contains("Заявление отправлено. Номер:"), "{}", page.body);
    assert!(page.body.contains("Отправлено в ведомство"));

    // Another citizen: the page is «не найдено», the list is empty.
    let other = cookie(&portal, "demo_petrova", false).await;
    let a = portal.get(&format!("/applications/{key}"), &other).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);

    // The МВД official decides; the owner downloads the result, nobody else.
    let off = cookie(&portal, "demo_official_mvd", true).await;
    let a = form(&portal, "applications/claim", &format!("id={key}"), &off).await;
    assert_eq!(a.location(), Some(format!("/staff/applications/{key}?claimed=1")), "{}", a.body);
    let a = form(&portal, "applications/decide", &format!("id={key}&decision=approve&comment="), &off).await;
    assert_eq!(a.location(), Some(format!("/staff/applications/{key}?decided=approve")), "{}", a.body);
    let pdf = portal.get(&format!("/api/applications/{key}/result"), &me).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers.get("content-type").unwrap(), "application/pdf");
    assert!(pdf.headers.get("content-disposition").unwrap().to_str().unwrap().starts_with("attachment"));
    assert_eq!(pdf.headers.get("cache-control").unwrap(), "no-store");
    assert_eq!(pdf.headers.get("x-content-type-options").unwrap(), "nosniff");
    let a = portal.get(&format!("/api/applications/{key}/result"), &other).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let a = portal.get(&format!("/api/applications/{key}/result"), "").await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
}
