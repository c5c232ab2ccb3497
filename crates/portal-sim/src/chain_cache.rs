//! Certificate paths the portal has verified, kept for the next signature by the same
//! certificate (issue 12). A clerk signs every decision with one certificate, and the
//! path from it to a trust anchor — each issuer's signature over its child, the CA flags
//! — does not change: only whether every certificate of the path is valid at the time
//! asked. So a path verified once is reused while the time asked lies within all of its
//! certificates' validity; any other time, and every failure, is verified afresh.
//! The anchors are fixed when the portal starts, so a kept path cannot outlive them.

use crate::lock;
use sha2::{Digest, Sha256};
use signing::{CertificateFacts, Error};
use std::collections::HashMap;
use std::sync::Mutex;
use time::OffsetDateTime;

/// At most this many paths are kept; beyond it the cache starts over.
const MAX_PATHS: usize = 4096;

struct Kept {
    path: Vec<CertificateFacts>,
    valid_from: OffsetDateTime,
    valid_to: OffsetDateTime,
}

#[derive(Default)]
pub(crate) struct ChainCache {
    kept: Mutex<HashMap<[u8; 32], Kept>>,
}

fn key(leaf: &[u8], intermediates: &[Vec<u8>]) -> [u8; 32] {
    let mut h = Sha256::new();
    for der in std::iter::once(leaf).chain(intermediates.iter().map(Vec::as_slice)) {
        h.update((der.len() as u64).to_be_bytes());
        h.update(der);
    }
    h.finalize().into()
}

impl ChainCache {
    /// [`signing::verify_chain`] of `leaf` through `intermediates` to `anchors` at `at`,
    /// from the kept paths when one covers `at`.
    pub(crate) fn verify(
        &self,
        leaf: &[u8],
        intermediates: &[Vec<u8>],
        anchors: &[Vec<u8>],
        at: OffsetDateTime,
    ) -> Result<Vec<CertificateFacts>, Error> {
        let k = key(leaf, intermediates);
        if let Some(kept) = lock(&self.kept).get(&k)
            && kept.valid_from <= at
            && at <= kept.valid_to
        {
            return Ok(kept.path.clone());
        }
        let path = signing::verify_chain(leaf, intermediates, anchors, at)?;
        let valid_from = path.iter().map(|f| f.not_before).max();
        let valid_to = path.iter().map(|f| f.not_after).min();
        if let (Some(valid_from), Some(valid_to)) = (valid_from, valid_to) {
            let mut kept = lock(&self.kept);
            if kept.len() >= MAX_PATHS {
                kept.clear();
            }
            kept.insert(
                k,
                Kept {
                    path: path.clone(),
                    valid_from,
                    valid_to,
                },
            );
        }
        Ok(path)
    }
}
