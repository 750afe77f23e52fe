//! Photos in pack files: each server appends the photos it receives to a pack of its own
//! (`{pack id}.pack` in the photo folder, a new one every `PACK_BYTES`), each in a slot of
//! whole disk blocks written in one direct (`O_DIRECT`) write at an offset reserved under a
//! lock. Storing a photo then creates no file and touches no folder: creating a file per
//! photo cost ext4 more CPU than writing the photo.
//!
//! A slot is a 16-byte head (`CPph`, the photo's length, a random tag), the photo, and
//! zeros to the block's end. The key says where the slot is and what its head holds
//! (`{pack:016x}{offset:012x}{length:08x}{tag:016x}`, 52 hex digits), so a photo is found
//! with no index, by any server sharing the folder, and a key with a wrong tag or length
//! finds nothing. A photo is known only through its database row, written after `put`
//! returns: a crash mid-write leaves bytes nothing points to. Deleting a photo writes
//! zeros over its slot: its bytes are gone from the disk, the space is not reused.
//!
//! Keys of 32 digits are photos kept one file each (`LocalFolder`, the earlier layout),
//! still read and deleted there.

use super::storage::{LocalFolder, PhotoBuffer, PhotoStorage, StorageFuture};
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Block size slots are aligned to: a page, which covers every block size in use.
const BLOCK: usize = 4096;
const HEAD: usize = 16;
const MAGIC: &[u8; 4] = b"CPph";
/// A pack is closed and a new one begun once this many bytes are reserved in it.
pub const PACK_BYTES: u64 = 1 << 30;
/// Disk space is allocated to a pack this much at a time.
const ALLOCATE_AHEAD: u64 = 64 << 20;

/// A pack open for writing.
struct Pack {
    id: u64,
    file: File,
}

/// The pack being filled.
struct Open {
    pack: Arc<Pack>,
    /// Bytes reserved so far: the next slot's offset.
    reserved: u64,
    /// Bytes allocated on the disk so far.
    allocated: u64,
}

pub struct PackFolder {
    root: PathBuf,
    pack_bytes: u64,
    current: Mutex<Option<Open>>,
    legacy: LocalFolder,
}

/// Where a key says its photo is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Slot {
    pack: u64,
    offset: u64,
    length: u32,
    tag: u64,
}

impl Slot {
    fn key(self) -> String {
        format!(
            "{:016x}{:012x}{:08x}{:016x}",
            self.pack, self.offset, self.length, self.tag
        )
    }

    fn parse(key: &str) -> Option<Slot> {
        let hex = |range: std::ops::Range<usize>| u64::from_str_radix(key.get(range)?, 16).ok();
        let valid = key.len() == 52
            && key
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !valid {
            return None;
        }
        let slot = Slot {
            pack: hex(0..16)?,
            offset: hex(16..28)?,
            length: u32::try_from(hex(28..36)?).ok()?,
            tag: hex(36..52)?,
        };
        (slot.offset % BLOCK as u64 == 0).then_some(slot)
    }

    /// The slot's size on disk: head, photo, zeros to the block's end.
    fn size(self) -> usize {
        (HEAD + self.length as usize).div_ceil(BLOCK) * BLOCK
    }

    fn head(self) -> [u8; HEAD] {
        let mut head = [0u8; HEAD];
        head[..4].copy_from_slice(MAGIC);
        head[4..8].copy_from_slice(&self.length.to_le_bytes());
        head[8..].copy_from_slice(&self.tag.to_le_bytes());
        head
    }
}

/// `parts` one after the other, then zeros to `size` bytes (a multiple of `BLOCK`), at a
/// block-aligned address, as direct writes need (only the padding is zeroed). Returns the
/// buffer and where the aligned bytes start in it.
fn aligned(size: usize, parts: &[&[u8]]) -> (Vec<u8>, usize) {
    let mut raw: Vec<u8> = Vec::with_capacity(size + BLOCK);
    let start = raw.as_ptr().align_offset(BLOCK);
    raw.resize(start, 0);
    for part in parts {
        raw.extend_from_slice(part);
    }
    raw.resize(start + size, 0);
    (raw, start)
}

