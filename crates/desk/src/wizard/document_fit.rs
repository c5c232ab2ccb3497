//! An image document over the limit made to fit (R-23: each file at most 1 MB): decoded,
//! scaled down and re-encoded as JPEG until it fits, never below a size that can still be
//! read. The clerk then looks at the result before it is attached
//! ([`crate::picked_files::PickedFiles::confirm_readable`]). A PDF is never changed here:
//! one over the limit is refused with its size.

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageReader, Limits};
use std::io::Cursor;

/// The longest side kept: an A4 page at 300 dpi; a bigger photo gains nothing readable.
pub const MAX_SIDE: u32 = 2480;
/// The longest side below which a scan is no longer reliably readable: not gone under.
pub const MIN_SIDE: u32 = 800;
/// JPEG qualities tried at each size, best first.
const QUALITIES: [u8; 3] = [85, 75, 65];

/// An image that fits, and how it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitted {
    /// JPEG bytes, at most the limit.
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub quality: u8,
}

/// Why an image could not be made to fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FitError {
    /// Not a decodable JPEG / PNG (damaged, or only its first bytes are an image's).
    Undecodable(String),
    /// Even at [`MIN_SIDE`] and the lowest quality it is over the limit.
    CannotFit,
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, FitError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| FitError::Undecodable(e.to_string()))?;
    // A decompression bomb (a tiny file claiming a huge picture) is refused, not decoded.
    let mut limits = Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    reader
        .decode()
        .map_err(|e| FitError::Undecodable(e.to_string()))
}

fn encode(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, FitError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .map_err(|e| FitError::Undecodable(e.to_string()))?;
    Ok(out)
}

/// Makes the image in `bytes` fit in `limit` bytes: at most [`MAX_SIDE`] on its longest
/// side, then each size tried at the [`QUALITIES`], shrinking by a quarter until it
/// fits or reaches [`MIN_SIDE`].
pub fn fit_image(bytes: &[u8], limit: u64) -> Result<Fitted, FitError> {
    // JPEG has no transparency: a PNG's alpha is dropped onto its colours.
    let mut img = DynamicImage::ImageRgb8(decode(bytes)?.to_rgb8());
    if img.width().max(img.height()) > MAX_SIDE {
        img = img.resize(MAX_SIDE, MAX_SIDE, FilterType::Triangle);
    }
    loop {
        for quality in QUALITIES {
            let out = encode(&img, quality)?;
            if out.len() as u64 <= limit {
                return Ok(Fitted {
                    bytes: out,
                    width: img.width(),
                    height: img.height(),
                    quality,
                });
            }
        }
        let side = img.width().max(img.height());
        if side <= MIN_SIDE {
            return Err(FitError::CannotFit);
        }
        let next = (side * 3 / 4).max(MIN_SIDE);
        img = img.resize(next, next, FilterType::Triangle);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Rgb, RgbImage};

    /// A noisy picture (noise compresses badly, so it is big) as PNG.
    fn noisy_png(w: u32, h: u32) -> Vec<u8> {
        let mut seed = 0x2545_f491_u32;
        let img = RgbImage::from_fn(w, h, |x, y| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let v = (seed & 0x3f) as u8;
            Rgb([v + (x % 190) as u8, v + (y % 190) as u8, v.wrapping_mul(3)])
        });
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap_or_default();
        out.into_inner()
    }

    #[test]
    fn a_big_image_is_made_to_fit_and_stays_an_image() {
        let png = noisy_png(1800, 1400);
        assert!(
            png.len() > 1_048_576,
            "the fixture is over 1 MB: {}",
            png.len()
        );
        let fitted = fit_image(&png, 1_048_576).expect("fits");
        assert!(fitted.bytes.len() <= 1_048_576);
        assert!(fitted.bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "a JPEG");
        assert!(fitted.width.max(fitted.height) >= MIN_SIDE);
        let back = image::load_from_memory(&fitted.bytes).expect("decodes");
        assert_eq!((back.width(), back.height()), (fitted.width, fitted.height));
    }

    #[test]
    fn what_only_begins_like_an_image_is_undecodable() {
        let mut fake = vec![0xFF, 0xD8, 0xFF, 0xE0];
        fake.resize(2_000_000, 0x42);
        assert!(matches!(
            fit_image(&fake, 1_048_576),
            Err(FitError::Undecodable(_))
        ));
    }

    #[test]
    fn a_limit_too_small_for_a_readable_size_is_refused() {
        assert_eq!(
            fit_image(&noisy_png(1000, 1000), 2_000),
            Err(FitError::CannotFit)
        );
    }
}
