//! NCALayer's messages on its local WebSocket (issue 14), as NCA's example page and the
//! open-source clients show them (`crates/signing/FORMAT.md`, "NCALayer"): the version
//! message sent on connect, the `kz.gov.pki.knca.basics` `sign` request, and its three
//! answers. Pure: no socket here, and no input makes the parser panic.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use domain::{Iin, Lang};
use serde_json::{Value, json};

/// The module of NCALayer's 2022 signing API.
pub const MODULE: &str = "kz.gov.pki.knca.basics";
/// NCA's signing keys (`RSA_*`, `GOSTKNCA_*`): extended key usage emailProtection.
pub const OID_SIGNING: &str = "1.3.6.1.5.5.7.3.4";
/// NCA's authentication keys (`AUTH_RSA_*`): extended key usage clientAuth.
pub const OID_CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
/// An answer longer than this is not NCALayer's (a CMS with its chain is a few KiB).
pub const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;

/// Which key NCALayer offers the person: a signing key (decisions, submissions) or an
/// authentication key (sign-in by EDS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUse {
    Signing,
    Authentication,
}

impl KeyUse {
    /// `signerParams.extKeyUsageOids`.
    pub fn ext_key_usage_oids(self) -> &'static [&'static str] {
        match self {
            KeyUse::Signing => &[OID_SIGNING],
            KeyUse::Authentication => &[OID_CLIENT_AUTH],
        }
    }
}

/// One `basics.sign` request: a detached CMS over `data`, exactly these bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignRequest<'a> {
    pub data: &'a [u8],
    pub key_use: KeyUse,
    /// `signerParams.iin`: NCALayer offers only this person's keys.
    pub iin: Option<&'a Iin>,
    /// `signerParams.bin`: only keys of this organisation.
    pub bin: Option<&'a str>,
    /// The language of NCALayer's own window (the desk's).
    pub locale: Lang,
}

impl SignRequest<'_> {
    /// The request as NCALayer reads it. `data` is base64 and `decode: true` makes
    /// NCALayer sign the decoded bytes; `encapsulate: false` a detached CMS; no
    /// `tsaProfile`: no time-stamp request to NCA's TSA (the desk works offline).
    pub fn to_json(&self) -> String {
        let mut signer = json!({ "extKeyUsageOids": self.key_use.ext_key_usage_oids() });
        if let Some(iin) = self.iin {
            signer["iin"] = Value::String(iin.to_string());
        }
        if let Some(bin) = self.bin {
            signer["bin"] = Value::String(bin.to_string());
        }
        json!({
            "module": MODULE,
            "method": "sign",
            "args": {
                "format": "cms",
                "data": BASE64.encode(self.data),
                "signingParams": { "decode": true, "encapsulate": false, "digested": false },
                "signerParams": signer,
                "locale": self.locale.code(),
            }
        })
        .to_string()
    }
}

/// What NCALayer answered to `sign`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// `{"status":true,"body":{"result":[PEM, …]}}` (older versions: one PEM string).
    Signed(Vec<String>),
    /// `{"status":true,"body":{}}`: the person closed NCALayer's window.
    Cancelled,
    /// `{"status":false,"code":…,"message":…,"details":…}`.
    Refused {
        code: String,
        message: String,
        details: Option<String>,
    },
}

/// An answer that is not one of NCALayer's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an NCALayer answer: {0}")]
pub struct Malformed(pub String);

