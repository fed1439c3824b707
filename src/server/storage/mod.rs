//! Blob storage for uploaded files.
//!
//! * [`StorageKey`] is made by the server only — `att/<uuid>/<variant>` —
//!   from a server-generated UUID and a fixed [`Variant`]. User file names
//!   never reach a key, and [`StorageKey::parse`] accepts only the exact
//!   canonical form, so path traversal is impossible by construction.
//! * [`Storage`] is the seam for other back ends (e.g. S3-compatible object
//!   storage later). It uses return-position `impl Future` (no
//!   `async-trait`), so it is not object safe: hold a concrete type such as
//!   [`LocalDisk`] in app state, or make the state generic over `S: Storage`.
//! * [`LocalDisk`] writes atomically: `root/tmp/<random>.part` → write →
//!   fsync file → rename to the final path → fsync directory. A crash leaves
//!   either the old complete file or the new complete file at the final
//!   path, never a partial one (at worst a stray `.part` in `root/tmp`,
//!   which [`LocalDisk::sweep_tmp`] removes).

use std::fmt;
use std::future::Future;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use uuid::Uuid;

/// Which rendition of an attachment a key points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// The file exactly as uploaded (after `uploads::inspect` accepted it).
    Original,
    /// Re-encoded JPEG, longest side ≤ 2048, no metadata.
    Display,
    /// Re-encoded JPEG thumbnail, longest side ≤ 400, no metadata.
    Thumb,
}

impl Variant {
    pub const ALL: [Variant; 3] = [Variant::Original, Variant::Display, Variant::Thumb];

    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Original => "original",
            Variant::Display => "display",
            Variant::Thumb => "thumb",
        }
    }

    pub fn parse(s: &str) -> Option<Variant> {
        match s {
            "original" => Some(Variant::Original),
            "display" => Some(Variant::Display),
            "thumb" => Some(Variant::Thumb),
            _ => None,
        }
    }
}

/// Storage address of one blob: `att/<uuid>/<variant>`.
///
/// The only ways to get one are [`StorageKey::new`] (from a UUID the server
/// generated) and [`StorageKey::parse`] (e.g. reading a key back from the
/// database), which accepts only the canonical form produced by `Display`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StorageKey {
    id: Uuid,
    variant: Variant,
}

const KEY_PREFIX: &str = "att";

impl StorageKey {
    pub fn new(id: Uuid, variant: Variant) -> Self {
        StorageKey { id, variant }
    }

    /// `att/<id>/original`
    pub fn original(id: Uuid) -> Self {
        StorageKey::new(id, Variant::Original)
    }

    /// `att/<id>/display`
    pub fn display(id: Uuid) -> Self {
        StorageKey::new(id, Variant::Display)
    }

    /// `att/<id>/thumb`
    pub fn thumb(id: Uuid) -> Self {
        StorageKey::new(id, Variant::Thumb)
    }

    /// A key for a brand-new attachment with a fresh random id.
    pub fn new_random(variant: Variant) -> Self {
        StorageKey::new(Uuid::new_v4(), variant)
    }

    /// The same attachment, another rendition.
    pub fn with_variant(self, variant: Variant) -> Self {
        StorageKey { variant, ..self }
    }

    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// Parse `att/<lower-case hyphenated uuid>/<original|display|thumb>`.
    /// Anything else — other UUID spellings, extra or missing segments,
    /// `..`, backslashes, absolute paths, whitespace — is rejected.
    pub fn parse(s: &str) -> Result<StorageKey, StorageError> {
        let invalid = || StorageError::InvalidKey(s.chars().take(120).collect());
        let mut parts = s.split('/');
        let (Some(prefix), Some(id), Some(variant), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        if prefix != KEY_PREFIX {
            return Err(invalid());
        }
        let uuid = Uuid::try_parse(id).map_err(|_| invalid())?;
        // Require the canonical spelling so one blob has exactly one key.
        if uuid.hyphenated().to_string() != id {
            return Err(invalid());
        }
        let variant = Variant::parse(variant).ok_or_else(invalid)?;
        Ok(StorageKey::new(uuid, variant))
    }

    /// Path relative to a storage root: `att/<uuid>/<variant>`. Built only
    /// from the UUID's hex digits and a fixed variant name.
    fn relative_path(&self) -> PathBuf {
        let mut p = PathBuf::from(KEY_PREFIX);
        p.push(self.id.hyphenated().to_string());
        p.push(self.variant.as_str());
        p
    }
}

impl fmt::Display for StorageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{KEY_PREFIX}/{}/{}",
            self.id.hyphenated(),
            self.variant.as_str()
        )
    }
}

impl std::str::FromStr for StorageKey {
    type Err = StorageError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StorageKey::parse(s)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("invalid storage key: {0:?}")]
    InvalidKey(String),
    #[error("stored file not found")]
    NotFound,
    #[error("storage I/O error: {0}")]
    Io(#[from] io::Error),
}

