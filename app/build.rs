//! Builds the string tables from the translators' files, and builds again when a migration
//! is added or changed (`sqlx::migrate!` embeds the migrations folders, and cargo does not
//! otherwise look at them).
#[path = "build/locales.rs"]
mod locales;

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    let manifest = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("locales");
    locales::generate(&manifest.join("locales"), &out);
}
