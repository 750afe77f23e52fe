//! Counterpoint: rate, complain about and follow the service of government counters.
//!
//! This crate holds the pages (compiled for the server and for the browser) and, behind
//! the `ssr` feature, the services and storage they call.

pub mod admin;
pub mod api;
pub mod domain;
pub mod error;
pub mod guide;
pub mod i18n;
/// The build's checks of the translation files, tested with the library.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../build/locales.rs"]
mod locales_build;
pub mod pages;
pub mod stats;
pub mod transparency;
pub mod views;

#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod cases;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod directory;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod metrics;
#[cfg(feature = "ssr")]
pub mod office;
#[cfg(feature = "ssr")]
pub mod open311;
#[cfg(feature = "ssr")]
pub mod period;
#[cfg(feature = "ssr")]
pub mod rating;
#[cfg(feature = "ssr")]
pub mod settings;
#[cfg(feature = "ssr")]
pub mod staff;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;

pub use pages::{App, shell};

/// The value of the cookie `name` in a `Cookie` request header.
pub fn cookie<'h>(cookie_header: &'h str, name: &str) -> Option<&'h str> {
    cookie_header.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key.trim() == name).then_some(value.trim())
    })
}
