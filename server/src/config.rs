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

/// Limits on public POSTs, per client address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub per_minute: u32,
    pub burst: u32,
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
    pub time_zone: Tz,
    /// Where cargo-leptos put the compiled site (`pkg/`, favicon, ...).
    pub site_root: String,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Largest complaint post (its text and up to 3 photos of 5 MB), in bytes.
    pub max_upload_bytes: usize,
    /// The folder complaint photos are kept in.
    pub photo_dir: String,
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

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
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
            time_zone: chrono_tz::Asia::Shanghai,
            site_root: "target/site".into(),
            max_body_bytes: 64 * 1024,
            max_upload_bytes: 16 * 1024 * 1024,
            photo_dir: "photos".into(),
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
        }
    }
}

impl Config {
    /// Reads the environment over the defaults.
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let mut c = Config::default();
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        fn bad(variable: &'static str, problem: impl Into<String>) -> ConfigError {
            ConfigError {
                variable,
                problem: problem.into(),
            }
        }
        fn flag(variable: &'static str, value: &str) -> Result<bool, ConfigError> {
            match value.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(bad(variable, "expected true or false")),
            }
        }
        fn number(variable: &'static str, value: &str) -> Result<u32, ConfigError> {
            value
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| bad(variable, "expected a whole number above 0"))
        }

        if let Some(v) = get("COUNTERPOINT_BIND") {
            c.bind = v.parse().map_err(|_| {
                bad(
                    "COUNTERPOINT_BIND",
                    "expected an address such as 127.0.0.1:3000",
                )
            })?;
        }
        c.public_base_url = format!("http://{}", c.bind);
        if let Some(v) = get("DATABASE_URL") {
            c.database_url = v;
        }
        if !(c.database_url.starts_with("sqlite:")
            || c.database_url.starts_with("postgres:")
            || c.database_url.starts_with("postgresql:"))
        {
            return Err(bad("DATABASE_URL", "expected a sqlite: or postgres: URL"));
        }
        if let Some(v) = get("COUNTERPOINT_PUBLIC_URL") {
            if !(v.starts_with("http://") || v.starts_with("https://")) {
                return Err(bad(
                    "COUNTERPOINT_PUBLIC_URL",
                    "expected an http:// or https:// URL",
                ));
            }
            c.public_base_url = v.trim_end_matches('/').to_string();
        }
        if let Some(v) = get("COUNTERPOINT_PRODUCTION") {
            c.production = flag("COUNTERPOINT_PRODUCTION", &v)?;
        }
        if let Some(v) = get("COUNTERPOINT_DEMO") {
            c.demo = match v.to_ascii_lowercase().as_str() {
                "auto" => DemoMode::Auto,
                "1" | "true" | "on" | "yes" => DemoMode::On,
                "0" | "false" | "off" | "no" => DemoMode::Off,
                _ => return Err(bad("COUNTERPOINT_DEMO", "expected auto, on or off")),
            };
        }
        if let Some(v) = get("COUNTERPOINT_TRUSTED_PROXIES") {
            c.trusted_proxies = v
                .split(',')
                .filter(|p| !p.trim().is_empty())
                .map(|p| {
                    TrustedNet::parse(p).ok_or_else(|| {
                        bad(
                            "COUNTERPOINT_TRUSTED_PROXIES",
                            format!("{p:?} is not an address or CIDR block"),
                        )
                    })
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(v) = get("COUNTERPOINT_RATE_LIMIT_PER_MINUTE") {
            c.rate_limit.per_minute = number("COUNTERPOINT_RATE_LIMIT_PER_MINUTE", &v)?;
        }
        if let Some(v) = get("COUNTERPOINT_RATE_LIMIT_BURST") {
            c.rate_limit.burst = number("COUNTERPOINT_RATE_LIMIT_BURST", &v)?;
        }
        if let Some(v) = get("COUNTERPOINT_TIME_ZONE") {
            c.time_zone = v.parse().map_err(|_| {
                bad(
                    "COUNTERPOINT_TIME_ZONE",
                    "expected an IANA zone such as Asia/Shanghai",
                )
            })?;
        }
        if let Some(v) = get("COUNTERPOINT_SMTP_URL") {
            if !MailConfig::check_smtp_url(&v) {
                return Err(bad(
                    "COUNTERPOINT_SMTP_URL",
                    "expected smtp://[user:password@]host[:port] or smtps://…",
                ));
            }
            c.mail.smtp_url = Some(v);
        }
        if let Some(v) = get("COUNTERPOINT_MAIL_FROM") {
            if !v.contains('@') {
                return Err(bad(
                    "COUNTERPOINT_MAIL_FROM",
                    "expected an address such as Counterpoint <no-reply@example.gov>",
                ));
            }
            c.mail.from = v;
        }
        if let Some(v) = get("COUNTERPOINT_MAIL_OUTBOX_DIR") {
            c.mail.outbox_dir = v;
        }
        if let Some(v) = get("COUNTERPOINT_MAIL_MAX_ATTEMPTS") {
            c.mail.max_attempts = number("COUNTERPOINT_MAIL_MAX_ATTEMPTS", &v)?.max(1);
        }
        if let Some(v) = get("COUNTERPOINT_MAIL_RETRY_MS") {
            c.mail.first_retry = std::time::Duration::from_millis(
                number("COUNTERPOINT_MAIL_RETRY_MS", &v)?.max(10).into(),
            );
        }
        if let Some(v) = get("COUNTERPOINT_MAIL_POLL_MS") {
            c.mail.poll = std::time::Duration::from_millis(
                number("COUNTERPOINT_MAIL_POLL_MS", &v)?.max(10).into(),
            );
        }
        if let Some(v) = get("COUNTERPOINT_RANK_MIN_RATINGS") {
            c.rank_min_ratings = number("COUNTERPOINT_RANK_MIN_RATINGS", &v)?;
        }
        if let Some(v) = get("COUNTERPOINT_DATA_LICENCE") {
            if v.contains(['\r', '\n']) {
                return Err(bad("COUNTERPOINT_DATA_LICENCE", "expected one line"));
            }
            c.data_licence = v;
        }
        if let Some(v) = get("COUNTERPOINT_SCHEDULER_MS") {
            c.scheduler_every = std::time::Duration::from_millis(
                number("COUNTERPOINT_SCHEDULER_MS", &v)?.max(10).into(),
            );
        }
        if let Some(v) = get("COUNTERPOINT_PHOTO_DIR") {
            c.photo_dir = v;
        }
        if let Some(v) = get("COUNTERPOINT_EXPORT_DIR") {
            c.export_dir = v;
        }
        if let Some(v) = get("LEPTOS_SITE_ROOT") {
            c.site_root = v;
        }
        Ok(c)
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

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
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
    fn a_bad_value_names_its_variable() {
        let e = config(&[("COUNTERPOINT_RATE_LIMIT_BURST", "lots")]).unwrap_err();
        assert_eq!(e.variable, "COUNTERPOINT_RATE_LIMIT_BURST");
        assert_eq!(
            config(&[("DATABASE_URL", "mysql://x")])
                .unwrap_err()
                .variable,
            "DATABASE_URL"
        );
        assert_eq!(
            config(&[("COUNTERPOINT_TRUSTED_PROXIES", "10.0.0.0/99")])
                .unwrap_err()
                .variable,
            "COUNTERPOINT_TRUSTED_PROXIES"
        );
        assert_eq!(
            config(&[("COUNTERPOINT_SMTP_URL", "mail.example:25")])
                .unwrap_err()
                .variable,
            "COUNTERPOINT_SMTP_URL"
        );
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
