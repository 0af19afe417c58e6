//! The catalogue through the real router, as a browser without JavaScript
//! and a script see it: the search pages answered by the server, the
//! search endpoint with its size budget, a service page and an unknown one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use http::StatusCode;
use support::Portal;

async fn portal() -> Portal {
    let portal = Portal::new().await;
    app::services::catalog_store::sync(&portal.state.db, app::services::catalog::all()).await.unwrap();
    portal
}

fn encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn without_javascript_the_search_pages_answer_with_what_was_found() {
    let portal = portal().await;
    let page = portal.get(&format!("/services?q={}", encode("загранпаспорт")), "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Найдено услуг: 1"), "{}", page.body);
    assert!(page.body.contains(r#"href="/services/passport-foreign""#));
    let home = portal.get(&format!("/?q={}", encode("паспрот")), "").await;
    assert!(home.body.contains(r#"href="/services/passport-foreign""#));
    let none = portal.get(&format!("/services?q={}", encode("вертолёт")), "").await;
    assert!(none.body.contains("Ничего не найдено."));
    let category = portal.get(&format!("/services?category={}", encode("Образование")), "").await;
    assert!(category.body.contains(r#"href="/services/kindergarten""#));
    assert!(!category.body.contains(r#"href="/services/passport-foreign""#));
}

#[tokio::test]
async fn the_search_endpoint_is_public_and_refuses_an_oversized_request() {
    let portal = portal().await;
    let found = portal.post("services/search", &format!("q={}", encode("справку о судимости")), "").await;
    assert_eq!(found.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&found.body).unwrap();
    assert_eq!(v["services"][0]["code"], "criminal-record");
    let huge = portal.post("services/search", &format!("q={}", "a".repeat(5000)), "").await;
    assert_eq!(huge.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_service_page_says_level_term_and_price_and_an_unknown_one_is_404() {
    let portal = portal().await;
    let page = portal.get("/services/passport-foreign", "").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Подтверждённая",
        "1 месяц",
        "6\u{a0}000\u{a0}₽",
        "МВД России",
        "Получить услугу",
        "/services/passport-foreign/apply",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    let free = portal.get("/services/criminal-record", "").await;
    assert!(free.body.contains("Бесплатно"));
    let missing = portal.get("/services/no-such-service", "").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Страница не найдена"));
}
