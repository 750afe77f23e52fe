//! Channels (`/staff/admin/channels`, administrators): the systems that file complaints
//! through Open311 — a hotline's, an app's — each with one API key, shown once when made
//! and kept only as its SHA-256; revoked, a key is refused from the next request.

use serde::{Deserialize, Serialize};

/// One channel as the page lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelLine {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub revoked: Option<String>,
    pub last_used: Option<String>,
    pub complaints: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelsView {
    pub channels: Vec<ChannelLine>,
}

/// The form that makes a channel.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChannelForm {
    pub csrf_token: String,
    pub name: String,
}

/// A channel just made: its name and its key, on the answer to the post only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewChannelKey {
    pub name: String,
    pub key: String,
}

/// Longest name of a channel.
pub const MAX_CHANNEL_NAME: u64 = 80;

#[cfg(feature = "ssr")]
mod service {
    use super::*;
    use crate::admin::service::{AdminError, AdminService};
    use crate::domain::case::Actor;
    use crate::domain::{Field, FieldErrors, Problem};
    use crate::store::Store;
    use sha2::{Digest, Sha256};

    /// SHA-256 of a channel's key: what the database keeps.
    pub fn key_hash(key: &str) -> String {
        hex::encode(Sha256::digest(key.trim().as_bytes()))
    }

    /// The open channel holding `key`: its id and name.
    pub async fn channel_of_key(store: &Store, key: &str, now_ms: i64) -> Result<Option<(i64, String)>, AdminError> {
        // Keys are 43 characters; anything far off is no key, without a database read.
        if key.trim().is_empty() || key.len() > 128 {
            return Ok(None);
        }
        Ok(store.channel_by_key(&key_hash(key), now_ms).await?)
    }

    impl AdminService {
        pub async fn channels(&self, actor: &Actor) -> Result<ChannelsView, AdminError> {
            Self::allow(actor)?;
            let channels = self.store.channels().await?;
            Ok(ChannelsView {
                channels: channels
                    .into_iter()
                    .map(|c| ChannelLine {
                        id: c.id,
                        name: c.name,
                        created: self.local_time(c.created_at),
                        revoked: c.revoked_at.map(|t| self.local_time(t)),
                        last_used: c.last_used_at.map(|t| self.local_time(t)),
                        complaints: c.complaints,
                    })
                    .collect(),
            })
        }

        /// A new channel and its key (shown once: only its hash is kept).
        pub async fn create_channel(&self, actor: &Actor, form: &ChannelForm) -> Result<NewChannelKey, AdminError> {
            Self::allow(actor)?;
            let name = crate::domain::action::text(&form.name, MAX_CHANNEL_NAME, Field::DisplayName, Problem::TextRequired)
                .map_err(|(field, problem)| {
                    let mut errors = FieldErrors::default();
                    errors.push(field, problem);
                    AdminError::Invalid(errors)
                })?;
            let key = data_encoding::BASE64URL_NOPAD.encode(&rand::random::<[u8; 32]>());
            self.store.create_channel(actor.id, self.clock.now_ms(), &name, &key_hash(&key)).await?;
            Ok(NewChannelKey { name, key })
        }

        pub async fn revoke_channel(&self, actor: &Actor, id: i64) -> Result<(), AdminError> {
            Self::allow(actor)?;
            if self.store.revoke_channel(actor.id, self.clock.now_ms(), id).await? {
                Ok(())
            } else {
                Err(AdminError::NotFound)
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use service::{channel_of_key, key_hash};
