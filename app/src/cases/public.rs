//! What Open311 clients read of complaints (`crate::open311`): their public status, and the
//! places a complaint can name.

use super::*;
use crate::open311::{self, Choice, Choices, Node};
use crate::store::PublicRequestQuery;

impl CaseService {
    /// Complaints by `query`, as Open311 service requests in `locale`.
    pub async fn public_requests(&self, query: &PublicRequestQuery, locale: Locale) -> Result<Node, StoreError> {
        let rows = self.0.store.public_requests(query).await?;
        let places = self.places().await?;
        let named = |list: &[PlaceRecord]| list.iter().map(|p| (p.id, p.name())).collect::<Vec<_>>();
        let (halls, departments) = (named(&places.halls), named(&places.departments));
        let places = open311::Places { halls: &halls, departments: &departments };
        Ok(open311::requests(&rows, &places, self.time_zone(), locale))
    }

    /// The open halls, departments and counters a complaint can name.
    pub async fn public_choices(&self) -> Result<Choices, StoreError> {
        let places = self.places().await?;
        let open = |list: &[PlaceRecord]| {
            list.iter().filter(|p| p.is_open()).map(|p| Choice { code: p.code.clone(), name: p.name() }).collect()
        };
        let counters = self.0.store.all_counters().await?;
        Ok(Choices {
            halls: open(&places.halls),
            departments: open(&places.departments),
            counters: counters
                .into_iter()
                .filter(|c| !c.retired)
                .map(|c| Choice { code: c.code, name: c.name })
                .collect(),
        })
    }
}
