//! Photo bytes in the database: what every app server over one PostgreSQL reads alike.
//! Photos stored in a folder before the switch are still found there.

use super::storage::{PhotoBuffer, PhotoStorage, StorageFuture};
use crate::store::Store;
use std::io;
use std::sync::Arc;

pub struct DatabasePhotos {
    store: Store,
    /// Where photos stored before were kept (read, and deleted, there when not found here).
    earlier: Option<Arc<dyn PhotoStorage>>,
}

impl DatabasePhotos {
    pub fn new(store: Store, earlier: Option<Arc<dyn PhotoStorage>>) -> DatabasePhotos {
        DatabasePhotos { store, earlier }
    }
}

fn unavailable(e: crate::store::StoreError) -> io::Error {
    io::Error::other(format!("photo bytes in the database: {e:?}"))
}

/// A key of 48 random hex digits: hard to guess, and of a length no folder storage makes
/// (one file each: 32; pack slots: their own), so a key says where its photo is.
const KEY_LEN: usize = 48;

fn new_key() -> String {
    format!("{:032x}{:016x}", rand::random::<u128>(), rand::random::<u64>())
}

fn ours(key: &str) -> bool {
    key.len() == KEY_LEN && key.bytes().all(|b| b.is_ascii_hexdigit())
}

impl PhotoStorage for DatabasePhotos {
    fn put(&self, photo: PhotoBuffer) -> StorageFuture<'_, String> {
        Box::pin(async move {
            let key = new_key();
            self.store.put_photo_bytes(&key, photo.photo()).await.map_err(unavailable)?;
            Ok(key)
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            match &self.earlier {
                _ if ours(key) => self.store.photo_bytes(key).await.map_err(unavailable),
                Some(earlier) => earlier.get(key).await,
                None => Ok(None),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            match &self.earlier {
                _ if ours(key) => self.store.delete_photo_bytes(key).await.map_err(unavailable),
                Some(earlier) => earlier.delete(key).await,
                None => Ok(()),
            }
        })
    }
}
