//! The Counterpoint server: configuration, start-up (database, demo, services) and the
//! HTTP surface. `start` is what `main` and the integration tests both call.

pub mod config;
pub mod http;
pub mod operations;

use app::cases::{CaseOptions, CaseService};
use app::clock::Clock;
use app::mail::{FolderTransport, MailSender, MailTransport, SendPolicy, SmtpTransport};
use app::cases::database_photos::DatabasePhotos;
use app::cases::packs::PackFolder;
use app::cases::storage::PhotoStorage;
use app::demo::{DemoError, DemoOutcome, load_demo_if_empty};
use app::rating::{CounterDirectory, RatingService};
use app::state::AppState;
use app::store::{Store, StoreError};
use config::Config;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("DATABASE_URL: could not open the database")]
    Store(#[from] StoreError),
    #[error(transparent)]
    Demo(#[from] DemoError),
    #[error("COUNTERPOINT_PHOTO_DIR: could not open the photo folder")]
    Photos(#[source] std::io::Error),
    #[error("COUNTERPOINT_EXPORT_DIR: could not open the open-data folder")]
    Exports(#[source] std::io::Error),
    #[error("could not listen on {0}")]
    Bind(SocketAddr, #[source] std::io::Error),
    #[error("COUNTERPOINT_SMTP_URL or COUNTERPOINT_MAIL_OUTBOX_DIR: {0}")]
    Mail(String),
}

/// How long photos of a complaint never sent are kept.
const UNSENT_PHOTO_MAX_AGE: Duration = Duration::from_secs(2 * 60 * 60);

/// How often an app server says it is alive; one silent for five periods is not counted.
const PRESENCE_EVERY: Duration = Duration::from_secs(2);

/// How often each app server reads the settings administrators change (public address,
/// calendar, time limits) again.
const SETTINGS_EVERY: Duration = Duration::from_secs(1);

/// How long a stopping server waits for open connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A running server. Dropping it does not stop it; call `stop`.
pub struct Server {
    pub addr: SocketAddr,
    pub state: AppState,
    pub demo: DemoOutcome,
    /// The request guard: limits, and the budget shared with other app servers.
    pub guard: http::guard::Guard,
    /// Where `/metrics` is served, if anywhere.
    pub metrics_addr: Option<SocketAddr>,
    metrics_task: Option<JoinHandle<()>>,
    /// This server among the app servers over its database.
    id: String,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Server {
    /// Stops taking connections, lets those under way finish (for at most
    /// `SHUTDOWN_GRACE`: idle keep-alive connections would otherwise hold it open),
    /// then closes the database.
    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        if let Some(task) = &self.metrics_task {
            task.abort();
        }
        let mut task = self.task;
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
        // The others share budgets without it from their next round.
        if let Err(error) = self.state.store.server_gone(&self.id).await {
            tracing::warn!(?error, "could not say this server stopped");
        }
        self.state.store.close().await;
    }

    /// Waits until the server stops by itself (it does not, short of an error).
    pub async fn wait(self) {
        let _ = self.task.await;
    }
}

/// Opens the database, loads the demo if wanted, binds, and serves in the background.
pub async fn start(config: Config) -> Result<Server, StartError> {
    start_with_clock(config, Clock::system()).await
}

/// As `start`, with the clock deadlines and mail retries read (tests move it).
pub async fn start_with_clock(config: Config, clock: Clock) -> Result<Server, StartError> {
    let store = Store::connect(&config.database_url).await?;
    let now_ms = clock.now_ms();
    let demo = load_demo_if_empty(&store, config.demo, config.production, now_ms).await?;
    let counters = CounterDirectory::load(store.clone()).await?;
    let ratings = RatingService::start(store.clone(), counters.clone(), config.time_zone, config.holds)
        .with_clock(clock.clone());
    let folder: Arc<dyn PhotoStorage> = Arc::new(PackFolder::new(&config.photo_dir).map_err(StartError::Photos)?);
    let photos: Arc<dyn PhotoStorage> = match config.photo_store() {
        config::PhotoStore::Folder => folder,
        // Photos stored in the folder before the switch are still read there.
        config::PhotoStore::Database => Arc::new(DatabasePhotos::new(store.clone(), Some(folder))),
    };
    let cases = CaseService::with_options(
        store.clone(),
        photos,
        counters,
        config.time_zone,
        CaseOptions {
            clock: clock.clone(),
            public_base_url: config.public_base_url.clone(),
            mail_from: config.mail.from.clone(),
            photo_limits: config.photo_limits,
        },
    )
    .await?;
    let transport: Arc<dyn MailTransport> = match &config.mail.smtp_url {
        Some(url) => Arc::new(SmtpTransport::from_url(url).map_err(StartError::Mail)?),
        None => Arc::new(
            FolderTransport::new(&config.mail.outbox_dir)
                .map_err(|e| StartError::Mail(format!("{}: {e}", config.mail.outbox_dir)))?,
        ),
    };
    let sender = MailSender::new(
        store.clone(),
        transport,
        &config.mail.from,
        clock.clone(),
        SendPolicy {
            max_attempts: config.mail.max_attempts,
            first_retry: config.mail.first_retry,
            ..SendPolicy::default()
        },
    )
    .map_err(StartError::Mail)?;
    let mut jobs = Jobs::default();
    jobs.every("mail sender", config.mail.poll, move || {
        let sender = sender.clone();
        async move { sender.send_due().await.map(drop) }
    });
    // The deadline scheduler: every server runs it; each step is guarded by the case's
    // version, so two servers never escalate one case twice.
    let scheduler = cases.clone();
    jobs.every("deadline scheduler", config.scheduler_every, move || {
        let scheduler = scheduler.clone();
        async move {
            let round = scheduler.run_deadlines().await?;
            if round != Default::default() {
                tracing::info!(?round, "deadline scheduler round");
            }
            Ok::<_, StoreError>(())
        }
    });

    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| StartError::Bind(config.bind, e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartError::Bind(config.bind, e))?;

    let leptos_options = LeptosOptions::builder()
        .output_name("counterpoint")
        .site_root(config.site_root.clone())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let stats = app::stats::service::StatsService::new(
        store.clone(),
        cases.office().clone(),
        u64::from(config.rank_min_ratings),
        config.data_licence.clone(),
    );
    // The per-day roll-ups of cases behind the statistics: brought up to date at start and
    // every half minute (a computed view also brings them up to date first), then the
    // landing view computed ahead.
    // `/readyz` answers 503 until the first round of each is done.
    let readiness = http::health::Readiness::new(2);
    let server_id = format!("{:016x}", rand::random::<u64>());
    let roller = stats.clone();
    let mut rolled_once = Some(readiness.clone());
    // One server rolls up for all (the others' views read what it wrote).
    let roll_lease = JobLease::new(&store, &server_id, "statistics roll-up", app::stats::service::ROLL_EVERY);
    jobs.every("statistics roll-up", app::stats::service::ROLL_EVERY, move || {
        let (roller, first, lease) = (roller.clone(), rolled_once.take(), roll_lease.clone());
        async move {
            let held = lease.held().await;
            let rolled = if held { roller.roll_up().await } else { Ok(0) };
            if let (true, Ok(days)) = (held, &rolled) {
                let days = *days;
                app::metrics::app()
                    .rolled_up_ms
                    .store(chrono::Utc::now().timestamp_millis(), std::sync::atomic::Ordering::Relaxed);
                if days > 0 {
                    tracing::info!(days, "case statistics rolled up");
                }
            }
            // The statistics page as a visitor first sees it (this month, the whole
            // centre), with the month's red and black lists that every view ending in it
            // shows: computed ahead, so that neither the day's first visitor nor the first
            // view of another period waits for them. While nothing changed, a cache hit.
            let viewed = roller.view(&app::stats::StatsFilter::default()).await;
            if let Some(readiness) = first {
                readiness.done();
            }
            rolled.map_err(|e| format!("roll-up: {e:?}"))?;
            viewed.map(drop).map_err(|e| format!("the page computed ahead: {e:?}"))
        }
    });
    let admin = app::admin::service::AdminService::new(
        store.clone(),
        ratings.counters().clone(),
        clock.clone(),
        config.time_zone,
        cases.public_address(),
    );
    let state = AppState::new(
        leptos_options,
        store,
        ratings,
        cases,
        stats,
        admin,
        config.behind_tls(),
        config.session_idle.as_millis() as i64,
    );
    let guard = http::guard::Guard::new(
        config.rate_limit,
        config.download_limit,
        config.trusted_proxies.clone(),
        config.max_body_bytes,
        config.max_upload_bytes,
        &config.public_base_url,
    );
    // The address QR codes and mails point to, if an administrator has set one, the
    // calendar and the time limits: read again every second (three small reads), so that
    // every app server follows a change made on another within two.
    state.admin.refresh_public_url().await?;
    let (refresher, rules) = (state.admin.clone(), state.cases.office().clone());
    jobs.every("settings refresh", SETTINGS_EVERY, move || {
        let (refresher, rules) = (refresher.clone(), rules.clone());
        async move {
            // Each read on its own: one that fails does not keep the others stale.
            let (address, calendar, limits) =
                tokio::join!(refresher.refresh_public_url(), rules.reload_calendar(), rules.reload_limits());
            let failed: Vec<String> = [
                address.err().map(|e| format!("public address: {e:?}")),
                calendar.err().map(|e| format!("calendar: {e:?}")),
                limits.err().map(|e| format!("time limits: {e:?}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            if failed.is_empty() { Ok(()) } else { Err(failed.join("; ")) }
        }
    });
    // On PostgreSQL each app server says it is alive every few seconds; the servers alive
    // share each client's rate-limit budget, so one client has one budget however many there
    // are. A SQLite file has one server: it writes nothing for this.
    if state.store.backend() == app::store::Backend::Postgres {
        let (presence, sharer, me) = (state.store.clone(), guard.clone(), server_id.clone());
        jobs.every("app server presence", PRESENCE_EVERY, move || {
            let (presence, sharer, me) = (presence.clone(), sharer.clone(), me.clone());
            async move {
                let now = chrono::Utc::now().timestamp_millis();
                let alive = presence.server_alive(&me, now, 5 * PRESENCE_EVERY.as_millis() as i64).await?;
                sharer.share_among(alive);
                Ok::<_, StoreError>(())
            }
        });
    }
    // Ended staff sessions and stale sign-in failure counts: nothing else deletes them.
    let purger = state.staff.clone();
    jobs.every("sign-in records purge", Duration::from_secs(3600), move || {
        let purger = purger.clone();
        async move {
            let gone = purger.purge(chrono::Utc::now().timestamp_millis()).await?;
            if gone > 0 {
                tracing::info!(rows = gone, "ended sessions and stale sign-in failures purged");
            }
            Ok::<_, StoreError>(())
        }
    });
    let sweeper = guard.clone();
    jobs.every("rate-limit sweep", Duration::from_secs(60), move || {
        sweeper.forget_idle_clients();
        std::future::ready(Ok::<_, StoreError>(()))
    });
    // Photos uploaded for a complaint that was never sent are personal data with no
    // purpose: gone after a day.
    let sweeper_state = state.clone();
    let sweep_lease = JobLease::new(&state.store, &server_id, "unsent photo sweep", Duration::from_secs(3600));
    jobs.every("unsent photo sweep", Duration::from_secs(3600), move || {
        let (state, lease) = (sweeper_state.clone(), sweep_lease.clone());
        async move {
            if !lease.held().await {
                return Ok(());
            }
            let n = state.cases.sweep_unclaimed_photos(UNSENT_PHOTO_MAX_AGE).await?;
            if n > 0 {
                tracing::info!(photos = n, "unsent complaints' photos deleted");
            }
            Ok::<_, app::cases::CaseError>(())
        }
    });
    // The public record: each finished day's digest published and mailed to the witnesses,
    // and the whole record checked once a day (the bureau and administrators told of a
    // difference). One server does it for all.
    let record = app::transparency::service::Record {
        store: state.store.clone(),
        witnesses: config.witness_emails.clone(),
        mail_from: config.mail.from.clone(),
        public_address: state.cases.public_address(),
    };
    let record_lease = JobLease::new(&state.store, &server_id, "public record", Duration::from_secs(600));
    jobs.every("public record", Duration::from_secs(600), move || {
        let (record, lease) = (record.clone(), record_lease.clone());
        async move {
            if !lease.held().await {
                return Ok(());
            }
            let now = chrono::Utc::now();
            let today = now.format("%Y-%m-%d").to_string();
            for d in record.publish(&today, now.timestamp_millis()).await? {
                tracing::info!(day = d.day, entries = d.entries, head = d.head, "the public record's digest was published");
            }
            record.check_daily(&today, now.timestamp_millis()).await?;
            Ok::<_, StoreError>(())
        }
    });
    let exports = http::stats::ExportFiles::new(&config.export_dir).map_err(StartError::Exports)?;
    // The last year of the whole centre's open data, rendered a day at a time ahead of
    // any download, and kept in step (a new day, an appeal upheld) every half minute. The
    // first round runs at once: left for half a minute (tried), the first download of a
    // year after a start read the database (1.4 s instead of 84 ms on the benchmark's
    // year) to make the first statistics page 15 ms faster.
    if config.render_ahead {
        let (preparer, prepared_state) = (exports.clone(), state.clone());
        let mut rendered_once = Some(readiness.clone());
        jobs.every("open data rendered ahead", app::stats::service::ROLL_EVERY, move || {
            let (preparer, state, first) = (preparer.clone(), prepared_state.clone(), rendered_once.take());
            async move {
                let rendered = preparer.prepare(&state).await;
                if let Some(readiness) = first {
                    readiness.done();
                }
                let days = rendered?;
                if days > 0 {
                    tracing::info!(days, "open data rendered ahead");
                }
                Ok::<_, app::stats::service::StatsError>(())
            }
        });
    } else {
        readiness.done();
    }
    let connections = config.connections;
    let router = http::router(state.clone(), guard.clone(), config.behind_tls())
        .layer(axum::Extension(exports))
        .layer(axum::Extension(readiness));

    // `/metrics` on its own address only: the public one never answers it.
    let metrics = match config.metrics_bind {
        Some(bind) => {
            let listener = tokio::net::TcpListener::bind(bind).await.map_err(|e| StartError::Bind(bind, e))?;
            let addr = listener.local_addr().map_err(|e| StartError::Bind(bind, e))?;
            let routes = http::metrics::router(state.clone());
            let task = tokio::spawn(async move {
                if let Err(error) = axum::serve(listener, routes).await {
                    tracing::error!(?error, "the metrics listener stopped");
                }
            });
            Some((addr, task))
        }
        None => None,
    };
    let (shutdown, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _background = jobs;
        http::listen::serve(listener, router, connections, async move {
            let _ = stopped.await;
        })
        .await;
    });
    Ok(Server {
        addr,
        state,
        demo,
        guard,
        metrics_addr: metrics.as_ref().map(|(addr, _)| *addr),
        metrics_task: metrics.map(|(_, task)| task),
        id: server_id,
        shutdown,
        task,
    })
}

/// A job one app server does for all: the server holding its lease (for three periods,
/// renewed each round it runs) does it; when that server stops, another takes over.
/// The deadline scheduler and the mail sender need none: each case step is guarded by the
/// case's version and each mail by its own lease, so every server runs them.
#[derive(Clone)]
struct JobLease {
    store: Store,
    holder: String,
    name: &'static str,
    ttl_ms: i64,
}

impl JobLease {
    fn new(store: &Store, holder: &str, name: &'static str, period: Duration) -> JobLease {
        JobLease { store: store.clone(), holder: holder.to_string(), name, ttl_ms: 3 * period.as_millis() as i64 }
    }

    /// Whether this server runs the job this round (a database that does not answer: no).
    async fn held(&self) -> bool {
        let now = chrono::Utc::now().timestamp_millis();
        match self.store.take_job_lease(self.name, &self.holder, now, self.ttl_ms).await {
            Ok(held) => held,
            Err(error) => {
                tracing::warn!(job = self.name, ?error, "could not take the job's lease");
                false
            }
        }
    }
}

/// The server's background jobs (mail sender, deadline scheduler, roll-ups, sweeps): each
/// runs at once and then every period, a failure logged and tried again next period. They
/// stop with the server.
#[derive(Default)]
struct Jobs(Vec<JoinHandle<()>>);

impl Jobs {
    fn every<F, Fut, E>(&mut self, name: &'static str, period: Duration, mut job: F)
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: std::fmt::Debug,
    {
        self.0.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(error) = job().await {
                    tracing::warn!(job = name, ?error, "a background job failed");
                }
            }
        }));
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}
