//! Issue 15: portal answers decoded through the wire types survive garbage: arbitrary
//! bytes, and real answers (a page of demo applications) truncated, bit-flipped and
//! spliced, are either decoded or refused with an error, never a panic; an application
//! that decodes is then parsed into the domain (again an error, never a panic).
#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

use portal_api::convert::{application_from_wire, application_to_wire};
use portal_api::{
    Application, ChangesPage, DecisionResponse, OnBehalfResponse, Problem, Reference,
    SignInResponse,
};
use proptest::prelude::*;
use std::sync::OnceLock;
use time::macros::datetime;

fn decode_all(bytes: &[u8]) {
    if let Ok(page) = serde_json::from_slice::<ChangesPage>(bytes) {
        for a in &page.items {
            let _ = application_from_wire(a);
        }
    }
    if let Ok(a) = serde_json::from_slice::<Application>(bytes) {
        let _ = application_from_wire(&a);
    }
    let _ = serde_json::from_slice::<Reference>(bytes);
    let _ = serde_json::from_slice::<Problem>(bytes);
    let _ = serde_json::from_slice::<SignInResponse>(bytes);
    let _ = serde_json::from_slice::<DecisionResponse>(bytes);
    let _ = serde_json::from_slice::<OnBehalfResponse>(bytes);
}

/// A real page the portal could send: three demo applications.
fn real_page() -> &'static [u8] {
    static PAGE: OnceLock<Vec<u8>> = OnceLock::new();
    PAGE.get_or_init(|| {
        let spec = demo::RegionSpec::default();
        let region = demo::region(&spec);
        let items = demo::applications(&spec, &region, 3)
            .enumerate()
            .map(|(i, a)| application_to_wire(&a, i as u64 + 1, datetime!(2026-04-21 6:00 UTC)))
            .collect();
        serde_json::to_vec(&ChangesPage {
            items,
            next_cursor: "3".into(),
            has_more: false,
        })
        .unwrap_or_default()
    })
}

#[derive(Debug, Clone)]
enum Damage {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Replace(usize, usize, Vec<u8>),
}

fn damage() -> impl Strategy<Value = Vec<Damage>> {
    let one = prop_oneof![
        any::<usize>().prop_map(Damage::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Damage::Flip(i, b)),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, v)| Damage::Insert(i, v)),
        (
            any::<usize>(),
            0usize..40,
            proptest::sample::select(vec![
                b"null".to_vec(),
                b"1e999".to_vec(),
                b"-0".to_vec(),
                b"\"\\ud800\"".to_vec(),
                b"[[[[[[[[[[".to_vec(),
                b"{\"items\":".to_vec(),
                b"\"\xF0\x9F\"".to_vec(),
                b"18446744073709551616".to_vec(),
                b"\"2026-13-45T99:99:99Z\"".to_vec(),
                b"\"\xE2\x80\xAE\"".to_vec(),
            ])
        )
            .prop_map(|(i, n, v)| Damage::Replace(i, n, v)),
    ];
    proptest::collection::vec(one, 1..6)
}

fn apply(mut bytes: Vec<u8>, damage: &[Damage]) -> Vec<u8> {
    for d in damage {
        let len = bytes.len().max(1);
        match d {
            Damage::Truncate(i) => bytes.truncate(i % len),
            Damage::Flip(i, b) => {
                if !bytes.is_empty() {
                    let at = i % bytes.len();
                    bytes[at] ^= b | 1;
                }
            }
            Damage::Insert(i, v) => {
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, v.iter().copied());
            }
            Damage::Replace(i, n, v) => {
                let at = i % (bytes.len() + 1);
                let end = (at + n).min(bytes.len());
                bytes.splice(at..end, v.iter().copied());
            }
        }
    }
    bytes
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_the_decoders(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&bytes);
    }

    #[test]
    fn a_damaged_real_page_never_panics(d in damage()) {
        decode_all(&apply(real_page().to_vec(), &d));
    }
}

#[test]
fn the_real_page_decodes_and_converts() {
    let page: ChangesPage = serde_json::from_slice(real_page()).unwrap();
    assert_eq!(page.items.len(), 3);
    for a in &page.items {
        application_from_wire(a).unwrap();
    }
}

/// Shapes a portal (or a proxy in front of it) sends when something is wrong: an HTML
/// error page, a cut-off answer, a deeply nested array, nothing, a BOM.
#[test]
fn html_truncated_and_deep_answers_are_refused() {
    let deep = "[".repeat(100_000);
    let page = real_page();
    for bytes in [
        &b"<html><body>502 Bad Gateway</body></html>"[..],
        &page[..page.len() / 2],
        deep.as_bytes(),
        b"",
        b"\xEF\xBB\xBF{}",
    ] {
        assert!(serde_json::from_slice::<ChangesPage>(bytes).is_err());
    }
}
