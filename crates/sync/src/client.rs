//! The portal API client (api/portal.openapi.yaml), over reqwest. Every answer is typed
//! (`portal_api`) or an [`Error`] that says whether to retry, show a refusal, or sign in.

use crate::error::{Error, from_transport};
use domain::{Iin, Lang};
use portal_api as wire;
use reqwest::header::{
    ACCEPT, ACCEPT_LANGUAGE, AUTHORIZATION, CONTENT_TYPE, ETAG, HeaderMap, HeaderValue,
    IF_NONE_MATCH, RETRY_AFTER,
};
use reqwest::{Method, RequestBuilder, StatusCode, Url};
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use std::time::{Duration, SystemTime};

#[path = "client_walk_in.rs"]
mod walk_in;

#[path = "client_batch.rs"]
mod batch;
pub use batch::BatchDecision;

/// JSON answers are read through this cap (streamed; never more is held), issue 15.
pub const JSON_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Time limits, proxy and caps of one client.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub connect_timeout: Duration,
    /// A whole request, answer included.
    pub request_timeout: Duration,
    /// The language of the portal's messages (`Accept-Language`).
    pub lang: Lang,
    /// A proxy for every request to the portal (`http://host:port`), set by the school's
    /// IT person. `None`: the system's proxy settings and `HTTPS_PROXY` / `HTTP_PROXY` /
    /// `NO_PROXY` are honoured. A loopback portal is always reached directly.
    pub proxy: Option<String>,
    /// The longest JSON answer read.
    pub json_max_bytes: u64,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            lang: Lang::Kk,
            proxy: None,
            json_max_bytes: JSON_MAX_BYTES,
        }
    }
}

/// An answer to a conditional read (`If-None-Match`).
#[derive(Debug, Clone)]
pub enum Conditional<T> {
    /// 200: the value and its new entity tag.
    Fresh { value: T, etag: Option<String> },
    /// 304: what we hold is current.
    NotModified,
}

/// One page of the change feed with its items left unparsed: each is read on its own,
/// so one the app cannot read is quarantined and the rest go on (issue 12).
#[derive(Debug, serde::Deserialize)]
pub struct RawChangesPage {
    pub items: Vec<Box<RawValue>>,
    pub next_cursor: String,
    pub has_more: bool,
}

