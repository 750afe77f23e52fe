//! The public record: one append-only chain of entries, written by the database's own
//! triggers in the transaction of every rating, case event, appeal and its decision,
//! supervision finding and order (`migrations/*/0021_ledger.sql` says how), published day
//! by day, and checked here from first entry to last against the rows it records.
//!
//! An entry's body is `kind|ref_id|public fields|commitment`; its hash is SHA-256 (lower-case
//! hex) of the previous entry's hash, a line feed and the body. The commitment is SHA-256 of
//! the database's secret, `|` and the private fields: it keeps comments, tickets, staff and
//! texts out of the public record while binding them to it.

use super::*;
use sha2::{Digest, Sha256};

pub use crate::transparency::{DayDigest, GENESIS_PREVIOUS, LedgerEntry, entry_hash};

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// What `verify_ledger` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    /// Every entry chains, every recorded row matches its entry, every published digest
    /// holds.
    Clean { entries: i64, head: String },
    /// The first thing that does not hold: the entry (when one is at fault), its day and
    /// what differs.
    Broken { entry: Option<i64>, day: Option<String>, what: String },
}

/// A table the ledger records: the entries of `kind` stand for its rows (those `recorded`
/// selects), with these public and private fields, in this order, as the triggers write
/// them (`t` is the row).
struct Recorded {
    kind: &'static str,
    table: &'static str,
    recorded: &'static str,
    public: &'static [&'static str],
    private: &'static [&'static str],
}

const RECORDED: [Recorded; 9] = [
    Recorded {
        kind: "rating",
        table: "ratings",
        recorded: "TRUE",
        public: &["t.counter_id", "t.hall_id", "t.day", "t.level", "t.created_at"],
        private: &["t.tags", "t.comment", "t.ticket"],
    },
    Recorded {
        kind: "case_event",
        table: "case_events",
        recorded: "TRUE",
        public: &[
            "t.case_id",
            "t.kind",
            "t.from_status",
            "t.to_status",
            "CASE WHEN t.public THEN 1 ELSE 0 END",
            "t.department_id",
            "t.at",
        ],
        private: &["t.actor_id", "t.staff_id", "t.body", "t.detail"],
    },
    Recorded {
        kind: "appeal",
        table: "rating_appeals",
        recorded: "TRUE",
        public: &["t.rating_id", "t.case_id", "t.created_at"],
        private: &["t.staff_id", "t.reason"],
    },
    Recorded {
        kind: "appeal_decision",
        table: "rating_appeals",
        recorded: "t.status <> 'pending'",
        public: &["t.rating_id", "t.case_id", "t.status", "t.decided_at"],
        private: &["t.decided_by"],
    },
    Recorded {
        kind: "finding",
        table: "findings",
        recorded: "TRUE",
        public: &["t.case_id", "t.finding", "t.measure", "t.department_id", "t.at"],
        private: &["t.staff_id", "t.reason", "t.recorded_by"],
    },
    Recorded {
        kind: "order",
        table: "supervision_orders",
        recorded: "TRUE",
        public: &["t.case_id", "t.level", "t.reason", "t.due_on", "t.opened_at"],
        private: &["t.body", "t.opened_by"],
    },
    Recorded {
        kind: "hold",
        table: "rating_holds",
        recorded: "TRUE",
        public: &["t.rating_id", "t.counter_id", "t.day", "t.hour", "t.level", "t.reason", "t.held_at"],
        private: &[],
    },
    Recorded {
        kind: "hold_decision",
        table: "hold_decisions",
        recorded: "TRUE",
        public: &["t.rating_id", "t.decision", "t.decided_at"],
        private: &["t.decided_by", "t.reason"],
    },
    Recorded {
        kind: "order_closed",
        table: "supervision_orders",
        recorded: "t.status = 'closed'",
        public: &["t.case_id", "t.closed_at"],
        private: &["t.closed_by", "t.closing_note"],
    },
];

/// How many entries a page of the check reads at once.
const PAGE: i64 = 20_000;

