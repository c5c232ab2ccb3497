//! `GET /admin/decisions` (loopback only): every decision the portal recorded, with the
//! staff member whose session sent it and the owner of the certificate that signed it
//! (read back from the stored CMS), newest last. Tests use it to see who signed what.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Serialize;

use crate::AppState;
use crate::error::Error;

#[derive(Debug, Serialize)]
struct RecordedDecision {
    id: String,
    application_id: String,
    decision: String,
    /// The signed-in staff member whose session sent it.
    staff_iin: String,
    /// The certificate's owner (`SERIALNUMBER=IIN…`) in its CMS.
    signer_iin: Option<String>,
    signer_subject: Option<String>,
    decided_at: String,
}

pub async fn decisions(State(sim): State<AppState>) -> Response {
    let rows = (|| -> Result<Vec<RecordedDecision>, Error> {
        let conn = sim.db();
        let mut stmt = conn.prepare(
            "SELECT id, application_id, decision, staff_iin, payload_base64, cms_base64, decided_at
             FROM decisions ORDER BY rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, application_id, decision, staff_iin, payload, cms, decided_at) = row?;
            let signer = B64
                .decode(payload)
                .ok()
                .zip(B64.decode(cms).ok())
                .and_then(|(p, c)| signing::verify_detached(&p, &c, None).ok())
                .map(|v| v.signer);
            out.push(RecordedDecision {
                id,
                application_id,
                decision,
                staff_iin,
                signer_iin: signer
                    .as_ref()
                    .and_then(|s| s.owner_iin.map(|i| i.to_string())),
                signer_subject: signer.map(|s| s.subject),
                decided_at,
            });
        }
        Ok(out)
    })();
    match rows.and_then(|r| serde_json::to_string(&r).map_err(Error::from)) {
        Ok(body) => crate::respond(axum::http::StatusCode::OK, "application/json", body),
        Err(e) => e.into_response(),
    }
}
