//! `bench-payments`: payments/s through the whole path — «Оплатить» with a
//! card, the bank's code, the confirmation, the charge marked paid, the
//! report to ГИС ГМП, the notice — against the simulated acquirer, beside a
//! bare axum server answering the same two posts with a few bytes (the
//! baseline: what HTTP, the runtime and the client cost without the portal).
//!
//! A benchmark, not a test (`make bench-payments`). Everything runs in this
//! process: an in-memory database with every migration and the demo people,
//! N state duties of Иванов (written straight into the table), a session
//! cookie, the portal's real router on a free port and the bare server on
//! another. Each payment is two requests (pay, confirm); the client reads
//! the bank's code from the outbox as the person would from the SMS. Half
//! of the payments are started twice with the same attempt key and once
//! more from «another tab», so the run also shows that nothing is paid
//! twice. Exits non-zero if a payment failed or anything was paid twice.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use server::benchkit::{self, Error, ms, percentile};
use tokio::sync::Semaphore;

#[derive(Parser, Debug)]
#[command(name = "bench-payments", about = "card payments/s through HTTP beside a bare axum server")]
struct Args {
    /// Payments per run.
    #[arg(long, default_value_t = 300)]
    n: usize,
    /// How many at once (default: twice the number of cores).
    #[arg(long)]
    concurrency: Option<usize>,
}

/// The portal with `n` duties to pay; its address, a cookie and the УИНs.
async fn portal(n: usize) -> Result<(String, String, Vec<String>, app::platform::db::Db), Error> {
    let handle = benchkit::database().await?;
    let now = app::platform::clock::now();
    let mut uins = Vec::with_capacity(n);
    for i in 0..n {
        let number = format!("{}", 500_000_000 + i);
        uins.push(app::charges::gisgmp::duty_uin(&number));
        // One query each: a duty's statement binds fixed names.
        let q = handle.query("RETURN NONE");
        app::charges::store::duty_in(
            q,
            "demo_ivanov",
            &format!("bench{i}"),
            &number,
            "Загранпаспорт",
            "МВД России",
            600_000,
            now,
        )
        .await?
        .check()?;
    }
    let cookie = benchkit::cookie(&handle, "demo_ivanov").await?;
    let state = benchkit::state(handle.clone());
    Ok((benchkit::start(server::http::router(state)).await?, cookie, uins, handle))
}

/// The baseline: the same two posts, a few bytes back.
async fn bare() -> Result<String, Error> {
    use axum::routing::post;
    let router = axum::Router::new()
        .route("/api/payments/pay", post(|body: String| async move { format!("{{\"ok\":{}}}", body.len()) }))
        .route("/api/payments/confirm", post(|body: String| async move { format!("{{\"ok\":{}}}", body.len()) }));
    benchkit::start(router).await
}

struct Run {
    wall: Duration,
    latencies: Vec<Duration>,
    failures: Vec<String>,
}

async fn post(client: &reqwest::Client, url: &str, cookie: &str, form: String) -> Result<reqwest::Response, String> {
    client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(reqwest::header::COOKIE, cookie)
        .header(reqwest::header::ORIGIN, "http://localhost")
        .body(form)
        .send()
        .await
        .map_err(|e| format!("request: {e}"))
}

/// One payment through the portal: pay (twice with one attempt key, once
/// from another tab when `twice`), read the code, confirm.
async fn pay_portal(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    db: &app::platform::db::Db,
    uin: &str,
    twice: bool,
) -> Result<Duration, String> {
    let started = Instant::now();
    let attempt = uuid::Uuid::new_v4().simple().to_string();
    let form = format!("uin={uin}&attempt={attempt}&method=card&number=2200000000000004&expiry=12%2F30&cvc=123");
    let res = post(client, &format!("{base}/api/payments/pay"), cookie, form.clone()).await?;
    let key = location_key(&res)?;
    if twice {
        let again = post(client, &format!("{base}/api/payments/pay"), cookie, form).await?;
        let other = format!(
            "uin={uin}&attempt={}&method=card&number=2200000000000004&expiry=12%2F30&cvc=123",
            uuid::Uuid::new_v4().simple()
        );
        let tab = post(client, &format!("{base}/api/payments/pay"), cookie, other).await?;
        for r in [again, tab] {
            if location_key(&r)? != key {
                return Err(format!("a repeat made another payment than {key}"));
            }
        }
    }
    let code = code_of(db, &key).await?;
    let res = post(client, &format!("{base}/api/payments/confirm"), cookie, format!("key={key}&code={code}")).await?;
    location_key(&res)?;
    Ok(started.elapsed())
}

/// The payment key of the redirect a form post answers with.
fn location_key(res: &reqwest::Response) -> Result<String, String> {
    let to = res.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
    to.strip_prefix("/payments/p/")
        .map(|k| k.split('?').next().unwrap_or_default().to_string())
        .ok_or_else(|| format!("HTTP {}: no payment in the answer ({to})", res.status()))
}

