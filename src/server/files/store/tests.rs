use super::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
async fn futures_are_send_for_handlers_and_tasks() {
    let dir = TempDir::new();
    let store = LocalDisk::new(&dir.0);
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
