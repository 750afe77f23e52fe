//! The version of a case, which every tracking view asks for (a kept page is served only
//! while its case is unchanged). Views arriving together share one query: a single reader
//! task takes every request waiting, asks the database once for all their cases, and
//! answers each. Under light load a batch is one view and nothing waits; a change is still
//! seen by the very next view, on every server.

use crate::store::{Store, StoreError};
use std::collections::HashMap;
use tokio::sync::{mpsc, oneshot};

type Answer = Result<Option<(i64, bool)>, StoreError>;

struct Job {
    hash: String,
    reply: oneshot::Sender<Answer>,
}

/// The most views one query answers.
const MAX_BATCH: usize = 256;

/// Cheap to clone; all clones share one reader task.
#[derive(Clone)]
pub(super) struct VersionReader {
    jobs: mpsc::Sender<Job>,
}

impl VersionReader {
    /// Starts the reader task on the current tokio runtime.
    pub(super) fn start(store: Store) -> VersionReader {
        let (jobs, receiver) = mpsc::channel(MAX_BATCH * 4);
        tokio::spawn(read_batches(store, receiver));
        VersionReader { jobs }
    }

    /// `(version, mail stopped)` of the case with this token hash, if there is one.
    pub(super) async fn version(&self, hash: String) -> Answer {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { hash, reply })
            .await
            .map_err(|_| StoreError::Unavailable)?;
        answer.await.map_err(|_| StoreError::Unavailable)?
    }
}

async fn read_batches(store: Store, mut receiver: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut hashes: Vec<String> = batch.iter().map(|job| job.hash.clone()).collect();
        hashes.sort_unstable();
        hashes.dedup();
        match store.case_versions_by_token_hashes(&hashes).await {
            Ok(rows) => {
                let found: HashMap<String, (i64, bool)> = rows
                    .into_iter()
                    .map(|(hash, version, stopped)| (hash, (version, stopped)))
                    .collect();
                for job in batch.drain(..) {
                    let _ = job.reply.send(Ok(found.get(&job.hash).copied()));
                }
            }
            Err(error) => {
                tracing::warn!(error = ?error, batch = batch.len(), "could not read case versions");
                for job in batch.drain(..) {
                    let _ = job.reply.send(Err(StoreError::Unavailable));
                }
            }
        }
    }
}
