//! Mail: what each event says (`render`), and the sender that delivers the outbox.
//!
//! A mail is written to the outbox in the transaction of the event that causes it, so a
//! mail is never lost and never sent for something that did not happen. The sender leases
//! due mails one by one (a compare-and-set on the row, safe with several servers), hands
//! them to a transport (SMTP with lettre, or .eml files in a folder), and on failure tries
//! again later with exponential backoff, until it gives up into the dead letters an
//! administrator can retry. When a delivery goes through after failures, the server is back:
//! every mail waiting out its backoff is due at once. Addresses never reach the logs.

pub mod render;

use crate::clock::Clock;
use crate::store::{OutboxMail, Store, StoreError};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub use render::{MailEvent, MailFacts, RenderedMail, render};

/// A new random Message-ID on the sender's domain: `<hex@domain>`.
pub fn new_message_id(from: &str) -> String {
    let domain = from
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').trim())
        .filter(|d| !d.is_empty())
        .unwrap_or("counterpoint.invalid");
    format!("<{:032x}@{domain}>", rand::random::<u128>())
}

/// Hides every address in a text (an SMTP error may quote one).
pub fn redact_addresses(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            if word.contains('@') {
                let tail: String = word.chars().rev().take_while(|c| c.is_whitespace()).collect();
                format!("[address]{tail}")
            } else {
                word.to_string()
            }
        })
        .collect::<String>()
        .chars()
        .take(300)
        .collect()
}

/// Builds the message: a plain-text part and an HTML part, both 8-bit so a .eml file is
/// readable as it is.
pub fn build_message(mail: &OutboxMail, from: &Mailbox) -> Result<Message, String> {
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|_| "the recipient is not a valid address".to_string())?;
    let part = |kind: ContentType, text: &str| {
        let body = Body::new_with_encoding(text.to_string(), ContentTransferEncoding::EightBit)
            .unwrap_or_else(Body::new);
        SinglePart::builder().header(kind).body(body)
    };
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(mail.message_id.clone()))
        .multipart(
            MultiPart::alternative()
                .singlepart(part(ContentType::TEXT_PLAIN, &mail.text_body))
                .singlepart(part(ContentType::TEXT_HTML, &mail.html_body)),
        )
        .map_err(|e| redact_addresses(&e.to_string()))
}

type Delivery<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// Where mails go. An error is a short text without addresses.
pub trait MailTransport: Send + Sync {
    fn deliver<'a>(&'a self, message: &'a Message) -> Delivery<'a>;
}

/// SMTP, with lettre.
pub struct SmtpTransport(AsyncSmtpTransport<Tokio1Executor>);

impl SmtpTransport {
    /// From `smtp://[user:pass@]host[:port][?tls=none|opportunistic|required]` (STARTTLS:
    /// required when there are credentials, opportunistic otherwise) or
    /// `smtps://[user:pass@]host[:port]` (TLS from the start).
    pub fn from_url(url: &str) -> Result<SmtpTransport, String> {
        let (scheme, rest) = url.split_once("://").ok_or("not an smtp:// URL")?;
        let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
        let authority = authority.trim_end_matches('/');
        let (credentials, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host)) => {
                let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                (Some(Credentials::new(decode(user), decode(pass))), host)
            }
            None => (None, authority),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p.parse::<u16>().map_err(|_| "bad port")?)),
            None => (host_port, None),
        };
        if host.is_empty() {
            return Err("no host".into());
        }
        let tls_mode = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("tls="))
            .unwrap_or(if credentials.is_some() { "required" } else { "opportunistic" });
        let params = || TlsParameters::new(host.to_string()).map_err(|e| e.to_string());
        let (tls, default_port) = match (scheme, tls_mode) {
            ("smtps", _) => (Tls::Wrapper(params()?), 465),
            ("smtp", "none") => (Tls::None, 25),
            ("smtp", "opportunistic") => (Tls::Opportunistic(params()?), 587),
            ("smtp", "required") => (Tls::Required(params()?), 587),
            _ => return Err("use smtp:// or smtps://, tls=none|opportunistic|required".into()),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port.unwrap_or(default_port))
            .tls(tls)
            .timeout(Some(Duration::from_secs(30)));
        if let Some(credentials) = credentials {
            builder = builder.credentials(credentials);
        }
        Ok(SmtpTransport(builder.build()))
    }
}