/// The storage seam. Implementations must make `put` atomic (readers see
/// the old or the new content, never a mix) and `delete` idempotent.
pub trait Storage: Send + Sync {
    /// Store `bytes` under `key`, replacing any previous content.
    fn put(
        &self,
        key: &StorageKey,
        bytes: &[u8],
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// Read the whole blob. `Err(StorageError::NotFound)` if absent.
    fn get(&self, key: &StorageKey) -> impl Future<Output = Result<Vec<u8>, StorageError>> + Send;

    /// Remove the blob. Succeeds if it was already absent.
    fn delete(&self, key: &StorageKey) -> impl Future<Output = Result<(), StorageError>> + Send;
}

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
    /// behind only if the process died in the middle of a `put`. Call once
    /// at start-up. Returns how many were removed.
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

impl Storage for LocalDisk {
    fn put(
        &self,
        key: &StorageKey,
        bytes: &[u8],
    ) -> impl Future<Output = Result<(), StorageError>> + Send {
        LocalDisk::put(self, key, bytes)
    }

    fn get(&self, key: &StorageKey) -> impl Future<Output = Result<Vec<u8>, StorageError>> + Send {
        LocalDisk::get(self, key)
    }

    fn delete(&self, key: &StorageKey) -> impl Future<Output = Result<(), StorageError>> + Send {
        LocalDisk::delete(self, key)
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
    // Find the directories that are missing, top-most first.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> Self {
            let p =
                std::env::temp_dir().join(format!("cr-storage-test-{}", Uuid::new_v4().simple()));
            std::fs::create_dir_all(&p).unwrap();
            TempDir(p)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn part_files(root: &Path) -> Vec<PathBuf> {
        match std::fs::read_dir(root.join(TMP_DIR)) {
            Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        }
    }

    #[test]
    fn key_format_and_roundtrip() {
        let id = Uuid::parse_str("67e55044-10b1-426f-9247-bb680e5fe0c8").unwrap();
        let key = StorageKey::new(id, Variant::Thumb);
        assert_eq!(
            key.to_string(),
            "att/67e55044-10b1-426f-9247-bb680e5fe0c8/thumb"
        );
        assert_eq!(StorageKey::parse(&key.to_string()).unwrap(), key);
        assert_eq!(
            key.with_variant(Variant::Original).variant(),
            Variant::Original
        );
        assert_eq!(key.id(), id);
        assert_eq!(StorageKey::thumb(id), key);
        assert_eq!(
            StorageKey::display(id).to_string(),
            format!("att/{id}/display")
        );
        assert_eq!(StorageKey::original(id).variant(), Variant::Original);
        for v in Variant::ALL {
            let k = StorageKey::new_random(v);
            assert_eq!(k.to_string().parse::<StorageKey>().unwrap(), k);
            assert_eq!(Variant::parse(v.as_str()), Some(v));
        }
        assert_eq!(
            key.relative_path(),
            Path::new("att")
                .join("67e55044-10b1-426f-9247-bb680e5fe0c8")
                .join("thumb")
        );
    }

    #[test]
    fn invalid_keys_rejected() {
        let good = "67e55044-10b1-426f-9247-bb680e5fe0c8";
        let bad = [
            String::new(),
            "att".into(),
            format!("att/{good}"),
            format!("att/{good}/"),
            format!("att/{good}/thumb/"),
            format!("att/{good}/thumb/x"),
            format!("att/{good}/../../etc/passwd"),
            format!("att/{good}/photo.jpg"),
            format!("att/{good}/Thumb"),
            format!("att/{good}/thumb "),
            format!("/att/{good}/thumb"),
            format!("../att/{good}/thumb"),
            format!("files/{good}/thumb"),
            format!("att\\{good}\\thumb"),
            format!("att/{}/thumb", good.to_uppercase()),
            format!("att/{}/thumb", good.replace('-', "")),
            format!("att/{{{good}}}/thumb"),
            format!("att/urn:uuid:{good}/thumb"),
            "att/../thumb".into(),
            "att/./thumb".into(),
            format!("att/{good}\0/thumb"),
        ];
        for s in bad {
            assert!(
                matches!(StorageKey::parse(&s), Err(StorageError::InvalidKey(_))),
                "{s:?} should be rejected"
            );
        }
    }

    #[tokio::test]
    async fn put_get_roundtrip_and_no_part_files_left() {
        let dir = TempDir::new();
        let store = LocalDisk::new(dir.0.join("blobs")); // root does not exist yet
        let key = StorageKey::new_random(Variant::Original);
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        store.put(&key, &data).await.unwrap();
        assert_eq!(store.get(&key).await.unwrap(), data);
        // File is where the key says, and nothing is left in tmp.
        let expected = dir.0.join("blobs").join(key.to_string());
        assert_eq!(std::fs::read(&expected).unwrap(), data);
        assert_eq!(store.path_of(&key), expected);
        assert!(
            part_files(store.root()).is_empty(),
            "{:?}",
            part_files(store.root())
        );
        // Empty blobs are fine too.
        let k2 = key.with_variant(Variant::Thumb);
        store.put(&k2, &[]).await.unwrap();
        assert_eq!(store.get(&k2).await.unwrap(), Vec::<u8>::new());
        assert!(part_files(store.root()).is_empty());
    }

    #[tokio::test]
    async fn works_through_the_trait() {
        async fn roundtrip<S: Storage>(s: &S, key: &StorageKey) -> Vec<u8> {
            s.put(key, b"via trait").await.unwrap();
            let out = s.get(key).await.unwrap();
            s.delete(key).await.unwrap();
            out
        }
        let dir = TempDir::new();
        let store = LocalDisk::new(&dir.0);
        let key = StorageKey::new_random(Variant::Display);
        assert_eq!(roundtrip(&store, &key).await, b"via trait");
        assert!(matches!(store.get(&key).await, Err(StorageError::NotFound)));
        // The future is Send (usable from axum handlers / tokio::spawn).
        let s2 = store.clone();
        tokio::spawn(async move { s2.put(&key, b"x").await })
            .await
            .unwrap()
            .unwrap();
    }

    #[tokio::test]
    async fn overwrite_is_atomic() {
        let dir = TempDir::new();
        let store = LocalDisk::new(&dir.0);
        let key = StorageKey::new_random(Variant::Display);
        let old = vec![b'A'; 2 * 1024 * 1024];
        let new = vec![b'B'; 3 * 1024 * 1024];
        store.put(&key, &old).await.unwrap();

        // Readers racing with overwrites only ever see a complete old or a
        // complete new file, never a mix or a short file.
        let path = store.path_of(&key);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let stop = stop.clone();
            let (old_len, new_len) = (old.len(), new.len());
            std::thread::spawn(move || {
                let mut reads = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) || reads == 0 {
                    let b = std::fs::read(&path).unwrap();
                    let ok = (b.len() == old_len && b.iter().all(|&c| c == b'A'))
                        || (b.len() == new_len && b.iter().all(|&c| c == b'B'));
                    assert!(ok, "saw a torn file of {} bytes", b.len());
                    reads += 1;
                }
                reads
            })
        };
        for i in 0..10 {
            let data = if i % 2 == 0 { &new } else { &old };
            store.put(&key, data).await.unwrap();
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(reader.join().unwrap() > 0);
        assert_eq!(store.get(&key).await.unwrap(), old); // last write (i = 9)
        assert!(part_files(store.root()).is_empty());

        // The rename replaced the file (new inode) instead of rewriting it
        // in place, so an open reader of the old file still sees old data.
        #[cfg(unix)]
        {
            use std::io::Read;
            let mut f = std::fs::File::open(store.path_of(&key)).unwrap();
            store.put(&key, &new).await.unwrap();
            let mut buf = Vec::new();
            f.read_to_end(&mut buf).unwrap();
            assert_eq!(buf, old);
            assert_eq!(store.get(&key).await.unwrap(), new);
        }
    }