fn parse_object(bytes: &[u8]) -> Result<serde_json::Map<String, Value>, Malformed> {
    if bytes.len() > MAX_ANSWER_BYTES {
        return Err(Malformed(format!("{} bytes", bytes.len())));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Malformed("not a JSON object".into())),
        Err(e) => Err(Malformed(e.to_string())),
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The version in the message NCALayer sends on connect: `{"result":{"version":"1.4"}}`.
pub fn parse_version(bytes: &[u8]) -> Result<String, Malformed> {
    let map = parse_object(bytes)?;
    match map.get("result").and_then(|r| r.get("version")) {
        Some(Value::String(v)) if !v.trim().is_empty() && v.len() <= 64 => Ok(v.trim().to_string()),
        _ => Err(Malformed("no result.version".into())),
    }
}

/// Reads the answer to `basics.sign`.
pub fn parse_answer(bytes: &[u8]) -> Result<Answer, Malformed> {
    let map = parse_object(bytes)?;
    match map.get("status") {
        Some(Value::Bool(true)) => {
            let body = match map.get("body") {
                Some(Value::Object(b)) => b,
                _ => return Err(Malformed("status true without a body".into())),
            };
            match body.get("result") {
                None | Some(Value::Null) => Ok(Answer::Cancelled),
                Some(Value::String(pem)) => Ok(Answer::Signed(vec![pem.clone()])),
                Some(Value::Array(items)) => {
                    let pems: Option<Vec<String>> = items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string))
                        .collect();
                    match pems {
                        Some(p) if !p.is_empty() => Ok(Answer::Signed(p)),
                        _ => Err(Malformed("result is not a list of signatures".into())),
                    }
                }
                Some(_) => Err(Malformed("result is not a signature".into())),
            }
        }
        Some(Value::Bool(false)) => Ok(Answer::Refused {
            code: text(map.get("code")).unwrap_or_default(),
            message: text(map.get("message")).unwrap_or_default(),
            details: text(map.get("details")),
        }),
        _ => Err(Malformed("no status".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_request_has_ncas_shape() {
        let iin = Iin::parse("900101300017").unwrap();
        let req = SignRequest {
            data: b"{\"a\":1}",
            key_use: KeyUse::Signing,
            iin: Some(&iin),
            bin: None,
            locale: Lang::Kk,
        };
        let v: Value = serde_json::from_str(&req.to_json()).unwrap();
        assert_eq!(v["module"], "kz.gov.pki.knca.basics");
        assert_eq!(v["method"], "sign");
        assert_eq!(v["args"]["format"], "cms");
        assert_eq!(v["args"]["data"], BASE64.encode(b"{\"a\":1}"));
        assert_eq!(v["args"]["signingParams"]["decode"], true);
        assert_eq!(v["args"]["signingParams"]["encapsulate"], false);
        assert_eq!(
            v["args"]["signerParams"]["extKeyUsageOids"],
            json!([OID_SIGNING])
        );
        assert_eq!(v["args"]["signerParams"]["iin"], "900101300017");
        assert!(v["args"]["signerParams"].get("bin").is_none());
        assert_eq!(v["args"]["locale"], "kk");
        let auth = SignRequest {
            key_use: KeyUse::Authentication,
            iin: None,
            locale: Lang::Ru,
            ..req
        };
        let v: Value = serde_json::from_str(&auth.to_json()).unwrap();
        assert_eq!(
            v["args"]["signerParams"]["extKeyUsageOids"],
            json!([OID_CLIENT_AUTH])
        );
        assert_eq!(v["args"]["locale"], "ru");
    }

    #[test]
    fn ncalayers_answers_as_recorded() {
        // The answers NCALayer gave in sigex-kz/ncalayer-js-client test/test-data.json.
        assert_eq!(
            parse_version(br#"{"result":{"version":"1.2"}}"#).unwrap(),
            "1.2"
        );
        assert_eq!(
            parse_answer(br#"{"body":{},"status":true}"#).unwrap(),
            Answer::Cancelled
        );
        assert_eq!(
            parse_answer(
                br#"{"body":{"result":"-----BEGIN CMS-----\n-----END CMS-----\n"},"status":true}"#
            )
            .unwrap(),
            Answer::Signed(vec!["-----BEGIN CMS-----\n-----END CMS-----\n".into()])
        );
        assert_eq!(
            parse_answer(br#"{"status":true,"body":{"result":["A","B"]}}"#).unwrap(),
            Answer::Signed(vec!["A".into(), "B".into()])
        );
        assert_eq!(
            parse_answer(br#"{"code":"INVOCATION_ERROR","details":"org.json.JSONException: x","message":"An invoked method threw an exception.","status":false}"#).unwrap(),
            Answer::Refused {
                code: "INVOCATION_ERROR".into(),
                message: "An invoked method threw an exception.".into(),
                details: Some("org.json.JSONException: x".into()),
            }
        );
    }

    #[test]
    fn what_is_not_an_answer_is_refused() {
        for bad in [
            &b""[..],
            b"null",
            b"[]",
            b"{}",
            br#"{"status":"true"}"#,
            br#"{"status":true}"#,
            br#"{"status":true,"body":{"result":42}}"#,
            br#"{"status":true,"body":{"result":[]}}"#,
            br#"{"status":true,"body":{"result":[1]}}"#,
            b"\xff\xfe",
        ] {
            assert!(
                parse_answer(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(parse_version(br#"{"result":{"version":""}}"#).is_err());
        assert!(parse_version(br#"{"result":{}}"#).is_err());
        assert!(parse_version(br#"{"status":true,"body":{}}"#).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_are_read_without_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_answer(&bytes);
            let _ = parse_version(&bytes);
        }

        #[test]
        fn any_json_is_read_without_a_panic(s in r#"\{("(status|body|result|code|message|version)":(true|false|null|"[a-z]{0,3}"|\[\]|\{\}|[0-9]{1,3}),?){0,4}\}"#) {
            let _ = parse_answer(s.as_bytes());
            let _ = parse_version(s.as_bytes());
        }
    }
}
