//! Opening the clerk's key for one signing session: a PKCS#11 token or an NCA
//! `.p12` file. The PIN or password comes in, is held in zeroizing memory for the
//! session, and is never written anywhere.

use crate::Error;
use crate::settings::{ModuleList, Pkcs11Module};
use crate::views::{KeyChoice, TokenCertificateView, TokenView};
use signing::{KeySource, Signer, TokenTarget, Zeroizing};
use std::path::PathBuf;

/// Opens the key the clerk chose. The secret is consumed. A token's module is one of
/// `modules` named by its id (an empty id: the first module present); a path from the
/// window never reaches the PKCS#11 loader (issue 15).
pub fn open_signer(
    modules: &ModuleList,
    choice: KeyChoice,
    secret: Zeroizing<String>,
) -> Result<Box<dyn Signer>, Error> {
    let source = match choice {
        KeyChoice::Token {
            module,
            token_label,
        } => {
            let chosen = if module.is_empty() {
                modules
                    .default_module()
                    .ok_or(Error::Pkcs11ModuleUnknown { id: module })?
            } else {
                modules.get(&module)?
            };
            KeySource::Token(TokenTarget {
                module: chosen.path.clone(),
                token_label,
            })
        }
        KeyChoice::KeyFile { path } => KeySource::KeyFile(PathBuf::from(path)),
    };
    Ok(signing::open_signer(&source, secret)?)
}

/// The tokens of every module present, with their certificates, for the signing dialog.
/// No PIN. A module that fails to load is skipped while another answers; when none
/// does, the first failure is the answer.
pub fn tokens(modules: &ModuleList) -> Result<Vec<TokenView>, Error> {
    let mut all = Vec::new();
    let mut first_error = None;
    let mut answered = false;
    for m in modules.present() {
        match module_tokens(m) {
            Ok(list) => {
                answered = true;
                all.extend(list);
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) if !answered => Err(e),
        _ => Ok(all),
    }
}

/// The tokens one module sees (the settings screen's «test»).
pub fn module_tokens(module: &Pkcs11Module) -> Result<Vec<TokenView>, Error> {
    let id = module.id.clone();
    let module = module.path.clone();
    let listings = signing::list_tokens(&module)?;
    Ok(listings
        .into_iter()
        // An empty slot's token that was never initialised (SoftHSM2 always has one) holds
        // no key: the signing dialog does not offer it.
        .filter(|t| t.flags.initialized)
        .map(|t| TokenView {
            module: id.clone(),
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
