//! Opening the clerk's key for one signing session: a PKCS#11 token or an NCA
//! `.p12` file. The PIN or password comes in, is held in zeroizing memory for the
//! session, and is never written anywhere.

use crate::Error;
use crate::picked_files::{FilePurpose, PickedFiles};
use crate::views::{KeyChoice, TokenCertificateView, TokenView};
use signing::{KeySource, Signer, TokenTarget, Zeroizing};
use std::path::{Path, PathBuf};

/// Opens the key the clerk chose. The secret is consumed. A key file is the one the
/// dialog picked (`files`, issue 15): its bytes as read then, parsed here with the
/// password, never a path from the window.
pub fn open_signer(
    choice: KeyChoice,
    files: &PickedFiles,
    secret: Zeroizing<String>,
) -> Result<Box<dyn Signer>, Error> {
    let source = match choice {
        KeyChoice::Token {
            module,
            token_label,
        } => {
            let module = if module.is_empty() {
                default_module().unwrap_or_default()
            } else {
                PathBuf::from(module)
            };
            KeySource::Token(TokenTarget {
                module,
                token_label,
            })
        }
        KeyChoice::KeyFile { file } => {
            let bytes = files.get(&file, FilePurpose::KeyFile)?.usable()?;
            return Ok(Box::new(signing::P12Signer::from_bytes(bytes, secret)?));
        }
    };
    Ok(signing::open_signer(&source, secret)?)
}

/// The first PKCS#11 module installed on this machine (configured vendor modules first).
pub fn default_module() -> Option<PathBuf> {
    std::env::var_os("QABYLDAU_PKCS11_MODULE")
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .or_else(|| signing::installed_module_paths().into_iter().next())
}

/// The tokens a module sees, with their certificates, for the signing dialog. No PIN.
pub fn tokens(module: Option<&Path>) -> Result<Vec<TokenView>, Error> {
    let Some(module) = module.map(Path::to_path_buf).or_else(default_module) else {
        return Ok(Vec::new());
    };
    let listings = signing::list_tokens(&module)?;
    Ok(listings
        .into_iter()
        // An empty slot's token that was never initialised (SoftHSM2 always has one) holds
        // no key: the signing dialog does not offer it.
        .filter(|t| t.flags.initialized)
        .map(|t| TokenView {
            module: module.display().to_string(),
            label: t.label,
            serial: t.serial,
            manufacturer: t.manufacturer,
            pin_count_low: t.flags.pin.count_low,
            pin_final_try: t.flags.pin.final_try,
            pin_locked: t.flags.pin.locked,
            certificates: t
                .certificates
                .into_iter()
                .filter_map(|c| c.facts.ok())
                .map(|f| TokenCertificateView {
                    subject: f.subject,
                    owner_iin: f.owner_iin.map(|i| i.to_string()),
                    common_name: f.common_name,
                    not_after: f.not_after.date().to_string(),
                    signing: f.key_purpose == signing::KeyPurpose::Signing,
                })
                .collect(),
        })
        .collect())
}
