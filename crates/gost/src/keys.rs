//! Keys and signatures in NCA's encodings (see `FORMAT.md`).

use crypto_bigint::{CtSelect, U512};
use rand_core::CryptoRng;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::curve::{Curve, Point, from_le, le_64};
use crate::{Error, KeySize, ParamSet};

/// The Streebog (GOST 34.11-2015) digest of `message` in the size that goes with `size`
/// (32 bytes for 256-bit keys, 64 for 512-bit keys), bytes as the `streebog` crate (and
/// NCA) write them.
pub fn digest(size: KeySize, message: &[u8]) -> Vec<u8> {
    use streebog::Digest;
    match size {
        KeySize::Bits256 => streebog::Streebog256::digest(message).to_vec(),
        KeySize::Bits512 => streebog::Streebog512::digest(message).to_vec(),
    }
}

/// A GOST signature `(r, s)`. NCA writes it as `r‖s`, each half little-endian of the key
/// size's length (64 bytes for 256-bit keys, 128 for 512-bit keys).
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    size: KeySize,
    r: U512,
    s: U512,
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signature")
            .field("size", &self.size)
            .field("nca_bytes", &hex::encode(self.to_nca_bytes()))
            .finish()
    }
}

impl Signature {
    /// A signature from NCA's `r‖s` bytes (the contents of a certificate's signature
    /// BIT STRING, or of a CMS SignerInfo's signature OCTET STRING).
    pub fn from_nca_bytes(size: KeySize, bytes: &[u8]) -> Result<Signature, Error> {
        let n = size.byte_len();
        if bytes.len() != 2 * n {
            return Err(Error::SignatureLength {
                got: bytes.len(),
                expected: 2 * n,
            });
        }
        Ok(Signature {
            size,
            r: from_le(&bytes[..n]),
            s: from_le(&bytes[n..]),
        })
    }

    /// NCA's `r‖s` bytes.
    pub fn to_nca_bytes(&self) -> Vec<u8> {
        let n = self.size.byte_len();
        let mut out = Vec::with_capacity(2 * n);
        out.extend_from_slice(&le_64(&self.r)[..n]);
        out.extend_from_slice(&le_64(&self.s)[..n]);
        out
    }

    /// The key size this signature belongs to.
    pub fn size(&self) -> KeySize {
        self.size
    }

    /// `r` as big-endian bytes of the key size's length (as the standard prints it).
    pub fn r_be(&self) -> Vec<u8> {
        be(&self.r, self.size.byte_len())
    }

    /// `s` as big-endian bytes of the key size's length (as the standard prints it).
    pub fn s_be(&self) -> Vec<u8> {
        be(&self.s, self.size.byte_len())
    }
}

/// A GOST public key: a point of the curve's prime-order subgroup.
#[derive(Clone)]
pub struct VerifyingKey {
    set: ParamSet,
    x: U512,
    y: U512,
    point: Point,
}

impl PartialEq for VerifyingKey {
    fn eq(&self, other: &Self) -> bool {
        self.set == other.set && self.x == other.x && self.y == other.y
    }
}
impl Eq for VerifyingKey {}

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("set", &self.set)
            .field("nca_bytes", &hex::encode(self.to_nca_bytes()))
            .finish()
    }
}

impl VerifyingKey {
    /// A public key from NCA's `x‖y` bytes, each coordinate little-endian of the key
    /// size's length: the contents of the OCTET STRING inside a SubjectPublicKeyInfo's
    /// BIT STRING. Refused unless the point is on the curve and in its subgroup.
    pub fn from_nca_bytes(set: ParamSet, bytes: &[u8]) -> Result<VerifyingKey, Error> {
        let curve = Curve::of(set);
        let n = curve.byte_len;
        if bytes.len() != 2 * n {
            return Err(Error::PublicKey);
        }
        let (x, y) = (from_le(&bytes[..n]), from_le(&bytes[n..]));
        let point = curve.checked_point(&x, &y).ok_or(Error::PublicKey)?;
        Ok(VerifyingKey { set, x, y, point })
    }

