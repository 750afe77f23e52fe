//! The error a page or server function reports to the citizen.
//!
//! It carries only what the citizen may see: which field is wrong, or which kind of
//! failure happened. Causes are logged on the server, never sent.

use crate::domain::FieldErrors;
use crate::i18n::Strings;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    /// One or more fields are wrong; the form shows each beside its field.
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    /// A staff member tried something their role or the case does not allow.
    #[error("forbidden")]
    Forbidden,
    /// Someone else changed the case since the page was loaded; nothing was written.
    #[error("the case changed")]
    CaseChanged,
    /// The request could not be read at all.
    #[error("bad request")]
    BadRequest,
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    /// The server could not do it now (the database is down or overloaded).
    #[error("service unavailable")]
    Unavailable,
    /// The server could not be reached, or its answer could not be read.
    #[error("network: {0}")]
    Network(String),
}

impl ApiError {
    /// The HTTP status that goes with the error.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Invalid(e) if e.is_conflict() => 409,
            ApiError::Invalid(_) => 422,
            ApiError::NotFound => 404,
            ApiError::Forbidden => 403,
            ApiError::CaseChanged => 409,
            ApiError::BadRequest => 400,
            ApiError::RateLimited { .. } => 429,
            ApiError::Unavailable => 503,
            ApiError::Network(_) => 502,
        }
    }

    /// A sentence for the citizen, for errors that are not about one field.
    pub fn message(&self, s: &Strings) -> String {
        match self {
            ApiError::Invalid(_) => s.error_summary_title.to_string(),
            ApiError::NotFound => s.counter_not_found_body.to_string(),
            ApiError::Forbidden => s.cases.forbidden_body.to_string(),
            ApiError::CaseChanged => s.cases.case_changed.to_string(),
            ApiError::BadRequest => s.bad_request_body.to_string(),
            ApiError::RateLimited { retry_after_secs } => s.too_many_body(*retry_after_secs),
            ApiError::Unavailable => s.unavailable_body.to_string(),
            ApiError::Network(_) => s.network_error.to_string(),
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            // On the server this is a request body that could not be read (not UTF-8, or
            // cut off at the size limit): the client's fault, not the network's.
            | ServerFnErrorErr::Deserialization(_) if cfg!(feature = "ssr") => ApiError::BadRequest,
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => ApiError::BadRequest,
            ServerFnErrorErr::ServerError(_) => ApiError::Unavailable,
            other => ApiError::Network(other.to_string()),
        }
    }
}
