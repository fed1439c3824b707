//! The blobs of uploaded files, through the `object_store` crate: the local disk under the
//! data directory by default, any S3-compatible store when `CR_STORAGE_URL` is `s3://bucket`
//! (endpoint and keys from the usual `AWS_*` environment variables). Every app instance
//! pointed at the same store serves the same files.
//!
//! Uploads first arrive in a local scratch directory (`tmp_dir`), which the scheduled
//! sweep cleans; [`FileStore::put_file`] then streams them into the store in parts, so a
//! big upload is never held in memory whole. Local writes are atomic (`object_store`
//! writes a staging file and renames it).
mod key;
#[cfg(test)]
mod tests;

pub use key::{StorageError, StorageKey, Variant};

use object_store::{
    aws::AmazonS3Builder, buffered::BufWriter, local::LocalFileSystem, path::Path as ObjectPath,
    prefix::PrefixStore, ObjectStore,
};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

#[derive(Debug, Clone)]
pub struct FileStore {
    objects: Arc<dyn ObjectStore>,
    tmp: PathBuf,
    /// `file` or `s3`, for the log line at start-up.
    kind: &'static str,
}

const TMP_DIR: &str = "tmp";
/// Parts of at least 5 MB (the S3 minimum) go up while the rest is still being read.
const PART_SIZE: usize = 5 * 1024 * 1024;

impl From<object_store::Error> for StorageError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { .. } => StorageError::NotFound,
            other => StorageError::Io(io::Error::other(other.to_string())),
        }
    }
}

impl FileStore {
    /// The local disk under `root` (`root/att/<uuid>/<variant>`, scratch in `root/tmp`).
    pub fn local(root: impl Into<PathBuf>) -> Result<Self, StorageError> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
        Ok(FileStore {
            objects: Arc::new(LocalFileSystem::new_with_prefix(&root)?),
            tmp: root.join(TMP_DIR),
            kind: "file",
        })
    }

    /// `s3://bucket[/prefix]` (credentials and endpoint from `AWS_*`), scratch under `data_dir`;
    /// `file:///path` or no URL: the local disk.
    pub fn from_url(url: Option<&str>, data_dir: &Path) -> Result<Self, StorageError> {
        match url.map(str::trim).filter(|u| !u.is_empty()) {
            None => Self::local(data_dir.join("files")),
            Some(u) if u.starts_with("file://") => Self::local(&u["file://".len()..]),
            Some(u) if u.starts_with("s3://") => {
                let (bucket, prefix) = u["s3://".len()..]
                    .split_once('/')
                    .unwrap_or((&u["s3://".len()..], ""));
                let s3 = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .build()?;
                let objects: Arc<dyn ObjectStore> = match prefix.trim_matches('/') {
                    "" => Arc::new(s3),
                    p => Arc::new(PrefixStore::new(s3, p)),
                };
                Ok(FileStore {
                    objects,
                    tmp: data_dir.join("files").join(TMP_DIR),
                    kind: "s3",
                })
            }
            Some(u) => Err(StorageError::InvalidKey(format!(
                "CR_STORAGE_URL must be s3://bucket or file:///path, not {u}"
            ))),
        }
    }

    pub fn kind(&self) -> &'static str {
        self.kind
    }

    fn path(key: &StorageKey) -> ObjectPath {
        ObjectPath::from(key.to_string())
    }

    pub async fn put(&self, key: &StorageKey, bytes: &[u8]) -> Result<(), StorageError> {
        self.objects
            .put(&Self::path(key), bytes.to_vec().into())
            .await?;
        Ok(())
    }

    /// Where uploads wait while they arrive (local, swept by [`FileStore::sweep_tmp`]).
    pub fn tmp_dir(&self) -> PathBuf {
        self.tmp.clone()
    }

    /// Stores a file that is complete on disk (under [`FileStore::tmp_dir`]), streaming it
    /// in parts, and removes it from the scratch directory.
    pub async fn put_file(&self, key: &StorageKey, from: PathBuf) -> Result<(), StorageError> {
        let result = self.stream_file(key, &from).await;
        let _ = tokio::fs::remove_file(&from).await;
        result
    }

    async fn stream_file(&self, key: &StorageKey, from: &Path) -> Result<(), StorageError> {
        let mut file = tokio::fs::File::open(from).await?;
        let mut writer = BufWriter::with_capacity(self.objects.clone(), Self::path(key), PART_SIZE);
        if let Err(e) = tokio::io::copy(&mut file, &mut writer).await {
            let _ = writer.abort().await;
            return Err(e.into());
        }
        writer.shutdown().await?;
        Ok(())
    }

    /// Reads the whole blob.
    pub async fn get(&self, key: &StorageKey) -> Result<Vec<u8>, StorageError> {
        let got = self.objects.get(&Self::path(key)).await?;
        Ok(got.bytes().await?.to_vec())
    }

    /// Deletes the blob; succeeds if it does not exist.
    pub async fn delete(&self, key: &StorageKey) -> Result<(), StorageError> {
        match self.objects.delete(&Self::path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes files in the scratch directory older than `older_than` — left behind when
    /// an upload never finished or the process died. Returns how many were removed.
    pub async fn sweep_tmp(&self, older_than: Duration) -> Result<usize, StorageError> {
        let tmp = self.tmp.clone();
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
                if !path.is_file() {
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
