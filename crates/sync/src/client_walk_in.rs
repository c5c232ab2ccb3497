//! What the walk-in wizard asks the portal while the parent is at the desk (issue 11):
//! the population register, the address register, confirmation codes
//! and the clerk's signed binding of an address to a micro-district (R-15…R-17),
//! which goes through the outbox like every signed act.

use super::{PortalClient, Written, segment};
use crate::error::Error;
use portal_api as wire;

impl PortalClient {
    /// R-15…R-17: a binding whose request bytes were kept with its outbox entry.
    pub async fn bind_micro_district_bytes(
        &self,
        idempotency_key: &str,
        bytes: Vec<u8>,
    ) -> Result<Written<wire::BindingResponse>, Error> {
        let url = self.url("/api/v1/micro-district-bindings")?;
        self.write_bytes(url, idempotency_key, bytes).await
    }

    /// a person of the population register by IIN (`PERSON_NOT_FOUND`).
    pub async fn register_person(&self, iin: &str) -> Result<wire::RegisterPerson, Error> {
        let url = self.url(&format!("/api/v1/register/persons/{}", segment(iin)))?;
        self.get_json(url).await
    }

    /// addresses of the register by street (kk or ru) and house prefix.
    pub async fn search_addresses(
        &self,
        street: &str,
        house: &str,
        limit: u32,
    ) -> Result<wire::AddressList, Error> {
        let mut url = self.url("/api/v1/addresses")?;
        url.query_pairs_mut()
            .append_pair("street", street)
            .append_pair("house", house)
            .append_pair("limit", &limit.clamp(1, 100).to_string());
        self.get_json(url).await
    }

    /// sends a 4-digit code by SMS (`sms`) or e-mail (`email`).
    pub async fn send_code(
        &self,
        idempotency_key: &str,
        channel: &str,
        destination: &str,
    ) -> Result<wire::CodeSent, Error> {
        let url = self.url("/api/v1/confirmation-codes")?;
        let body = wire::CodeRequest {
            channel: channel.to_string(),
            destination: destination.to_string(),
        };
        Ok(self.write(url, idempotency_key, &body).await?.value)
    }

    /// the code the parent read out (`CODE_INCORRECT`, `CODE_EXPIRED`,
    /// `CODE_ATTEMPTS_EXCEEDED`).
    pub async fn check_code(
        &self,
        idempotency_key: &str,
        code_id: &str,
        code: &str,
    ) -> Result<wire::CodeChecked, Error> {
        let url = self.url(&format!(
            "/api/v1/confirmation-codes/{}/check",
            segment(code_id)
        ))?;
        let body = wire::CodeCheckRequest {
            code: code.to_string(),
        };
        Ok(self.write(url, idempotency_key, &body).await?.value)
    }
}