/// Opens a pack for writing, straight to the disk where the file system allows it
/// (tmpfs does not: ordinary writes there).
fn open_for_writing(path: &Path, create: bool) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let open = |direct: bool| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true);
        if create {
            options.create_new(true);
        }
        if direct {
            options.custom_flags(libc::O_DIRECT);
        }
        options.open(path)
    };
    match open(true) {
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
            if create {
                let _ = std::fs::remove_file(path);
            }
            open(false)
        }
        other => other,
    }
}

impl PackFolder {
    /// Opens (creating) the folder. The first photo opens this server's first pack.
    pub fn new(root: impl Into<PathBuf>) -> io::Result<PackFolder> {
        PackFolder::with_pack_bytes(root, PACK_BYTES)
    }

    /// The same, with packs of `pack_bytes` (tests: small, to see a pack closed).
    pub fn with_pack_bytes(root: impl Into<PathBuf>, pack_bytes: u64) -> io::Result<PackFolder> {
        let root = root.into();
        let legacy = LocalFolder::new(&root)?;
        Ok(PackFolder {
            root,
            pack_bytes,
            current: Mutex::new(None),
            legacy,
        })
    }

    /// Reserves `size` bytes in the current pack (beginning a new one when it is full):
    /// the pack and the slot's offset. Space is allocated ahead, `ALLOCATE_AHEAD` at a
    /// time, so that slots are written inside the file: a write past its end would hold
    /// the file's lock against every other (ext4 lets aligned writes inside the file run
    /// side by side).
    fn reserve(&self, size: u64) -> io::Result<(Arc<Pack>, u64)> {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let fits = |c: &Option<Open>| c.as_ref().is_some_and(|c| c.reserved + size <= self.pack_bytes.max(size));
        if !fits(&current) {
            let pack = loop {
                let id: u64 = rand::random();
                match open_for_writing(&pack_path(&self.root, id), true) {
                    Ok(file) => break Arc::new(Pack { id, file }),
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                    Err(e) => return Err(e),
                }
            };
            *current = Some(Open { pack, reserved: 0, allocated: 0 });
        }
        let open = current.as_mut().expect("a pack is open");
        let offset = open.reserved;
        open.reserved += size;
        if open.reserved > open.allocated {
            let to = open.reserved.max((open.allocated + ALLOCATE_AHEAD).min(self.pack_bytes));
            allocate(&open.pack.file, open.allocated, to - open.allocated);
            open.allocated = to;
        }
        Ok((open.pack.clone(), offset))
    }
}

/// Allocates `len` bytes of the file from `offset` (its size grows to cover them). Where
/// the file system cannot, the writes extend the file instead: slower, as correct.
fn allocate(file: &File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (libc::off_t::try_from(offset), libc::off_t::try_from(len)) else {
        return;
    };
    // SAFETY: a plain system call on a file descriptor this `File` owns.
    let _ = unsafe { libc::fallocate(file.as_raw_fd(), 0, offset, len) };
}

/// Frees a range of a pack's blocks, keeping the file's size. Whether it could.
fn punch_hole(file: &File, offset: u64, len: u64) -> bool {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (libc::off_t::try_from(offset), libc::off_t::try_from(len)) else {
        return false;
    };
    // SAFETY: a plain system call on a file descriptor this `File` owns.
    let done = unsafe {
        libc::fallocate(file.as_raw_fd(), libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE, offset, len)
    };
    done == 0
}

fn pack_path(root: &Path, pack: u64) -> PathBuf {
    root.join(format!("{pack:016x}.pack"))
}

/// Reads a slot's head and photo; `None` if the slot does not hold what the key says.
fn read(root: &Path, slot: Slot) -> io::Result<Option<Vec<u8>>> {
    let file = match File::open(pack_path(root, slot.pack)) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut bytes = vec![0u8; HEAD + slot.length as usize];
    match file.read_exact_at(&mut bytes, slot.offset) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    if bytes[..HEAD] != slot.head() {
        return Ok(None);
    }
    bytes.drain(..HEAD);
    Ok(Some(bytes))
}

