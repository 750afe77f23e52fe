//! A complaint's photos before it is sent: checked by their bytes, stripped of their
//! metadata, kept in photo storage (`storage.rs`, `packs.rs`) until the complaint that names
//! them is sent, and swept after two hours if it never is. Unsent photos have a room of
//! their own per client network and in all (`PhotoLimits`), and no photo is taken when the
//! storage is down to its floor of free space.

use super::*;

impl CaseService {
    /// Checks a photo by its bytes, strips its metadata and keeps it until the complaint
    /// that names it is sent, if the client network `from` has room left for unsent photos
    /// (else a photo problem the form shows) and everyone together has (else unavailable).
    /// Returns the photo's id.
    pub async fn upload_photo(&self, bytes: &[u8], from: &str) -> Result<String, CaseError> {
        let limits = self.0.photo_limits;
        // On this server; servers over one database can each fill a network's room once.
        let _room = self.0.photo_room.lock().await;
        let (total, mine) = self.0.store.unsent_photo_bytes(from).await?;
        let incoming = bytes.len() as u64;
        if mine + incoming > limits.unsent_per_network {
            return Err(invalid(Field::Photos, Problem::PhotoRoomUsed));
        }
        if total + incoming > limits.unsent_total {
            tracing::warn!(total, "unsent photos are at their limit: photos refused for now");
            return Err(CaseError::Unavailable);
        }
        let photo = self.prepare_photo(bytes).await?;
        let now = self.now_ms();
        if let Err(error) = self
            .0
            .store
            .insert_photo(&photo.id, &photo.kind, photo.size, from, now)
            .await
        {
            let _ = self.0.photos.delete(&photo.id).await;
            return Err(error.into());
        }
        Ok(photo.id)
    }

    /// Checks a photo by its bytes, strips its metadata and puts it in photo storage, for
    /// a complaint sent in the same request (its row is written with the complaint).
    pub async fn prepare_photo(&self, bytes: &[u8]) -> Result<NewPhoto, CaseError> {
        if let Some(free) = self.0.photos.free_bytes()
            && free < self.0.photo_limits.free_floor.saturating_add(bytes.len() as u64)
        {
            tracing::warn!(free, "the photo storage is down to its floor of free space: photos refused");
            return Err(CaseError::Unavailable);
        }
        // Cleaned straight into the buffer the storage writes from.
        let mut buffer = self.0.photos.buffer(bytes.len());
        let kind = buffer.write(|out| photo::clean_into(bytes, out)).map_err(|p| {
            invalid(
                Field::Photos,
                match p {
                    PhotoProblem::TooLarge => Problem::PhotoTooLarge,
                    PhotoProblem::Damaged => Problem::PhotoDamaged,
                    PhotoProblem::Empty | PhotoProblem::NotAnImage => Problem::PhotoNotImage,
                    PhotoProblem::TooManyPixels => Problem::PhotoTooManyPixels,
                },
            )
        })?;
        let size = buffer.len() as i64;
        let id = self.0.photos.put(buffer).await?;
        Ok(NewPhoto {
            id,
            kind: kind.as_str().to_string(),
            size,
        })
    }

    /// Deletes photos uploaded more than `max_age` ago for a complaint that was never sent:
    /// the row first (so a late claim fails cleanly), then the file. Returns how many.
    pub async fn sweep_unclaimed_photos(&self, max_age: Duration) -> Result<usize, CaseError> {
        let before = self.now_ms() - max_age.as_millis() as i64;
        let mut swept = 0;
        for id in self.0.store.unclaimed_photos(before, 1000).await? {
            if self.0.store.forget_unclaimed_photo(&id).await? {
                self.0.photos.delete(&id).await?;
                swept += 1;
            }
        }
        Ok(swept)
    }

    /// Deletes a prepared photo's file (its complaint will not be sent).
    pub async fn discard_prepared_photo(&self, photo: &NewPhoto) {
        let _ = self.0.photos.delete(&photo.id).await;
    }
}