    #[tokio::test]
    async fn failed_put_leaves_no_part_and_keeps_old_file() {
        let dir = TempDir::new();
        let store = LocalDisk::new(&dir.0);
        let key = StorageKey::new_random(Variant::Original);
        store.put(&key, b"old").await.unwrap();
        // Make the final path a non-empty directory so rename must fail.
        let other = StorageKey::new_random(Variant::Original);
        let blocked = store.path_of(&other);
        std::fs::create_dir_all(blocked.join("x")).unwrap();
        assert!(matches!(
            store.put(&other, b"new").await,
            Err(StorageError::Io(_))
        ));
        assert!(part_files(store.root()).is_empty());
        assert_eq!(store.get(&key).await.unwrap(), b"old");
    }

    #[tokio::test]
    async fn delete_is_idempotent_and_get_missing_is_not_found() {
        let dir = TempDir::new();
        let store = LocalDisk::new(&dir.0);
        let key = StorageKey::new_random(Variant::Thumb);
        assert!(matches!(store.get(&key).await, Err(StorageError::NotFound)));
        store.delete(&key).await.unwrap();
        store.put(&key, b"x").await.unwrap();
        store.delete(&key).await.unwrap();
        assert!(!store.path_of(&key).exists());
        store.delete(&key).await.unwrap();
    }

    #[tokio::test]
    async fn sweep_removes_stale_parts_only() {
        let dir = TempDir::new();
        let store = LocalDisk::new(&dir.0);
        assert_eq!(store.sweep_tmp(Duration::ZERO).await.unwrap(), 0); // no tmp dir yet
        let tmp = dir.0.join(TMP_DIR);
        std::fs::create_dir_all(&tmp).unwrap();
        std::fs::write(tmp.join("abc.part"), b"half").unwrap();
        std::fs::write(tmp.join("keep.txt"), b"other").unwrap();
        assert_eq!(store.sweep_tmp(Duration::from_secs(3600)).await.unwrap(), 0);
        assert_eq!(store.sweep_tmp(Duration::ZERO).await.unwrap(), 1);
        assert!(!tmp.join("abc.part").exists());
        assert!(tmp.join("keep.txt").exists());
    }
}
