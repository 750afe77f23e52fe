//! Configuration: sensible defaults, so none is needed; environment variables override.
//!
//! Every variable is read once at start. A value that does not parse stops the server
//! with a message naming the variable, rather than running on a guess.

use app::demo::DemoMode;
use chrono_tz::Tz;
use std::net::{IpAddr, SocketAddr};

/// A network from which `X-Forwarded-For` is believed: one address or a CIDR block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrustedNet {
    addr: IpAddr,
    prefix: u8,
}

impl TrustedNet {
    pub fn parse(text: &str) -> Option<TrustedNet> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (text.trim().parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(TrustedNet { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// Where complaint photos' bytes are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoStore {
    /// Pack files in the photo folder: one server (SQLite's default).
    Folder,
    /// The database: every app server over one PostgreSQL reads them (its default).
    Database,
}

/// Limits on public POSTs, per client address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub per_minute: u32,
    pub burst: u32,
}

/// What each connection may take of the server: see `http::listen`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections open at once; more wait in the kernel's queue until one closes.
    pub max_connections: usize,
    /// Time a client has to send each request's headers (an idle connection too).
    pub header_timeout: std::time::Duration,
    /// A request body may take this long, plus a second for every `min_body_rate` bytes.
    pub body_grace: std::time::Duration,
    /// Bytes a second a request body must keep up on average after its grace.
    pub min_body_rate: u64,
}

/// The open data's licence unless `COUNTERPOINT_DATA_LICENCE` names another.
pub const DEFAULT_DATA_LICENCE: &str =
    "Creative Commons Attribution 4.0 International (CC BY 4.0), https://creativecommons.org/licenses/by/4.0/";

#[derive(Clone, Debug)]
pub struct Config {
    pub bind: SocketAddr,
    pub database_url: String,
    pub public_base_url: String,
    pub production: bool,
    pub demo: DemoMode,
    pub trusted_proxies: Vec<TrustedNet>,
    pub rate_limit: RateLimit,
    /// When ratings past the rate limit are held for review (docs/TRANSPARENCY.md).
    pub holds: app::rating::Limits,
    /// Downloads that may be rendered on the spot (open data, department reports), per
    /// client address.
    pub download_limit: RateLimit,
    pub connections: ConnectionLimits,
    pub time_zone: Tz,
    /// Where cargo-leptos put the compiled site (`pkg/`, favicon, ...).
    pub site_root: String,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Largest complaint post (its text and up to 3 photos of 5 MB), in bytes.
    pub max_upload_bytes: usize,
    /// The folder complaint photos are kept in.
    pub photo_dir: String,
    /// Where photos' bytes go, if set: the folder, or the database. Unset: by the database
    /// (see `photo_store`).
    pub photo_store_setting: Option<PhotoStore>,
    /// The folder finished open-data downloads are kept in, by ETag.
    pub export_dir: String,
    /// Whether the last year of open data is rendered ahead in the background (tests
    /// that drive the rendering themselves turn it off).
    pub render_ahead: bool,
    pub mail: MailConfig,
    /// How often the deadline scheduler runs.
    pub scheduler_every: std::time::Duration,
    /// The fewest ratings in a month for a department or counter to be ranked.
    pub rank_min_ratings: u32,
    /// The licence line of the open data.
    pub data_licence: String,
    /// Where `/metrics` is served, apart from the public address; `None`: nowhere.
    pub metrics_bind: Option<SocketAddr>,
    /// Log lines as JSON objects, one a line (for a log collector), instead of text.
    pub json_logs: bool,
    /// A staff session left untouched this long ends (it lasts a working day at most).
    pub session_idle: std::time::Duration,
    /// Room for photos not yet sent, and the free space kept.
    pub photo_limits: app::cases::PhotoLimits,
    /// Who gets each finished day's digest of the public record, to keep.
    pub witness_emails: Vec<String>,
}

/// Where mail goes, and how hard the sender tries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailConfig {
    /// `smtp://[user:pass@]host[:port]` (STARTTLS when offered; `?tls=none` for plain) or
    /// `smtps://…` (TLS from the start). `None`: mails are written as .eml files to `outbox_dir`.
    pub smtp_url: Option<String>,
    /// The sender address of every mail.
    pub from: String,
    pub outbox_dir: String,
    /// Attempts before a mail becomes a dead letter.
    pub max_attempts: u32,
    /// The wait after a first failed attempt, doubled after each (at most an hour).
    pub first_retry: std::time::Duration,
    /// How often the sender looks for mail to send.
    pub poll: std::time::Duration,
}

