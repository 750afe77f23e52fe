//! What every request handler and server function can reach, set up once at start.
//! Cloned for every request, so it is one shared pointer.

use crate::admin::service::AdminService;
use crate::cases::CaseService;
use crate::rating::RatingService;
use crate::staff::StaffAuth;
use crate::staff::auth::{SessionPolicy, SignInAlerts};
use crate::stats::service::StatsService;
use crate::store::Store;
use leptos::prelude::LeptosOptions;
use std::ops::Deref;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState(Arc<Services>);

pub struct Services {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub ratings: RatingService,
    pub staff: StaffAuth,
    pub cases: CaseService,
    pub stats: StatsService,
    pub admin: AdminService,
    /// Whether cookies get `Secure` (the public address is https).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(
        leptos_options: LeptosOptions,
        store: Store,
        ratings: RatingService,
        cases: CaseService,
        stats: StatsService,
        admin: AdminService,
        secure_cookies: bool,
        session_idle_ms: i64,
    ) -> AppState {
        let policy = SessionPolicy { secure: secure_cookies, idle_ms: session_idle_ms };
        let staff = StaffAuth::new(store.clone(), policy).with_alerts(SignInAlerts {
            public_address: cases.public_address(),
            mail_from: cases.mail_from().to_string(),
            time_zone: cases.time_zone(),
        });
        AppState(Arc::new(Services {
            leptos_options,
            store,
            ratings,
            staff,
            cases,
            stats,
            admin,
            secure_cookies,
        }))
    }
}

impl Deref for AppState {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
