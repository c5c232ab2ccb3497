//! The desk's read use cases on a real journal file filled with demo data.

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use desk::Desk;
use desk::demo_data::{DemoFill, fill};
use desk::views::{JournalQuery, StatusKey};

fn demo_desk(dir: &tempfile::TempDir, n: u64) -> Desk {
    let db = dir.path().join("journal.sqlite");
    let summary = fill(
        &db,
        &DemoFill {
            seed: 7,
            applications: n,
        },
    )
    .unwrap();
    assert_eq!(u64::from(summary.applications), n);
    Desk::open(&db).unwrap()
}

#[test]
fn the_same_seed_gives_the_same_journal() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let q = JournalQuery {
        limit: 1000,
        ..Default::default()
    };
    let rows_a = demo_desk(&a, 150).journal(&q).unwrap().rows;
    let rows_b = demo_desk(&b, 150).journal(&q).unwrap().rows;
    assert_eq!(rows_a, rows_b);
}

#[test]
fn the_journal_pages_counts_and_narrows() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(&dir, 260);
    let first = desk
        .journal(&JournalQuery {
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(first.rows.len(), 100);
    assert_eq!(first.total, 260);
    assert!(!first.total_capped);
    assert_eq!(first.counts.all, 260);
    assert!(
        first
            .rows
            .iter()
            .all(|r| r.school_id == first.rows[0].school_id),
        "one school's journal"
    );
    let next = first.next.clone().expect("more pages");
    let second = desk
        .journal(&JournalQuery {
            limit: 100,
            after: Some(next),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(second.rows.len(), 100);
    assert!(
        second
            .rows
            .iter()
            .all(|r| !first.rows.iter().any(|f| f.id == r.id))
    );

    let new = desk
        .journal(&JournalQuery {
            status: Some(StatusKey::New),
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(new.rows.len() as u32, first.counts.new);
    assert_eq!(new.total, first.counts.new);

    let target = &first.rows[42];
    let by_iin = desk
        .journal(&JournalQuery {
            search: Some(target.child_iin.clone()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_iin.rows.len(), 1);
    assert_eq!(by_iin.rows[0].id, target.id);
}

#[test]
fn the_date_filter_reads_dates_as_typed_in_kazakhstan() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(&dir, 120);
    let all = desk
        .journal(&JournalQuery {
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    // The office's day of one row's submission (`…+05:00`), typed dd.mm.yyyy and as ISO.
    let day = &all.rows[all.rows.len() / 2].submitted_at[..10];
    let (y, m, d) = (&day[..4], &day[5..7], &day[8..10]);
    let on = |from: String, to: String| {
        desk.journal(&JournalQuery {
            submitted_from: Some(from),
            submitted_to: Some(to),
            limit: 1000,
            ..Default::default()
        })
        .unwrap()
        .rows
    };
    let typed = on(format!("{d}.{m}.{y}"), format!(" {d}.{m}.{y} "));
    assert!(!typed.is_empty());
    assert!(
        typed.iter().all(|r| r.submitted_at.starts_with(day)),
        "{typed:?}"
    );
    assert_eq!(typed, on(day.to_string(), day.to_string()));
}

#[test]
fn bad_filters_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(&dir, 5);
    let cases: &[(JournalQuery, &str)] = &[
        (
            JournalQuery {
                submitted_from: Some("05/31/2026".into()),
                ..Default::default()
            },
            "submitted_from",
        ),
        (
            JournalQuery {
                after: Some("garbage".into()),
                ..Default::default()
            },
            "after",
        ),
    ];
    for (q, field) in cases {
        let err = desk.journal(q).unwrap_err();
        assert_eq!(err.code(), "BAD_QUERY");
        assert!(err.to_string().contains(field), "{err}");
    }
    let err = desk
        .journal(&JournalQuery {
            language: Some("en".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.code(), "INSTRUCTION_LANGUAGE_INVALID");
    assert!(!err.message(domain::Lang::Kk).is_empty());
}

#[test]
fn an_opened_application_has_its_three_tabs() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(&dir, 60);
    let rows = desk
        .journal(&JournalQuery {
            status: Some(StatusKey::Rejected),
            ..Default::default()
        })
        .unwrap()
        .rows;
    let row = rows.first().expect("some rejected application among 60");
    let app = desk.application(&row.id).unwrap();
    assert_eq!(app.number, row.number);
    assert_eq!(app.child.person.iin, row.child_iin);
    assert!(
        app.reject_reason.is_some(),
        "a rejected application says why"
    );
    assert!(
        !app.school.name_kk.is_empty() && app.school.name_kk != app.school.id,
        "school names resolved"
    );
    let kinds: Vec<&str> = app.history.iter().map(|h| h.kind.as_str()).collect();
    assert!(
        kinds.first().is_some_and(|k| k.starts_with("submitted")),
        "{kinds:?}"
    );
    assert_eq!(kinds.last(), Some(&"rejected"));
    assert_eq!(
        app.history.last().and_then(|h| h.status_to),
        Some(StatusKey::Rejected)
    );
    assert!(app.documents.iter().any(|d| d.kind == "photo"));
    assert!(
        app.documents
            .iter()
            .any(|d| d.kind == "medical_certificate")
    );

    let err = desk.application("no-such-id").unwrap_err();
    assert_eq!(err.code(), "APPLICATION_NOT_FOUND");
}

#[test]
fn the_status_bar_names_the_demo_clerk_and_school() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(&dir, 10);
    let bar = desk.status_bar().unwrap();
    assert!(bar.clerk_name.is_some() && bar.clerk_iin.is_some());
    assert!(bar.school_name_kk.is_some());
    assert!(!bar.online);
    assert_eq!((bar.waiting, bar.refused), (0, 0));
}
