//! The public record as the public reads it (`/transparency`): each finished day's digest,
//! each day's entries to download, and the check anyone can run on them. What is recorded
//! and how: `store::ledger` and `docs/TRANSPARENCY.md`.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod service;

/// What the first entry follows: 64 zeros.
pub const GENESIS_PREVIOUS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A finished day's digest: how many entries it holds, the first and last, its head (the
/// hash of its last entry) and the head it follows (the previous day's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DayDigest {
    pub day: String,
    pub entries: i64,
    pub first_id: i64,
    pub last_id: i64,
    pub previous_head: String,
    pub head: String,
}

/// One entry as published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LedgerEntry {
    pub id: i64,
    pub day: String,
    pub kind: String,
    pub ref_id: i64,
    pub body: String,
    pub hash: String,
}

/// The `/transparency` page: the chain now (entries, head) and the latest digests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransparencyView {
    pub entries: i64,
    pub head: String,
    /// Today's entries so far (UTC), as a digest that is not published yet.
    pub today: Option<DayDigest>,
    pub digests: Vec<DayDigest>,
    /// When ratings are held for review: per counter and clock hour, the most counted from
    /// one browser, from one address block and in all; a burst's floor and factor.
    pub hold_limits: [u32; 5],
}

/// A day's entries to check: against its published digest (`finished`), or, for today,
/// against the head before it and its newest entry so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayToCheck {
    pub digest: DayDigest,
    pub entries: Vec<LedgerEntry>,
    pub finished: bool,
}

/// How many digests the page lists (all of them are in `digests.json`).
pub const DIGESTS_ON_PAGE: i64 = 60;

/// A day as the ledger's addresses name it: `YYYY-MM-DD`, a date that exists (the
/// complaint form's own rule, `domain::Day`).
pub fn parse_day(raw: &str) -> Option<String> {
    crate::domain::Day::parse(raw).map(|d| d.as_str().to_string())
}

/// An entry's hash: SHA-256 (lower-case hex) over the previous entry's hash, a line feed and
/// its body. The browser's check runs this same code.
pub fn entry_hash(previous: &str, body: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(previous.as_bytes())
        .chain_update(b"\n")
        .chain_update(body.as_bytes())
        .finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What checking a day's entries found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayCheck {
    /// Every entry follows the one before, from the previous day's head to this day's.
    Matches { entries: usize },
    /// The first entry whose hash does not follow.
    EntryDiffers { id: i64 },
    /// Each entry follows, but the last does not give the published head.
    HeadDiffers,
}

/// Recomputes a day's chain from the head before it and compares with its digest.
pub fn check_day(digest: &DayDigest, entries: &[LedgerEntry]) -> DayCheck {
    let mut previous = digest.previous_head.clone();
    for entry in entries {
        let hash = entry_hash(&previous, &entry.body);
        if hash != entry.hash {
            return DayCheck::EntryDiffers { id: entry.id };
        }
        previous = hash;
    }
    if previous != digest.head || entries.len() as i64 != digest.entries {
        return DayCheck::HeadDiffers;
    }
    DayCheck::Matches { entries: entries.len() }
}

/// A day's entries as CSV (`id,day,kind,ref_id,body,hash`; no field holds a comma).
pub fn entries_csv(entries: &[LedgerEntry]) -> String {
    let mut out = String::with_capacity(64 + entries.len() * 200);
    out.push_str("id,day,kind,ref_id,body,hash\n");
    for e in entries {
        out.push_str(&format!("{},{},{},{},{},{}\n", e.id, e.day, e.kind, e.ref_id, e.body, e.hash));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_dates_are_days() {
        assert_eq!(parse_day("2026-12-07").as_deref(), Some("2026-12-07"));
        assert_eq!(parse_day("2024-02-29").as_deref(), Some("2024-02-29"));
        for bad in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-07", "20261207", "2026-12-07x", "abcd-ef-gh", "", "2026-12-00"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_day_checks_against_its_digest_and_names_the_first_entry_that_does_not() {
        let mut previous = GENESIS_PREVIOUS.to_string();
        let mut entries = Vec::new();
        for id in 1..=3 {
            let body = format!("rating|{id}|1|1|2026-12-07|4|1765000000000|{}", "ab".repeat(32));
            let hash = entry_hash(&previous, &body);
            entries.push(LedgerEntry { id, day: "2026-12-07".into(), kind: "rating".into(), ref_id: id, body, hash: hash.clone() });
            previous = hash;
        }
        let digest = DayDigest {
            day: "2026-12-07".into(),
            entries: 3,
            first_id: 1,
            last_id: 3,
            previous_head: GENESIS_PREVIOUS.into(),
            head: previous.clone(),
        };
        assert_eq!(check_day(&digest, &entries), DayCheck::Matches { entries: 3 });
        let mut edited = entries.clone();
        edited[1].body = edited[1].body.replace("|4|", "|5|");
        assert_eq!(check_day(&digest, &edited), DayCheck::EntryDiffers { id: 2 });
        assert_eq!(check_day(&digest, &entries[..2]), DayCheck::HeadDiffers);
        // The hash is SHA-256 over "previous\nbody", as any tool computes it.
        assert_eq!(
            entry_hash("", "abc"),
            "f39d39bfc99287b848780d4110eb663f0e7c344ae41f46a390c4135b89dc2756".to_string()
        );
    }
}
