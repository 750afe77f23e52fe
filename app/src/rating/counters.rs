//! An in-memory copy of the counters, so that taking a rating costs no database read.
//!
//! Counters change rarely (an administrator adds or retires one); the copy is reloaded
//! when it is older than `MAX_AGE`, or on a miss at most once per `MISS_RELOAD`, so a
//! counter added on another app server is found within seconds, and a flood of unknown
//! codes cannot turn into a flood of queries.

use crate::domain::CounterCode;
use crate::store::{CounterRecord, Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

const MAX_AGE: Duration = Duration::from_secs(30);
const MISS_RELOAD: Duration = Duration::from_secs(2);

struct Snapshot {
    by_id: HashMap<i64, Arc<CounterRecord>>,
    by_code: HashMap<String, Arc<CounterRecord>>,
    loaded_at: Instant,
}

#[derive(Clone)]
pub struct CounterDirectory {
    store: Store,
    snapshot: Arc<RwLock<Arc<Snapshot>>>,
    reload: Arc<tokio::sync::Mutex<()>>,
}

impl CounterDirectory {
    pub async fn load(store: Store) -> Result<CounterDirectory, StoreError> {
        let snapshot = Arc::new(RwLock::new(Arc::new(Self::read(&store).await?)));
        Ok(CounterDirectory {
            store,
            snapshot,
            reload: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    async fn read(store: &Store) -> Result<Snapshot, StoreError> {
        let by_code = store
            .all_counters()
            .await?
            .into_iter()
            .map(|c| (c.code.clone(), Arc::new(c)))
            .collect();
        let by_code: HashMap<String, Arc<CounterRecord>> = by_code;
        let by_id = by_code.values().map(|c| (c.id, c.clone())).collect();
        Ok(Snapshot {
            by_id,
            by_code,
            loaded_at: Instant::now(),
        })
    }

    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The counter with this code, open or retired.
    pub async fn find(&self, code: &CounterCode) -> Result<Option<Arc<CounterRecord>>, StoreError> {
        let snapshot = self.current();
        let found = snapshot.by_code.get(code.as_str()).cloned();
        let age = snapshot.loaded_at.elapsed();
        if age < MAX_AGE && (found.is_some() || age < MISS_RELOAD) {
            return Ok(found);
        }
        self.refresh(snapshot.loaded_at).await?;
        Ok(self.current().by_code.get(code.as_str()).cloned())
    }

    /// Reloads now, unless another task already did since `seen`.
    async fn refresh(&self, seen: Instant) -> Result<(), StoreError> {
        let _one_at_a_time = self.reload.lock().await;
        if self.current().loaded_at > seen {
            return Ok(());
        }
        let fresh = Arc::new(Self::read(&self.store).await?);
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(())
    }

    /// The counter with this id, from the copy in memory (for naming it on case pages).
    pub fn by_id(&self, id: i64) -> Option<Arc<CounterRecord>> {
        self.current().by_id.get(&id).cloned()
    }

    /// Forgets the copy, so the next look-up reads the database (after an admin change).
    pub async fn invalidate(&self) -> Result<(), StoreError> {
        let seen = self.current().loaded_at;
        self.refresh(seen).await
    }
}
