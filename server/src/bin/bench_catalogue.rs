//! `bench-catalogue`: requests/s and latencies of the catalogue search with
//! 200 services, through HTTP, beside a bare axum server on the same
//! machine answering the same form with a few bytes (the baseline: what
//! HTTP, the runtime and the client cost without the portal).
//!
//! A benchmark, not a test (`make bench-catalogue`). Everything runs in this
//! process: an in-memory database with every migration, the 10 service
//! files copied 20 times under other codes (200 services) and synced into
//! the `service` table, the portal's real router on a free port, and the
//! bare server on another. The queries rotate through word forms, a typo,
//! a compound and an empty one. Exits non-zero if any request failed.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::platform::db;
use clap::Parser;
use server::benchkit::{Error, cores, ms, percentile, start};
use tokio::sync::Semaphore;

#[derive(Parser, Debug)]
#[command(name = "bench-catalogue", about = "Catalogue searches/s through HTTP beside a bare axum server")]
struct Args {
    /// Requests per run.
    #[arg(long, default_value_t = 2000)]
    n: usize,
    /// How many at once (default: twice the number of cores).
    #[arg(long)]
    concurrency: Option<usize>,
    /// Services in the catalogue (copies of the real ones).
    #[arg(long, default_value_t = 200)]
    services: usize,
}

/// What people type: word forms, a compound, typos, several words, nothing.
const QUERIES: &[&str] = &[
    "паспорт",
    "загранпаспорт",
    "справку о судимости",
    "детского сада",
    "паспрот",
    "выписка из ергн",
    "",
    "субсидия жку",
];

/// The portal's router over an in-memory database holding `count` services.
async fn portal(count: usize) -> Result<String, Error> {
    let handle = db::memory().await?;
    let real = app::services::catalog::load().map_err(|e| format!("каталог услуг: {e}"))?;
    let mut services = Vec::with_capacity(count);
    for i in 0..count {
        let mut s = real[i % real.len()].clone();
        if i >= real.len() {
            s.code = format!("{}-{i}", s.code);
            s.title = format!("{} (вариант {i})", s.title);
            s.popular = false;
        }
        services.push(s);
    }
    app::services::catalog_store::sync(&handle, &services).await.map_err(|e| format!("sync: {e}"))?;
    let state = server::benchkit::state(handle);
    start(server::http::router(state)).await
}

/// The baseline: the same form posted, a few bytes of JSON back.
async fn bare() -> Result<String, Error> {
    use axum::routing::post;
    let router = axum::Router::new().route(
        "/api/services/search",
        post(|body: String| async move { format!("{{\"services\":[],\"length\":{}}}", body.len()) }),
    );
    start(router).await
}

struct Run {
    wall: Duration,
    latencies: Vec<Duration>,
    /// The latencies of each query of `QUERIES`, sorted.
    per_query: Vec<Vec<Duration>>,
    failures: Vec<String>,
}

async fn run_against(base: &str, n: usize, concurrency: usize) -> Result<Run, Error> {
    let client =
        reqwest::Client::builder().pool_max_idle_per_host(concurrency).timeout(Duration::from_secs(60)).build()?;
    let endpoint = format!("{base}/api/services/search");
    // Warm-up: every query once (and it must succeed).
    for q in QUERIES {
        one(&client, &endpoint, q).await.map_err(|e| format!("warm-up «{q}»: {e}"))?;
    }
    let slots = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut jobs = Vec::with_capacity(n);
    for i in 0..n {
        let permit = slots.clone().acquire_owned().await?;
        let (client, endpoint) = (client.clone(), endpoint.clone());
        jobs.push(tokio::spawn(async move {
            let _permit = permit;
            (i % QUERIES.len(), one(&client, &endpoint, QUERIES[i % QUERIES.len()]).await)
        }));
    }
    let mut latencies = Vec::with_capacity(n);
    let mut per_query = vec![Vec::new(); QUERIES.len()];
    let mut failures = Vec::new();
    for job in jobs {
        match job.await? {
            (q, Ok(d)) => {
                latencies.push(d);
                per_query[q].push(d);
            }
            (_, Err(e)) => failures.push(e),
        }
    }
    let wall = started.elapsed();
    latencies.sort();
    for l in &mut per_query {
        l.sort();
    }
    Ok(Run { wall, latencies, per_query, failures })
}

async fn one(client: &reqwest::Client, endpoint: &str, q: &str) -> Result<Duration, String> {
    let started = Instant::now();
    let res = client
        .post(endpoint)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&[("q", q)])
        .send()
        .await
        .map_err(|e| format!("request: {e}"))?;
    let status = res.status();
    let body = res.text().await.map_err(|e| format!("body: {e}"))?;
    if !status.is_success() || !body.contains("services") {
        return Err(format!("HTTP {status}: {}", body.chars().take(200).collect::<String>()));
    }
    Ok(started.elapsed())
}

async fn run(args: Args) -> Result<ExitCode, Error> {
    if args.n == 0 || args.services == 0 {
        return Err("--n and --services must be at least 1".into());
    }
    let concurrency = args.concurrency.unwrap_or_else(|| cores() * 2).max(1);
    println!(
        "bench-catalogue: {} cores, concurrency {concurrency}, N = {}, {} services, queries: {QUERIES:?}",
        cores(),
        args.n,
        args.services
    );
    let portal = portal(args.services).await?;
    let bare = bare().await?;
    let mut failed = Vec::new();
    println!();
    println!("  {:<28} {:>12} {:>12} {:>12}", "", "requests/s", "p50", "p95");
    for (label, base) in [("bare axum (baseline)", &bare), ("catalogue search (portal)", &portal)] {
        let r = run_against(base, args.n, concurrency).await?;
        let rate = r.latencies.len() as f64 / r.wall.as_secs_f64().max(f64::EPSILON);
        println!(
            "  {label:<28} {rate:>12.1} {:>12} {:>12}",
            ms(percentile(&r.latencies, 50.0)),
            ms(percentile(&r.latencies, 95.0))
        );
        if base == &portal {
            for (q, l) in QUERIES.iter().zip(&r.per_query) {
                println!(
                    "    {:<26} {:>12} {:>12} {:>12}",
                    format!("«{q}»"),
                    "",
                    ms(percentile(l, 50.0)),
                    ms(percentile(l, 95.0))
                );
            }
        }
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
    server::benchkit::main("bench-catalogue", run(args))
}
