//! Saving a document of the "General documents" tab to disk (R-5 «Жүктеу»): the decision's
//! `.p7s`, the files the applicant attached. Only what is cached in the journal opens
//! offline; the rest is refused with `DOCUMENT_NOT_CACHED`.

use crate::views::DocumentView;
use crate::{Desk, Error};
use domain::{DocumentKind, DocumentMeta};
use sha2::{Digest, Sha256};
use store::DocumentRecord;

/// The document a signed act keeps of its signature (R-5: the `.p7s` of the general
/// documents tab): a decision's, a submission's, a corrected submission's.
pub(crate) fn signature_document(id: String, file_name: String, cms: &[u8]) -> DocumentMeta {
    DocumentMeta {
        id,
        kind: DocumentKind::Signature,
        file_name,
        media_type: "application/pkcs7-signature".into(),
        size: cms.len() as u64,
        sha256: hex::encode(Sha256::digest(cms)),
    }
}

/// The view of one stored document, as the documents tab lists it.
pub(crate) fn document_view(d: DocumentRecord) -> DocumentView {
    DocumentView {
        id: d.id,
        kind: d.kind.as_str().to_string(),
        file_name: d.file_name,
        media_type: d.media_type,
        size: u32::try_from(d.size).unwrap_or(u32::MAX),
        generated: d.generated,
        cached: d.cached,
    }
}

impl Desk {
    /// One document of an application with its bytes. `DOCUMENT_NOT_FOUND` when the
    /// application has no such document, `DOCUMENT_NOT_CACHED` when its bytes are not on
    /// this computer (fetched from the portal when online).
    pub fn document(
        &self,
        application_id: &str,
        document_id: &str,
    ) -> Result<(DocumentView, Vec<u8>), Error> {
        let record = self
            .store()
            .documents(application_id)?
            .into_iter()
            .find(|d| d.id == document_id)
            .ok_or_else(|| store::Error::DocumentNotFound {
                id: document_id.to_string(),
            })?;
        let content = self
            .store()
            .document_content(application_id, document_id)?
            .ok_or_else(|| Error::DocumentNotCached {
                file_name: record.file_name.clone(),
            })?;
        Ok((document_view(record), content))
    }
}
