//! Where photo bytes live: behind one small interface. By default, pack files in a local
//! folder (`PackFolder`: many photos a file, appended straight to the disk); photos kept
//! one file each (`LocalFolder`, the earlier layout) are still read there. An object store
//! (S3 and the like) implements the same three calls at scale.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;

pub type StorageFuture<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

/// A photo on its way into storage, in a buffer the storage laid out
/// ([`PhotoStorage::buffer`]): its own bytes first (say, a head at an aligned address),
/// the photo after them. The photo is written (cleaned) straight into it, and stored from
/// it without another copy.
pub struct PhotoBuffer {
    raw: Vec<u8>,
    /// Where the storage's bytes begin.
    start: usize,
    /// How many they are; the photo begins at `start + room`.
    room: usize,
}

impl PhotoBuffer {
    /// Room for a photo of up to `capacity` bytes after `room` bytes of the storage's
    /// own, these starting at an address aligned to `align` (a power of two), with `tail`
    /// bytes to spare after the photo.
    pub fn new(capacity: usize, room: usize, align: usize, tail: usize) -> PhotoBuffer {
        let mut raw: Vec<u8> = Vec::with_capacity(align + room + capacity + tail);
        let start = raw.as_ptr().align_offset(align);
        raw.resize(start + room, 0);
        PhotoBuffer { raw, start, room }
    }

    /// Appends to the photo through `write`, which may only append to the vector it is
    /// given.
    pub fn write<T>(&mut self, write: impl FnOnce(&mut Vec<u8>) -> T) -> T {
        let result = write(&mut self.raw);
        // The storage's bytes are never the writer's to change.
        assert!(self.raw.len() >= self.start + self.room, "a photo writer cut the buffer");
        result
    }

    pub fn photo(&self) -> &[u8] {
        &self.raw[self.start + self.room..]
    }

    pub fn len(&self) -> usize {
        self.raw.len() - self.start - self.room
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The storage's bytes and the photo, and the buffer itself, to finish in place.
    pub(crate) fn parts(&mut self) -> (usize, usize, &mut Vec<u8>) {
        (self.start, self.room, &mut self.raw)
    }
}

impl From<Vec<u8>> for PhotoBuffer {
    fn from(raw: Vec<u8>) -> PhotoBuffer {
        PhotoBuffer { raw, start: 0, room: 0 }
    }
}

/// Photo storage. Keys are made by the storage when a photo is put (lower-case hex, 32 to
/// 64 characters, hard to guess), never anything a user typed; a key it did not make
/// finds nothing.
pub trait PhotoStorage: Send + Sync {
    /// A buffer to write a photo of up to `capacity` bytes into, laid out as this storage
    /// stores it (by default: the photo alone).
    fn buffer(&self, capacity: usize) -> PhotoBuffer {
        PhotoBuffer::new(capacity, 0, 1, 0)
    }
    /// Stores a new photo; returns its key once the bytes are written.
    fn put(&self, photo: PhotoBuffer) -> StorageFuture<'_, String>;
    /// `Ok(None)` when there is no such photo.
    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Option<Vec<u8>>>;
    fn delete<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()>;
    /// Bytes free where new photos go, if this storage can tell.
    fn free_bytes(&self) -> Option<u64> {
        None
    }
}

/// Bytes free to an unprivileged writer on the file system holding `path`.
pub fn free_bytes_at(path: &std::path::Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a plain system call with a valid C string and a struct it fills.
    if unsafe { libc::statvfs(path.as_ptr(), &mut stats) } != 0 {
        return None;
    }
    Some((stats.f_bavail as u64).saturating_mul(stats.f_frsize as u64))
}

/// Photos as files in a folder, two levels of fan-out by key prefix.
pub struct LocalFolder {
    root: PathBuf,
}

impl LocalFolder {
    /// Opens (creating) the folder and its 256 fan-out folders, so that storing a photo is
    /// one file creation, not a folder check too.
    pub fn new(root: impl Into<PathBuf>) -> io::Result<LocalFolder> {
        let root = root.into();
        for prefix in 0..=255u8 {
            std::fs::create_dir_all(root.join(format!("{prefix:02x}")))?;
        }
        Ok(LocalFolder { root })
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        let valid = key.len() >= 8 && key.bytes().all(|b| b.is_ascii_hexdigit());
        if !valid {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "bad photo key"));
        }
        Ok(self.root.join(key[..2].to_ascii_lowercase()).join(key))
    }
}

/// The alignment direct writes need (buffer address, offset and length): a page, which
/// covers every block size in use.
const DIRECT_ALIGN: usize = 4096;

