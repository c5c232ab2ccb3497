//! Several decisions in one request (issue 12, `POST /api/v1/decision-batches`): each
//! item is the single decision request with its key and exact bytes, and each answer is
//! what the single request would have got.

use super::{PortalClient, Written, status_error};
use crate::error::Error;
use portal_api as wire;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};

/// One decision of a batch, as its outbox entry keeps it.
#[derive(Debug, Clone, Copy)]
pub struct BatchDecision<'a> {
    pub application_id: &'a str,
    pub idempotency_key: &'a str,
    /// The kept request bytes (valid JSON: the push reads them before sending).
    pub bytes: &'a [u8],
}

/// The batch's body: the kept bytes of each request written in as they are, so that the
/// portal holds each key to exactly the bytes the single request sends.
pub(crate) fn batch_body(items: &[BatchDecision<'_>]) -> Result<Vec<u8>, Error> {
    let text = |s: &str| {
        serde_json::to_vec(s).map_err(|e| Error::Protocol {
            detail: e.to_string(),
        })
    };
    let mut out = b"{\"items\":[".to_vec();
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"application_id\":");
        out.extend(text(item.application_id)?);
        out.extend_from_slice(b",\"idempotency_key\":");
        out.extend(text(item.idempotency_key)?);
        out.extend_from_slice(b",\"request\":");
        out.extend_from_slice(item.bytes);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
    Ok(out)
}

/// One item's answer as the single request's: 2xx read as the decision's answer (a body
/// that does not read is [`Error::AnswerUnreadable`]), anything else the error the
/// single request would have been.
fn item_answer(
    answer: &wire::DecisionBatchAnswer,
) -> Result<Written<wire::DecisionResponse>, Error> {
    let body = answer.body.get();
    let status = StatusCode::from_u16(answer.status).map_err(|_| Error::Protocol {
        detail: format!("an item's status {}", answer.status),
    })?;
    if !status.is_success() {
        return Err(status_error(status, &HeaderMap::new(), body.as_bytes()));
    }
    match serde_json::from_str(body) {
        Ok(value) => Ok(Written {
            value,
            body: body.to_string(),
        }),
        Err(e) => Err(Error::AnswerUnreadable {
            status: answer.status,
            detail: e.to_string(),
            body: body.to_string(),
        }),
    }
}

impl PortalClient {
    /// R-6, R-7, R-33: several decisions in one request. `Ok` holds each item's answer in
    /// order; `Err` is the batch's own trouble (nothing of it is known to be written:
    /// sent again, the keys give the stored answers).
    pub async fn decide_batch(
        &self,
        items: &[BatchDecision<'_>],
    ) -> Result<Vec<Result<Written<wire::DecisionResponse>, Error>>, Error> {
        let url = self.url("/api/v1/decision-batches")?;
        let req = self
            .request(Method::POST, url)
            .header(CONTENT_TYPE, "application/json")
            .body(batch_body(items)?);
        let (status, _, body) = self.send(req).await?;
        let answer: wire::DecisionBatchResponse =
            serde_json::from_slice(&body).map_err(|e| Error::AnswerUnreadable {
                status: status.as_u16(),
                detail: e.to_string(),
                body: String::from_utf8_lossy(&body).into_owned(),
            })?;
        if answer.items.len() != items.len() {
            return Err(Error::AnswerUnreadable {
                status: status.as_u16(),
                detail: format!(
                    "{} answers to {} decisions",
                    answer.items.len(),
                    items.len()
                ),
                body: String::from_utf8_lossy(&body).into_owned(),
            });
        }
        Ok(answer.items.iter().map(item_answer).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kept_bytes_go_into_the_batch_as_they_are() {
        let kept = br#"{"decision":"accept", "base_version":3}"#;
        let body = batch_body(&[BatchDecision {
            application_id: "app-\"1\"",
            idempotency_key: "k-1",
            bytes: kept,
        }])
        .expect("body");
        let read: wire::DecisionBatchRequest = serde_json::from_slice(&body).expect("reads");
        assert_eq!(read.items[0].application_id, "app-\"1\"");
        assert_eq!(read.items[0].idempotency_key, "k-1");
        assert_eq!(
            read.items[0].request.get().as_bytes(),
            kept,
            "byte for byte"
        );
    }
}
