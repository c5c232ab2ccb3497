//! An application's documents as a list in its row, the bytes kept beside it (issue 12,
//! migration 0016; R-5: the documents tab opens offline what was downloaded).

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use crate::common;

use domain::{Application, DocumentKind, DocumentMeta};
use sha2::{Digest, Sha256};
use store::{Attachment, PulledApplication, Store};
use time::macros::datetime;

fn pulled(apps: &[Application]) -> Vec<PulledApplication> {
    apps.iter()
        .map(|a| PulledApplication {
            application: a.clone(),
            portal_json: "{}".into(),
        })
        .collect()
}

fn bytes_of(d: &DocumentMeta) -> Vec<u8> {
    format!("the bytes of {} ({})", d.id, d.sha256).into_bytes()
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn waiting_ids(store: &Store) -> Vec<(String, String)> {
    store
        .uncached_documents(10_000)
        .unwrap()
        .into_iter()
        .map(|d| (d.application_id, d.document_id))
        .collect()
}

#[test]
fn pulled_documents_wait_for_their_bytes_newest_first_until_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("j.sqlite")).unwrap();
    let apps = common::demo_apps(5);
    let now = datetime!(2026-04-01 09:00 UTC);
    let done = store
        .apply_first_pull_page(&pulled(&apps), &[], "c1", now)
        .unwrap();
    assert_eq!(done.inserted, 5);

    // Every listed document waits, newest application first, each one's by id.
    let mut newest_first: Vec<&Application> = apps.iter().collect();
    newest_first.sort_by(|a, b| (b.submitted_at, &b.id.0).cmp(&(a.submitted_at, &a.id.0)));
    let expected: Vec<(String, String)> = newest_first
        .iter()
        .flat_map(|a| {
            let mut ids: Vec<String> = a.documents.iter().map(|d| d.id.clone()).collect();
            ids.sort();
            ids.into_iter().map(|d| (a.id.0.clone(), d))
        })
        .collect();
    assert_eq!(waiting_ids(&store), expected);
    assert_eq!(store.uncached_documents(2).unwrap().len(), 2, "the limit");

    // The list reads back as it came, nothing cached, no bytes to open yet.
    let a = &apps[0];
    let (back, _, _) = store.application(&a.id.0).unwrap();
    assert_eq!(back.documents, a.documents);
    let first = &a.documents[0];
    assert!(store.documents(&a.id.0).unwrap().iter().all(|d| !d.cached));
    assert_eq!(store.document_content(&a.id.0, &first.id).unwrap(), None);
    assert!(matches!(
        store.document_content(&a.id.0, "no-such-document"),
        Err(store::Error::DocumentNotFound { .. })
    ));

    // Kept one by one: each stops waiting, opens, counts in the cache's size.
    for d in &a.documents {
        store.cache_document(&a.id.0, &d.id, &bytes_of(d)).unwrap();
    }
    assert!(waiting_ids(&store).iter().all(|(app, _)| *app != a.id.0));
    assert_eq!(
        waiting_ids(&store).len(),
        expected.len() - a.documents.len()
    );
    assert!(store.documents(&a.id.0).unwrap().iter().all(|d| d.cached));
    assert_eq!(
        store.document_content(&a.id.0, &first.id).unwrap(),
        Some(bytes_of(first))
    );
    let total: usize = a.documents.iter().map(|d| bytes_of(d).len()).sum();
    assert_eq!(
        store.cached_document_bytes().unwrap(),
        u64::try_from(total).unwrap()
    );
    assert!(matches!(
        store.cache_document(&a.id.0, "no-such-document", b"x"),
        Err(store::Error::DocumentNotFound { .. })
    ));
}

#[test]
fn a_document_the_portal_changed_waits_again_and_one_it_dropped_stays_readable() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("j.sqlite")).unwrap();
    let mut a = common::demo_apps(1).remove(0);
    let now = datetime!(2026-04-01 09:00 UTC);
    store
        .apply_pulled_page(&pulled(std::slice::from_ref(&a)), &[], "c1", now)
        .unwrap();
    for d in &a.documents {
        store.cache_document(&a.id.0, &d.id, &bytes_of(d)).unwrap();
    }
    assert!(waiting_ids(&store).is_empty());

    // The portal's next version: the first document replaced (a new hash), the last gone.
    let changed = a.documents[0].id.clone();
    let dropped = a.documents.pop().unwrap();
    a.documents[0].sha256 = sha(b"a new scan");
    a.version += 1;
    store
        .apply_pulled_page(&pulled(std::slice::from_ref(&a)), &[], "c2", now)
        .unwrap();

    assert_eq!(waiting_ids(&store), vec![(a.id.0.clone(), changed.clone())]);
    assert_eq!(store.document_content(&a.id.0, &changed).unwrap(), None);
    let listed = store.documents(&a.id.0).unwrap();
    let changed_row = listed.iter().find(|d| d.id == changed).unwrap();
    assert!(
        !changed_row.cached,
        "the old bytes are not the new document"
    );
    assert_eq!(changed_row.sha256, a.documents[0].sha256);
    // The bytes downloaded before still open: nothing kept is lost.
    assert_eq!(
        store.document_content(&a.id.0, &dropped.id).unwrap(),
        Some(bytes_of(&dropped))
    );
    assert!(listed.iter().any(|d| d.id == dropped.id && d.cached));

    // Downloaded again: kept under the new hash.
    store
        .cache_document(&a.id.0, &changed, b"a new scan")
        .unwrap();
    assert!(waiting_ids(&store).is_empty());
    assert_eq!(
        store.document_content(&a.id.0, &changed).unwrap(),
        Some(b"a new scan".to_vec())
    );
}

