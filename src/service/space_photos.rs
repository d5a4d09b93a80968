//! Turns an uploaded photo into the JPEG that is stored and served: decoded under limits (a
//! small file can claim a huge image), turned upright, fitted into the stored box and encoded
//! again. Only pixels survive: the new file carries no EXIF, XMP, GPS or comment of the upload.
//!
//! This is slow, CPU-bound work: callers run it on a blocking thread, and [`PhotoSlots`] bounds
//! how many uploads are decoded at once so memory stays bounded whatever staff send.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};

use crate::domain::space_details::{MAX_DECODE_ALLOCATION, MAX_DECODED_SIDE, stored_size};

/// The JPEG quality of stored photos: good on a phone and a laptop, a few hundred KB at most.
const JPEG_QUALITY: u8 = 82;
/// How many uploads are decoded at once, each within [`MAX_DECODE_ALLOCATION`].
const PARALLEL_DECODES: usize = 2;

/// A photo ready to be stored.
#[derive(Debug, Clone)]
pub struct ProcessedPhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Hex of the first 16 bytes of the JPEG's SHA-256: the address of this content.
    pub content_hash: String,
}

/// Why an upload cannot be used; `code` names the message the form shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhotoRefusal {
    /// Not a JPEG, PNG or WebP file.
    #[error("not a JPEG, PNG or WebP image")]
    Format,
    /// Larger than the decoder may handle.
    #[error("image dimensions or memory above the limits")]
    TooLarge,
    /// Looks like an image of an accepted kind but cannot be decoded.
    #[error("the image cannot be decoded")]
    Unreadable,
}

impl PhotoRefusal {
    /// The stable code of the form's message.
    pub fn code(self) -> &'static str {
        match self {
            PhotoRefusal::Format => "photo-format",
            PhotoRefusal::TooLarge => "photo-dimensions",
            PhotoRefusal::Unreadable => "photo-unreadable",
        }
    }
}

/// The formats staff may upload (the only decoders built in).
const ACCEPTED: [ImageFormat; 3] = [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP];

/// Decodes, turns upright, fits and re-encodes an upload.
///
/// # Errors
/// A [`PhotoRefusal`] saying what is wrong with the upload.
pub fn process(upload: &[u8]) -> Result<ProcessedPhoto, PhotoRefusal> {
    let format = image::guess_format(upload).map_err(|_| PhotoRefusal::Format)?;
    if !ACCEPTED.contains(&format) {
        return Err(PhotoRefusal::Format);
    }
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOCATION);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    let orientation = decoder.orientation().map_err(refusal)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    picture.apply_orientation(orientation);
    let (width, height) = stored_size(picture.width(), picture.height());
    let fitted = if (width, height) == (picture.width(), picture.height()) {
        picture
    } else {
        picture.resize_exact(width, height, FilterType::Triangle)
    };
    let rgb = on_white(fitted);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY).encode_image(&rgb).map_err(|_| PhotoRefusal::Unreadable)?;
    let digest = Sha256::digest(&jpeg);
    let content_hash = hex::encode(digest.get(..16).unwrap_or_default());
    Ok(ProcessedPhoto { jpeg, width, height, content_hash })
}

fn refusal(error: image::ImageError) -> PhotoRefusal {
    match error {
        image::ImageError::Limits(_) => PhotoRefusal::TooLarge,
        image::ImageError::Unsupported(_) => PhotoRefusal::Format,
        _ => PhotoRefusal::Unreadable,
    }
}

/// The picture without transparency: transparent parts of a PNG or WebP are laid on white
/// (JPEG has no alpha channel, and dropping it would show whatever colour they happen to hold).
fn on_white(picture: DynamicImage) -> RgbImage {
    if !picture.color().has_alpha() {
        return picture.into_rgb8();
    }
    let rgba = picture.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| {
            let (c, a) = (u16::from(c), u16::from(a));
            // c·a + 255·(255 − a), divided by 255: at most 255.
            u8::try_from((c * a + 255 * (255 - a)) / 255).unwrap_or(u8::MAX)
        };
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

/// The decoding slots shared by one process's uploads. With none free an upload is refused at
/// once (503) rather than queued, so a burst of uploads cannot hold more memory than the slots.
#[derive(Debug)]
pub struct PhotoSlots(tokio::sync::Semaphore);

/// The process's slots: the bound is on this machine's memory, so it is per process by nature.
pub static PHOTO_SLOTS: PhotoSlots = PhotoSlots(tokio::sync::Semaphore::const_new(PARALLEL_DECODES));

impl PhotoSlots {
    /// A slot, or `None` when every slot is taken.
    pub fn try_take(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        self.0.try_acquire().ok()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn encoded(picture: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Cursor::new(Vec::new());
        picture.write_to(&mut bytes, format).unwrap();
        bytes.into_inner()
    }

    #[test]
    fn a_large_png_becomes_a_fitted_jpeg() {
        let picture = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(2000, 1000, image::Rgba([0, 0, 255, 0])));
        let photo = process(&encoded(&picture, ImageFormat::Png)).unwrap();
        assert_eq!((photo.width, photo.height), (1600, 800));
        assert_eq!(image::guess_format(&photo.jpeg).unwrap(), ImageFormat::Jpeg);
        let back = image::load_from_memory(&photo.jpeg).unwrap().into_rgb8();
        assert!(back.get_pixel(10, 10).0.iter().all(|c| *c > 240), "transparent parts are white");
        assert_eq!(photo.content_hash.len(), 32);
    }

    #[test]
    fn other_files_and_huge_claims_are_refused() {
        assert_eq!(process(b"GIF89a....").unwrap_err(), PhotoRefusal::Format);
        assert_eq!(process(b"just text").unwrap_err(), PhotoRefusal::Format);
        let mut png = encoded(&DynamicImage::new_rgb8(2, 2), ImageFormat::Png);
        // The IHDR width (bytes 16..20) claims 100 000 pixels: refused before any allocation.
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(matches!(process(&png).unwrap_err(), PhotoRefusal::TooLarge | PhotoRefusal::Unreadable));
        let jpeg = encoded(&DynamicImage::new_rgb8(8, 8), ImageFormat::Jpeg);
        assert_eq!(process(&jpeg[..40]).unwrap_err(), PhotoRefusal::Unreadable);
    }
}