impl MailConfig {
    /// Whether every mail to this SMTP URL goes over TLS: `smtps://`, or `smtp://` with
    /// STARTTLS required (asked for, or implied by credentials).
    fn always_encrypted(url: &str) -> bool {
        let (scheme, rest) = url.split_once("://").unwrap_or(("", ""));
        let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
        let tls = query.split('&').find_map(|kv| kv.strip_prefix("tls="));
        match (scheme, tls) {
            ("smtps", _) => true,
            ("smtp", Some(mode)) => mode == "required",
            ("smtp", None) => authority.contains('@'),
            _ => false,
        }
    }

    /// Checks an SMTP URL's shape: scheme, and a host.
    fn check_smtp_url(url: &str) -> bool {
        let Some((scheme, rest)) = url.split_once("://") else {
            return false;
        };
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        let host = authority
            .rsplit_once('@')
            .map(|(_, h)| h)
            .unwrap_or(authority);
        matches!(scheme, "smtp" | "smtps") && !host.is_empty() && !host.starts_with(':')
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

/// Every setting that is wrong, each with its variable: all of them at once, so an
/// operator fixes the environment file in one pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl std::fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

impl ConfigErrors {
    /// The variables named, in the order they were read.
    pub fn variables(&self) -> Vec<&'static str> {
        self.0.iter().map(|e| e.variable).collect()
    }
}

/// Reads settings by name: `NAME`, or else the file named by `NAME_FILE` (for secrets such
/// as a database or SMTP password kept out of the environment). Problems are collected.
struct Settings<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    problems: Vec<ConfigError>,
}

impl Settings<'_> {
    fn get(&mut self, name: &'static str) -> Option<String> {
        let direct = (self.lookup)(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        if direct.is_some() {
            return direct;
        }
        let file = (self.lookup)(&format!("{name}_FILE")).filter(|f| !f.trim().is_empty())?;
        match std::fs::read_to_string(file.trim()) {
            Ok(text) => Some(text.trim().to_string()).filter(|v| !v.is_empty()),
            Err(e) => {
                self.bad(name, format!("could not read {name}_FILE ({}): {e}", file.trim()));
                None
            }
        }
    }

    fn bad(&mut self, variable: &'static str, problem: impl Into<String>) {
        self.problems.push(ConfigError { variable, problem: problem.into() });
    }

    /// The setting parsed by `parse`; `None` when unset, or when it does not parse (then
    /// `expected` is noted as its problem).
    fn parse<T>(&mut self, name: &'static str, expected: &str, parse: impl FnOnce(&str) -> Option<T>) -> Option<T> {
        let value = self.get(name)?;
        let parsed = parse(&value);
        if parsed.is_none() {
            self.bad(name, expected.to_string());
        }
        parsed
    }

    fn flag(&mut self, name: &'static str) -> Option<bool> {
        self.parse(name, "expected true or false", |v| match v.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Some(true),
            "0" | "false" | "no" | "off" => Some(false),
            _ => None,
        })
    }

    fn number(&mut self, name: &'static str) -> Option<u32> {
        self.parse(name, "expected a whole number above 0", |v| v.parse::<u32>().ok().filter(|n| *n > 0))
    }

    fn millis(&mut self, name: &'static str) -> Option<std::time::Duration> {
        self.number(name).map(|n| std::time::Duration::from_millis(n.max(10).into()))
    }
}