fn decode(text: &str) -> String {
    // Percent-decoding of the user and password in the URL.
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl MailTransport for SmtpTransport {
    fn deliver<'a>(&'a self, message: &'a Message) -> Delivery<'a> {
        Box::pin(async move {
            self.0
                .send(message.clone())
                .await
                .map(drop)
                .map_err(|e| redact_addresses(&e.to_string()))
        })
    }
}

/// No SMTP configured: each mail becomes `<message-id>.eml` in a folder (written whole,
/// then renamed, so a half-written file is never seen; a retry overwrites the same file).
pub struct FolderTransport(PathBuf);

impl FolderTransport {
    pub fn new(dir: impl Into<PathBuf>) -> std::io::Result<FolderTransport> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)?;
        Ok(FolderTransport(dir))
    }
}

impl MailTransport for FolderTransport {
    fn deliver<'a>(&'a self, message: &'a Message) -> Delivery<'a> {
        Box::pin(async move {
            let id = message
                .headers()
                .get_raw("Message-ID")
                .unwrap_or("<unknown>")
                .to_string();
            let name: String = id
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '@'))
                .collect();
            let path = self.0.join(format!("{name}.eml"));
            let temporary = self.0.join(format!(".{name}.tmp"));
            let bytes = message.formatted();
            tokio::fs::write(&temporary, &bytes)
                .await
                .map_err(|e| e.kind().to_string())?;
            tokio::fs::rename(&temporary, &path)
                .await
                .map_err(|e| e.kind().to_string())
        })
    }
}

/// How the sender retries.
#[derive(Clone, Debug)]
pub struct SendPolicy {
    /// Attempts before a mail becomes a dead letter.
    pub max_attempts: u32,
    /// The wait after the first failure; doubled after each one.
    pub first_retry: Duration,
    pub longest_retry: Duration,
    /// How long a sender holds a mail it is sending (another server takes it after).
    pub lease: Duration,
    /// Mails per round.
    pub batch: i64,
}

impl Default for SendPolicy {
    fn default() -> Self {
        SendPolicy {
            max_attempts: 8,
            first_retry: Duration::from_secs(30),
            longest_retry: Duration::from_secs(3600),
            lease: Duration::from_secs(120),
            batch: 50,
        }
    }
}

impl SendPolicy {
    /// When to try again after the `attempt`-th failure (1-based); `None`: give up.
    pub fn retry_after(&self, attempt: u32) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(20));
        Some(self.first_retry.saturating_mul(factor).min(self.longest_retry))
    }
}

/// What one round of sending did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendRound {
    pub sent: usize,
    pub failed: usize,
    pub dead: usize,
}

/// Delivers the outbox. Cheap to clone.
#[derive(Clone)]
pub struct MailSender {
    store: Store,
    transport: Arc<dyn MailTransport>,
    from: Mailbox,
    clock: Clock,
    policy: SendPolicy,
    owner: String,
    /// Whether this sender's last delivery failed.
    failing: Arc<std::sync::atomic::AtomicBool>,
}