impl PhotoStorage for PackFolder {
    /// The slot as it is written: the head at a block-aligned address, the photo, and
    /// room for the zeros to the block's end.
    fn buffer(&self, capacity: usize) -> PhotoBuffer {
        PhotoBuffer::new(capacity, HEAD, BLOCK, BLOCK)
    }

    fn free_bytes(&self) -> Option<u64> {
        super::storage::free_bytes_at(&self.root)
    }

    fn put(&self, mut photo: PhotoBuffer) -> StorageFuture<'_, String> {
        Box::pin(async move {
            let length = u32::try_from(photo.len())
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "photo too large"))?;
            let mut slot = Slot {
                pack: 0,
                offset: 0,
                length,
                tag: rand::random(),
            };
            let (pack, offset) = self.reserve(slot.size() as u64)?;
            slot.pack = pack.id;
            slot.offset = offset;
            tokio::task::spawn_blocking(move || {
                // Laid out by `buffer` (and not moved since): the head goes in front and
                // the zeros after, in place. Otherwise, one aligned copy.
                let (start, room, raw) = photo.parts();
                let in_place = room == HEAD
                    && (raw.as_ptr() as usize + start) % BLOCK == 0
                    && raw.capacity() >= start + slot.size();
                if in_place {
                    raw[start..start + HEAD].copy_from_slice(&slot.head());
                    raw.resize(start + slot.size(), 0);
                    pack.file.write_all_at(&raw[start..], slot.offset)?;
                } else {
                    let (buffer, start) = aligned(slot.size(), &[&slot.head(), photo.photo()]);
                    pack.file.write_all_at(&buffer[start..], slot.offset)?;
                }
                // On the disk before the complaint holding it is acknowledged: a direct
                // write can still sit in the drive's cache, its blocks marked unwritten.
                pack.file.sync_data()
            })
            .await
            .map_err(io::Error::other)??;
            Ok(slot.key())
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            if key.len() == 32 {
                return self.legacy.get(key).await;
            }
            let Some(slot) = Slot::parse(key) else {
                return Ok(None);
            };
            let root = self.root.clone();
            tokio::task::spawn_blocking(move || read(&root, slot))
                .await
                .map_err(io::Error::other)?
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            if key.len() == 32 {
                return self.legacy.delete(key).await;
            }
            let Some(slot) = Slot::parse(key) else {
                return Ok(());
            };
            let root = self.root.clone();
            tokio::task::spawn_blocking(move || {
                // Only a slot that holds what the key says is wiped: a wrong key never
                // zeroes another photo.
                if read(&root, slot)?.is_none() {
                    return Ok(());
                }
                let file = open_for_writing(&pack_path(&root, slot.pack), false)?;
                // The slot's blocks go back to the file system (reads give zeros after); a
                // file system that cannot punch holes gets zeros written instead.
                if punch_hole(&file, slot.offset, slot.size() as u64) {
                    return Ok(());
                }
                let (zeros, start) = aligned(slot.size(), &[]);
                file.write_all_at(&zeros[start..], slot.offset)
            })
            .await
            .map_err(io::Error::other)?
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_in(parent: &Path, pack_bytes: u64) -> (PackFolder, PathBuf) {
        let root = parent.join(format!(
            "counterpoint-packs-{}",
            hex::encode(rand::random::<[u8; 8]>())
        ));
        (
            PackFolder::with_pack_bytes(&root, pack_bytes).expect("photo folder"),
            root,
        )
    }

