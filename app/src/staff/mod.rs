//! The staff side: who is signed in.

pub mod auth;
pub mod passwords;
pub mod totp;

pub use auth::{SessionToken, SignInError, SignedIn, StaffAuth};