/// Whether `base` may be spoken to over plain http: only a portal on this machine.
fn is_loopback(base: &Url) -> bool {
    let Some(host) = base.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// An answer to a write, with its body as the portal sent it (kept on the outbox entry).
#[derive(Debug, Clone)]
pub struct Written<T> {
    pub value: T,
    pub body: String,
}

/// A client of one portal, signed in or not. The session token is a secret (issue 16):
/// zeroized when dropped or replaced, `[REDACTED]` in `Debug`, sent as a sensitive header.
#[derive(Debug, Clone)]
pub struct PortalClient {
    http: reqwest::Client,
    base: Url,
    token: Option<SecretString>,
    lang: Lang,
    json_max_bytes: u64,
}

impl PortalClient {
    pub fn new(base_url: &str, config: &ClientConfig) -> Result<PortalClient, Error> {
        let bad = || Error::BadUrl {
            url: base_url.to_string(),
        };
        let trimmed = base_url.trim().trim_end_matches('/');
        let base = Url::parse(&format!("{trimmed}/")).map_err(|_| bad())?;
        if !matches!(base.scheme(), "http" | "https") || base.host().is_none() {
            return Err(bad());
        }
        // Issue 15: the clerk's password and the children's data travel only over TLS,
        // verified against the system's roots (never switched off); plain http is for a
        // portal on this machine (portal-sim, tests).
        let loopback = is_loopback(&base);
        if base.scheme() == "http" && !loopback {
            return Err(Error::InsecureUrl {
                url: base_url.to_string(),
            });
        }
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .https_only(!loopback);
        if loopback {
            builder = builder.no_proxy();
        } else if let Some(p) = &config.proxy {
            let proxy = reqwest::Proxy::all(p.as_str())
                .map_err(|_| Error::BadProxy { proxy: p.clone() })?;
            builder = builder.proxy(proxy);
        }
        let http = builder.build().map_err(|e| from_transport(&e))?;
        Ok(PortalClient {
            http,
            base,
            token: None,
            lang: config.lang,
            json_max_bytes: config.json_max_bytes,
        })
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    pub fn signed_in(&self) -> bool {
        self.token.is_some()
    }

    /// Forgets the token (after a 401, or when the clerk signs out).
    pub fn sign_out(&mut self) {
        self.token = None;
    }

    fn url(&self, path: &str) -> Result<Url, Error> {
        self.base
            .join(path.trim_start_matches('/'))
            .map_err(|_| Error::BadUrl {
                url: format!("{}{path}", self.base),
            })
    }

    fn request(&self, method: Method, url: Url) -> RequestBuilder {
        let lang = HeaderValue::from_static(match self.lang {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
        });
        let mut r = self
            .http
            .request(method, url)
            .header(ACCEPT, "application/json")
            .header(ACCEPT_LANGUAGE, lang);
        if let Some(t) = &self.token {
            let bearer = Zeroizing::new(format!("Bearer {}", t.expose_secret()));
            if let Ok(mut value) = HeaderValue::from_str(&bearer) {
                value.set_sensitive(true);
                r = r.header(AUTHORIZATION, value);
            }
        }
        r
    }

    /// Sends and reads the answer through the JSON cap; a non-2xx status (304 aside)
    /// becomes an [`Error`].
    async fn send(&self, req: RequestBuilder) -> Result<(StatusCode, HeaderMap, Vec<u8>), Error> {
        let mut resp = req.send().await.map_err(|e| from_transport(&e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let cap = self.json_max_bytes;
        let body = read_capped(&mut resp, cap, || Error::Protocol {
            detail: format!("the answer is over {cap} bytes"),
        })
        .await?;
        if status.is_success() || status == StatusCode::NOT_MODIFIED {
            return Ok((status, headers, body));
        }
        Err(status_error(status, &headers, &body))
    }

    async fn get_json<T: DeserializeOwned>(&self, url: Url) -> Result<T, Error> {
        let (_, _, body) = self.send(self.request(Method::GET, url)).await?;
        parse(&body)
    }

    /// POSTs `body` as JSON (no idempotency key: a question, not a recorded act) and
    /// reads the typed answer.
    async fn post_json<T: DeserializeOwned>(
        &self,
        url: Url,
        body: &impl serde::Serialize,
    ) -> Result<T, Error> {
        let (_, _, answer) = self
            .send(self.request(Method::POST, url).json(body))
            .await?;
        parse(&answer)
    }

    /// A read with `If-None-Match: etag`: 304 is [`Conditional::NotModified`].
    async fn get_conditional<T: DeserializeOwned>(
        &self,
        url: Url,
        etag: Option<&str>,
    ) -> Result<Conditional<T>, Error> {
        let mut req = self.request(Method::GET, url);
        if let Some(tag) = etag {
            req = req.header(IF_NONE_MATCH, tag);
        }
        let (status, headers, body) = self.send(req).await?;
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Conditional::NotModified);
        }
        Ok(Conditional::Fresh {
            value: parse(&body)?,
            etag: headers
                .get(ETAG)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        })
    }

    /// Sends `bytes` exactly as given under the idempotency key: the same entry always
    /// sends the same bytes, which the portal compares with what it stored under the key.
    async fn write_bytes<T: DeserializeOwned>(
        &self,
        url: Url,
        idempotency_key: &str,
        bytes: Vec<u8>,
    ) -> Result<Written<T>, Error> {
        let req = self
            .request(Method::POST, url)
            .header(CONTENT_TYPE, "application/json")
            .header(wire::IDEMPOTENCY_KEY, idempotency_key)
            .body(bytes);
        let (status, _, body) = self.send(req).await?;
        let value = serde_json::from_slice(&body).map_err(|e| Error::AnswerUnreadable {
            status: status.as_u16(),
            detail: e.to_string(),
            body: String::from_utf8_lossy(&body).into_owned(),
        })?;
        Ok(Written {
            value,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    async fn write<B: serde::Serialize, T: DeserializeOwned>(
        &self,
        url: Url,
        idempotency_key: &str,
        body: &B,
    ) -> Result<Written<T>, Error> {
        self.write_bytes(url, idempotency_key, json_bytes(body)?)
            .await
    }

    /// signs in by IIN and password; the token is kept for the next calls.
    pub async fn sign_in(
        &mut self,
        iin: &Iin,
        password: &str,
    ) -> Result<wire::SignInResponse, Error> {
        let url = self.url("/api/v1/auth/sign-in")?;
        let body = wire::SignInRequest {
            iin: iin.to_string(),
            password: password.to_string(),
        };
        let answer = self.post_json(url, &body).await.map_err(|e| match e {
            Error::SignInRequired { code } if code == wire::codes::CREDENTIALS_INVALID => {
                Error::CredentialsInvalid
            }
            e => e,
        })?;
        Ok(self.keep_token(answer))
    }

    /// A sign-in's answer: its token is kept for the next calls.
    fn keep_token(&mut self, answer: wire::SignInResponse) -> wire::SignInResponse {
        self.token = Some(SecretString::from(answer.token.clone()));
        answer
    }

    /// R-1, sign-in by EDS: a fresh challenge to sign with the authentication key.
    pub async fn eds_challenge(&self) -> Result<wire::EdsChallenge, Error> {
        let url = self.url("/api/v1/auth/eds/challenge")?;
        let (_, _, body) = self.send(self.request(Method::POST, url)).await?;
        parse(&body)
    }

    /// R-1, sign-in by EDS: the challenge and the detached CMS over its bytes (base64);
    /// the token is kept for the next calls.
    pub async fn eds_sign_in(
        &mut self,
        challenge: &str,
        cms_base64: &str,
    ) -> Result<wire::SignInResponse, Error> {
        let url = self.url("/api/v1/auth/eds/sign-in")?;
        let body = wire::EdsSignInRequest {
            challenge: challenge.to_string(),
            cms_base64: cms_base64.to_string(),
        };
        let answer = self.post_json(url, &body).await?;
        Ok(self.keep_token(answer))
    }

    /// The portal session a sign-in elsewhere made (an EDS sign-in in the window): this
    /// client calls with its token from now on.
    pub fn use_token(&mut self, token: &str) {
        self.token = Some(SecretString::from(token.to_string()));
    }

    /// The school's applications changed after `after` (from the start when `None`).
    pub async fn changes(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<wire::ChangesPage, Error> {
        let mut url = self.url("/api/v1/changes")?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(a) = after {
                q.append_pair("after", a);
            }
            q.append_pair("limit", &limit.to_string());
        }
        self.get_json(url).await
    }

    /// [`PortalClient::changes`] with each item left as the portal sent it.
    pub async fn changes_raw(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<RawChangesPage, Error> {
        let mut url = self.url("/api/v1/changes")?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(a) = after {
                q.append_pair("after", a);
            }
            q.append_pair("limit", &limit.to_string());
        }
        self.get_json(url).await
    }

    pub async fn application(&self, id: &str) -> Result<wire::Application, Error> {
        let url = self.url(&format!("/api/v1/applications/{}", segment(id)))?;
        self.get_json(url).await
    }

    /// A document's bytes, refused when longer than `max_bytes` (read in chunks, never
    /// more than that is held).
    pub async fn document(
        &self,
        application_id: &str,
        document_id: &str,
        max_bytes: u64,
    ) -> Result<Vec<u8>, Error> {
        let url = self.url(&format!(
            "/api/v1/applications/{}/documents/{}",
            segment(application_id),
            segment(document_id)
        ))?;
        let mut resp = self
            .request(Method::GET, url)
            .send()
            .await
            .map_err(|e| from_transport(&e))?;
        let status = resp.status();
        if !status.is_success() {
            let headers = resp.headers().clone();
            let body = resp.bytes().await.map_err(|e| from_transport(&e))?;
            return Err(status_error(status, &headers, &body));
        }
        read_capped(&mut resp, max_bytes, || Error::Protocol {
            detail: format!("document {document_id} is over {max_bytes} bytes"),
        })
        .await
    }

    /// a signed decision, sent under its idempotency key.
    pub async fn decide(
        &self,
        application_id: &str,
        idempotency_key: &str,
        request: &wire::DecisionRequest,
    ) -> Result<Written<wire::DecisionResponse>, Error> {
        self.decide_bytes(application_id, idempotency_key, json_bytes(request)?)
            .await
    }

    /// A decision whose request bytes were kept with its outbox entry, sent as they are.
    pub async fn decide_bytes(
        &self,
        application_id: &str,
        idempotency_key: &str,
        bytes: Vec<u8>,
    ) -> Result<Written<wire::DecisionResponse>, Error> {
        let url = self.url(&format!(
            "/api/v1/applications/{}/decisions",
            segment(application_id)
        ))?;
        self.write_bytes(url, idempotency_key, bytes).await
    }

    /// An on-behalf submission whose request bytes were kept, sent as they are.
    pub async fn submit_on_behalf_bytes(
        &self,
        idempotency_key: &str,
        bytes: Vec<u8>,
    ) -> Result<Written<wire::OnBehalfResponse>, Error> {
        let url = self.url("/api/v1/applications")?;
        self.write_bytes(url, idempotency_key, bytes).await
    }

    /// R-8…R-14: an application entered at the desk, sent under its idempotency key.
    pub async fn submit_on_behalf(
        &self,
        idempotency_key: &str,
        request: &wire::OnBehalfRequest,
    ) -> Result<Written<wire::OnBehalfResponse>, Error> {
        self.submit_on_behalf_bytes(idempotency_key, json_bytes(request)?)
            .await
    }

    pub async fn schools(&self) -> Result<wire::SchoolList, Error> {
        self.get_json(self.url("/api/v1/schools")?).await
    }

    pub async fn micro_districts(&self) -> Result<wire::MicroDistrictList, Error> {
        self.get_json(self.url("/api/v1/micro-districts")?).await
    }

    pub async fn reference(&self) -> Result<wire::Reference, Error> {
        self.get_json(self.url("/api/v1/reference")?).await
    }

    /// A reference list (`/api/v1/schools`, `/api/v1/micro-districts`,
    /// `/api/v1/reference`) unless it is unchanged since `etag`.
    pub async fn reference_if_changed<T: DeserializeOwned>(
        &self,
        path: &str,
        etag: Option<&str>,
    ) -> Result<Conditional<T>, Error> {
        self.get_conditional(self.url(path)?, etag).await
    }

    /// R-2, the first sign-in: the staff member's e-mail; the portal sends a code to it.
    pub async fn send_staff_email_code(&self, email: &str) -> Result<wire::CodeSent, Error> {
        let url = self.url("/api/v1/staff/email")?;
        let body = wire::StaffEmailRequest {
            email: email.to_string(),
        };
        self.post_json(url, &body).await
    }

    /// the code from the e-mail confirms it; the answer is the staff member.
    pub async fn confirm_staff_email(
        &self,
        code_id: &str,
        code: &str,
    ) -> Result<wire::StaffMember, Error> {
        let url = self.url("/api/v1/staff/email/confirm")?;
        let body = wire::StaffEmailConfirm {
            code_id: code_id.to_string(),
            code: code.to_string(),
        };
        self.post_json(url, &body).await
    }
}

/// A request's JSON bytes, as they are sent (and kept with an outbox entry).
fn json_bytes(body: &impl serde::Serialize) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(body).map_err(|e| Error::Protocol {
        detail: e.to_string(),
    })
}

/// The answer's body, read in chunks and refused with `too_large()` as soon as it is over
/// `cap` bytes (a `Content-Length` over it is refused before any is read): never more
/// than `cap` is held.
async fn read_capped(
    resp: &mut reqwest::Response,
    cap: u64,
    too_large: impl Fn() -> Error,
) -> Result<Vec<u8>, Error> {
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| from_transport(&e))? {
        if (body.len() + chunk.len()) as u64 > cap {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// An id as one path segment.
fn segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| Error::Protocol {
        detail: e.to_string(),
    })
}

/// `Retry-After` as seconds or an HTTP date, capped at an hour.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = match v.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => httpdate::parse_http_date(v)
            .ok()?
            .duration_since(SystemTime::now())
            .unwrap_or_default(),
    };
    Some(wait.min(Duration::from_secs(3600)))
}

/// A non-2xx answer. 5xx, 408, 425 and 429 pass (with the portal's `Retry-After`), 401
/// asks for sign-in, and a refusal is final only when it is the portal's own: a
/// problem+json with a code of the contract. Anything else — a proxy's or gateway's HTML
/// 403 or 413, an unknown code — is passing trouble on the way, never a refusal
/// (issue 12).
pub(crate) fn status_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
    let problem: Option<wire::Problem> = serde_json::from_slice(body)
        .ok()
        .filter(|p: &wire::Problem| wire::codes::is_known(&p.code));
    let code = problem
        .as_ref()
        .map(|p| p.code.clone())
        .unwrap_or_else(|| format!("HTTP_{}", status.as_u16()));
    let wait = retry_after(headers);
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Error::Busy { retry_after: wait };
    }
    if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT || status.as_u16() == 425 {
        return Error::Unavailable {
            status: status.as_u16(),
            code,
            retry_after: wait,
        };
    }
    if status == StatusCode::UNAUTHORIZED {
        return Error::SignInRequired { code };
    }
    let text = String::from_utf8_lossy(body).into_owned();
    match problem {
        Some(problem) => Error::Refused {
            status: status.as_u16(),
            problem: Box::new(problem),
            body: text,
        },
        None => Error::Gateway {
            status: status.as_u16(),
            detail: text.chars().take(200).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_token_is_a_secret_never_printed() {
        let mut client =
            PortalClient::new("http://127.0.0.1:9", &ClientConfig::default()).expect("client");
        client.use_token("tok-secret-4242");
        assert!(client.signed_in());
        let printed = format!("{client:?}");
        assert!(!printed.contains("tok-secret-4242"), "{printed}");
        assert!(printed.contains("REDACTED"), "{printed}");
        let url = client.url("/api/v1/schools").expect("url");
        let request = client.request(Method::GET, url).build().expect("request");
        let bearer = request.headers().get(AUTHORIZATION).expect("bearer");
        assert!(bearer.is_sensitive(), "kept out of reqwest's logs");
        assert_eq!(bearer.to_str().ok(), Some("Bearer tok-secret-4242"));
        assert!(!format!("{:?}", request.headers()).contains("tok-secret-4242"));
        client.sign_out();
        assert!(!client.signed_in());
    }
}
