//! The scheduled clean-up: forms with errors nobody came back to (their typed values and
//! files), and temp files left by uploads that never finished.
use crate::server::state::AppState;
use std::time::Duration;

/// Drafts and their files are kept this long for the customer to come back to.
pub const DRAFT_HOURS: i32 = 24;
/// A temp file this old belongs to no upload still arriving.
const TMP_AGE: Duration = Duration::from_secs(3600);
const EVERY: Duration = Duration::from_secs(3600);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub drafts: u64,
    pub draft_files: usize,
    pub tmp_files: usize,
}

/// One pass. Safe to run at any time and in every instance.
pub async fn sweep_once(state: &AppState) -> Result<Swept, sqlx::Error> {
    let drafts = crate::server::db::drafts::delete_abandoned(&state.pool, DRAFT_HOURS).await?;
    let ids = crate::server::db::attachments::delete_abandoned(&state.pool, DRAFT_HOURS).await?;
    for id in &ids {
        super::forget_blobs(state, *id).await;
    }
    crate::server::live::forget_old(&state.pool).await?;
    let tmp_files = match state.storage.sweep_tmp(TMP_AGE).await {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(error = %e, "could not sweep upload temp files");
            0
        }
    };
    Ok(Swept {
        drafts,
        draft_files: ids.len(),
        tmp_files,
    })
}

/// Runs [`sweep_once`] at start-up and then every hour.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            match sweep_once(&state).await {
                Ok(s) if s != Swept::default() => tracing::info!(?s, "swept abandoned uploads"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sweeping abandoned drafts failed"),
            }
        }
    });
}
