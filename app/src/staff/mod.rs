//! The staff side: who is signed in.

pub mod auth;

pub use auth::{SessionToken, SignInError, SignedIn, StaffAuth};
