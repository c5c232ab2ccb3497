//! What the window shows of a document before it is attached and in the application's
//! documents tab (R-5 «view», R-23 the readability check): an image as a `data:` URL
//! (the window's CSP allows `img-src data:`, nothing else is loosened), a PDF as a card
//! with its pages — the webview has no PDF viewer and `object-src` stays `'none'`, so a
//! PDF is opened in the system's viewer from «Жүктеу» when its pages must be read.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A preview of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentPreviewView {
    pub file_name: String,
    pub media_type: String,
    pub size: u32,
    /// `data:image/…;base64,…` for a JPEG or PNG, from its bytes.
    pub image: Option<String>,
    /// The number of pages of a PDF that parses; `None` for an image or a damaged PDF.
    pub pdf_pages: Option<u32>,
    /// A PDF that does not parse (it would not open at the school either).
    pub pdf_damaged: bool,
}

/// The preview of `bytes`, typed by their first bytes (never by the name).
pub fn preview(file_name: &str, bytes: &[u8]) -> DocumentPreviewView {
    let media_type =
        crate::picked_files::sniff_media_type(bytes).unwrap_or("application/octet-stream");
    let mut view = DocumentPreviewView {
        file_name: file_name.to_string(),
        media_type: media_type.to_string(),
        size: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
        image: None,
        pdf_pages: None,
        pdf_damaged: false,
    };
    if media_type.starts_with("image/") {
        view.image = Some(format!("data:{media_type};base64,{}", BASE64.encode(bytes)));
    } else if media_type == "application/pdf" {
        match lopdf::Document::load_mem(bytes) {
            Ok(doc) => {
                view.pdf_pages = Some(u32::try_from(doc.get_pages().len()).unwrap_or(u32::MAX))
            }
            Err(_) => view.pdf_damaged = true,
        }
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_is_a_data_url_and_a_pdf_a_card_with_its_pages() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let p = preview("scan.png", png);
        assert_eq!(p.media_type, "image/png");
        assert!(
            p.image
                .as_deref()
                .is_some_and(|u| u.starts_with("data:image/png;base64,"))
        );
        let fake = preview("fake.pdf", b"%PDF-1.7\nBBBB");
        assert_eq!(
            (fake.pdf_pages, fake.pdf_damaged, fake.image),
            (None, true, None)
        );
        let exe = preview("virus.pdf", b"MZ\x90\0");
        assert_eq!(exe.media_type, "application/octet-stream");
        assert_eq!((exe.image, exe.pdf_pages), (None, None));
    }
}
