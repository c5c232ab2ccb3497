//! A first pull's WAL copied into the journal's file while the pull goes on (issue 12).
//!
//! Every page a first pull commits goes to the WAL first and is copied into the file at a
//! checkpoint. Left to the pulling connection, that copy of ~300 MB (100 000
//! applications, their documents, history and indexes) came after the last page, on the
//! pull's own thread: ~0.5 s of the round. Here a second connection of the same journal,
//! on a thread of its own, copies what is committed whenever the pull nudges it
//! (`PRAGMA wal_checkpoint(PASSIVE)`: it takes no write lock and never waits for one, so
//! the pull and a clerk's decision go on while it copies). The pulling connection's own
//! automatic checkpoint stays as it was, a bound should this one fall behind.
//!
//! A checkpoint that fails leaves the pages in the WAL, where they are as safe (the next
//! checkpoint copies them), so its error is only reported when the copying stops.

use crate::{Error, Store};
use rusqlite::Connection;
use std::sync::mpsc;
use std::thread::JoinHandle;

/// The checkpointing thread and the way to nudge it; stopped (and waited for) when
/// dropped.
#[derive(Debug)]
pub(crate) struct BackgroundCheckpoint {
    nudge: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<Result<(), rusqlite::Error>>>,
}

impl BackgroundCheckpoint {
    fn start(conn: Connection) -> std::io::Result<BackgroundCheckpoint> {
        let (nudge, nudged) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("journal checkpoint".into())
            .spawn(move || {
                while nudged.recv().is_ok() {
                    // Nudges that came while the last copy ran: one copy covers them.
                    while nudged.try_recv().is_ok() {}
                    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
                }
                Ok(())
            })?;
        Ok(BackgroundCheckpoint {
            nudge: Some(nudge),
            thread: Some(thread),
        })
    }

    fn nudge(&self) {
        if let Some(n) = &self.nudge {
            // A thread that ended on an error is reported by `stop`.
            let _ = n.send(());
        }
    }

    /// Lets the thread finish its last copy, and waits for it.
    fn stop(&mut self) -> Result<(), rusqlite::Error> {
        self.nudge = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => Ok(()),
        }
    }
}

impl Drop for BackgroundCheckpoint {
    /// Stops and waits as [`BackgroundCheckpoint::stop`], but never panics (a drop may
    /// run while a panic unwinds): the thread's error or panic is dropped with it.
    fn drop(&mut self) {
        self.nudge = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Store {
    /// Starts copying the WAL into the file on a second connection, as the pages a first
    /// pull commits come ([`Store::nudge_checkpoint`]); see the module's text. Nothing
    /// when it runs already.
    pub fn start_background_checkpoints(&mut self) -> Result<(), Error> {
        if self.checkpoints.is_some() {
            return Ok(());
        }
        let conn = self.second_connection()?;
        let started = BackgroundCheckpoint::start(conn).map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })?;
        self.checkpoints = Some(started);
        Ok(())
    }

    /// Asks the background copy (when it runs) to copy what is committed now.
    pub(crate) fn nudge_checkpoint(&self) {
        if let Some(c) = &self.checkpoints {
            c.nudge();
        }
    }

    /// Stops the background copy after one last copy of what is committed, and waits for
    /// it; its error, if it stopped on one (the pages stay in the WAL).
    pub fn stop_background_checkpoints(&mut self) -> Result<(), Error> {
        let Some(mut c) = self.checkpoints.take() else {
            return Ok(());
        };
        c.nudge();
        c.stop().map_err(|e| Error::from_sqlite(&self.path, e))
    }
}