/// The check of `verify_ledger`, on the transaction `$tx` (written once for both backends).
macro_rules! verify_in {
    ($tx:ident) => {{
        // The chain, page by page.
        let mut previous = GENESIS_PREVIOUS.to_string();
        let mut last_id = 0i64;
        let mut last_day = String::new();
        // Per day: entries, first id, last id, the head before it, its head.
        let mut days: Vec<DayDigest> = Vec::new();
        let mut broken: Option<Verification> = None;
        'chain: loop {
            let page: Vec<LedgerEntry> = sqlx::query_as(
                "SELECT id, day, kind, ref_id, body, hash FROM ledger WHERE id > $1 ORDER BY id LIMIT $2",
            )
            .bind(last_id)
            .bind(PAGE)
            .fetch_all(&mut *$tx)
            .await?;
            if page.is_empty() {
                break;
            }
            for entry in &page {
                let at = |what: String| Verification::Broken { entry: Some(entry.id), day: Some(entry.day.clone()), what };
                let hash = entry_hash(&previous, &entry.body);
                let problem = if entry.id != last_id + 1 {
                    Some(format!("entry {} follows entry {last_id}: entries are missing", entry.id))
                } else if entry.day < last_day {
                    Some(format!("its day {} comes before the previous entry's {last_day}", entry.day))
                } else if !entry.body.starts_with(&format!("{}|{}|", entry.kind, entry.ref_id)) {
                    Some(format!("its body does not begin with its kind and row ({}|{}|)", entry.kind, entry.ref_id))
                } else if hash != entry.hash {
                    Some(format!("its hash is {} but its body and the previous hash give {hash}", entry.hash))
                } else {
                    None
                };
                if let Some(what) = problem {
                    broken = Some(at(what));
                    break 'chain;
                }
                match days.last_mut() {
                    Some(d) if d.day == entry.day => {
                        d.entries += 1;
                        d.last_id = entry.id;
                        d.head = entry.hash.clone();
                    }
                    _ => days.push(DayDigest {
                        day: entry.day.clone(),
                        entries: 1,
                        first_id: entry.id,
                        last_id: entry.id,
                        previous_head: previous.clone(),
                        head: entry.hash.clone(),
                    }),
                }
                previous = hash;
                last_id = entry.id;
                last_day = entry.day.clone();
            }
        }

        // The rows against their entries.
        if broken.is_none() {
            let secret: Option<(String,)> =
                sqlx::query_as("SELECT secret FROM ledger_secret").fetch_optional(&mut *$tx).await?;
            match secret {
                None => {
                    broken = Some(Verification::Broken { entry: None, day: None, what: "the ledger's secret is gone".into() })
                }
                Some((secret,)) => {
                    'kinds: for r in &RECORDED {
                        let columns: Vec<String> =
                            r.public.iter().chain(r.private.iter()).map(|e| format!("CAST({e} AS TEXT)")).collect();
                        let sql = format!(
                            "SELECT l.id, l.day, l.ref_id, l.body, t.id, {} FROM ledger l LEFT JOIN {} t ON t.id = l.ref_id \
                             WHERE l.kind = '{}' AND l.id > $1 ORDER BY l.id LIMIT $2",
                            columns.join(", "),
                            r.table,
                            r.kind
                        );
                        let mut after = 0i64;
                        let mut entries = 0i64;
                        loop {
                            let rows = sqlx::query(&sql).bind(after).bind(PAGE).fetch_all(&mut *$tx).await?;
                            let Some(end) = rows.last().map(|row| sqlx::Row::try_get::<i64, _>(row, 0)).transpose()? else {
                                break;
                            };
                            for row in &rows {
                                use sqlx::Row;
                                let (id, day, ref_id, body): (i64, String, i64, String) =
                                    (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
                                let present: Option<i64> = row.try_get(4)?;
                                let fields = (5..5 + columns.len())
                                    .map(|i| row.try_get::<Option<String>, _>(i).map(Option::unwrap_or_default))
                                    .collect::<Result<Vec<String>, _>>()?;
                                let what = if present.is_none() {
                                    Some(format!("{} {ref_id} that it records is gone from {}", r.kind, r.table))
                                } else {
                                    let public = fields[..r.public.len()].join("|");
                                    let commitment =
                                        sha256_hex(format!("{secret}|{}", fields[r.public.len()..].join("|")).as_bytes());
                                    if body == format!("{}|{ref_id}|{public}|{commitment}", r.kind) {
                                        None
                                    } else if body.starts_with(&format!("{}|{ref_id}|{public}|", r.kind)) {
                                        Some(format!("the private fields of {} {ref_id} in {} changed since it was recorded", r.kind, r.table))
                                    } else {
                                        Some(format!("{} {ref_id} in {} now reads {public} where the entry recorded {body}", r.kind, r.table))
                                    }
                                };
                                if let Some(what) = what {
                                    broken = Some(Verification::Broken { entry: Some(id), day: Some(day), what });
                                    break 'kinds;
                                }
                                entries += 1;
                            }
                            after = end;
                        }
                        let (rows,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {} t WHERE {}", r.table, r.recorded))
                            .fetch_one(&mut *$tx)
                            .await?;
                        if rows != entries {
                            let missing: Option<(i64,)> = sqlx::query_as(&format!(
                                "SELECT t.id FROM {} t WHERE {} AND NOT EXISTS \
                                 (SELECT 1 FROM ledger l WHERE l.kind = '{}' AND l.ref_id = t.id) ORDER BY t.id LIMIT 1",
                                r.table, r.recorded, r.kind
                            ))
                            .fetch_optional(&mut *$tx)
                            .await?;
                            let what = match missing {
                                Some((id,)) => format!("{} row {id} has no entry in the ledger ({rows} rows, {entries} entries)", r.table),
                                None => format!("{} has {rows} rows for {entries} entries", r.table),
                            };
                            broken = Some(Verification::Broken { entry: None, day: None, what });
                            break 'kinds;
                        }
                    }
                }
            }
        }

        // The published digests against the chain.
        if broken.is_none() {
            let published: Vec<DayDigest> = sqlx::query_as(
                "SELECT day, entries, first_id, last_id, previous_head, head FROM ledger_digests ORDER BY day",
            )
            .fetch_all(&mut *$tx)
            .await?;
            for digest in &published {
                let found = days.iter().find(|d| d.day == digest.day);
                if found != Some(digest) {
                    let what = match found {
                        Some(d) => format!(
                            "the published digest says {} entries ({}–{}) with head {}, the chain gives {} ({}–{}) with head {}",
                            digest.entries, digest.first_id, digest.last_id, digest.head, d.entries, d.first_id, d.last_id, d.head
                        ),
                        None => format!("a digest was published for {}, but the chain has no entry that day", digest.day),
                    };
                    broken = Some(Verification::Broken { entry: found.map(|d| d.first_id), day: Some(digest.day.clone()), what });
                    break;
                }
            }
        }
        broken.unwrap_or(Verification::Clean { entries: last_id, head: previous })
    }};
}

