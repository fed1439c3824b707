//! The blobs of uploaded files, on the local disk under the data directory.
//!
//! Writes are atomic: `root/tmp/<random>.part` → write → fsync file → rename to the final
//! path → fsync directory. A crash leaves either the old complete file or the new complete
//! file at the final path, never a partial one (at worst a stray `.part` in `root/tmp`,
//! which [`LocalDisk::sweep_tmp`] removes on the scheduled sweep).
//!
//! A concrete type rather than a trait: there is one back end. Another (e.g. object
//! storage) would start by making this an enum.
mod key;
#[cfg(test)]
mod tests;

pub use key::{StorageError, StorageKey, Variant};

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use uuid::Uuid;

/// Files on the local disk under `root`:
/// `root/att/<uuid>/<variant>` plus a scratch directory `root/tmp`.
/// `root/tmp` must be on the same file system as `root/att` (it is, being
/// inside `root`) so that rename is atomic.
#[derive(Debug, Clone)]
pub struct LocalDisk {
    root: PathBuf,
}

const TMP_DIR: &str = "tmp";
const PART_EXT: &str = "part";

impl LocalDisk {
    /// Directories are created lazily by `put`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalDisk { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Absolute path of a key's file (for e.g. streaming responses).
    pub fn path_of(&self, key: &StorageKey) -> PathBuf {
        self.root.join(key.relative_path())
    }

    /// Store atomically. See the module docs for the steps.
    pub async fn put(&self, key: &StorageKey, bytes: &[u8]) -> Result<(), StorageError> {
        let root = self.root.clone();
        let final_path = self.path_of(key);
        let bytes = bytes.to_vec();
        run_blocking(move || put_blocking(&root, &final_path, &bytes)).await
    }

    /// Where uploads wait while they arrive: `root/tmp`, on the same file system as the
    /// store (so [`LocalDisk::put_file`] is a rename) and swept by [`LocalDisk::sweep_tmp`].
    pub fn tmp_dir(&self) -> PathBuf {
        self.root.join(TMP_DIR)
    }

    /// Store a file that is already complete on disk (under [`LocalDisk::tmp_dir`]) by
    /// renaming it into place: no copy in memory. fsyncs the file and the directory.
    pub async fn put_file(&self, key: &StorageKey, from: PathBuf) -> Result<(), StorageError> {
        let final_path = self.path_of(key);
        run_blocking(move || {
            let final_dir = final_path
                .parent()
                .ok_or_else(|| StorageError::Io(io::Error::other("key has no parent directory")))?;
            create_dir_all_synced(final_dir)?;
            std::fs::File::open(&from)?.sync_all()?;
            if let Err(e) = std::fs::rename(&from, &final_path) {
                let _ = std::fs::remove_file(&from);
                return Err(e.into());
            }
            sync_dir(final_dir)?;
            Ok(())
        })
        .await
    }

    /// Read the whole blob.
    pub async fn get(&self, key: &StorageKey) -> Result<Vec<u8>, StorageError> {
        match tokio::fs::read(self.path_of(key)).await {
            Ok(b) => Ok(b),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(StorageError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// Delete the blob; succeeds if it does not exist. The (possibly empty)
    /// `att/<uuid>/` directory is left in place so a concurrent `put` for a
    /// sibling variant can never lose its directory.
    pub async fn delete(&self, key: &StorageKey) -> Result<(), StorageError> {
        let path = self.path_of(key);
        run_blocking(move || {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(e.into()),
            }
            if let Some(dir) = path.parent() {
                sync_dir(dir)?;
            }
            Ok(())
        })
        .await
    }

    /// Remove `.part` files in `root/tmp` older than `older_than` — left
    /// behind if the process died in the middle of a `put` or an upload never
    /// finished. Returns how many were removed.
    pub async fn sweep_tmp(&self, older_than: Duration) -> Result<usize, StorageError> {
        let tmp = self.root.join(TMP_DIR);
        run_blocking(move || {
            let entries = match std::fs::read_dir(&tmp) {
                Ok(e) => e,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
                Err(e) => return Err(e.into()),
            };
            let mut removed = 0;
            for entry in entries {
                let entry = entry?;
                let path = entry.path();
                if path.extension().and_then(|e| e.to_str()) != Some(PART_EXT) {
                    continue;
                }
                let age = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .unwrap_or_default();
                if age >= older_than && std::fs::remove_file(&path).is_ok() {
                    removed += 1;
                }
            }
            Ok(removed)
        })
        .await
    }
}

async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StorageError> + Send + 'static,
) -> Result<T, StorageError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StorageError::Io(io::Error::other(e.to_string())))?
}

fn put_blocking(root: &Path, final_path: &Path, bytes: &[u8]) -> Result<(), StorageError> {
    let tmp_dir = root.join(TMP_DIR);
    let final_dir = final_path
        .parent()
        .ok_or_else(|| StorageError::Io(io::Error::other("key has no parent directory")))?;
    create_dir_all_synced(&tmp_dir)?;
    create_dir_all_synced(final_dir)?;

    let tmp_path = tmp_dir.join(format!("{}.{PART_EXT}", Uuid::new_v4().simple()));
    let result = (|| -> io::Result<()> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o640);
        }
        let mut file = opts.open(&tmp_path)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp_path, final_path)?;
        sync_dir(final_dir)
    })();
    if let Err(e) = result {
        // Best effort: never leave our own .part behind on failure.
        let _ = std::fs::remove_file(&tmp_path);
        tracing::warn!(error = %e, path = %final_path.display(), "storage put failed");
        return Err(e.into());
    }
    Ok(())
}

/// `create_dir_all`, and fsync the parent of every directory it created so
/// the new directory entries survive a crash too.
fn create_dir_all_synced(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    // Only the parents of directories we create need an fsync; existing ones are durable.
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d.is_dir() {
            break;
        }
        missing.push(d.to_path_buf());
        cur = d.parent();
    }
    std::fs::create_dir_all(dir)?;
    for d in missing.iter().rev() {
        if let Some(parent) = d.parent().filter(|p| !p.as_os_str().is_empty()) {
            sync_dir(parent)?;
        }
    }
    Ok(())
}

/// fsync a directory so a rename/create/unlink inside it is durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Windows cannot open directories as files; rename durability there is
/// best effort.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}
