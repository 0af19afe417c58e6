//! The two plain routes of «Документы» through the real router: the
//! multipart upload (JSON for the page's script, a redirect for a form sent
//! without JavaScript) and the download (owner, an official through the
//! document's task, anyone else refused), with the headers that keep a
//! browser from showing or guessing a file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use app::auth::Role;
use app::auth::sessions::{self, NewSession, SessionKind};
use app::demo::{DEMO_ACCOUNTS, DEMO_STAFF};
use app::platform::auth_settings::AuthSettings;
use app::platform::clock;
use axum::body::Body;
use http::{HeaderMap, Request, StatusCode, header};
use support::Portal;
use tower::ServiceExt;

const JPEG: &[u8] = include_bytes!("../../app/tests/fixtures/passport.jpg");
const PNG: &[u8] = include_bytes!("../../app/tests/fixtures/passport.png");
const BOUNDARY: &str = "----portal-test-boundary";

/// A session cookie for the account `key` (strong for staff).
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

fn staff_key(role: Role) -> &'static str {
    DEMO_STAFF.iter().find(|s| s.roles.contains(&role)).unwrap().key
}

/// A multipart body: text fields, then the file.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn location(&self) -> String {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    }
}

async fn call(portal: &Portal, req: Request<Body>) -> Answer {
    let res = portal.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 16 << 20).await.unwrap().to_vec();
    Answer { status, headers, body }
}

/// Sends the upload form; `json` as the page's script does.
async fn upload(portal: &Portal, cookie: &str, body: Vec<u8>, json: bool, extra: &[(&str, &str)]) -> Answer {
    let mut req = Request::builder()
        .method("POST")
        .uri("/api/documents/upload")
        .header(header::HOST, "localhost")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .header(header::ACCEPT, if json { "application/json" } else { "text/html,*/*" });
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    call(portal, req.body(Body::from(body)).unwrap()).await
}

async fn download(portal: &Portal, cookie: &str, path: &str) -> Answer {
    let mut req = Request::builder().method("GET").uri(path).header(header::HOST, "localhost");
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    call(portal, req.body(Body::empty()).unwrap()).await
}

/// A passport scan uploaded by the first demo citizen; its id.
async fn uploaded(portal: &Portal) -> String {
    let owner = cookie(portal, DEMO_ACCOUNTS[0].key, false).await;
    let a = upload(portal, &owner, multipart(&[("kind", "passport")], Some(("паспорт.jpg", JPEG))), true, &[]).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v: serde_json::Value = serde_json::from_slice(&a.body).unwrap();
    v["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_script_gets_json_and_a_plain_form_is_sent_back_to_its_page() {
    let portal = Portal::new().await;
    let id = uploaded(&portal).await;
    assert_eq!(id.len(), 32);
    let owner = cookie(&portal, DEMO_ACCOUNTS[0].key, false).await;
    // Without JavaScript: back to the page, with the result in the address.
    let body = multipart(&[("kind", "inn"), ("back", "/documents/change")], Some(("inn.png", PNG)));
    let a = upload(&portal, &owner, body, false, &[]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(a.location().starts_with("/documents/change?uploaded="), "{}", a.location());
    // A PNG renamed .pdf: the problem named, beside the field or in the address.
    let renamed = || multipart(&[("kind", "passport")], Some(("scan.pdf", PNG)));
    let a = upload(&portal, &owner, renamed(), true, &[]).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.text().contains("Формат файла не совпадает"), "{}", a.text());
    let a = upload(&portal, &owner, renamed(), false, &[]).await;
    assert_eq!(a.location(), "/documents?upload_error=mismatch&kind=passport");
    // No file chosen; a page that is not ours to go back to.
    let a =
        upload(&portal, &owner, multipart(&[("kind", "passport"), ("back", "https://evil.example")], None), false, &[])
            .await;
    assert_eq!(a.location(), "/documents?upload_error=no_file&kind=passport");
}

#[tokio::test]
async fn a_file_over_five_megabytes_is_read_on_and_refused_politely() {
    let portal = Portal::new().await;
    let owner = cookie(&portal, DEMO_ACCOUNTS[0].key, false).await;
    let mut big = PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let a = upload(&portal, &owner, multipart(&[("kind", "passport")], Some(("big.png", &big))), true, &[]).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.text().contains("Файл больше 5 МБ"), "{}", a.text());
    let a = upload(&portal, &owner, multipart(&[("kind", "passport")], Some(("big.png", &big))), false, &[]).await;
    assert_eq!(a.location(), "/documents?upload_error=size&kind=passport");
}

#[tokio::test]
async fn an_upload_needs_a_signed_in_person_from_the_portal_itself() {
    let portal = Portal::new().await;
    let body = || multipart(&[("kind", "passport")], Some(("p.jpg", JPEG)));
    assert_eq!(upload(&portal, "", body(), true, &[]).await.status, StatusCode::UNAUTHORIZED);
    let a = upload(&portal, "", body(), false, &[]).await;
    assert!(a.location().starts_with("/login?next="), "{}", a.location());
    let owner = cookie(&portal, DEMO_ACCOUNTS[0].key, false).await;
    let a = upload(&portal, &owner, body(), true, &[("origin", "https://evil.example")]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let ids: Vec<String> =
        portal.state.db.query("SELECT VALUE record::id(id) FROM document").await.unwrap().take(0).unwrap();
    assert!(ids.is_empty(), "nothing was stored: {ids:?}");
}

#[tokio::test]
async fn a_file_downloads_as_an_attachment_to_its_owner_only() {
    let portal = Portal::new().await;
    let id = uploaded(&portal).await;
    let path = format!("/api/documents/file/{id}");
    let owner = cookie(&portal, DEMO_ACCOUNTS[0].key, false).await;
    let a = download(&portal, &owner, &path).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, JPEG);
    let h = |n: header::HeaderName| a.headers.get(n).unwrap().to_str().unwrap().to_string();
    assert_eq!(h(header::CONTENT_TYPE), "image/jpeg");
    assert!(h(header::CONTENT_DISPOSITION).starts_with("attachment; filename=\"document.jpg\""));
    assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(h(header::CACHE_CONTROL), "no-store");
    // Another citizen, and an official without a task: there is no such file.
    let other = cookie(&portal, DEMO_ACCOUNTS[1].key, false).await;
    assert_eq!(download(&portal, &other, &path).await.status, StatusCode::NOT_FOUND);
    let official = cookie(&portal, staff_key(Role::Official), true).await;
    assert_eq!(download(&portal, &official, &path).await.status, StatusCode::NOT_FOUND);
    assert!(download(&portal, "", &path).await.location().starts_with("/login?next="));
    // A task that is not this file's, or a role that does not hold it: refused.
    let a = download(&portal, &official, &format!("{path}?task=0123456789abcdef0123456789abcdef")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let operator = cookie(&portal, staff_key(Role::Operator), true).await;
    assert_eq!(download(&portal, &operator, &format!("{path}?task={id}")).await.status, StatusCode::FORBIDDEN);
    let rows = app::auth::access::for_citizen(&portal.state.db, DEMO_ACCOUNTS[0].key, 10).await.unwrap();
    assert!(rows.is_empty(), "nothing was opened yet");
    // The official, through the document's own review task: the file, and a row.
    let a = download(&portal, &official, &format!("{path}?task={id}")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().split(';').next(),
        Some("attachment")
    );
    let rows = app::auth::access::for_citizen(&portal.state.db, DEMO_ACCOUNTS[0].key, 10).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].what, "Файл документа «Паспорт гражданина РФ»");
}
