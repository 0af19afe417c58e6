//! `bench-signin`: how many password sign-ins per second the real HTTP
//! endpoint serves, next to how many raw argon2id verifications per second
//! this machine does with the same parallelism. Their ratio says how close
//! the endpoint gets to the hashing limit (everything else a sign-in does —
//! HTTP, the lockout and address checks, the session row — is the gap).
//!
//! A benchmark, not a test: `end2end/bench.sh` (`make bench`) starts a portal
//! with demo data on a free port and runs this against it. It exits non-zero
//! if any sign-in failed. Sign-ins/s and the latencies count the successful
//! sign-ins (an answer that sets the `portal_session` cookie) only.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use clap::Parser;
use tokio::sync::Semaphore;

type Error = Box<dyn std::error::Error + Send + Sync>;

#[derive(Parser, Debug)]
#[command(name = "bench-signin", about = "Sign-ins/s through HTTP beside raw argon2id verifies/s")]
struct Args {
    /// Base address of a running portal with the demo data loaded.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    url: String,
    /// Sign-ins (and raw verifications) to run.
    #[arg(long, default_value_t = 200)]
    n: usize,
    /// How many at once (default: the number of cores, as the server's hashing limit).
    #[arg(long)]
    concurrency: Option<usize>,
    /// The demo citizen (app/src/demo.rs).
    #[arg(long, default_value = "+79160000001")]
    login: String,
    #[arg(long, default_value = "Gosportal-Demo-2026!")]
    password: String,
}

/// The portal's parameters (app/src/platform/password.rs): m = 19456 KiB, t = 2, p = 1.
fn argon2() -> Result<Argon2<'static>, Error> {
    let params = Params::new(19_456, 2, 1, None).map_err(|e| format!("argon2 params: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn cores() -> usize {
    std::thread::available_parallelism().map(usize::from).unwrap_or(2)
}

/// Raw verifications: `n` of them, `concurrency` at once on the blocking pool.
/// Gives the wall-clock time.
async fn raw_verifies(password: &str, n: usize, concurrency: usize) -> Result<Duration, Error> {
    let pw = password.to_owned();
    let phc = tokio::task::spawn_blocking(move || -> Result<String, Error> {
        let salt = SaltString::generate(&mut OsRng);
        Ok(argon2()?.hash_password(pw.as_bytes(), &salt).map_err(|e| format!("hash: {e}"))?.to_string())
    })
    .await??;
    let phc = Arc::new(phc);
    let password = Arc::new(password.to_owned());
    let slots = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut jobs = Vec::with_capacity(n);
    for _ in 0..n {
        let permit = slots.clone().acquire_owned().await?;
        let (phc, password) = (phc.clone(), password.clone());
        jobs.push(tokio::task::spawn_blocking(move || -> Result<bool, Error> {
            let _permit = permit;
            let parsed = PasswordHash::new(&phc).map_err(|e| format!("parse: {e}"))?;
            Ok(argon2()?.verify_password(password.as_bytes(), &parsed).is_ok())
        }));
    }
    for job in jobs {
        if !job.await?? {
            return Err("raw verification did not match".into());
        }
    }
    Ok(started.elapsed())
}

/// One sign-in: Ok(latency) if the answer set a `portal_session` cookie,
/// Err(why) otherwise.
async fn sign_in(
    client: &reqwest::Client,
    endpoint: &str,
    login: &str,
    password: &str,
    device: Option<&str>,
) -> Result<(Duration, Option<String>), String> {
    let started = Instant::now();
    let mut req = client.post(endpoint).header(reqwest::header::ACCEPT, "application/json");
    if let Some(device) = device {
        req = req.header(reqwest::header::COOKIE, format!("portal_device={device}"));
    }
    let res =
        req.form(&[("login", login), ("password", password)]).send().await.map_err(|e| format!("request: {e}"))?;
    let status = res.status();
    let cookie = res
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("portal_session=") && !v.contains("portal_session=;"));
    let new_device = res
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("portal_device=").and_then(|v| v.split(';').next()).map(str::to_string));
    // Read the body so the connection goes back to the pool.
    let body = res.text().await.map_err(|e| format!("body: {e}"))?;
    let elapsed = started.elapsed();
    if cookie {
        Ok((elapsed, new_device))
    } else {
        let body: String = body.chars().take(200).collect();
        Err(format!("HTTP {status}, no portal_session cookie: {body}"))
    }
}

struct HttpRun {
    wall: Duration,
    latencies: Vec<Duration>,
    failures: Vec<String>,
}