impl Store {
    /// A day's entries, in order (empty: no such day in the ledger).
    pub async fn ledger_day(&self, day: &str) -> Result<Vec<LedgerEntry>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, day, kind, ref_id, body, hash FROM ledger WHERE day = $1 ORDER BY id"
        )
        .bind(day)
        .fetch_all(pool)
        .await)?)
    }

    /// The published digests, newest day first.
    pub async fn ledger_digests(&self, limit: i64) -> Result<Vec<DayDigest>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT day, entries, first_id, last_id, previous_head, head FROM ledger_digests ORDER BY day DESC LIMIT $1"
        )
        .bind(limit)
        .fetch_all(pool)
        .await)?)
    }

    /// A day's published digest, if there is one.
    pub async fn ledger_digest(&self, day: &str) -> Result<Option<DayDigest>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT day, entries, first_id, last_id, previous_head, head FROM ledger_digests WHERE day = $1"
        )
        .bind(day)
        .fetch_optional(pool)
        .await)?)
    }

    /// A day's digest as it stands, published or not: its entries so far, its newest hash
    /// and the hash before its first entry (`None`: no entry that day).
    pub async fn ledger_day_so_far(&self, day: &str) -> Result<Option<DayDigest>, StoreError> {
        // Two index seeks, not a count of the day: entries are numbered without gaps (the
        // check makes sure), so the day holds last - first + 1 of them.
        let span: (Option<i64>, Option<i64>) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT (SELECT id FROM ledger WHERE day = $1 ORDER BY id LIMIT 1), \
                    (SELECT id FROM ledger WHERE day = $1 ORDER BY id DESC LIMIT 1)"
        )
        .bind(day)
        .fetch_one(pool)
        .await)?;
        let (Some(first_id), Some(last_id)) = span else {
            return Ok(None);
        };
        let entries = last_id - first_id + 1;
        let heads: Vec<(i64, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, hash FROM ledger WHERE id IN ($1, $2) ORDER BY id"
        )
        .bind(first_id - 1)
        .bind(last_id)
        .fetch_all(pool)
        .await)?;
        let hash_of = |id: i64| heads.iter().find(|h| h.0 == id).map(|h| h.1.clone());
        Ok(Some(DayDigest {
            day: day.to_string(),
            entries,
            first_id,
            last_id,
            previous_head: hash_of(first_id - 1).unwrap_or_else(|| GENESIS_PREVIOUS.to_string()),
            head: hash_of(last_id).unwrap_or_default(),
        }))
    }

    /// The hash of one entry (`None`: no such entry).
    pub async fn ledger_hash(&self, id: i64) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = on_pool!(self, |pool| sqlx::query_as("SELECT hash FROM ledger WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|r| r.0))
    }

    /// The number of entries and the head of the whole chain now.
    pub async fn ledger_head(&self) -> Result<(i64, String), StoreError> {
        let last: Option<(i64, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, hash FROM ledger ORDER BY id DESC LIMIT 1"
        )
        .fetch_optional(pool)
        .await)?;
        Ok(last.unwrap_or((0, GENESIS_PREVIOUS.to_string())))
    }

    /// Publishes the digest of every finished day (before `today`, a UTC day) not published
    /// yet, with the mails `mails_for` writes about each (to witnesses), and gives the new
    /// ones, oldest first. Digests are never changed: run twice, it adds nothing.
    pub async fn publish_digests(
        &self,
        today: &str,
        now_ms: i64,
        mails_for: &(dyn Fn(&DayDigest) -> Vec<NewMail> + Sync),
    ) -> Result<Vec<DayDigest>, StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let since: Option<(String,)> =
                sqlx::query_as("SELECT day FROM ledger_digests ORDER BY day DESC LIMIT 1")
                    .fetch_optional(&mut *tx)
                    .await?;
            let since = since.map(|d| d.0).unwrap_or_default();
            let days: Vec<(String, i64, i64, i64)> = sqlx::query_as(
                "SELECT day, COUNT(*), MIN(id), MAX(id) FROM ledger WHERE day > $1 AND day < $2 GROUP BY day ORDER BY day",
            )
            .bind(&since)
            .bind(today)
            .fetch_all(&mut *tx)
            .await?;
            let mut published = Vec::with_capacity(days.len());
            for (day, entries, first_id, last_id) in days {
                let heads: Vec<(i64, String)> =
                    sqlx::query_as("SELECT id, hash FROM ledger WHERE id IN ($1, $2) ORDER BY id")
                        .bind(first_id - 1)
                        .bind(last_id)
                        .fetch_all(&mut *tx)
                        .await?;
                let head = heads.iter().find(|h| h.0 == last_id).map(|h| h.1.clone()).unwrap_or_default();
                let previous_head = heads
                    .iter()
                    .find(|h| h.0 == first_id - 1)
                    .map(|h| h.1.clone())
                    .unwrap_or_else(|| GENESIS_PREVIOUS.to_string());
                sqlx::query(
                    "INSERT INTO ledger_digests (day, entries, first_id, last_id, previous_head, head, published_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (day) DO NOTHING",
                )
                .bind(&day)
                .bind(entries)
                .bind(first_id)
                .bind(last_id)
                .bind(&previous_head)
                .bind(&head)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
                published.push(DayDigest { day, entries, first_id, last_id, previous_head, head });
            }
            let mails: Vec<NewMail> = published.iter().flat_map(mails_for).collect();
            if !mails.is_empty() {
                let mails: Vec<(Option<i64>, &NewMail)> = mails.iter().map(|m| (None, m)).collect();
                super::outbox::insert_mails!(&mut *tx, &mails, now_ms)?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(published)
        })
    }

    /// Mails that belong to no case nor other change, written at once.
    pub async fn enqueue_mails(&self, mails: &[NewMail], now_ms: i64) -> Result<(), StoreError> {
        if mails.is_empty() {
            return Ok(());
        }
        let mails: Vec<(Option<i64>, &NewMail)> = mails.iter().map(|m| (None, m)).collect();
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            super::outbox::insert_mails!(&mut *tx, &mails, now_ms)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// A setting the server keeps for itself (no administrator changed it: no audit entry).
    pub async fn set_setting_quietly(&self, key: &str, value: &str) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        )
        .bind(key)
        .bind(value)
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }

    /// Checks the whole record: every entry follows the one before (numbering, day, hash),
    /// every recorded row has its entry and matches it (public fields and commitment), and
    /// every published digest holds. Reports the first thing that does not. It reads one
    /// snapshot of the database (one read transaction; on PostgreSQL repeatable read), so
    /// ratings and cases stored while it runs are neither half seen nor taken for a
    /// difference.
    pub async fn verify_ledger(&self) -> Result<Verification, StoreError> {
        let snapshot = match self.backend() {
            Backend::Sqlite => "SELECT COUNT(*) FROM ledger_secret",
            Backend::Postgres => "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        };
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(snapshot).execute(&mut *tx).await?;
            let found = verify_in!(tx);
            tx.rollback().await?;
            Ok(found)
        })
    }
}