impl Default for Config {
    fn default() -> Self {
        let bind: SocketAddr = ([127, 0, 0, 1], 3000).into();
        Config {
            bind,
            database_url: "sqlite://counterpoint.db".into(),
            public_base_url: format!("http://{bind}"),
            production: false,
            demo: DemoMode::Auto,
            trusted_proxies: Vec::new(),
            rate_limit: RateLimit {
                per_minute: 30,
                burst: 10,
            },
            holds: app::rating::Limits::default(),
            download_limit: RateLimit {
                per_minute: 60,
                burst: 20,
            },
            connections: ConnectionLimits {
                max_connections: 10_000,
                header_timeout: std::time::Duration::from_secs(10),
                body_grace: std::time::Duration::from_secs(10),
                // A phone on a 2G network sends ten times this.
                min_body_rate: 1024,
            },
            time_zone: chrono_tz::Asia::Shanghai,
            site_root: "target/site".into(),
            max_body_bytes: 64 * 1024,
            max_upload_bytes: 16 * 1024 * 1024,
            photo_dir: "photos".into(),
            photo_store_setting: None,
            export_dir: "export-cache".into(),
            render_ahead: true,
            mail: MailConfig {
                smtp_url: None,
                from: "Counterpoint <no-reply@counterpoint.invalid>".into(),
                outbox_dir: "mail-outbox".into(),
                max_attempts: 8,
                first_retry: std::time::Duration::from_secs(30),
                poll: std::time::Duration::from_secs(2),
            },
            scheduler_every: std::time::Duration::from_secs(60),
            rank_min_ratings: 30,
            data_licence: DEFAULT_DATA_LICENCE.to_string(),
            metrics_bind: None,
            json_logs: false,
            session_idle: std::time::Duration::from_secs(30 * 60),
            photo_limits: app::cases::PhotoLimits::default(),
            witness_emails: Vec::new(),
        }
    }
}

impl Config {
    /// Reads the environment over the defaults.
    pub fn from_env() -> Result<Config, ConfigErrors> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    /// Every bad setting is named, not only the first.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigErrors> {
        let mut c = Config::default();
        let mut s = Settings { lookup: &lookup, problems: Vec::new() };

