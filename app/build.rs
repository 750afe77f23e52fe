//! Builds again when a migration is added or changed: `sqlx::migrate!` embeds the
//! migrations folders, and cargo does not otherwise look at them.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
