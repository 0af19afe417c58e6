//! The portal server: reads the configuration, connects and migrates the
//! database, and serves the Leptos app with its server functions.
//!
//!   portal serve       (default) run the web server
//!   portal migrate     apply pending database migrations and exit
//!   portal seed-demo   load demo data (dev mode only) and exit
//!   portal create-staff  create a staff account, print its one-time password

mod logging;

use std::process::ExitCode;
use std::sync::Arc;

use app::platform::config::{Config, DbEndpoint};
use app::platform::{db, health, outbox};
use clap::{Parser, Subcommand};
use server::http;
use surrealdb::Surreal;

#[derive(Parser)]
#[command(name = "portal", about = "Госпортал: личный кабинет", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Load demo data into the database (dev mode only), then exit.
    SeedDemo,
    /// Create a staff account and print its one-time password (to be
    /// changed at the first sign-in, after which a second step is set up).
    CreateStaff(StaffArgs),
    /// Re-seal every stored authenticator key with the current
    /// PORTAL_SECRET_KEY (after a key rotation; see README «Operations»).
    RotateSecrets,
}

#[derive(clap::Args)]
struct StaffArgs {
    /// operator, official, support or admin; repeat or separate by commas.
    #[arg(long = "role", required = true, value_delimiter = ',')]
    roles: Vec<String>,
    /// The mobile phone: the login, and where codes go.
    #[arg(long)]
    phone: String,
    #[arg(long)]
    surname: String,
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "")]
    patronymic: String,
    #[arg(long, default_value = "")]
    email: String,
    /// An official's department (required with --role official).
    #[arg(long, default_value = "")]
    department: String,
    /// An МФЦ operator's office (required with --role operator).
    #[arg(long, default_value = "")]
    office: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(errors) => {
            eprint!("{errors}");
            return ExitCode::from(2);
        }
    };
    logging::init(config.log_json);
    let previous: Vec<String> = config.secret_key_previous.iter().map(|k| k.expose().to_string()).collect();
    app::platform::secrets::init(config.secret_key.as_ref().map(|k| k.expose()), &previous);
    // Rendering a page and running a sign-in are deep async state machines;
    // an unoptimised (debug) build keeps them on the stack whole and
    // overflowed tokio's default 2 MiB. 8 MiB per worker costs only address
    // space (pages are touched as used).
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(8 << 20).build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(config).await,
            Command::Migrate => migrate_only(config).await,
            Command::SeedDemo => seed_demo(config).await,
            Command::CreateStaff(args) => create_staff(config, args).await,
            Command::RotateSecrets => rotate_secrets(config).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn open_db(config: &Config) -> Result<db::Db, String> {
    let handle = Surreal::init();
    db::connect(&handle, config).await.map_err(|e| format!("database {:?}: {e}", config.db))?;
    db::migrate(&handle).await.map_err(|e| format!("migrations: {e}"))?;
    Ok(handle)
}

async fn migrate_only(config: Config) -> Result<(), String> {
    let handle = Surreal::init();
    db::connect(&handle, &config).await.map_err(|e| format!("database {:?}: {e}", config.db))?;
    let applied = db::migrate(&handle).await.map_err(|e| format!("migrations: {e}"))?;
    println!(
        "migrations applied: {}",
        if applied.is_empty() { "none (up to date)".into() } else { applied.join(", ") }
    );
    Ok(())
}

async fn rotate_secrets(config: Config) -> Result<(), String> {
    let handle = open_db(&config).await?;
    let n = app::auth::mfa::reseal_all(&handle).await.map_err(|e| format!("rotate-secrets: {e}"))?;
    println!("authenticator keys re-sealed with the current PORTAL_SECRET_KEY: {n}");
    Ok(())
}

async fn seed_demo(config: Config) -> Result<(), String> {
    if !config.mode.is_dev() {
        return Err("seed-demo loads well-known demo passwords and runs in dev mode only (PORTAL_MODE=dev)".into());
    }
    let handle = open_db(&config).await?;
    let now = app::platform::clock::now();
    let mut accounts = app::demo::seed(&handle, now).await.map_err(|e| format!("demo data: {e}"))?;
    let files = app::platform::files::Files::open(&config.files)?;
    accounts.extend(app::demo::seed_documents(&handle, &files, now).await.map_err(|e| format!("demo data: {e}"))?);
    accounts.extend(app::demo::seed_payments(&handle, now).await.map_err(|e| format!("demo data: {e}"))?);
    println!("demo data loaded");
    for line in accounts {
        println!("  {line}");
    }
    Ok(())
}

