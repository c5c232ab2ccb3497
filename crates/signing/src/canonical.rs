//! Canonical bytes of a JSON value, RFC 8785 (JCS) style, so that the portal can rebuild
//! exactly the bytes a clerk signed. See FORMAT.md.

use serde_json::Value;

/// The canonical UTF-8 bytes of `value`: object members sorted by the UTF-16 code units of
/// their names, no whitespace, strings escaped as RFC 8785 says (`\"`, `\\`, `\b`, `\f`,
/// `\n`, `\r`, `\t`, other control characters as `\u00xx`, everything else literal).
/// Numbers: integers are written exactly; a non-integer is written in Rust's shortest
/// round-trip decimal form, which equals RFC 8785 only for 1e-6 ≤ |x| < 1e21 — signed
/// payloads use integers and strings only.
pub fn canonical_json(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push(b'{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(k, out);
                out.push(b':');
                write_value(v, out);
            }
            out.push(b'}');
        }
    }
}

fn write_number(n: &serde_json::Number, out: &mut Vec<u8>) {
    if let Some(i) = n.as_i64() {
        out.extend_from_slice(i.to_string().as_bytes());
    } else if let Some(u) = n.as_u64() {
        out.extend_from_slice(u.to_string().as_bytes());
    } else if let Some(f) = n.as_f64() {
        if f == f.trunc() && f.abs() < 1e21 {
            // ES6 writes 2.0 as "2" and -0.0 as "0".
            out.extend_from_slice(format!("{}", f as i128).as_bytes());
        } else {
            out.extend_from_slice(format!("{f}").as_bytes());
        }
    }
}

fn write_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for ch in s.chars() {
        match ch {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
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
            (json!(18446744073709551615u64), "18446744073709551615"),
            (json!(2.0), "2"),
            (json!(0.5), "0.5"),
            (json!("a/b\u{7f}"), "\"a/b\u{7f}\""),
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