/// Registers `ledger_sha256(text)` (lower-case hex SHA-256 of the text's UTF-8 bytes; NULL
/// for NULL) on a SQLite connection: the ledger's triggers call it.
pub(super) fn register_sqlite_functions(db: std::ptr::NonNull<libsqlite3_sys::sqlite3>) -> Result<(), String> {
    use libsqlite3_sys as ffi;
    use std::os::raw::{c_char, c_int};

    unsafe extern "C" fn sha256(ctx: *mut ffi::sqlite3_context, argc: c_int, argv: *mut *mut ffi::sqlite3_value) {
        // SAFETY: SQLite calls this with `argc` values in `argv` (one, as registered) and a
        // context valid for the call; the text pointer is valid for `sqlite3_value_bytes`
        // bytes until the value changes, which it does not before we return.
        unsafe {
            if argc != 1 {
                ffi::sqlite3_result_null(ctx);
                return;
            }
            let value = *argv;
            if ffi::sqlite3_value_type(value) == ffi::SQLITE_NULL {
                ffi::sqlite3_result_null(ctx);
                return;
            }
            let text = ffi::sqlite3_value_text(value);
            let len = ffi::sqlite3_value_bytes(value);
            let bytes = if text.is_null() || len <= 0 {
                &[][..]
            } else {
                std::slice::from_raw_parts(text, len as usize)
            };
            let hex = sha256_hex(bytes);
            ffi::sqlite3_result_text(ctx, hex.as_ptr() as *const c_char, hex.len() as c_int, ffi::SQLITE_TRANSIENT());
        }
    }

    // SAFETY: `db` is an open connection handle, held locked by the caller for the call.
    let rc = unsafe {
        ffi::sqlite3_create_function_v2(
            db.as_ptr(),
            c"ledger_sha256".as_ptr(),
            1,
            ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC,
            std::ptr::null_mut(),
            Some(sha256),
            None,
            None,
            None,
        )
    };
    if rc == ffi::SQLITE_OK { Ok(()) } else { Err(format!("could not register ledger_sha256 (SQLite error {rc})")) }
}