    fn packs(root: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(root)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "pack"))
            .collect()
    }

    /// Sizes around the block, on the disk (direct writes) and, where there is one, in
    /// memory (tmpfs refuses direct writes: ordinary writes take over).
    #[tokio::test]
    async fn photos_come_back_byte_for_byte_and_a_deleted_one_is_gone_from_the_disk() {
        let parents: Vec<PathBuf> = [std::env::temp_dir(), PathBuf::from("/dev/shm")]
            .into_iter()
            .filter(|p| p.is_dir())
            .collect();
        for parent in parents {
            let (photos, root) = folder_in(&parent, PACK_BYTES);
            let mut kept = Vec::new();
            for size in [1, 4079, 4080, 4081, 200 * 1024 + 3] {
                let bytes: Vec<u8> = (0..size).map(|_| rand::random::<u8>()).collect();
                // Odd sizes written into the storage's own buffer, even ones handed over
                // as they are (copied into place).
                let photo = if size % 2 == 1 {
                    let mut photo = photos.buffer(size);
                    photo.write(|out| out.extend_from_slice(&bytes));
                    photo
                } else {
                    bytes.clone().into()
                };
                let key = photos.put(photo).await.expect("stored");
                assert!(super::super::storage::is_key(&key), "{key}");
                kept.push((key, bytes));
            }
            assert_eq!(packs(&root).len(), 1, "one pack for them all");
            for (key, bytes) in &kept {
                let back = photos.get(key).await.expect("read").expect("there");
                assert!(back == *bytes, "{} bytes in {}", bytes.len(), parent.display());
            }
            // Deleted: not found, its bytes are zeros on the disk, and the space it took is
            // the file system's again; the others stay.
            let (key, bytes) = &kept[4];
            let blocks = || {
                use std::os::unix::fs::MetadataExt;
                std::fs::metadata(&packs(&root)[0]).unwrap().blocks()
            };
            let before = blocks();
            photos.delete(key).await.expect("deleted");
            assert!(photos.get(key).await.expect("read").is_none());
            let pack = std::fs::read(&packs(&root)[0]).unwrap();
            assert!(!pack.windows(64).any(|w| w == &bytes[1000..1064]), "wiped");
            // 512-byte blocks: the 200 KiB photo's slot is given back.
            assert!(before - blocks() >= 400, "{} -> {} blocks in {}", before, blocks(), parent.display());
            assert_eq!(photos.get(&kept[3].0).await.unwrap().as_ref(), Some(&kept[3].1));
            std::fs::remove_dir_all(root).expect("clean up");
        }
    }

    #[tokio::test]
    async fn a_key_the_storage_did_not_make_finds_nothing_and_wipes_nothing() {
        let (photos, root) = folder_in(&std::env::temp_dir(), PACK_BYTES);
        let key = photos.put(vec![7; 5000].into()).await.unwrap();
        let mut slot = Slot::parse(&key).unwrap();
        slot.tag ^= 1;
        let forged = slot.key();
        assert!(photos.get(&forged).await.unwrap().is_none(), "wrong tag");
        photos.delete(&forged).await.unwrap();
        assert_eq!(photos.get(&key).await.unwrap(), Some(vec![7; 5000]), "not wiped");
        for bad in ["../../etc/passwd", "", &key[..51], &key.to_uppercase()] {
            assert!(photos.get(bad).await.unwrap().is_none(), "{bad}");
        }
        std::fs::remove_dir_all(root).expect("clean up");
    }

    #[tokio::test]
    async fn a_full_pack_is_closed_and_photos_kept_one_file_each_are_still_read() {
        let (photos, root) = folder_in(&std::env::temp_dir(), 3 * BLOCK as u64);
        let photos = Arc::new(photos);
        let puts: Vec<_> = (0..5u8)
            .map(|n| {
                let photos = photos.clone();
                tokio::spawn(async move { photos.put(vec![n; 3000].into()).await.unwrap() })
            })
            .collect();
        let mut keys = Vec::new();
        for put in puts {
            keys.push(put.await.unwrap());
        }
        assert_eq!(packs(&root).len(), 2, "three slots a pack");
        for (n, key) in keys.iter().enumerate() {
            assert_eq!(photos.get(key).await.unwrap(), Some(vec![n as u8; 3000]));
        }
        let legacy = LocalFolder::new(&root).unwrap();
        let old = legacy.put(vec![42; 10].into()).await.unwrap();
        assert_eq!(old.len(), 32);
        assert_eq!(photos.get(&old).await.unwrap(), Some(vec![42; 10]));
        photos.delete(&old).await.unwrap();
        assert!(photos.get(&old).await.unwrap().is_none());
        std::fs::remove_dir_all(root).expect("clean up");
    }
}