/// Writes a new file (never over an old one).
///
/// On Linux the bytes go straight to the disk (`O_DIRECT`), not through the page cache:
/// a photo is written once and seldom read, and copying 200 KB into the cache cost about
/// eight times the CPU of the direct write (a quarter of a millisecond a photo) and, under
/// load, stalled every writer behind the cache's write-back. Where a file system refuses
/// direct writes (tmpfs, some network mounts), the file is written the ordinary way.
fn write_new(path: &std::path::Path, bytes: &[u8]) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    match write_direct(path, bytes) {
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
            let _ = std::fs::remove_file(path);
        }
        other => return other,
    }
    use std::io::Write;
    std::fs::File::create_new(path)?.write_all(bytes)
}

#[cfg(target_os = "linux")]
fn write_direct(path: &std::path::Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_DIRECT)
        .open(path)?;
    // An aligned copy, padded to whole blocks; the file is then cut to the photo's length.
    // (Only the padding is zeroed, not the whole buffer.)
    let padded = bytes.len().div_ceil(DIRECT_ALIGN) * DIRECT_ALIGN;
    let mut raw: Vec<u8> = Vec::with_capacity(padded + DIRECT_ALIGN);
    let start = raw.as_ptr().align_offset(DIRECT_ALIGN);
    raw.resize(start, 0);
    raw.extend_from_slice(bytes);
    raw.resize(start + padded, 0);
    file.write_all(&raw[start..])?;
    file.set_len(bytes.len() as u64)
}

/// Whether `key` is the shape of a key some storage here makes.
pub fn is_key(key: &str) -> bool {
    (32..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl PhotoStorage for LocalFolder {
    fn free_bytes(&self) -> Option<u64> {
        free_bytes_at(&self.root)
    }

    fn put(&self, photo: PhotoBuffer) -> StorageFuture<'_, String> {
        Box::pin(async move {
            let key = hex::encode(rand::random::<[u8; 16]>());
            let path = self.path(&key)?;
            // Written straight under its name, in one trip to the blocking pool: no reader
            // can see half a photo, since a photo is found only through its database row,
            // written after this returns. (A folder removed by hand is made again.)
            tokio::task::spawn_blocking(move || match write_new(&path, photo.photo()) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    if let Some(dir) = path.parent() {
                        std::fs::create_dir_all(dir)?;
                    }
                    write_new(&path, photo.photo())
                }
                other => other,
            })
            .await
            .map_err(io::Error::other)??;
            Ok(key)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_in(parent: &std::path::Path) -> (LocalFolder, PathBuf) {
        let root = parent.join(format!("counterpoint-photos-{}", hex::encode(rand::random::<[u8; 8]>())));
        (LocalFolder::new(&root).expect("photo folder"), root)
    }

    /// Sizes around the direct-write block, on the disk (direct writes) and, where there is
    /// one, in memory (tmpfs refuses direct writes: the ordinary write takes over).
    #[tokio::test]
    async fn photos_come_back_byte_for_byte_whatever_their_size_and_file_system() {
        let parents: Vec<PathBuf> = [std::env::temp_dir(), PathBuf::from("/dev/shm")]
            .into_iter()
            .filter(|p| p.is_dir())
            .collect();
        for parent in parents {
            let (photos, root) = folder_in(&parent);
            for size in [1, 511, 4095, 4096, 4097, 200 * 1024 + 3] {
                let bytes: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
                let key = photos.put(bytes.clone().into()).await.expect("stored");
                assert!(is_key(&key), "{key}");
                let back = photos.get(&key).await.expect("read").expect("there");
                assert_eq!(back.len(), size, "{} bytes in {}", size, parent.display());
                assert!(back == bytes, "{} bytes in {}", size, parent.display());
                // Each photo gets a key of its own.
                let other = photos.put(vec![1, 2, 3].into()).await.expect("stored");
                assert_ne!(other, key);
                assert_eq!(photos.get(&key).await.unwrap().as_ref(), Some(&bytes));
                photos.delete(&other).await.expect("deleted");
                photos.delete(&key).await.expect("deleted");
                assert!(photos.get(&key).await.expect("read").is_none());
            }
            std::fs::remove_dir_all(root).expect("clean up");
        }
    }

    #[tokio::test]
    async fn a_fan_out_folder_removed_by_hand_is_made_again() {
        let (photos, root) = folder_in(&std::env::temp_dir());
        for prefix in 0..=255u8 {
            std::fs::remove_dir(root.join(format!("{prefix:02x}"))).expect("empty folder removed");
        }
        let key = photos.put(vec![9; 10].into()).await.expect("stored");
        assert_eq!(photos.get(&key).await.unwrap(), Some(vec![9; 10]));
        assert!(photos.get("../../etc").await.is_err(), "keys are hex, nothing else");
        std::fs::remove_dir_all(root).expect("clean up");
    }
}
