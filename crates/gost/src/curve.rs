//! Short Weierstrass curves `y² = x³ + a·x + b` over a prime field, in projective
//! coordinates with the complete addition formulas of Renes, Costello and Batina
//! ("Complete addition formulas for prime order elliptic curves", 2016, algorithm 1, for
//! any `a`). The formulas have no exceptional cases for points of the prime-order
//! subgroup — the only points this crate ever adds — so doubling is the same code and no
//! branch depends on a point.
//!
//! Scalar multiplication is a fixed 4-bit window over all 512 bits of the scalar with a
//! constant-time table look-up: the sequence of field operations is the same for every
//! scalar. Field and scalar arithmetic is crypto-bigint's constant-time Montgomery form.

use std::sync::OnceLock;

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Choice, CtEq, CtSelect, NonZero, Odd, U512};

use crate::ParamSet;

/// A field element (mod p) or a scalar (mod q).
pub(crate) type Fe = FixedMontyForm<{ U512::LIMBS }>;
type Params = FixedMontyParams<{ U512::LIMBS }>;

/// A point in projective coordinates `(X:Y:Z)`, affine `(X/Z, Y/Z)`; the identity is
/// `(0:1:0)`.
#[derive(Clone, Copy)]
pub(crate) struct Point {
    x: Fe,
    y: Fe,
    z: Fe,
}

impl CtSelect for Point {
    fn ct_select(&self, other: &Self, choice: Choice) -> Self {
        Point {
            x: self.x.ct_select(&other.x, choice),
            y: self.y.ct_select(&other.y, choice),
            z: self.z.ct_select(&other.z, choice),
        }
    }
}

/// One curve of a [`ParamSet`] with its precomputed Montgomery parameters.
pub(crate) struct Curve {
    /// Bytes of one coordinate, one scalar and one digest: 32 or 64.
    pub(crate) byte_len: usize,
    p: Params,
    q_params: Params,
    /// The order of the base point (the subgroup every key lives in).
    pub(crate) q: NonZero<U512>,
    /// Bits of `q`: random nonces are drawn with this many bits, then rejected if ≥ q.
    pub(crate) q_bits: u32,
    /// Whether the curve's order is `q` itself (cofactor 1): then every point on the
    /// curve is in the subgroup and a public key needs no `[q]Q = O` check.
    cofactor_one: bool,
    a: Fe,
    b3: Fe,
    b: Fe,
    g: Point,
}

/// The hexadecimal parameters of a curve (big-endian, as the standards print them).
struct CurveHex {
    byte_len: usize,
    p: &'static str,
    a: &'static str,
    b: &'static str,
    q: &'static str,
    x: &'static str,
    y: &'static str,
    cofactor_one: bool,
}

/// Pads a big-endian hexadecimal number to the 128 digits of a `U512`.
fn u512_hex(hex: &str) -> U512 {
    let padded = format!("{hex:0>128}");
    U512::from_be_hex(&padded)
}

// id-tc26-gost-3410-12-512-paramSetA (RFC 7836 §A.1; NCA `1.2.398.3.10.1.1.2.2.1`).
const TC26_512_A: CurveHex = CurveHex {
    byte_len: 64,
    p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffdc7",
    a: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffdc4",
    b: "e8c2505dedfc86ddc1bd0b2b6667f1da34b82574761cb0e879bd081cfd0b6265ee3cb090f30d27614cb4574010da90dd862ef9d4ebee4761503190785a71c760",
    q: "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff27e69532f48d89116ff22b8d4e0560609b4b38abfad2b85dcacdb1411f10b275",
    x: "3",
    y: "7503cfe87a836ae3a61b8816e25450e6ce5e1c93acf1abc1778064fdcbefa921df1626be4fd036e93d75e6a50e3a41e98028fe5fc235f5b889a589cb5215f2a4",
    cofactor_one: true,
};

