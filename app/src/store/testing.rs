//! Fresh databases for tests: a SQLite file in a temporary folder, and a PostgreSQL
//! database created for the test on the server at `COUNTERPOINT_TEST_POSTGRES_URL`
//! (default: the local server's `test` database). PostgreSQL being unreachable fails the
//! test; it is never skipped.

use super::{Backend, Store};
use sqlx::Connection;

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub struct TestDb {
    pub store: Store,
    /// The database's URL, for a second connection (a server under test).
    pub url: String,
    backend: Backend,
    name: String,
}

fn admin_url() -> String {
    std::env::var("COUNTERPOINT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_string())
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let name = format!("cp_test_{:016x}", rand::random::<u64>());
        let url = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join("counterpoint-tests");
                std::fs::create_dir_all(&dir).expect("temporary folder");
                format!("sqlite://{}", dir.join(format!("{name}.db")).display())
            }
            Backend::Postgres => {
                let admin = admin_url();
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("PostgreSQL must be reachable at {admin} for the store tests: {e}")
                    });
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                let base = admin
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(&admin)
                    .to_string();
                format!("{base}/{name}")
            }
        };
        let store = Store::connect(&url).await.expect("connect and migrate");
        TestDb {
            store,
            url,
            backend,
            name,
        }
    }

    /// Closes the store and removes the database.
    pub async fn drop_db(self) {
        self.store.close().await;
        match self.backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join("counterpoint-tests");
                for suffix in ["db", "db-wal", "db-shm"] {
                    let _ = std::fs::remove_file(dir.join(format!("{}.{suffix}", self.name)));
                }
            }
            Backend::Postgres => {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url()).await {
                    let _ = sqlx::query(&format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        self.name
                    ))
                    .execute(&mut conn)
                    .await;
                }
            }
        }
    }
}

/// Runs `test` once against a fresh SQLite database and once against a fresh PostgreSQL one.
pub async fn on_both_backends<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let db = TestDb::new(backend).await;
        test(db.store.clone()).await;
        db.drop_db().await;
    }
}

/// Appends a PNG chunk: its length, type, data and CRC.
pub fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    let mut crc = 0xFFFF_FFFFu32;
    for &b in &body {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    out.extend_from_slice(&body);
    out.extend_from_slice(&(!crc).to_be_bytes());
}

/// A 1×1 PNG carrying a location in a text chunk (which the photo check must strip).
pub fn png_with_location() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    png_chunk(&mut out, b"tEXt", b"GPS\x0023.129,113.264");
    png_chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01],
    );
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// Runs a statement as someone holding the database's keys would, outside the product
/// (dropping a trigger, rewriting a row): what the public record must expose.
pub async fn tamper(store: &Store, statement: &str) -> Result<(), sqlx::Error> {
    super::on_pool!(store, |pool| sqlx::query(statement).execute(pool).await.map(drop))
}