    /// NCA's `x‖y` bytes.
    pub fn to_nca_bytes(&self) -> Vec<u8> {
        let n = self.set.size().byte_len();
        let mut out = Vec::with_capacity(2 * n);
        out.extend_from_slice(&le_64(&self.x)[..n]);
        out.extend_from_slice(&le_64(&self.y)[..n]);
        out
    }

    /// The curve of this key.
    pub fn param_set(&self) -> ParamSet {
        self.set
    }

    /// Verifies a signature over `message`: Streebog of the key's size, then
    /// [`VerifyingKey::verify_digest`].
    pub fn verify(&self, message: &[u8], signature: &Signature) -> Result<(), Error> {
        self.verify_digest(&digest(self.set.size(), message), signature)
    }

    /// Verifies a signature over a digest (GOST R 34.10-2012 §6.2; the digest read as a
    /// little-endian number).
    pub fn verify_digest(&self, digest: &[u8], signature: &Signature) -> Result<(), Error> {
        let curve = Curve::of(self.set);
        let n = curve.byte_len;
        if signature.size != self.set.size() {
            return Err(Error::SignatureLength {
                got: 2 * signature.size.byte_len(),
                expected: 2 * n,
            });
        }
        let e = digest_scalar(curve, digest)?;
        let q = curve.q.as_ref();
        let (r, s) = (&signature.r, &signature.s);
        if r.is_zero().to_bool() || s.is_zero().to_bool() || r >= q || s >= q {
            return Err(Error::BadSignature);
        }
        let e = curve.scalar(&e);
        let v = Option::from(e.invert()).ok_or(Error::BadSignature)?;
        let z1 = curve.scalar(s).mul(&v).retrieve();
        let z2 = curve.scalar(r).mul(&v).neg().retrieve();
        let c = curve.mul_sum(curve.base(), &le_64(&z1), &self.point, &le_64(&z2));
        let (x, _) = curve.to_affine(&c).ok_or(Error::BadSignature)?;
        if x.rem(&curve.q) == *r {
            Ok(())
        } else {
            Err(Error::BadSignature)
        }
    }
}