impl MailSender {
    pub fn new(
        store: Store,
        transport: Arc<dyn MailTransport>,
        from: &str,
        clock: Clock,
        policy: SendPolicy,
    ) -> Result<MailSender, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|_| "the sender address is not valid".to_string())?;
        Ok(MailSender {
            store,
            transport,
            from,
            clock,
            policy,
            owner: format!("{:016x}", rand::random::<u64>()),
            failing: Arc::default(),
        })
    }

    /// Sends what is due now, once.
    pub async fn send_due(&self) -> Result<SendRound, StoreError> {
        let now = self.clock.now_ms();
        let mut round = SendRound::default();
        for id in self.store.due_mails(now, self.policy.batch).await? {
            let lease_until = now + self.policy.lease.as_millis() as i64;
            let Some(mail) = self
                .store
                .lease_mail(id, &self.owner, now, lease_until)
                .await?
            else {
                continue;
            };
            let outcome = match build_message(&mail, &self.from) {
                Ok(message) => self.transport.deliver(&message).await,
                Err(e) => Err(e),
            };
            match outcome {
                Ok(()) => {
                    self.store
                        .mail_sent(mail.id, &self.owner, self.clock.now_ms())
                        .await?;
                    round.sent += 1;
                    tracing::info!(mail_id = mail.id, case_id = ?mail.case_id, event = %mail.event, "mail sent");
                    // This sender's last delivery failed and this one went through: the
                    // server is back, and the mails waiting out their backoff go now (once,
                    // not for every retried mail that follows).
                    if self.failing.swap(false, std::sync::atomic::Ordering::Relaxed) {
                        let hurried = self.store.hurry_waiting_mails(self.clock.now_ms()).await?;
                        if hurried > 0 {
                            tracing::info!(hurried, "the mail server answers again: waiting mails are due now");
                        }
                    }
                }
                Err(error) => {
                    self.failing.store(true, std::sync::atomic::Ordering::Relaxed);
                    let attempt = u32::try_from(mail.attempts + 1).unwrap_or(u32::MAX);
                    let retry_at = self
                        .policy
                        .retry_after(attempt)
                        .map(|d| self.clock.now_ms() + d.as_millis() as i64);
                    self.store
                        .mail_failed(mail.id, &self.owner, &error, retry_at)
                        .await?;
                    if retry_at.is_some() {
                        round.failed += 1;
                        tracing::warn!(mail_id = mail.id, attempt, %error, "mail not sent; will retry");
                    } else {
                        round.dead += 1;
                        tracing::error!(mail_id = mail.id, attempt, %error, "mail given up: dead letter");
                    }
                }
            }
        }
        Ok(round)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_up_to_a_ceiling_then_stop() {
        let policy = SendPolicy {
            max_attempts: 5,
            first_retry: Duration::from_secs(10),
            longest_retry: Duration::from_secs(35),
            ..SendPolicy::default()
        };
        assert_eq!(policy.retry_after(1), Some(Duration::from_secs(10)));
        assert_eq!(policy.retry_after(2), Some(Duration::from_secs(20)));
        assert_eq!(policy.retry_after(3), Some(Duration::from_secs(35)));
        assert_eq!(policy.retry_after(4), Some(Duration::from_secs(35)));
        assert_eq!(policy.retry_after(5), None);
    }

    #[test]
    fn addresses_never_survive_an_error_text() {
        let text = "permanent error (550): 5.1.1 <lin@example.org>: Recipient address rejected";
        let clean = redact_addresses(text);
        assert!(!clean.contains("lin@example.org"), "{clean}");
        assert!(clean.contains("[address]") && clean.contains("Recipient address rejected"));
    }

    #[tokio::test]
    async fn smtp_urls_are_read_with_their_tls_choice() {
        assert!(SmtpTransport::from_url("smtp://127.0.0.1:2525?tls=none").is_ok());
        assert!(SmtpTransport::from_url("smtps://user:p%40ss@mail.example.org").is_ok());
        assert!(SmtpTransport::from_url("smtp://mail.example.org:x").is_err());
        assert!(SmtpTransport::from_url("http://mail.example.org").is_err());
        assert_eq!(decode("p%40ss"), "p@ss");
    }

    #[test]
    fn message_ids_are_unique_and_on_the_senders_domain() {
        let a = new_message_id("Counterpoint <no-reply@gov.example>");
        let b = new_message_id("Counterpoint <no-reply@gov.example>");
        assert_ne!(a, b);
        assert!(a.starts_with('<') && a.ends_with("@gov.example>"), "{a}");
    }
}