// id-tc26-gost-3410-2012-256-paramSetA (RFC 7836 §A.2, its Weierstrass form; cofactor 4;
// NCA `1.2.398.3.10.1.1.2.1.1`).
const TC26_256_A: CurveHex = CurveHex {
    byte_len: 32,
    p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd97",
    a: "c2173f1513981673af4892c23035a27ce25e2013bf95aa33b22c656f277e7335",
    b: "295f9bae7428ed9ccc20e7c359a9d41a22fccd9108e17bf7ba9337a6f8ae9513",
    q: "400000000000000000000000000000000fd8cddfc87b6635c115af556c360c67",
    x: "91e38443a5e82c0d880923425712b2bb658b9196932e02c78b2582fe742daa28",
    y: "32879423ab1a0375895786c4bb46e9565fde0b5344766740af268adb32322e5c",
    cofactor_one: false,
};

// GOST R 34.10-2012, appendix A.1 (the 256-bit worked example; RFC 7091 §7.1).
const EXAMPLE_256: CurveHex = CurveHex {
    byte_len: 32,
    p: "8000000000000000000000000000000000000000000000000000000000000431",
    a: "7",
    b: "5fbff498aa938ce739b8e022fbafef40563f6e6a3472fc2a514c0ce9dae23b7e",
    q: "8000000000000000000000000000000150fe8a1892976154c59cfc193accf5b3",
    x: "2",
    y: "08e2a8a0e65147d4bd6316030e16d19c85c97f0a9ca267122b96abbcea7e8fc8",
    cofactor_one: false,
};

// GOST R 34.10-2012, appendix A.2 (the 512-bit worked example; RFC 7091 §7.2).
const EXAMPLE_512: CurveHex = CurveHex {
    byte_len: 64,
    p: "4531acd1fe0023c7550d267b6b2fee80922b14b2ffb90f04d4eb7c09b5d2d15df1d852741af4704a0458047e80e4546d35b8336fac224dd81664bbf528be6373",
    a: "7",
    b: "1cff0806a31116da29d8cfa54e57eb748bc5f377e49400fdd788b649eca1ac4361834013b2ad7322480a89ca58e0cf74bc9e540c2add6897fad0a3084f302adc",
    q: "4531acd1fe0023c7550d267b6b2fee80922b14b2ffb90f04d4eb7c09b5d2d15da82f2d7ecb1dbac719905c5eecc423f1d86e25edbe23c595d644aaf187e6e6df",
    x: "24d19cc64572ee30f396bf6ebbfd7a6c5213b3b3d7057cc825f91093a68cd762fd60611262cd838dc6b60aa7eee804e28bc849977fac33b4b530f1b120248a9a",
    y: "2bb312a43bd2ce6e0d020613c857acddcfbf061e91e5f2c3f32447c259f39b2c83ab156d77f1496bf7eb3351e1ee4e43dc1a18b91b24640b6dbb92cb1add371e",
    cofactor_one: false,
};

impl Curve {
    fn build(hex: &CurveHex) -> Curve {
        let odd = |v: U512| Option::<Odd<U512>>::from(Odd::new(v)).expect("curve moduli are odd");
        let p = Params::new_vartime(odd(u512_hex(hex.p)));
        let q_int = u512_hex(hex.q);
        let q_params = Params::new_vartime(odd(q_int));
        let fe = |h: &str| Fe::new(&u512_hex(h), &p);
        let b = fe(hex.b);
        let b3 = b.add(&b).add(&b);
        Curve {
            byte_len: hex.byte_len,
            p,
            q_params,
            q: Option::<NonZero<U512>>::from(NonZero::new(q_int)).expect("q is not zero"),
            q_bits: q_int.bit_width_vartime(),
            cofactor_one: hex.cofactor_one,
            a: fe(hex.a),
            b3,
            b,
            g: Point {
                x: fe(hex.x),
                y: fe(hex.y),
                z: Fe::one(&p),
            },
        }
    }