/// The bank's code for payment `key`, from its SMS (which names the
/// payment by its last eight characters).
async fn code_of(db: &app::platform::db::Db, key: &str) -> Result<String, String> {
    let tail = format!("Платёж …{}", &key[key.len().saturating_sub(8)..]);
    let mut res = db
        .query("SELECT VALUE body FROM outbox WHERE account = 'demo_ivanov' AND body CONTAINS $tail LIMIT 1")
        .bind(("tail", tail))
        .await
        .map_err(|e| e.to_string())?;
    let found: Vec<String> = res.take(0).map_err(|e| e.to_string())?;
    found
        .first()
        .and_then(|b| b.split("Код подтверждения: ").nth(1))
        .map(|s| s.chars().take(6).collect())
        .ok_or_else(|| format!("no code for {key}"))
}

async fn pay_bare(client: &reqwest::Client, base: &str, cookie: &str, uin: &str) -> Result<Duration, String> {
    let started = Instant::now();
    for (path, form) in
        [("pay", format!("uin={uin}&attempt=x&method=card")), ("confirm", "key=x&code=123456".to_string())]
    {
        let res = post(client, &format!("{base}/api/payments/{path}"), cookie, form).await?;
        if !res.status().is_success() {
            return Err(format!("HTTP {}", res.status()));
        }
        res.text().await.map_err(|e| e.to_string())?;
    }
    Ok(started.elapsed())
}

async fn run_against(
    base: &str,
    cookie: &str,
    uins: &[String],
    db: Option<&app::platform::db::Db>,
    concurrency: usize,
) -> Result<Run, Error> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()?;
    let slots = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut jobs = Vec::with_capacity(uins.len());
    for (i, uin) in uins.iter().enumerate() {
        let permit = slots.clone().acquire_owned().await?;
        let (client, base, cookie, uin, db) =
            (client.clone(), base.to_string(), cookie.to_string(), uin.clone(), db.cloned());
        jobs.push(tokio::spawn(async move {
            let _permit = permit;
            match &db {
                Some(db) => pay_portal(&client, &base, &cookie, db, &uin, i % 2 == 0).await,
                None => pay_bare(&client, &base, &cookie, &uin).await,
            }
        }));
    }
    let mut latencies = Vec::with_capacity(uins.len());
    let mut failures = Vec::new();
    for job in jobs {
        match job.await? {
            Ok(d) => latencies.push(d),
            Err(e) => failures.push(e),
        }
    }
    let wall = started.elapsed();
    latencies.sort();
    Ok(Run { wall, latencies, failures })
}

async fn run(args: Args) -> Result<ExitCode, Error> {
    if args.n == 0 {
        return Err("--n must be at least 1".into());
    }
    let concurrency = args.concurrency.unwrap_or_else(|| benchkit::cores() * 2).max(1);
    println!("bench-payments: {} cores, concurrency {concurrency}, N = {} card payments", benchkit::cores(), args.n);
    let (portal, cookie, uins, db) = portal(args.n).await?;
    let bare = bare().await?;
    let mut failed = Vec::new();
    println!();
    println!("  {:<34} {:>12} {:>12} {:>12}", "", "payments/s", "p50", "p95");
    for (label, base, with_db) in
        [("bare axum, same 2 posts (baseline)", &bare, None), ("card payment (portal)", &portal, Some(&db))]
    {
        let r = run_against(base, &cookie, &uins, with_db, concurrency).await?;
        let rate = r.latencies.len() as f64 / r.wall.as_secs_f64().max(f64::EPSILON);
        println!(
            "  {label:<34} {rate:>12.1} {:>12} {:>12}",
            ms(percentile(&r.latencies, 50.0)),
            ms(percentile(&r.latencies, 95.0))
        );
        failed.extend(r.failures);
    }
    // What the ledgers say: every duty paid once, every capture once.
    let mut res = db
        .query("SELECT count() AS n FROM payment WHERE status = 'success' GROUP ALL")
        .query("SELECT count() AS n FROM charge WHERE state IN ['paid', 'settled'] GROUP ALL")
        .query("SELECT count() AS n FROM acq_op WHERE state = 'captured' GROUP ALL")
        .query("SELECT count() AS n FROM payment GROUP ALL")
        .await?;
    let mut count = |i: usize| -> Result<i64, Error> {
        let v: Option<serde_json::Value> = res.take::<Option<serde_json::Value>>((i, "n")).ok().flatten();
        Ok(v.and_then(|v| v.as_i64()).unwrap_or(0))
    };
    let (paid, charges, captured, payments) = (count(0)?, count(1)?, count(2)?, count(3)?);
    let double = paid - charges + (captured - charges).max(0) + (payments - args.n as i64).max(0);
    println!();
    println!("  successful payments {paid}, charges paid {charges}, captures {captured}, payments made {payments}");
    println!("  paid twice: {}", double.max(0));
    if !failed.is_empty() {
        eprintln!("\n{} payment(s) failed; the first ones:", failed.len());
        for why in failed.iter().take(5) {
            eprintln!("  {why}");
        }
        return Ok(ExitCode::FAILURE);
    }
    Ok(if double == 0 && paid == args.n as i64 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn main() -> ExitCode {
    let args = Args::parse();
    benchkit::main("bench-payments", run(args))
}