/// A GOST private key. Its scalar is zeroized on drop and never printed.
#[derive(Clone)]
pub struct SigningKey {
    d: U512,
    public: VerifyingKey,
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.d.zeroize();
    }
}
impl ZeroizeOnDrop for SigningKey {}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A private key from NCA's bytes: the scalar `d`, little-endian, of the key size's
    /// length (the contents of the OCTET STRING inside a PrivateKeyInfo's privateKey).
    /// Refused unless `0 < d < q`. Derives the public key.
    pub fn from_nca_bytes(set: ParamSet, bytes: &[u8]) -> Result<SigningKey, Error> {
        let curve = Curve::of(set);
        if bytes.len() != curve.byte_len {
            return Err(Error::PrivateKey);
        }
        let mut d = from_le(bytes);
        if d.is_zero().to_bool() || &d >= curve.q.as_ref() {
            d.zeroize();
            return Err(Error::PrivateKey);
        }
        let mut d_le = le_64(&d);
        let point = curve.mul_base(&d_le);
        d_le.zeroize();
        let (x, y) = curve.to_affine(&point).ok_or(Error::PrivateKey)?;
        let public = VerifyingKey { set, x, y, point };
        Ok(SigningKey { d, public })
    }

    /// The public key of this private key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.public
    }

    /// The curve of this key.
    pub fn param_set(&self) -> ParamSet {
        self.public.set
    }

    /// Signs `message`: Streebog of the key's size, then [`SigningKey::sign_digest`].
    pub fn sign(&self, message: &[u8], rng: &mut impl CryptoRng) -> Result<Signature, Error> {
        self.sign_digest(&digest(self.param_set().size(), message), rng)
    }

    /// Signs a digest (GOST R 34.10-2012 §6.1; the digest read as a little-endian
    /// number). The nonce `k` is drawn from `rng`: the key size's length in bytes,
    /// little-endian, masked to the bit length of q and drawn again until `0 < k < q`.
    pub fn sign_digest(&self, digest: &[u8], rng: &mut impl CryptoRng) -> Result<Signature, Error> {
        let curve = Curve::of(self.param_set());
        let n = curve.byte_len;
        let excess = (8 * n as u32).saturating_sub(curve.q_bits);
        let mask = 0xffu8 >> excess.min(7);
        self.sign_with_nonces(digest, |k_le| {
            rng.fill_bytes(&mut k_le[..n]);
            k_le[n - 1] &= mask;
        })
    }

    /// Signs `message` with a deterministic nonce: Streebog of the key's size, then
    /// [`SigningKey::sign_digest_deterministic`].
    pub fn sign_deterministic(&self, message: &[u8]) -> Result<Signature, Error> {
        self.sign_digest_deterministic(&digest(self.param_set().size(), message))
    }

    /// Signs a digest with the nonce derived from the key and the digest in the manner of
    /// RFC 6979 (RustCrypto `rfc6979`, HMAC-DRBG over HMAC-Streebog-512; the private key
    /// and α given big-endian as RFC 6979 reads them). The same key and digest always give
    /// the same signature, and no RNG is needed. These signatures verify like any other
    /// (the nonce is the signer's business), but they are not the standard's test vectors.
    pub fn sign_digest_deterministic(&self, digest: &[u8]) -> Result<Signature, Error> {
        let curve = Curve::of(self.param_set());
        let n = curve.byte_len;
        if digest.len() != n {
            return Err(Error::DigestLength {
                got: digest.len(),
                expected: n,
            });
        }
        let mut x_be = zeroize::Zeroizing::new(le_64(&self.d));
        x_be[..n].reverse();
        let h_be: Vec<u8> = digest.iter().rev().copied().collect();
        let mut generator = rfc6979::KGenerator::<streebog::Streebog512, U512>::new(
            &x_be[..n],
            &h_be,
            &[],
            curve.q.as_ref(),
        );
        self.sign_with_nonces(digest, |k_le| {
            let mut k_be = [0u8; 64];
            generator.fill_next_k(&mut k_be[..n]);
            for (i, byte) in k_be[..n].iter().rev().enumerate() {
                k_le[i] = *byte;
            }
            k_be.zeroize();
        })
    }

    /// GOST R 34.10-2012 §6.1 with nonce candidates (little-endian, in the first `n`
    /// bytes) from `next_k`; a candidate not in `0 < k < q`, or one giving r = 0 or
    /// s = 0, is replaced by the next.
    fn sign_with_nonces(
        &self,
        digest: &[u8],
        mut next_k: impl FnMut(&mut [u8; 64]),
    ) -> Result<Signature, Error> {
        let curve = Curve::of(self.param_set());
        let e = curve.scalar(&digest_scalar(curve, digest)?);
        let d = curve.scalar(&self.d);
        let q = curve.q.as_ref();
        loop {
            let mut k_le = [0u8; 64];
            next_k(&mut k_le);
            let mut k = from_le(&k_le);
            if k.is_zero().to_bool() || &k >= q {
                k.zeroize();
                k_le.zeroize();
                continue;
            }
            let c = curve.mul_base(&k_le);
            k_le.zeroize();
            let Some((x, _)) = curve.to_affine(&c) else {
                k.zeroize();
                continue;
            };
            let r = x.rem(&curve.q);
            if r.is_zero().to_bool() {
                k.zeroize();
                continue;
            }
            let kf = curve.scalar(&k);
            k.zeroize();
            let s = curve.scalar(&r).mul(&d).add(&kf.mul(&e)).retrieve();
            if s.is_zero().to_bool() {
                continue;
            }
            return Ok(Signature {
                size: self.param_set().size(),
                r,
                s,
            });
        }
    }
}

/// `e = α mod q` (1 when that is 0), α the digest read little-endian.
fn digest_scalar(curve: &Curve, digest: &[u8]) -> Result<U512, Error> {
    if digest.len() != curve.byte_len {
        return Err(Error::DigestLength {
            got: digest.len(),
            expected: curve.byte_len,
        });
    }
    let e = from_le(digest).rem(&curve.q);
    Ok(e.ct_select(&U512::ONE, e.is_zero()))
}

fn be(value: &U512, n: usize) -> Vec<u8> {
    let le = le_64(value);
    le[..n].iter().rev().copied().collect()
}