async fn create_staff(config: Config, args: StaffArgs) -> Result<(), String> {
    use app::auth::Role;
    use app::staff::{model::StaffForm, service};
    let mut roles = Vec::new();
    for r in &args.roles {
        roles.push(Role::parse(r.trim()).ok_or_else(|| format!("--role {r}: operator, official, support или admin"))?);
    }
    let form = StaffForm {
        surname: args.surname,
        name: args.name,
        patronymic: args.patronymic,
        phone: args.phone,
        email: args.email,
        roles,
        department: args.department,
        office: args.office,
    };
    let handle = open_db(&config).await?;
    let now = app::platform::clock::now();
    match service::create(&handle, &config.auth.policy, &service::Actor::Console, &form, now).await {
        Ok((key, password)) => {
            println!("сотрудник создан: {key}");
            println!("логин: {}", form.phone.trim());
            println!("одноразовый пароль: {password}");
            println!("при первом входе пароль нужно сменить и подключить приложение-аутентификатор или ключ доступа");
            Ok(())
        }
        Err(app::error::AppError::Invalid { fields, message, .. }) if !fields.is_empty() || !message.is_empty() => {
            // Form fields named as this command's flags.
            let flag = |f: &str| if f == "roles" { "role".to_string() } else { f.to_string() };
            let lines: Vec<String> = fields.iter().map(|f| format!("--{}: {}", flag(&f.field), f.message)).collect();
            Err(if lines.is_empty() { message } else { lines.join("\n") })
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Copies the service files into the database's catalogue (its search).
async fn sync_catalogue(db: &db::Db) -> Result<(), String> {
    let all = app::services::catalog::load().map_err(|e| format!("каталог услуг: {e}"))?;
    let synced = app::services::catalog_store::sync(db, all).await.map_err(|e| format!("каталог услуг: {e}"))?;
    if synced.written + synced.removed > 0 {
        tracing::info!(written = synced.written, removed = synced.removed, "catalogue synced");
    }
    Ok(())
}

async fn serve(config: Config) -> Result<(), String> {
    // A service whose data file is wrong would break its pages: refuse to
    // start and name the service and the field.
    app::services::catalog::load().map_err(|e| format!("каталог услуг: {e}"))?;
    let config = Arc::new(config);
    let health = health::Health::default();
    let handle: Arc<db::Db> = Arc::new(Surreal::init());

    // An embedded database must open now or the process is useless; a
    // remote one may come up later, and until it does pages say
    // «Сервис недоступен» and /readyz answers 503.
    match config.db {
        DbEndpoint::Remote { .. } => {
            let (handle, config, health) = (handle.clone(), config.clone(), health.clone());
            tokio::spawn(async move {
                loop {
                    match db::connect(&handle, &config).await {
                        Ok(()) => break,
                        Err(e) => tracing::warn!("database {:?} does not answer yet: {e}", config.db),
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
                loop {
                    match db::migrate(&handle).await {
                        Ok(_) => break,
                        Err(e) => tracing::warn!("migrations: {e}"),
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
                while let Err(e) = sync_catalogue(&handle).await {
                    tracing::warn!("{e}");
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
                health.set_db_up(true);
            });
        }
        _ => {
            db::connect(&handle, &config).await.map_err(|e| format!("database {:?}: {e}", config.db))?;
            db::migrate(&handle).await.map_err(|e| format!("migrations: {e}"))?;
            sync_catalogue(&handle).await?;
            health.set_db_up(true);
        }
    }
    let watcher = tokio::spawn(health::watch(handle.clone(), health.clone()));

    let channels = outbox::Channels::from_config(&config)?;
    let outbox_wake = Arc::new(tokio::sync::Notify::new());
    let worker = tokio::spawn(outbox::run_worker(handle.clone(), channels, outbox_wake.clone()));
    let purger = tokio::spawn(app::auth::purge::run(handle.clone(), config.auth.clone()));
    let exchange_wake = Arc::new(tokio::sync::Notify::new());
    let registries = app::identity::worker::start(handle.clone(), &config, outbox_wake.clone(), exchange_wake.clone());
    // The areas' own leftovers (an МФЦ sheet that can no longer be printed).
    let area_purger = tokio::spawn({
        let db = handle.clone();
        async move {
            loop {
                if let Err(e) = app::mfc::store::purge(&db, app::platform::clock::now()).await {
                    tracing::warn!("mfc purge: {e}");
                }
                tokio::time::sleep(std::time::Duration::from_secs(600)).await;
            }
        }
    });
    // Applications: one whose hand-over to its department failed right
    // after «Отправить» is handed over here; drafts a week from going are
    // announced, drafts past 90 days go.
    let applications = tokio::spawn({
        let (db, wake) = (handle.clone(), outbox_wake.clone());
        async move {
            let mut round: u64 = 0;
            loop {
                let now = app::platform::clock::now();
                match app::services::service::deliver(&db, now).await {
                    Ok(n) if n > 0 => wake.notify_one(),
                    Ok(_) => {}
                    Err(e) => tracing::warn!("applications hand-over: {e}"),
                }
                if round.is_multiple_of(120) {
                    match app::services::service::remind_drafts(&db, now).await {
                        Ok(n) if n > 0 => wake.notify_one(),
                        Ok(_) => {}
                        Err(e) => tracing::warn!("draft reminders: {e}"),
                    }
                }
                round += 1;
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            }
        }
    });

    // ГИС ГМП (simulated in dev mode) and the payments job: payments left
    // open or in processing are asked of the acquirer every 5 s; reminders
    // of due dates and ending discounts every 10 min.
    let gisgmp = app::charges::gisgmp::start(handle.clone(), &config);
    let payments = tokio::spawn({
        let (db, wake, dev) = (handle.clone(), outbox_wake.clone(), config.mode.is_dev());
        let public_url = config.public_url.clone();
        async move {
            let acquirer = dev.then(|| {
                let sink_db = db.clone();
                let sink: app::payments::acquirer::Sink = Arc::new(move |cb| {
                    let db = sink_db.clone();
                    tokio::spawn(async move {
                        if let Err(e) = app::payments::service::on_callback(&db, &cb, app::platform::clock::now()).await
                        {
                            tracing::warn!("payment callback: {e}");
                        }
                    });
                });
                app::payments::acquirer::Simulated::new(db.clone(), &public_url, Some(sink))
            });
            let mut round: u64 = 0;
            loop {
                let now = app::platform::clock::now();
                if let Some(acq) = &acquirer {
                    match app::payments::service::check_open(&db, acq, now).await {
                        Ok(n) if n > 0 => wake.notify_one(),
                        Ok(_) => {}
                        Err(e) => tracing::warn!("payments check: {e}"),
                    }
                }
                if round.is_multiple_of(120) {
                    match app::payments::service::remind(&db, now).await {
                        Ok(n) if n > 0 => wake.notify_one(),
                        Ok(_) => {}
                        Err(e) => tracing::warn!("payment reminders: {e}"),
                    }
                }
                round += 1;
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            }
        }
    });

    let files = app::platform::files::Files::open(&config.files)?;
    let state = app::platform::AppState {
        leptos: http::leptos_options(&config),
        config: config.clone(),
        db: handle.clone(),
        health,
        outbox_wake,
        files,
        exchange_wake,
    };
    let router = http::router(state);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("PORTAL_LISTEN {}: {e}", config.listen))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(mode = ?config.mode, db = ?config.db, "Госпортал listening on http://{local}");
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server: {e}"))?;
    tracing::info!("requests finished; closing the database");
    // The embedded datastore flushes and closes when its last handle is
    // dropped (SurrealDB has no explicit close): stop the tasks holding one,
    // drop ours, and give its shutdown task a moment to finish.
    for task in
        [worker, watcher, purger, area_purger, applications, payments].into_iter().chain(registries).chain(gisgmp)
    {
        task.abort();
        let _ = task.await;
    }
    drop(handle);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; axum then stops accepting and lets
/// requests in flight finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested");
}