#[test]
fn bytes_kept_under_another_id_are_taken_over_by_their_hash() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("j.sqlite")).unwrap();
    let mut a = common::demo_apps(1).remove(0);
    let scan = b"the birth certificate scanned at the desk".to_vec();
    // Entered here: the scan kept with the local action under the desk's own id.
    let local = DocumentMeta {
        id: "local-upload-1".into(),
        kind: DocumentKind::BirthCertificate,
        file_name: "birth.pdf".into(),
        media_type: "application/pdf".into(),
        size: u64::try_from(scan.len()).unwrap(),
        sha256: sha(&scan),
    };
    a.documents = vec![local.clone()];
    let mut action = common::acceptance(&a, "k-1");
    action.attachments = vec![Attachment {
        meta: local.clone(),
        content: scan.clone(),
    }];
    store.record_local_action(&action).unwrap();
    assert!(waiting_ids(&store).is_empty(), "its bytes came with it");

    // The portal lists it under its own id: the bytes are there, nothing to download.
    let portal = DocumentMeta {
        id: "portal-doc-1".into(),
        ..local.clone()
    };
    a.documents = vec![portal.clone()];
    store.put_applications([(&a, &[][..])]).unwrap();
    assert!(waiting_ids(&store).is_empty());
    assert_eq!(
        store.document_content(&a.id.0, &portal.id).unwrap(),
        Some(scan.clone())
    );
    let docs = store.documents(&a.id.0).unwrap();
    assert_eq!(docs[0].id, portal.id, "the portal's list first");
    assert!(docs[0].cached);
}

#[test]
fn a_journal_of_migration_0015_gets_its_lists_and_keeps_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let apps = common::demo_apps(3);
    {
        let mut store = Store::open(&path).unwrap();
        let bare: Vec<Application> = apps
            .iter()
            .map(|a| Application {
                documents: Vec::new(),
                ..a.clone()
            })
            .collect();
        common::put(&mut store, &bare).unwrap();
    }
    // The journal as 0015 left it: a row per document, bytes where they were downloaded,
    // a decision's `.p7s` made here.
    let cached = &apps[0].documents[1];
    let p7s = DocumentMeta {
        id: "decision-1.p7s".into(),
        kind: DocumentKind::Signature,
        file_name: "decision.p7s".into(),
        media_type: "application/pkcs7-signature".into(),
        size: 3,
        sha256: sha(b"p7s"),
    };
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP INDEX application_documents_waiting;
             ALTER TABLE application DROP COLUMN documents;
             ALTER TABLE application DROP COLUMN documents_waiting;
             CREATE INDEX document_uncached ON document(application_id) WHERE content IS NULL;
             DELETE FROM schema_migration WHERE version = 16;",
        )
        .unwrap();
        let mut insert = conn
            .prepare(
                "INSERT INTO document (id, application_id, kind, file_name, media_type, size, sha256, content, generated)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .unwrap();
        for a in &apps {
            for d in &a.documents {
                let content = (d.id == cached.id).then(|| bytes_of(d));
                insert
                    .execute(rusqlite::params![
                        d.id,
                        a.id.0,
                        d.kind.as_str(),
                        d.file_name,
                        d.media_type,
                        i64::try_from(d.size).unwrap(),
                        d.sha256,
                        content,
                        false
                    ])
                    .unwrap();
            }
        }
        insert
            .execute(rusqlite::params![
                p7s.id,
                apps[0].id.0,
                p7s.kind.as_str(),
                p7s.file_name,
                p7s.media_type,
                3,
                p7s.sha256,
                b"p7s".to_vec(),
                true
            ])
            .unwrap();
    }

    let store = Store::open(&path).unwrap();
    for a in &apps {
        let (back, _, _) = store.application(&a.id.0).unwrap();
        let mut expected = a.documents.clone();
        if a.id == apps[0].id {
            expected.push(p7s.clone());
        }
        assert_eq!(
            back.documents, expected,
            "the list in the order shown before"
        );
    }
    let waiting = waiting_ids(&store);
    let listed: usize = apps.iter().map(|a| a.documents.len()).sum();
    assert_eq!(waiting.len(), listed - 1, "all but the one downloaded");
    assert!(!waiting.iter().any(|(_, d)| *d == cached.id || *d == p7s.id));
    assert_eq!(
        store.document_content(&apps[0].id.0, &cached.id).unwrap(),
        Some(bytes_of(cached))
    );
    assert_eq!(
        store.document_content(&apps[0].id.0, &p7s.id).unwrap(),
        Some(b"p7s".to_vec())
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM document", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 2, "only rows with bytes stay rows");
    let old_index: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'document_uncached'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(old_index, 0);
}
