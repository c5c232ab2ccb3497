//! The pages of a first pull into an empty journal (issue 12: the first pull of 100 000
//! applications near the raw paging of the same pages).
//!
//! Each application's row is a plain insert, without the per-row lookup of a local row,
//! a pending change or a provisional twin of [`Store::apply_pulled_page`], its list of
//! documents in the row itself (`documents.rs`). The page's history entries are gathered
//! and written in multi-row statements (`write::append_history_rows`), in the order a
//! row-by-row write would give them. A row that is there after all (an application sent
//! twice in one pull, a row the clerk acted on meanwhile) and every on-behalf row take
//! the full path, after what was gathered before it is written.

use crate::records::{NewHistory, SyncMark};
use crate::sync::{
    PageApplied, PulledApplication, Unreadable, apply_one, change_history, finish_page,
    portal_history,
};
use crate::write::{append_history_rows, insert_application_row};
use crate::{Error, Store, history_chain};
use domain::Status;
use rusqlite::Transaction;
use time::OffsetDateTime;

impl Store {
    /// [`Store::apply_pulled_page`] for the pages of a first pull into a journal that
    /// held no applications when the pull began; see the module's text.
    pub fn apply_first_pull_page(
        &mut self,
        page: &[PulledApplication],
        unreadable: &[Unreadable],
        cursor: &str,
        now: OffsetDateTime,
    ) -> Result<PageApplied, Error> {
        let tx = self.write_transaction()?;
        let mut done = PageApplied::default();
        let mut gathered = Gathered::default();
        for pulled in page {
            let a = &pulled.application;
            if a.on_behalf || !insert_application_row(&tx, a, SyncMark::None)? {
                gathered.write(&tx)?;
                apply_one(&tx, pulled, now, &mut done)?;
                continue;
            }
            let id = a.id.0.as_str();
            gathered.history.push((
                id,
                portal_history(a, "submitted", now, serde_json::json!({ "to": "new" })),
            ));
            if a.status != Status::New {
                gathered
                    .history
                    .push((id, change_history("new", 1, a, now, false)));
            }
            done.inserted += 1;
            done.changed_ids.push(a.id.0.clone());
        }
        gathered.write(&tx)?;
        finish_page(&tx, page, unreadable, cursor, now)?;
        tx.commit()?;
        self.nudge_checkpoint();
        Ok(done)
    }
}

/// The history entries of the rows inserted since the last write.
#[derive(Default)]
struct Gathered<'a> {
    history: Vec<(&'a str, NewHistory)>,
}

impl Gathered<'_> {
    fn write(&mut self, tx: &Transaction<'_>) -> Result<(), Error> {
        if !self.history.is_empty() {
            // The newest entry's chain hash, read once the page holds the write lock.
            let mut head = history_chain::head(tx)?;
            let entries: Vec<(&str, &NewHistory)> =
                self.history.iter().map(|(id, h)| (*id, h)).collect();
            append_history_rows(tx, &entries, &mut head)?;
            self.history.clear();
        }
        Ok(())
    }
}
