//! Canonical bytes of a JSON value, RFC 8785 (JSON Canonicalization Scheme), so that the
//! portal can rebuild exactly the bytes a clerk signed. See FORMAT.md. The scheme is
//! `serde_json_canonicalizer`'s (maintained, MIT); the tests below pin the bytes.

use serde_json::Value;

/// The canonical UTF-8 bytes of `value` (RFC 8785): object members sorted by the UTF-16
/// code units of their names, no whitespace, strings escaped as the RFC says (`\"`, `\\`,
/// `\b`, `\f`, `\n`, `\r`, `\t`, other control characters as `\u00xx`, everything else
/// literal), numbers in ECMAScript's shortest form (`2.0` → `2`, `1e21` → `1e+21`).
pub fn canonical_json(value: &Value) -> Vec<u8> {
    // A `Value` has string keys and no repeated member, the only things the scheme refuses.
    serde_json_canonicalizer::to_vec(value).expect("a serde_json::Value is always canonicalisable")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_form_of_values() {
        let cases: &[(Value, &str)] = &[
            (
                json!({"b": 1, "a": [true, null, "x"]}),
                r#"{"a":[true,null,"x"],"b":1}"#,
            ),
            (json!({"z": {"y": 2, "x": 1}}), r#"{"z":{"x":1,"y":2}}"#),
            (
                json!("қабылдау \"ok\"\n\u{1}"),
                "\"қабылдау \\\"ok\\\"\\n\\u0001\"",
            ),
            (json!(-42), "-42"),
            // RFC 8785 numbers are IEEE 754 doubles written as ECMAScript does: an integer
            // past 2^53 loses digits (the hand-written canonicaliser before wrote u64::MAX
            // exactly). Signed payloads carry only small integers: versions, grades, sizes.
            (json!(9007199254740992u64), "9007199254740992"),
            (json!(18446744073709551615u64), "18446744073709552000"),
            (json!(2.0), "2"),
            (json!(0.5), "0.5"),
            (json!("a/b\u{7f}"), "\"a/b\u{7f}\""),
            (json!(1e21), "1e+21"),
            (json!(1e-7), "1e-7"),
            (json!(123456789.25), "123456789.25"),
            (json!({}), "{}"),
            (json!([]), "[]"),
        ];
        for (value, expected) in cases {
            assert_eq!(
                String::from_utf8(canonical_json(value)).unwrap(),
                *expected,
                "{value}"
            );
        }
    }

    #[test]
    fn keys_sort_by_utf16_code_units_as_rfc_8785_says() {
        // € is one unit 0x20AC, 😀 is 0xD83D 0xDE00, U+FB33 is 0xFB33: in UTF-16 order the
        // emoji comes before U+FB33, although in UTF-8 (or code point) order it comes after.
        let v = json!({"\u{fb33}": 1, "😀": 2, "€": 3, "a": 4});
        let s = String::from_utf8(canonical_json(&v)).unwrap();
        assert_eq!(s, "{\"a\":4,\"€\":3,\"😀\":2,\"\u{fb33}\":1}");
    }

    #[test]
    fn decision_payload_example() {
        let v = json!({
            "application_id": "4f0c2a9e-0000-4000-8000-000000000001",
            "application_version": 3,
            "decision": "reject",
            "reason_code": "DOCUMENTS_INCOMPLETE",
            "reason_text": "Анықтама жоқ",
            "clerk_iin": "900101300017",
            "school_id": "school-42",
            "decided_at": "2025-06-01T09:30:00Z"
        });
        expect_test::expect![[r#"{"application_id":"4f0c2a9e-0000-4000-8000-000000000001","application_version":3,"clerk_iin":"900101300017","decided_at":"2025-06-01T09:30:00Z","decision":"reject","reason_code":"DOCUMENTS_INCOMPLETE","reason_text":"Анықтама жоқ","school_id":"school-42"}"#]]
            .assert_eq(&String::from_utf8(canonical_json(&v)).unwrap());
    }
}
