//! Where photo bytes live: behind one small interface, a local folder by default; an
//! object store (S3 and the like) implements the same three calls at scale.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;

pub type StorageFuture<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

/// Photo storage. Keys are random ids made by the service (`[0-9a-f]{32}`), never
/// anything a user typed.
pub trait PhotoStorage: Send + Sync {
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> StorageFuture<'a, ()>;
    /// `Ok(None)` when there is no such photo.
    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Option<Vec<u8>>>;
    fn delete<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()>;
}

/// Photos as files in a folder, two levels of fan-out by key prefix.
pub struct LocalFolder {
    root: PathBuf,
}

impl LocalFolder {
    pub fn new(root: impl Into<PathBuf>) -> io::Result<LocalFolder> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
        Ok(LocalFolder { root })
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        let valid = key.len() >= 8 && key.bytes().all(|b| b.is_ascii_hexdigit());
        if !valid {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "bad photo key"));
        }
        Ok(self.root.join(&key[..2]).join(key))
    }
}

impl PhotoStorage for LocalFolder {
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            // One trip to the blocking pool for the folder, the write and the rename (three
            // trips cost more than the write itself). Written under a temporary name and
            // renamed: a reader never sees half a photo.
            tokio::task::spawn_blocking(move || {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                let temporary = path.with_extension("part");
                std::fs::write(&temporary, &bytes)?;
                std::fs::rename(&temporary, &path)
            })
            .await
            .map_err(io::Error::other)?
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            match tokio::fs::read(self.path(key)?).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path(key)?).await {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        })
    }
}
