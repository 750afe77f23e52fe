//! A disk filling up: the photo folder, or the SQLite file's own disk. Writes that cannot
//! be kept get a translated 503 asking to try again later, nothing half-written is left,
//! reads go on being served, and once there is room again writes succeed without a restart.
//! The full disks are small tmpfs mounts the test makes (the test machines run as root).

mod common;

use app::store::Backend;
use common::TestApp;
use common::multipart::Multipart;
use reqwest::StatusCode;
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

/// A small tmpfs, unmounted when dropped.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> SmallDisk {
        let path = std::env::temp_dir().join(format!("cp-small-disk-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&path).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&path)
            .status()
            .expect("mount");
        assert!(status.success(), "mounting a {megabytes} MB tmpfs at {} (needs root)", path.display());
        SmallDisk { path }
    }

    /// Fills the disk, then frees `room` bytes of it.
    fn fill_leaving(&self, room: u64) {
        let filler = self.path.join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        while file.write_all(&chunk).is_ok() {}
        let _ = file.flush();
        let length = std::fs::metadata(&filler).unwrap().len();
        file.set_len(length.saturating_sub(room)).unwrap();
    }

    fn empty(&self) {
        std::fs::remove_file(self.path.join("filler")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
        let _ = std::fs::remove_dir(&self.path);
    }
}

/// A PNG `size` bytes larger than the smallest: a long IDAT (the photo check reads
/// chunks, never pixels).
fn png_of(size: usize) -> Vec<u8> {
    let png = app::store::testing::png_with_location();
    // Grow the IDAT payload: the photo check reads chunks, not pixels.
    let idat = png.windows(4).position(|w| w == b"IDAT").unwrap() - 4;
    let length = u32::from_be_bytes(png[idat..idat + 4].try_into().unwrap()) as usize;
    let mut grown = png[..idat].to_vec();
    let data: Vec<u8> = png[idat + 8..idat + 8 + length].iter().copied().chain(std::iter::repeat_n(0u8, size)).collect();
    app::store::testing::png_chunk(&mut grown, b"IDAT", &data);
    grown.extend_from_slice(&png[idat + 12 + length..]);
    grown
}

fn complaint_with(photo: &[u8]) -> Multipart {
    Multipart::new().complaint("send").file("photo", "counter.png", photo)
}

async fn complaints(app: &TestApp) -> usize {
    common::all_cases(app).await.iter().filter(|c| c.kind == app::domain::case::CaseKind::Complaint).count()
}

/// A 503 that says, in the reader's language, to come back, and when.
async fn assert_try_later(response: reqwest::Response, what: &str) {
    let status = response.status();
    if status != StatusCode::SERVICE_UNAVAILABLE {
        panic!("{what}: {status} {:.2000}", response.text().await.unwrap());
    }
    assert!(response.headers().contains_key("retry-after"), "{what} says when to try again");
    let body = response.text().await.unwrap();
    assert!(body.contains("lang=\"en\"") && body.contains("Please try again"), "{what}: {body:.300}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_photo_disk_refuses_complaints_with_photos_for_now_and_serves_everything_else() {
    let disk = SmallDisk::mount(4);
    let photos = disk.path.join("photos");
    // A floor of free space the size of this small disk's quarter (1 GB by default).
    let app = TestApp::start(Backend::Sqlite, |c| {
        c.photo_dir = photos.display().to_string();
        c.photo_limits.free_floor = 1024 * 1024;
    })
    .await;
    disk.fill_leaving(16 * 1024);
    let photo = png_of(200 * 1024);

    assert_try_later(complaint_with(&photo).send(&app).await, "a complaint with a photo").await;
    assert_eq!(complaints(&app).await, 0, "nothing half-written");
    // Everything that needs no room on that disk goes on.
    assert_eq!(app.get_as("/c/A01", None).await.status(), StatusCode::OK);
    assert_eq!(app.post_as("/c/A01", None, "level=4").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_as("/stats", None).await.status(), StatusCode::OK);

    disk.empty();
    let sent = complaint_with(&photo).send(&app).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "with room again, no restart needed");
    assert_eq!(complaints(&app).await, 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_database_disk_refuses_writes_for_now_and_serves_reads() {
    let disk = SmallDisk::mount(16);
    let database = disk.path.join("counterpoint.db");
    let url = format!("sqlite://{}", database.display());
    let app = TestApp::start(Backend::Sqlite, |c| {
        c.database_url = url.clone();
        c.rate_limit.per_minute = 100_000;
        c.rate_limit.burst = 100_000;
    })
    .await;
    assert_eq!(app.post_as("/c/A01", None, "level=5").await.status(), StatusCode::SEE_OTHER);
    let before = app.server.state.store.count_ratings().await.unwrap();
    disk.fill_leaving(0);

    // Enough ratings to need a new page of the file.
    let mut refused = 0;
    for _ in 0..200 {
        let response = app.post_as("/c/A01", None, "level=4&comment=the%20disk%20is%20full%20now").await;
        if response.status() != StatusCode::SEE_OTHER {
            refused += 1;
            assert_try_later(response, "a rating on a full disk").await;
        }
    }
    assert!(refused > 0, "a full disk refused nothing");
    let written = app.server.state.store.count_ratings().await.unwrap();
    assert_eq!(written, before + 200 - refused, "each rating is either acknowledged and kept or refused");
    assert_eq!(app.get_as("/c/A01", None).await.status(), StatusCode::OK, "reads go on");
    assert_eq!(app.get_as("/stats", None).await.status(), StatusCode::OK);

    disk.empty();
    assert_eq!(app.post_as("/c/A01", None, "level=5").await.status(), StatusCode::SEE_OTHER, "with room again");
    assert_eq!(app.server.state.store.count_ratings().await.unwrap(), written + 1);
    app.stop().await;
}
