//! `bench-applications`: requests/s and latencies of «Мои заявления» for a
//! citizen with 1,000 applications, through HTTP, beside a bare axum server
//! on the same machine answering the same form with a few bytes (the
//! baseline: what HTTP, the runtime and the client cost without the portal).
//!
//! A benchmark, not a test (`make bench-applications`). Everything runs in
//! this process: an in-memory database with every migration and the demo
//! people, 1,000 applications of Иванов in every status (written straight
//! into the table), a session cookie, the portal's real router on a free
//! port and the bare server on another. The requests rotate through the
//! whole list, a status filter, a search by service and one by number.
//! Exits non-zero if any request failed.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use server::benchkit::{Error, cores, ms, percentile, start};
use tokio::sync::Semaphore;

#[derive(Parser, Debug)]
#[command(name = "bench-applications", about = "«Мои заявления» requests/s through HTTP beside a bare axum server")]
struct Args {
    /// Requests per run.
    #[arg(long, default_value_t = 1000)]
    n: usize,
    /// How many at once (default: twice the number of cores).
    #[arg(long)]
    concurrency: Option<usize>,
    /// Applications on the account.
    #[arg(long, default_value_t = 1000)]
    applications: usize,
}

/// The forms «Мои заявления» sends: everything, a status, a service, a number.
const QUERIES: &[&str] = &["status=&q=", "status=in_progress&q=", "status=&q=паспорт", "status=&q=100-000-500"];

/// The portal over an in-memory database; its address and a session cookie.
async fn portal(count: usize) -> Result<(String, String), Error> {
    let handle = server::benchkit::database().await?;
    let now = app::platform::clock::now();
    let statuses = ["draft", "accepted", "sent", "in_progress", "needs_info", "done", "refused", "cancelled"];
    for chunk in (0..count).collect::<Vec<_>>().chunks(100) {
        let mut q = handle.query("BEGIN");
        for &i in chunk {
            let status = statuses[i % statuses.len()];
            let number = (status != "draft").then(|| format!("{}", 100_000_000 + i));
            q = q
                .query(format!(
                    "CREATE application SET account = 'demo_ivanov', service = 'passport-foreign',
                         service_title = 'Оформление заграничного паспорта', department = 'МВД России',
                         status = $s{i}, version = 1, answers = '{{}}', step = 0, slot = $slot{i}, number = $n{i},
                         created_at = $now, updated_at = $at{i}, submitted_at = $now, due_on = '2027-01-01',
                         warned = false, withdrawal_requested = false"
                ))
                .bind((format!("s{i}"), status))
                .bind((format!("slot{i}"), format!("bench-{i}")))
                .bind((format!("n{i}"), number))
                .bind((format!("at{i}"), now - std::time::Duration::from_secs(60 * i as u64)));
        }
        q.query("COMMIT").bind(("now", now)).await?.check()?;
    }
    let cookie = server::benchkit::cookie(&handle, "demo_ivanov").await?;
    let state = server::benchkit::state(handle);
    Ok((start(server::http::router(state)).await?, cookie))
}

/// The baseline: the same form posted, a few bytes of JSON back.
async fn bare() -> Result<String, Error> {
    use axum::routing::post;
    let router = axum::Router::new().route(
        "/api/applications/mine",
        post(|body: String| async move { format!("{{\"items\":[],\"length\":{}}}", body.len()) }),
    );
    start(router).await
}

struct Run {
    wall: Duration,
    latencies: Vec<Duration>,
    failures: Vec<String>,
}

async fn run_against(base: &str, cookie: &str, n: usize, concurrency: usize) -> Result<Run, Error> {
    let client =
        reqwest::Client::builder().pool_max_idle_per_host(concurrency).timeout(Duration::from_secs(60)).build()?;
    let endpoint = format!("{base}/api/applications/mine");
    for q in QUERIES {
        one(&client, &endpoint, cookie, q).await.map_err(|e| format!("warm-up «{q}»: {e}"))?;
    }
    let slots = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut jobs = Vec::with_capacity(n);
    for i in 0..n {
        let permit = slots.clone().acquire_owned().await?;
        let (client, endpoint, cookie) = (client.clone(), endpoint.clone(), cookie.to_string());
        jobs.push(tokio::spawn(async move {
            let _permit = permit;
            one(&client, &endpoint, &cookie, QUERIES[i % QUERIES.len()]).await
        }));
    }
    let mut latencies = Vec::with_capacity(n);
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

async fn one(client: &reqwest::Client, endpoint: &str, cookie: &str, form: &str) -> Result<Duration, String> {
    let started = Instant::now();
    let res = client
        .post(endpoint)
        .header(reqwest::header::ACCEPT, "application/json")
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(reqwest::header::COOKIE, cookie)
        .body(form.to_string())
        .send()
        .await
        .map_err(|e| format!("request: {e}"))?;
    let status = res.status();
    let body = res.text().await.map_err(|e| format!("body: {e}"))?;
    if !status.is_success() || !body.contains("items") {
        return Err(format!("HTTP {status}: {}", body.chars().take(200).collect::<String>()));
    }
    Ok(started.elapsed())
}

async fn run(args: Args) -> Result<ExitCode, Error> {
    if args.n == 0 {
        return Err("--n must be at least 1".into());
    }
    let concurrency = args.concurrency.unwrap_or_else(|| cores() * 2).max(1);
    println!(
        "bench-applications: {} cores, concurrency {concurrency}, N = {}, {} applications, forms: {QUERIES:?}",
        cores(),
        args.n,
        args.applications
    );
    let (portal, cookie) = portal(args.applications).await?;
    let bare = bare().await?;
    let mut failed = Vec::new();
    println!();
    println!("  {:<30} {:>12} {:>12} {:>12}", "", "requests/s", "p50", "p95");
    for (label, base) in [("bare axum (baseline)", &bare), ("«Мои заявления» (portal)", &portal)] {
        let r = run_against(base, &cookie, args.n, concurrency).await?;
        let rate = r.latencies.len() as f64 / r.wall.as_secs_f64().max(f64::EPSILON);
        println!(
            "  {label:<30} {rate:>12.1} {:>12} {:>12}",
            ms(percentile(&r.latencies, 50.0)),
            ms(percentile(&r.latencies, 95.0))
        );
        failed.extend(r.failures);
    }
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("\n{} request(s) failed; the first ones:", failed.len());
        for why in failed.iter().take(5) {
            eprintln!("  {why}");
        }
        Ok(ExitCode::FAILURE)
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    server::benchkit::main("bench-applications", run(args))
}
