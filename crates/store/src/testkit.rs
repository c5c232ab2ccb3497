//! Test fixtures (feature `testkit`, never in the application): a really full disk, and
//! a store that writes as if from another process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use crate::Store;
use crate::write_turn::WriteTurn;

/// `store`'s writes stop taking the write turn of the process's other stores on its
/// journal: they meet them only at SQLite's lock, as a store of another process (or a
/// build without the turn) does.
pub fn as_if_another_process(store: &mut Store) {
    store.turn = Arc::new(WriteTurn::default());
}

/// `store`'s connection waits for another connection's write lock up to `bound`, polling
/// as the store does (`cipher::fine_busy_wait`).
pub fn busy_wait(store: &mut Store, bound: Duration) {
    crate::cipher::fine_busy_wait(&mut store.conn, bound).expect("a busy handler");
}

/// `store`'s connection waits with SQLite's own busy handler instead (`busy_timeout`: it
/// sleeps 1, 2, 5, 10 … up to 100 ms between tries).
pub fn sqlite_busy_timeout(store: &Store, bound: Duration) {
    store.conn.busy_timeout(bound).expect("a busy timeout");
}

/// A tmpfs of a few MiB mounted on a fresh folder, unmounted when dropped. The test
/// command runs as root (as `scripts/setup` does), which may mount one.
#[derive(Debug)]
pub struct SmallDisk {
    mount: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts a tmpfs of `mib` MiB; panics with the reason when it cannot.
    pub fn mount(mib: u32) -> SmallDisk {
        let dir = tempfile::tempdir().expect("a folder for the mount");
        let mount = dir.path().join("disk");
        std::fs::create_dir(&mount).expect("the mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
            .arg(&mount)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "a really full disk is a {mib} MiB tmpfs this test mounts as root: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk { mount, _dir: dir }
    }

    /// The mounted folder.
    pub fn path(&self) -> &Path {
        &self.mount
    }

    /// Writes a filler file until the filesystem says it is full (down to its last
    /// bytes); removing the returned file makes room again.
    pub fn fill(&self) -> PathBuf {
        let filler = self.mount.join("filler");
        let mut f = std::fs::File::create(&filler).expect("the filler file");
        let block = vec![0x5au8; 64 * 1024];
        loop {
            match f.write_all(&block) {
                Ok(()) => continue,
                Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
                Err(e) => panic!("filling the disk: {e}"),
            }
        }
        let mut small = vec![0x5au8; 4096];
        while !small.is_empty() {
            if f.write_all(&small).is_err() {
                small.truncate(small.len() / 2);
            }
        }
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.mount).status();
    }
}

/// The encrypted journal at `path` opened with SQLCipher alone, outside the store: keyed
/// with `key` and the file's own layout (`crate::LAYOUTS`), nothing migrated or
/// configured. For tests that check or tamper with the file as an attacker with the key
/// would.
pub fn raw_keyed_connection(path: &Path, key: &crate::JournalKey) -> rusqlite::Connection {
    crate::sqlite_initialised();
    crate::cipher::open_keyed(path, rusqlite::OpenFlags::default(), key)
        .unwrap_or_else(|e| panic!("{} opens with its key: {e}", path.display()))
}