    /// The curve of a parameter set, built once per process.
    pub(crate) fn of(set: ParamSet) -> &'static Curve {
        static CURVES: [OnceLock<Curve>; 4] = [const { OnceLock::new() }; 4];
        let (slot, hex) = match set {
            ParamSet::Tc26A512 => (0, &TC26_512_A),
            ParamSet::Tc26A256 => (1, &TC26_256_A),
            ParamSet::StandardExample512 => (2, &EXAMPLE_512),
            ParamSet::StandardExample256 => (3, &EXAMPLE_256),
        };
        CURVES[slot].get_or_init(|| Curve::build(hex))
    }

    fn identity(&self) -> Point {
        Point {
            x: Fe::zero(&self.p),
            y: Fe::one(&self.p),
            z: Fe::zero(&self.p),
        }
    }

    /// `P + Q` for any points of the prime-order subgroup, doubling included
    /// (Renes–Costello–Batina 2016, algorithm 1: 12M + 3·a + 2·3b).
    fn add(&self, p1: &Point, p2: &Point) -> Point {
        let (a, b3) = (&self.a, &self.b3);
        let (x1, y1, z1) = (&p1.x, &p1.y, &p1.z);
        let (x2, y2, z2) = (&p2.x, &p2.y, &p2.z);
        let mut t0 = x1.mul(x2);
        let mut t1 = y1.mul(y2);
        let mut t2 = z1.mul(z2);
        let mut t3 = x1.add(y1);
        let mut t4 = x2.add(y2);
        t3 = t3.mul(&t4);
        t4 = t0.add(&t1);
        t3 = t3.sub(&t4);
        t4 = x1.add(z1);
        let mut t5 = x2.add(z2);
        t4 = t4.mul(&t5);
        t5 = t0.add(&t2);
        t4 = t4.sub(&t5);
        t5 = y1.add(z1);
        let mut x3 = y2.add(z2);
        t5 = t5.mul(&x3);
        x3 = t1.add(&t2);
        t5 = t5.sub(&x3);
        let mut z3 = a.mul(&t4);
        x3 = b3.mul(&t2);
        z3 = x3.add(&z3);
        x3 = t1.sub(&z3);
        z3 = t1.add(&z3);
        let mut y3 = x3.mul(&z3);
        t1 = t0.add(&t0);
        t1 = t1.add(&t0);
        t2 = a.mul(&t2);
        t4 = b3.mul(&t4);
        t1 = t1.add(&t2);
        t2 = t0.sub(&t2);
        t2 = a.mul(&t2);
        t4 = t4.add(&t2);
        t0 = t1.mul(&t4);
        y3 = y3.add(&t0);
        t0 = t5.mul(&t4);
        x3 = t3.mul(&x3);
        x3 = x3.sub(&t0);
        t0 = t3.mul(&t1);
        z3 = t5.mul(&z3);
        z3 = z3.add(&t0);
        Point {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// The window table `[0]P, [1]P, …, [15]P`.
    fn table(&self, point: &Point) -> [Point; 16] {
        let mut table = [self.identity(); 16];
        for i in 1..16 {
            table[i] = self.add(&table[i - 1], point);
        }
        table
    }

    /// The table entry of a 4-bit window, by a constant-time scan of all 16 entries.
    fn pick(table: &[Point; 16], scalar_le: &[u8; 64], window: usize) -> Point {
        let byte = scalar_le[window / 2];
        let nibble = if window % 2 == 1 {
            byte >> 4
        } else {
            byte & 0x0f
        };
        let mut chosen = table[0];
        for (j, entry) in table.iter().enumerate().skip(1) {
            chosen = chosen.ct_select(entry, Choice::from_u8_eq(nibble, j as u8));
        }
        chosen
    }

    /// `[k]P` for a scalar given as little-endian bytes (at most 64), in constant time:
    /// 128 windows of 4 bits, each 4 doublings and one addition of a table entry chosen
    /// by a constant-time scan of all 16 entries.
    pub(crate) fn mul(&self, point: &Point, scalar_le: &[u8; 64]) -> Point {
        let table = self.table(point);
        let mut acc = self.identity();
        for window in (0..128).rev() {
            for _ in 0..4 {
                acc = self.add(&acc, &acc);
            }
            acc = self.add(&acc, &Self::pick(&table, scalar_le, window));
        }
        acc
    }

    /// `[k1]P1 + [k2]P2` with one shared chain of doublings (Shamir's trick; for
    /// verification's `[z1]G + [z2]Q`), in the same constant-time manner as [`Curve::mul`].
    pub(crate) fn mul_sum(
        &self,
        p1: &Point,
        k1_le: &[u8; 64],
        p2: &Point,
        k2_le: &[u8; 64],
    ) -> Point {
        let (t1, t2) = (self.table(p1), self.table(p2));
        let mut acc = self.identity();
        for window in (0..128).rev() {
            for _ in 0..4 {
                acc = self.add(&acc, &acc);
            }
            acc = self.add(&acc, &Self::pick(&t1, k1_le, window));
            acc = self.add(&acc, &Self::pick(&t2, k2_le, window));
        }
        acc
    }

    /// The base point.
    pub(crate) fn base(&self) -> &Point {
        &self.g
    }

    /// `[k]G` for the base point.
    pub(crate) fn mul_base(&self, scalar_le: &[u8; 64]) -> Point {
        self.mul(&self.g, scalar_le)
    }

    /// The affine coordinates of a point, `None` for the identity (or for the `(0:0:0)`
    /// the formulas give only for points outside the subgroup).
    pub(crate) fn to_affine(&self, point: &Point) -> Option<(U512, U512)> {
        let z_inv = Option::<Fe>::from(point.z.invert())?;
        Some((
            point.x.mul(&z_inv).retrieve(),
            point.y.mul(&z_inv).retrieve(),
        ))
    }

    /// A public point from affine coordinates: both below p, on the curve and, where the
    /// curve has a cofactor, of order q. `None` otherwise.
    pub(crate) fn checked_point(&self, x: &U512, y: &U512) -> Option<Point> {
        let p = self.p.modulus().as_ref();
        if x >= p || y >= p {
            return None;
        }
        let (xf, yf) = (Fe::new(x, &self.p), Fe::new(y, &self.p));
        let rhs = xf.square().mul(&xf).add(&self.a.mul(&xf)).add(&self.b);
        if !yf.square().ct_eq(&rhs).to_bool() {
            return None;
        }
        let point = Point {
            x: xf,
            y: yf,
            z: Fe::one(&self.p),
        };
        if !self.cofactor_one {
            let q_le = le_64(self.q.as_ref());
            let should_be_identity = self.mul(&point, &q_le);
            let is_identity = should_be_identity.z.retrieve().is_zero()
                & should_be_identity.x.retrieve().is_zero()
                & should_be_identity.y.retrieve().is_nonzero();
            if !is_identity.to_bool() {
                return None;
            }
        }
        Some(point)
    }

    /// An integer as an element of the scalar field (mod q); reduces it first.
    pub(crate) fn scalar(&self, value: &U512) -> Fe {
        Fe::new(&value.rem(&self.q), &self.q_params)
    }
}

/// The 64 little-endian bytes of a `U512`.
pub(crate) fn le_64(value: &U512) -> [u8; 64] {
    let mut out = [0u8; 64];
    out.copy_from_slice(value.to_le_bytes().as_ref());
    out
}

/// A `U512` from at most 64 little-endian bytes.
pub(crate) fn from_le(bytes: &[u8]) -> U512 {
    let mut buf = [0u8; 64];
    buf[..bytes.len()].copy_from_slice(bytes);
    U512::from_le_slice(&buf)
}