        if let Some(bind) = s.parse("COUNTERPOINT_BIND", "expected an address such as 127.0.0.1:3000", |v| v.parse().ok()) {
            c.bind = bind;
        }
        c.public_base_url = format!("http://{}", c.bind);
        if let Some(url) = s.parse("DATABASE_URL", "expected a sqlite: or postgres: URL", |v| {
            ["sqlite:", "postgres:", "postgresql:"].iter().any(|p| v.starts_with(p)).then(|| v.to_string())
        }) {
            c.database_url = url;
        }
        if let Some(url) = s.parse("COUNTERPOINT_PUBLIC_URL", "expected an http:// or https:// URL", |v| {
            (v.starts_with("http://") || v.starts_with("https://")).then(|| v.trim_end_matches('/').to_string())
        }) {
            c.public_base_url = url;
        }
        if let Some(on) = s.flag("COUNTERPOINT_PRODUCTION") {
            c.production = on;
        }
        if let Some(demo) = s.parse("COUNTERPOINT_DEMO", "expected auto, on or off", |v| match v.to_ascii_lowercase().as_str() {
            "auto" => Some(DemoMode::Auto),
            "1" | "true" | "on" | "yes" => Some(DemoMode::On),
            "0" | "false" | "off" | "no" => Some(DemoMode::Off),
            _ => None,
        }) {
            c.demo = demo;
        }
        if let Some(v) = s.get("COUNTERPOINT_TRUSTED_PROXIES") {
            let nets: Result<Vec<_>, String> = v
                .split(',')
                .filter(|p| !p.trim().is_empty())
                .map(|p| TrustedNet::parse(p).ok_or_else(|| format!("{p:?} is not an address or CIDR block")))
                .collect();
            match nets {
                Ok(nets) => c.trusted_proxies = nets,
                Err(problem) => s.bad("COUNTERPOINT_TRUSTED_PROXIES", problem),
            }
        }
        if let Some(n) = s.number("COUNTERPOINT_RATE_LIMIT_PER_MINUTE") {
            c.rate_limit.per_minute = n;
        }
        if let Some(n) = s.number("COUNTERPOINT_RATE_LIMIT_BURST") {
            c.rate_limit.burst = n;
        }
        for (name, slot) in [
            ("COUNTERPOINT_HOLD_PER_DEVICE", &mut c.holds.per_device),
            ("COUNTERPOINT_HOLD_PER_ADDRESS", &mut c.holds.per_address),
            ("COUNTERPOINT_HOLD_PER_COUNTER", &mut c.holds.per_counter),
            ("COUNTERPOINT_HOLD_BURST_FLOOR", &mut c.holds.burst_floor),
            ("COUNTERPOINT_HOLD_BURST_FACTOR", &mut c.holds.burst_factor),
        ] {
            if let Some(n) = s.number(name) {
                *slot = n;
            }
        }
        if let Some(n) = s.number("COUNTERPOINT_DOWNLOADS_PER_MINUTE") {
            c.download_limit.per_minute = n;
        }
        if let Some(n) = s.number("COUNTERPOINT_DOWNLOADS_BURST") {
            c.download_limit.burst = n;
        }
        if let Some(n) = s.number("COUNTERPOINT_MAX_CONNECTIONS") {
            c.connections.max_connections = n as usize;
        }
        if let Some(n) = s.parse("COUNTERPOINT_HEADER_TIMEOUT_SECS", "expected seconds from 1 to 300", |v| {
            v.parse::<u64>().ok().filter(|n| (1..=300).contains(n))
        }) {
            c.connections.header_timeout = std::time::Duration::from_secs(n);
        }
        if let Some(n) = s.parse("COUNTERPOINT_SESSION_IDLE_MINUTES", "expected minutes from 1 to 540", |v| {
            v.parse::<u64>().ok().filter(|n| (1..=540).contains(n))
        }) {
            c.session_idle = std::time::Duration::from_secs(n * 60);
        }
        if let Some(n) = s.number("COUNTERPOINT_PHOTO_FREE_FLOOR_MB") {
            c.photo_limits.free_floor = u64::from(n) * 1024 * 1024;
        }
        if let Some(n) = s.number("COUNTERPOINT_UNSENT_PHOTOS_PER_NETWORK_MB") {
            c.photo_limits.unsent_per_network = u64::from(n) * 1024 * 1024;
        }
        if let Some(n) = s.number("COUNTERPOINT_UNSENT_PHOTOS_TOTAL_MB") {
            c.photo_limits.unsent_total = u64::from(n) * 1024 * 1024;
        }
        if let Some(n) = s.number("COUNTERPOINT_MIN_BODY_BYTES_PER_SEC") {
            c.connections.min_body_rate = n.into();
        }
        if let Some(zone) = s.parse("COUNTERPOINT_TIME_ZONE", "expected an IANA zone such as Asia/Shanghai", |v| v.parse().ok()) {
            c.time_zone = zone;
        }
        c.mail.smtp_url = s.parse("COUNTERPOINT_SMTP_URL", "expected smtp://[user:password@]host[:port] or smtps://…", |v| {
            MailConfig::check_smtp_url(v).then(|| v.to_string())
        });
        if let Some(from) = s.parse("COUNTERPOINT_MAIL_FROM", "expected an address such as Counterpoint <no-reply@example.gov>", |v| {
            v.contains('@').then(|| v.to_string())
        }) {
            c.mail.from = from;
        }
        if let Some(list) = s.parse("COUNTERPOINT_WITNESS_EMAILS", "expected e-mail addresses separated by commas", |v| {
            v.split(',')
                .map(|a| app::domain::Email::parse(a.trim()).map(|e| e.as_str().to_string()))
                .collect::<Option<Vec<_>>>()
        }) {
            c.witness_emails = list;
        }
        if let Some(v) = s.get("COUNTERPOINT_MAIL_OUTBOX_DIR") {
            c.mail.outbox_dir = v;
        }
        if let Some(n) = s.number("COUNTERPOINT_MAIL_MAX_ATTEMPTS") {
            c.mail.max_attempts = n;
        }
        if let Some(d) = s.millis("COUNTERPOINT_MAIL_RETRY_MS") {
            c.mail.first_retry = d;
        }
        if let Some(d) = s.millis("COUNTERPOINT_MAIL_POLL_MS") {
            c.mail.poll = d;
        }
        if let Some(n) = s.number("COUNTERPOINT_RANK_MIN_RATINGS") {
            c.rank_min_ratings = n;
        }
        if let Some(licence) = s.parse("COUNTERPOINT_DATA_LICENCE", "expected one line", |v| {
            (!v.contains(['\r', '\n'])).then(|| v.to_string())
        }) {
            c.data_licence = licence;
        }
        if let Some(d) = s.millis("COUNTERPOINT_SCHEDULER_MS") {
            c.scheduler_every = d;
        }
        if let Some(v) = s.get("COUNTERPOINT_PHOTO_DIR") {
            c.photo_dir = v;
        }
        c.photo_store_setting = s.parse("COUNTERPOINT_PHOTO_STORE", "expected folder or database", |v| match v {
            "folder" => Some(PhotoStore::Folder),
            "database" => Some(PhotoStore::Database),
            _ => None,
        });
        if let Some(v) = s.get("COUNTERPOINT_EXPORT_DIR") {
            c.export_dir = v;
        }
        if let Some(v) = s.get("LEPTOS_SITE_ROOT") {
            c.site_root = v;
        }
        c.metrics_bind = s.parse("COUNTERPOINT_METRICS_BIND", "expected an address such as 127.0.0.1:9464", |v| v.parse().ok());
        if let Some(json) = s.parse("COUNTERPOINT_LOG_FORMAT", "expected text or json", |v| match v {
            "text" => Some(false),
            "json" => Some(true),
            _ => None,
        }) {
            c.json_logs = json;
        }
        let allow_plain_smtp = s.flag("COUNTERPOINT_ALLOW_PLAIN_SMTP").unwrap_or(false);
        if c.production {
            c.production_rules(allow_plain_smtp, &mut s);
        }
        if s.problems.is_empty() { Ok(c) } else { Err(ConfigErrors(s.problems)) }
    }

    /// What production mode asks of the settings: citizens reach it over https, mail
    /// leaves encrypted, and no demo account (whose password is public) exists.
    fn production_rules(&mut self, allow_plain_smtp: bool, s: &mut Settings) {
        if !self.behind_tls() {
            s.bad("COUNTERPOINT_PUBLIC_URL", "production needs the https:// address citizens use");
        }
        match &self.mail.smtp_url {
            None => s.bad(
                "COUNTERPOINT_SMTP_URL",
                "production sends mail: give the SMTP server (smtps://… or smtp://…?tls=required)",
            ),
            Some(url) if !allow_plain_smtp && !MailConfig::always_encrypted(url) => s.bad(
                "COUNTERPOINT_SMTP_URL",
                "production sends mail encrypted: use smtps:// or ?tls=required, or set COUNTERPOINT_ALLOW_PLAIN_SMTP=true",
            ),
            Some(_) => {}
        }
        if self.demo == DemoMode::On {
            s.bad("COUNTERPOINT_DEMO", "the demo's accounts have public passwords: production never loads it");
        }
        // Auto means no demo in production.
        self.demo = DemoMode::Off;
    }

    /// Where photos' bytes go: as set, else in the folder on SQLite (one server owns it)
    /// and in the database on PostgreSQL (several app servers must all read every photo).
    pub fn photo_store(&self) -> PhotoStore {
        self.photo_store_setting.unwrap_or(if self.database_url.starts_with("sqlite:") {
            PhotoStore::Folder
        } else {
            PhotoStore::Database
        })
    }

    /// True when the public address is https, so cookies must be `Secure`.
    pub fn behind_tls(&self) -> bool {
        self.public_base_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    proptest::proptest! {
        /// Any value of any setting: a configuration, or errors that name the setting.
        #[test]
        fn any_value_of_any_setting_is_taken_or_named(index in 0usize..SETTINGS.len(), value in ".{0,60}") {
            let name = SETTINGS[index];
            if let Err(errors) = config(&[(name, &value)]) {
                proptest::prop_assert!(errors.variables().iter().all(|v| v.starts_with("COUNTERPOINT_") || *v == "DATABASE_URL" || *v == "LEPTOS_SITE_ROOT"));
                proptest::prop_assert!(errors.variables().contains(&name) || name == "COUNTERPOINT_PRODUCTION", "{:?} for {name}", errors.variables());
            }
        }
    }

    /// The settings read, for the property test.
    const SETTINGS: &[&str] = &[
        "COUNTERPOINT_BIND", "DATABASE_URL", "COUNTERPOINT_PUBLIC_URL", "COUNTERPOINT_PRODUCTION", "COUNTERPOINT_DEMO",
        "COUNTERPOINT_TRUSTED_PROXIES", "COUNTERPOINT_RATE_LIMIT_PER_MINUTE", "COUNTERPOINT_RATE_LIMIT_BURST",
        "COUNTERPOINT_MAX_CONNECTIONS", "COUNTERPOINT_HEADER_TIMEOUT_SECS", "COUNTERPOINT_MIN_BODY_BYTES_PER_SEC",
        "COUNTERPOINT_TIME_ZONE", "COUNTERPOINT_SMTP_URL", "COUNTERPOINT_MAIL_FROM", "COUNTERPOINT_MAIL_MAX_ATTEMPTS",
        "COUNTERPOINT_MAIL_RETRY_MS", "COUNTERPOINT_MAIL_POLL_MS", "COUNTERPOINT_RANK_MIN_RATINGS",
        "COUNTERPOINT_DATA_LICENCE", "COUNTERPOINT_SCHEDULER_MS", "COUNTERPOINT_PHOTO_STORE",
        "COUNTERPOINT_METRICS_BIND", "COUNTERPOINT_LOG_FORMAT", "COUNTERPOINT_ALLOW_PLAIN_SMTP",
        "COUNTERPOINT_SESSION_IDLE_MINUTES", "COUNTERPOINT_PHOTO_FREE_FLOOR_MB",
        "COUNTERPOINT_UNSENT_PHOTOS_PER_NETWORK_MB", "COUNTERPOINT_UNSENT_PHOTOS_TOTAL_MB",
        "COUNTERPOINT_DOWNLOADS_PER_MINUTE", "COUNTERPOINT_DOWNLOADS_BURST", "COUNTERPOINT_WITNESS_EMAILS",
        "COUNTERPOINT_HOLD_PER_DEVICE", "COUNTERPOINT_HOLD_PER_ADDRESS", "COUNTERPOINT_HOLD_PER_COUNTER",
        "COUNTERPOINT_HOLD_BURST_FLOOR", "COUNTERPOINT_HOLD_BURST_FACTOR",
    ];

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigErrors> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn no_configuration_is_needed() {
        let c = config(&[]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:3000");
        assert!(c.database_url.starts_with("sqlite:"));
        assert!(!c.production);
    }

    #[test]
    fn every_bad_value_is_named_at_once() {
        let e = config(&[
            ("COUNTERPOINT_RATE_LIMIT_BURST", "lots"),
            ("DATABASE_URL", "mysql://x"),
            ("COUNTERPOINT_TRUSTED_PROXIES", "10.0.0.0/99"),
            ("COUNTERPOINT_SMTP_URL", "mail.example:25"),
        ])
        .unwrap_err();
        assert_eq!(
            e.variables(),
            ["DATABASE_URL", "COUNTERPOINT_TRUSTED_PROXIES", "COUNTERPOINT_RATE_LIMIT_BURST", "COUNTERPOINT_SMTP_URL"]
        );
        assert!(e.to_string().lines().count() == 4, "{e}");
        assert!(e.to_string().contains("10.0.0.0/99"), "{e}");
    }

    #[test]
    fn a_secret_is_read_from_the_file_its_file_variable_names() {
        let dir = std::env::temp_dir().join(format!("cp-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("smtp");
        std::fs::write(&file, "smtps://user:s3cret@mail.example.gov\n").unwrap();
        let path = file.to_string_lossy().to_string();
        let c = config(&[("COUNTERPOINT_SMTP_URL_FILE", &path)]).unwrap();
        assert_eq!(c.mail.smtp_url.as_deref(), Some("smtps://user:s3cret@mail.example.gov"));
        // The variable itself wins over its file.
        let c = config(&[("COUNTERPOINT_SMTP_URL", "smtps://mail.example.gov"), ("COUNTERPOINT_SMTP_URL_FILE", &path)]).unwrap();
        assert_eq!(c.mail.smtp_url.as_deref(), Some("smtps://mail.example.gov"));
        let missing = dir.join("absent").to_string_lossy().to_string();
        let e = config(&[("DATABASE_URL_FILE", &missing)]).unwrap_err();
        assert_eq!(e.variables(), ["DATABASE_URL"]);
        assert!(e.to_string().contains("DATABASE_URL_FILE"), "{e}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn production_needs_https_encrypted_mail_and_no_demo() {
        let e = config(&[("COUNTERPOINT_PRODUCTION", "true"), ("COUNTERPOINT_DEMO", "on")]).unwrap_err();
        assert_eq!(e.variables(), ["COUNTERPOINT_PUBLIC_URL", "COUNTERPOINT_SMTP_URL", "COUNTERPOINT_DEMO"]);
        let production = [("COUNTERPOINT_PRODUCTION", "true"), ("COUNTERPOINT_PUBLIC_URL", "https://pingjia.example.gov")];
        let with_smtp = |url: &'static str| {
            let mut vars = production.to_vec();
            vars.push(("COUNTERPOINT_SMTP_URL", url));
            config(&vars)
        };
        for plain in ["smtp://relay.example.gov", "smtp://relay.example.gov?tls=opportunistic", "smtp://u:p@relay.example.gov?tls=none"] {
            assert_eq!(with_smtp(plain).unwrap_err().variables(), ["COUNTERPOINT_SMTP_URL"], "{plain}");
        }
        for encrypted in ["smtps://relay.example.gov", "smtp://relay.example.gov?tls=required", "smtp://u:p@relay.example.gov"] {
            let c = with_smtp(encrypted).unwrap();
            assert!(c.production && c.behind_tls());
            assert_eq!(c.demo, DemoMode::Off, "no demo in production");
        }
        let mut allowed = production.to_vec();
        allowed.extend([("COUNTERPOINT_SMTP_URL", "smtp://relay.internal"), ("COUNTERPOINT_ALLOW_PLAIN_SMTP", "true")]);
        assert!(config(&allowed).is_ok(), "plain SMTP when the operator says so");
    }

    #[test]
    fn smtp_settings_are_read() {
        let c = config(&[
            (
                "COUNTERPOINT_SMTP_URL",
                "smtps://user:secret@mail.example.gov:465",
            ),
            ("COUNTERPOINT_MAIL_FROM", "效能辦 <xiaoneng@example.gov>"),
        ])
        .unwrap();
        assert_eq!(
            c.mail.smtp_url.as_deref(),
            Some("smtps://user:secret@mail.example.gov:465")
        );
        assert_eq!(c.mail.from, "效能辦 <xiaoneng@example.gov>");
        assert_eq!(config(&[]).unwrap().mail.smtp_url, None);
    }

    #[test]
    fn trusted_networks_match_addresses_inside_them() {
        let net = TrustedNet::parse("10.1.0.0/16").unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.0.9".parse().unwrap()));
        assert!(
            TrustedNet::parse("::1")
                .unwrap()
                .contains("::1".parse().unwrap())
        );
    }
}
