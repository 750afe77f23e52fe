//! The staff side: who is signed in, and (in later issues) what they may do.

pub mod auth;

pub use auth::{SessionToken, SignInError, SignedIn, StaffAuth};