/// `known`: every sign-in comes from one browser the account has signed in
/// from (it sends the device cookie the warm-up got), the everyday case.
/// Otherwise each comes from a browser never seen: a new-device notice each.
async fn http_sign_ins(args: &Args, concurrency: usize, known: bool) -> Result<HttpRun, Error> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(60))
        .build()?;
    let endpoint = format!("{}/api/account/sign_in", args.url.trim_end_matches('/'));
    let mut device = None;
    for _ in 0..2 {
        let (_, set) = sign_in(&client, &endpoint, &args.login, &args.password, device.as_deref())
            .await
            .map_err(|e| format!("warm-up sign-in failed: {e}"))?;
        device = device.or(set);
    }
    let device = if known { device } else { None };
    let slots = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut jobs = Vec::with_capacity(args.n);
    for _ in 0..args.n {
        let permit = slots.clone().acquire_owned().await?;
        let (client, endpoint) = (client.clone(), endpoint.clone());
        let (login, password, device) = (args.login.clone(), args.password.clone(), device.clone());
        jobs.push(tokio::spawn(async move {
            let _permit = permit;
            sign_in(&client, &endpoint, &login, &password, device.as_deref()).await.map(|(d, _)| d)
        }));
    }
    let mut latencies = Vec::with_capacity(args.n);
    let mut failures = Vec::new();
    for job in jobs {
        match job.await? {
            Ok(latency) => latencies.push(latency),
            Err(why) => failures.push(why),
        }
    }
    Ok(HttpRun { wall: started.elapsed(), latencies, failures })
}

/// Nearest-rank percentile of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn per_second(count: usize, wall: Duration) -> f64 {
    let secs = wall.as_secs_f64();
    if secs > 0.0 { count as f64 / secs } else { 0.0 }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn run(args: Args) -> Result<ExitCode, Error> {
    if args.n == 0 {
        return Err("--n must be at least 1".into());
    }
    let concurrency = args.concurrency.unwrap_or_else(cores).max(1);
    println!("bench-signin: {} cores, parallelism {concurrency}, N = {}, {}", cores(), args.n, args.url);

    println!("raw argon2id verifies (m=19456 KiB, t=2, p=1)...");
    let raw_wall = raw_verifies(&args.password, args.n, concurrency).await?;
    let raw_rate = per_second(args.n, raw_wall);

    println!("HTTP sign-ins from a known browser (2 warm-up, then {})...", args.n);
    let mut known = http_sign_ins(&args, concurrency, true).await?;
    println!("HTTP sign-ins from a new browser each time ({})...", args.n);
    let mut fresh = http_sign_ins(&args, concurrency, false).await?;
    // The raw rate again after the HTTP runs: the ratio uses the mean of
    // both, so a change in the machine's load shows as a gap between them.
    let raw_after = per_second(args.n, raw_verifies(&args.password, args.n, concurrency).await?);
    let raw_mean = (raw_rate + raw_after) / 2.0;

    let mut rows = vec![
        ("parallelism", concurrency.to_string()),
        ("N", args.n.to_string()),
        ("raw argon2id verifies/s", format!("{raw_mean:.1}  (before {raw_rate:.1}, after {raw_after:.1})")),
    ];
    for (label, run) in [("known browser", &mut known), ("new browser", &mut fresh)] {
        run.latencies.sort();
        let rate = per_second(run.latencies.len(), run.wall);
        let ratio = if raw_mean > 0.0 { 100.0 * rate / raw_mean } else { 0.0 };
        rows.push(("", String::new()));
        rows.push((label, String::new()));
        rows.push(("  sign-ins/s (HTTP)", format!("{rate:.1}  ({:.2} s)", run.wall.as_secs_f64())));
        rows.push(("  sign-ins / raw", format!("{ratio:.1} %")));
        rows.push(("  sign-in p50", ms(percentile(&run.latencies, 50.0))));
        rows.push(("  sign-in p95", ms(percentile(&run.latencies, 95.0))));
        rows.push(("  failures", run.failures.len().to_string()));
    }
    println!();
    for (name, value) in rows {
        println!("  {name:<24} {value}");
    }

    let http = HttpRun {
        wall: Duration::ZERO,
        latencies: Vec::new(),
        failures: known.failures.into_iter().chain(fresh.failures).collect(),
    };
    if http.failures.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("\n{} sign-in(s) failed; the first ones:", http.failures.len());
        for why in http.failures.iter().take(5) {
            eprintln!("  {why}");
        }
        Ok(ExitCode::FAILURE)
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bench-signin: tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bench-signin: {e}");
            ExitCode::FAILURE
        }
    }
}
