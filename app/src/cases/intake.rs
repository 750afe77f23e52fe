//! Complaints staff enter for citizens who telephoned, wrote, mailed or came in: the web
//! form's checks, the medium and the day received recorded, deadlines counted from that
//! day, the same tracking link and mails.

use super::filing::Origin;
use super::*;
use crate::domain::intake::{IntakeForm, may_take_in};

impl CaseService {
    /// Files the complaint `form` describes for its citizen. Every problem of the form is
    /// named at once; nothing is stored unless all of it holds.
    pub async fn take_in(&self, actor: &Actor, form: &IntakeForm, locale: Locale) -> Result<Filed, CaseError> {
        if !may_take_in(actor.role) {
            return Err(CaseError::Forbidden);
        }
        // Filing checks the complaint itself; only a refused intake checks it here too, so
        // the page names every problem at once.
        let received = match form.received(&self.today()) {
            Ok(received) => received,
            Err(intake) => {
                let mut errors = match self.check(&form.complaint).await {
                    Err(CaseError::Invalid(complaint)) => complaint,
                    _ => FieldErrors::default(),
                };
                errors.0.extend(intake.0);
                return Err(CaseError::Invalid(errors));
            }
        };
        // The page's own key makes a form sent twice one complaint; anything else is no key.
        let submission = match submission_id_of(&form.submission_id) {
            Some(id) => format!("intake-{id}"),
            None => format!("intake-{}", new_submission_id()),
        };
        self.store_complaint(&form.complaint, &[], Vec::new(), &submission, locale, Origin::Staff(received))
            .await
    }
}
