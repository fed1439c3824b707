use super::*;
use std::path::PathBuf;
use std::time::Duration;
use uuid::Uuid;

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let p = std::env::temp_dir().join(format!("cr-storage-test-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
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

/// Every back end under test: the local disk, and the S3-compatible server `make test`
/// starts (`CR_TEST_STORAGE_URL`), each in a fresh place.
fn stores(dir: &TempDir) -> Vec<(&'static str, FileStore)> {
    let mut out = vec![("local", FileStore::local(dir.0.join("blobs")).unwrap())];
    if let Some(url) = std::env::var("CR_TEST_STORAGE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        let url = format!(
            "{}/unit-{}",
            url.trim_end_matches('/'),
            Uuid::new_v4().simple()
        );
        out.push(("s3", FileStore::from_url(Some(&url), &dir.0).unwrap()));
    }
    out
}

#[tokio::test]
async fn put_get_overwrite_delete_on_every_back_end() {
    let dir = TempDir::new();
    for (name, store) in stores(&dir) {
        let key = StorageKey::new_random(Variant::Original);
        assert!(
            matches!(store.get(&key).await, Err(StorageError::NotFound)),
            "{name}"
        );
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        store.put(&key, &data).await.unwrap();
        assert_eq!(store.get(&key).await.unwrap(), data, "{name}");
        store.put(&key, b"newer").await.unwrap();
        assert_eq!(store.get(&key).await.unwrap(), b"newer", "{name}");
        // Empty blobs are fine too.
        let k2 = key.with_variant(Variant::Thumb);
        store.put(&k2, &[]).await.unwrap();
        assert_eq!(store.get(&k2).await.unwrap(), Vec::<u8>::new(), "{name}");
        store.delete(&key).await.unwrap();
        store.delete(&key).await.unwrap();
        assert!(
            matches!(store.get(&key).await, Err(StorageError::NotFound)),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_big_file_goes_up_in_parts_and_leaves_the_scratch_dir() {
    let dir = TempDir::new();
    for (name, store) in stores(&dir) {
        // Two and a half parts: the multipart path, not one put.
        let data: Vec<u8> = (0..(PART_SIZE * 5 / 2) as u32)
            .map(|i| (i % 253) as u8)
            .collect();
        std::fs::create_dir_all(store.tmp_dir()).unwrap();
        let from = store
            .tmp_dir()
            .join(format!("{}.upload", Uuid::new_v4().simple()));
        std::fs::write(&from, &data).unwrap();
        let key = StorageKey::new_random(Variant::Original);
        store.put_file(&key, from.clone()).await.unwrap();
        assert!(!from.exists(), "{name}: the scratch copy is gone");
        assert_eq!(store.get(&key).await.unwrap(), data, "{name}");
    }
}

#[tokio::test]
async fn futures_are_send_for_handlers_and_tasks() {
    let dir = TempDir::new();
    let store = FileStore::local(&dir.0).unwrap();
    let key = StorageKey::new_random(Variant::Display);
    let s2 = store.clone();
    tokio::spawn(async move {
        s2.put(&key, b"from a task").await?;
        let out = s2.get(&key).await?;
        s2.delete(&key).await?;
        Ok::<_, StorageError>(out)
    })
    .await
    .unwrap()
    .map(|out| assert_eq!(out, b"from a task"))
    .unwrap();
    assert!(matches!(store.get(&key).await, Err(StorageError::NotFound)));
}

#[tokio::test]
async fn local_overwrite_is_atomic() {
    let dir = TempDir::new();
    let store = FileStore::local(&dir.0).unwrap();
    let key = StorageKey::new_random(Variant::Display);
    let old = vec![b'A'; 2 * 1024 * 1024];
    let new = vec![b'B'; 3 * 1024 * 1024];
    store.put(&key, &old).await.unwrap();
    // Readers racing with overwrites only ever see a complete old or a complete new file.
    let path = dir.0.join(key.to_string());
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
}

#[tokio::test]
async fn sweep_removes_stale_scratch_files_only() {
    let dir = TempDir::new();
    let store = FileStore::local(&dir.0).unwrap();
    assert_eq!(store.sweep_tmp(Duration::ZERO).await.unwrap(), 0); // no tmp dir yet
    let tmp = store.tmp_dir();
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("abc.part"), b"half").unwrap();
    assert_eq!(store.sweep_tmp(Duration::from_secs(3600)).await.unwrap(), 0);
    assert!(tmp.join("abc.part").exists());
    assert_eq!(store.sweep_tmp(Duration::ZERO).await.unwrap(), 1);
    assert!(!tmp.join("abc.part").exists());
}
