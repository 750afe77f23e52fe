//! Photos a citizen attaches to a complaint.
//!
//! A photo is accepted only if its bytes are a JPEG, PNG or WebP file (the filename and
//! the declared content type are never trusted) of at most [`MAX_PHOTO_BYTES`]. Before it
//! is stored, the container is walked and every metadata block is cut out: EXIF (with
//! the GPS position), XMP, IPTC, comments and text chunks. Pixels are never decoded or
//! re-encoded, so cleaning is a single copy of the bytes that remain, made straight into
//! the buffer the photo is stored from ([`clean_into`]).
//!
//! Only what makes up the picture is kept, by allowlist: a segment or chunk not known to
//! hold pixels, their coding or their colour is dropped, whatever it is. So the JPEG JFIF
//! header, ICC colour profiles and the Adobe colour-transform segment stay. Of a JPEG's
//! EXIF only the orientation survives, written anew as a minimal EXIF segment holding that
//! one number, so a portrait phone photo still opens upright. A picture larger than [`MAX_SIDE`] on a side or
//! [`MAX_PIXELS`] in all is refused, read from its header: a small file must not decode to
//! an enormous image on a staff member's screen.

/// The largest photo accepted, in bytes (5 MiB).
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
/// The widest or tallest picture accepted, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// The most pixels a picture may have (a 64-megapixel phone camera's photo).
pub const MAX_PIXELS: u64 = 64_000_000;

/// An accepted image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoKind {
    Jpeg,
    Png,
    Webp,
}

impl PhotoKind {
    /// The media type to serve the photo with.
    pub fn mime(self) -> &'static str {
        self.names().1
    }

    /// The file extension to store or download the photo with.
    pub fn extension(self) -> &'static str {
        self.names().2
    }

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        self.names().0
    }

    /// Reads a name written by [`PhotoKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        [PhotoKind::Jpeg, PhotoKind::Png, PhotoKind::Webp]
            .into_iter()
            .find(|kind| kind.as_str() == s)
    }

    /// Database name, media type and file extension.
    fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            PhotoKind::Jpeg => ("jpeg", "image/jpeg", "jpg"),
            PhotoKind::Png => ("png", "image/png", "png"),
            PhotoKind::Webp => ("webp", "image/webp", "webp"),
        }
    }
}

/// Why an upload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoProblem {
    /// No bytes at all.
    Empty,
    /// More than [`MAX_PHOTO_BYTES`].
    TooLarge,
    /// Not a JPEG, PNG or WebP file, whatever its name says.
    NotAnImage,
    /// Starts like an accepted image but its structure is broken or truncated.
    Damaged,
    /// Larger in pixels than [`MAX_SIDE`] or [`MAX_PIXELS`].
    TooManyPixels,
}

/// A photo of a known kind with all metadata removed, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanPhoto {
    pub kind: PhotoKind,
    pub bytes: Vec<u8>,
}

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Tells the image format from the first bytes (the magic numbers), or `None`.
pub fn sniff(bytes: &[u8]) -> Option<PhotoKind> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(PhotoKind::Jpeg)
    } else if bytes.starts_with(PNG_SIGNATURE) {
        Some(PhotoKind::Png)
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(&b"WEBP"[..]) {
        Some(PhotoKind::Webp)
    } else {
        None
    }
}

/// Checks size and kind by bytes, walks the container structure and returns the bytes
/// with all metadata removed.
pub fn clean(bytes: &[u8]) -> Result<CleanPhoto, PhotoProblem> {
    let mut out = Vec::with_capacity(bytes.len());
    let kind = clean_into(bytes, &mut out)?;
    Ok(CleanPhoto { kind, bytes: out })
}

/// The same, appending the cleaned bytes to `out` (never more than `bytes.len()` of
/// them); on a refusal `out` is left as it was.
pub fn clean_into(bytes: &[u8], out: &mut Vec<u8>) -> Result<PhotoKind, PhotoProblem> {
    if bytes.is_empty() {
        return Err(PhotoProblem::Empty);
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoProblem::TooLarge);
    }
    let kind = sniff(bytes).ok_or(PhotoProblem::NotAnImage)?;
    let base = out.len();
    let cleaned = match kind {
        PhotoKind::Jpeg => clean_jpeg(bytes, out),
        PhotoKind::Png => clean_png(bytes, out),
        PhotoKind::Webp => clean_webp(bytes, out, base),
    };
    let Some((width, height)) = cleaned else {
        out.truncate(base);
        return Err(PhotoProblem::Damaged);
    };
    if width == 0 || height == 0 {
        out.truncate(base);
        return Err(PhotoProblem::Damaged);
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        out.truncate(base);
        return Err(PhotoProblem::TooManyPixels);
    }
    Ok(kind)
}

// ---------------------------------------------------------------------------------------
// Byte reading helpers: every read is bounds-checked, a short input gives `None`.

/// `len` bytes from `start`, or `None` if they run past the end.
fn slice(data: &[u8], start: usize, len: usize) -> Option<&[u8]> {
    data.get(start..start.checked_add(len)?)
}

fn be_u16(data: &[u8], at: usize) -> Option<u16> {
    slice(data, at, 2)?.try_into().ok().map(u16::from_be_bytes)
}

fn be_u32(data: &[u8], at: usize) -> Option<u32> {
    slice(data, at, 4)?.try_into().ok().map(u32::from_be_bytes)
}

fn le_u32(data: &[u8], at: usize) -> Option<u32> {
    slice(data, at, 4)?.try_into().ok().map(u32::from_le_bytes)
}

fn fourcc(data: &[u8], at: usize) -> Option<[u8; 4]> {
    slice(data, at, 4)?.try_into().ok()
}

// ---------------------------------------------------------------------------------------
// JPEG: SOI, marker segments, one or more scans of entropy-coded data, EOI.

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const TEM: u8 = 0x01;
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;

/// Start-of-frame markers (SOF0..SOF15 without DHT, JPG and DAC).
fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF)
}

/// Whether a segment survives cleaning, by allowlist: frames, scans, their tables
/// (quantisation DB, Huffman C4, arithmetic conditioning CC, restart interval DD, line
/// count DC), the JFIF header, ICC profiles and the Adobe colour transform. Everything
/// else goes: other APPn (EXIF, XMP, IPTC…), comments, extensions.
fn keep_jpeg_segment(marker: u8, payload: &[u8]) -> bool {
    match marker {
        APP0 => payload.starts_with(b"JFIF\0"),
        APP2 => payload.starts_with(b"ICC_PROFILE\0"),
        APP14 => payload.starts_with(b"Adobe"),
        SOS | 0xDB | 0xC4 | 0xCC | 0xDD | 0xDC => true,
        _ => is_sof(marker),
    }
}

/// Walks the segments, copying the kept ones and every scan verbatim, up to and
/// including EOI. Fill bytes are dropped; anything after EOI is dropped. Gives the
/// frame's width and height.
fn clean_jpeg(data: &[u8], out: &mut Vec<u8>) -> Option<(u32, u32)> {
    out.extend_from_slice(&[0xFF, SOI]);
    let mut pos = 2;
    let (mut seen_frame, mut seen_scan, mut oriented) = (false, false, false);
    let mut size = None;
    loop {
        // A marker: one 0xFF, any number of 0xFF fill bytes, then the marker code.
        if data.get(pos) != Some(&0xFF) {
            return None;
        }
        while data.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *data.get(pos)?;
        pos += 1;
        match marker {
            EOI if seen_scan => {
                out.extend_from_slice(&[0xFF, EOI]);
                return size;
            }
            0x00 | SOI | EOI => return None,
            TEM | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                continue;
            }
            _ => {}
        }
        // A segment: big-endian length (counting itself), then the payload.
        let len = usize::from(be_u16(data, pos)?);
        let body = slice(data, pos, len)?;
        let payload = body.get(2..)?;
        pos += len;
        if is_sof(marker) {
            seen_frame = true;
            // Precision, then height and width (a height of 0 is given later by DNL: taken
            // as the largest a frame can say, 65,535).
            let height = u32::from(be_u16(payload, 1)?);
            let width = u32::from(be_u16(payload, 3)?);
            // The largest frame counts, whichever a decoder draws.
            let frame = (width, if height == 0 { 65_535 } else { height });
            size = Some(size.map_or(frame, |(w, h): (u32, u32)| (w.max(frame.0), h.max(frame.1))));
        }
        if keep_jpeg_segment(marker, payload) {
            out.extend_from_slice(&[0xFF, marker]);
            out.extend_from_slice(body);
        } else if marker == APP1 && !oriented {
            if let Some(orientation) = exif_orientation(payload) {
                out.extend_from_slice(&orientation_segment(orientation));
                oriented = true;
            }
        }
        if marker == SOS {
            if !seen_frame {
                return None;
            }
            seen_scan = true;
            let end = entropy_end(data, pos);
            out.extend_from_slice(data.get(pos..end)?);
            pos = end;
        }
    }
}

/// The orientation (2 to 8: turned or mirrored) an EXIF segment's first directory gives;
/// none for 1 (upright), a missing tag or anything that does not parse.
fn exif_orientation(payload: &[u8]) -> Option<u16> {
    let tiff = payload.strip_prefix(b"Exif\0\0")?;
    let big = match tiff.get(0..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        let b: [u8; 2] = tiff.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if big { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
    };
    let u32_at = |at: usize| {
        let b: [u8; 4] = tiff.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    };
    if u16_at(2)? != 42 {
        return None;
    }
    let directory = usize::try_from(u32_at(4)?).ok()?;
    (0..usize::from(u16_at(directory)?))
        .find_map(|i| {
            let entry = directory.checked_add(2 + 12 * i)?;
            // Tag 0x0112 (Orientation), type 3 (SHORT): the value sits in the entry itself.
            (u16_at(entry)? == 0x0112 && u16_at(entry + 2)? == 3).then(|| u16_at(entry + 8))?
        })
        .filter(|o| (2..=8).contains(o))
}

/// A JPEG APP1 segment holding an EXIF directory with the orientation alone (big-endian
/// TIFF, one entry, no next directory): nothing else of the original EXIF goes with it.
fn orientation_segment(orientation: u16) -> [u8; 36] {
    let mut segment = [0u8; 36];
    segment[..4].copy_from_slice(&[0xFF, APP1, 0, 34]);
    segment[4..18].copy_from_slice(b"Exif\0\0MM\0*\0\0\0\x08");
    segment[18..20].copy_from_slice(&1u16.to_be_bytes());
    segment[20..22].copy_from_slice(&0x0112u16.to_be_bytes());
    segment[22..24].copy_from_slice(&3u16.to_be_bytes());
    segment[24..28].copy_from_slice(&1u32.to_be_bytes());
    segment[28..30].copy_from_slice(&orientation.to_be_bytes());
    segment
}

/// The index of the 0xFF that starts the first real marker at or after `from`, skipping
/// stuffed bytes (FF 00) and restart markers (FF D0..D7), or the input length if none.
fn entropy_end(data: &[u8], from: usize) -> usize {
    // memchr: the scan is most of a photo's bytes, and a plain loop went byte by byte.
    let next_ff = |at: usize| Some(at + memchr::memchr(0xFF, data.get(at..)?)?);
    let mut at = from;
    while let Some(ff) = next_ff(at) {
        let mut next = ff + 1;
        while data.get(next) == Some(&0xFF) {
            next += 1;
        }
        match data.get(next) {
            Some(0x00 | 0xD0..=0xD7) => at = next + 1,
            _ => return ff,
        }
    }
    data.len()
}

// ---------------------------------------------------------------------------------------
// PNG: signature, then chunks of length (u32 BE), type, data and CRC; IHDR first, IEND last.

/// Chunks that make up the picture (the critical ones, transparency, colour, pixel size,
/// background, animation): every other chunk is dropped (text, time, EXIF, private ones).
const PNG_KEPT: [&[u8; 4]; 18] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCv",
    b"cLLI", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT",
];

/// Copies the kept chunks, up to and including IEND; anything after IEND is dropped.
/// Requires IHDR first and at least one IDAT. Gives IHDR's width and height.
fn clean_png(data: &[u8], out: &mut Vec<u8>) -> Option<(u32, u32)> {
    out.extend_from_slice(PNG_SIGNATURE);
    let mut pos = PNG_SIGNATURE.len();
    let mut seen_data = false;
    let size = (be_u32(data, pos + 8)?, be_u32(data, pos + 12)?);
    loop {
        let len = be_u32(data, pos)?;
        if len > 0x7FFF_FFFF {
            return None;
        }
        let kind = fourcc(data, pos + 4)?;
        let chunk = slice(data, pos, usize::try_from(len).ok()?.checked_add(12)?)?;
        // IHDR (13 bytes) comes first and only first; chunk types are four letters.
        let first = pos == PNG_SIGNATURE.len();
        let bad_header = first != (&kind == b"IHDR") || (first && len != 13);
        if bad_header || !kind.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        pos += chunk.len();
        seen_data |= &kind == b"IDAT";
        if PNG_KEPT.contains(&&kind) {
            out.extend_from_slice(chunk);
        }
        if &kind == b"IEND" {
            return seen_data.then_some(size);
        }
    }
}

// ---------------------------------------------------------------------------------------
// WebP: "RIFF", size (u32 LE), "WEBP", then chunks of FourCC, size (u32 LE), data, pad.

const VP8X_FLAG_EXIF: u8 = 0x08;
const VP8X_FLAG_XMP: u8 = 0x04;

/// The canvas size a first WebP chunk gives: VP8X's (24-bit sizes less one), VP8L's (14-bit
/// sizes less one after its signature byte) or VP8's key frame header (14-bit sizes).
fn webp_size(tag: &[u8; 4], data: &[u8]) -> Option<(u32, u32)> {
    let u24 = |at: usize| Some(u32::from_le_bytes([*data.get(at)?, *data.get(at + 1)?, *data.get(at + 2)?, 0]));
    match tag {
        b"VP8X" => Some((u24(4)? + 1, u24(7)? + 1)),
        b"VP8L" => {
            if *data.first()? != 0x2F {
                return None;
            }
            let bits = le_u32(data, 1)?;
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8 " => {
            if slice(data, 3, 3)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            let width = u32::from(u16::from_le_bytes([*data.get(6)?, *data.get(7)?]) & 0x3FFF);
            let height = u32::from(u16::from_le_bytes([*data.get(8)?, *data.get(9)?]) & 0x3FFF);
            Some((width, height))
        }
        _ => None,
    }
}

/// Copies an animation frame (its 16-byte header, then chunks) with only the chunks that
/// make up its picture (ALPH, VP8, VP8L), its size written anew.
fn copy_webp_frame(frame: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let header = slice(frame, 0, 16)?;
    let start = out.len();
    out.extend_from_slice(b"ANMF\0\0\0\0");
    out.extend_from_slice(header);
    let mut pos = 16;
    while pos < frame.len() {
        let tag = fourcc(frame, pos)?;
        let size = usize::try_from(le_u32(frame, pos + 4)?).ok()?;
        let chunk = slice(frame, pos, size.checked_add(8 + size % 2)?)?;
        pos += chunk.len();
        if matches!(&tag, b"ALPH" | b"VP8 " | b"VP8L") {
            out.extend_from_slice(chunk);
        }
    }
    let size = u32::try_from(out.len() - start - 8).ok()?;
    out.get_mut(start + 4..start + 8)?.copy_from_slice(&size.to_le_bytes());
    Some(())
}

/// Copies the chunks that make up the picture (VP8, VP8L, VP8X, ALPH, ANIM, ANMF, ICCP),
/// clears the EXIF and XMP flags in VP8X and rewrites the RIFF size. Bytes after the RIFF
/// payload are dropped. The first chunk must be VP8, VP8L or VP8X, and gives the size.
/// The file is written from `out[base]` on.
fn clean_webp(data: &[u8], out: &mut Vec<u8>, base: usize) -> Option<(u32, u32)> {
    let riff_size = usize::try_from(le_u32(data, 4)?).ok()?;
    if riff_size % 2 == 1 || riff_size < 4 {
        return None;
    }
    let body = slice(data, 12, riff_size - 4)?;
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let mut pos = 0;
    let mut canvas = None;
    while pos < body.len() {
        let tag = fourcc(body, pos)?;
        let size = usize::try_from(le_u32(body, pos + 4)?).ok()?;
        let chunk = slice(body, pos, size.checked_add(8 + size % 2)?)?;
        if pos == 0 {
            canvas = Some(webp_size(&tag, chunk.get(8..8 + size)?)?);
        }
        pos += chunk.len();
        match &tag {
            b"VP8X" => {
                if size < 10 {
                    return None;
                }
                let flags_at = out.len() + 8;
                out.extend_from_slice(chunk);
                *out.get_mut(flags_at)? &= !(VP8X_FLAG_EXIF | VP8X_FLAG_XMP);
            }
            b"VP8 " | b"VP8L" | b"ALPH" | b"ANIM" | b"ICCP" => out.extend_from_slice(chunk),
            b"ANMF" => copy_webp_frame(chunk.get(8..8 + size)?, out)?,
            _ => {}
        }
    }
    if pos == 0 {
        return None;
    }
    let new_size = u32::try_from(out.len() - base - 8).ok()?;
    out.get_mut(base + 4..base + 8)?.copy_from_slice(&new_size.to_le_bytes());
    canvas
}

#[cfg(test)]
mod tests {
    use super::*;

    // Files are assembled from named parts, e.g. `jpeg("SOI DQT SOF0 SOS SCAN EOI")`.
    // Every metadata part mentions "GPS", so a clean output must not contain it.

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    fn cleaned(bytes: &[u8]) -> Vec<u8> {
        clean(bytes).expect("sample should be accepted").bytes
    }

    fn assert_damaged(cases: &[Vec<u8>]) {
        for (i, case) in cases.iter().enumerate() {
            assert_eq!(clean(case), Err(PhotoProblem::Damaged), "case {i}");
        }
    }

    /// A JPEG segment: FF, marker, big-endian length (counting itself), payload.
    fn seg(marker: u8, payload: &[u8]) -> Vec<u8> {
        let len = ((payload.len() + 2) as u16).to_be_bytes();
        [&[0xFF, marker][..], &len, payload].concat()
    }

    fn jpeg_part(name: &str) -> Vec<u8> {
        const SOF: &[u8] = &[8, 0, 1, 0, 1, 1, 1, 0x11, 0];
        match name {
            "SOI" => vec![0xFF, 0xD8],
            "EOI" => vec![0xFF, 0xD9],
            "FILL" => vec![0xFF, 0xFF],
            "JUNK" => vec![0x00],
            "JFIF" => seg(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"),
            "JFXX" => seg(0xE0, b"JFXX\0\x10GPS thumbnail"),
            "EXIF" => seg(0xE1, b"Exif\0\0MM\0*GPS 52.37N 4.89E"),
            // A phone's portrait photo: GPS pointer and orientation 6 (turned 90° clockwise).
            "EXIF-PORTRAIT-MM" => seg(0xE1, &[
                &b"Exif\0\0MM\0*\0\0\0\x08\0\x02"[..],
                &[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0x26],
                &[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0],
                &[0, 0, 0, 0],
                b"GPS 52.37N 4.89E",
            ].concat()),
            "EXIF-PORTRAIT-II" => seg(0xE1, &[
                &b"Exif\0\0II*\0\x08\0\0\0\x01\0"[..],
                &[0x12, 0x01, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0],
                &[0, 0, 0, 0],
                b"GPS 52.37N 4.89E",
            ].concat()),
            "EXIF-UPRIGHT" => seg(0xE1, &[
                &b"Exif\0\0MM\0*\0\0\0\x08\0\x01"[..],
                &[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 1, 0, 0],
                &[0, 0, 0, 0],
                b"GPS 52.37N 4.89E",
            ].concat()),
            "XMP" => seg(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x>GPS</x>"),
            "ICC" => seg(0xE2, b"ICC_PROFILE\0\x01\x01fake-profile"),
            "MPF" => seg(0xE2, b"MPF\0II*\0GPS"),
            "IPTC" => seg(0xED, b"Photoshop 3.0\08BIM GPS"),
            "ADOBE" => seg(0xEE, b"Adobe\0\x64\0\0\0\0\x01"),
            "COM" => seg(0xFE, b"GPS comment"),
            "DQT" => seg(0xDB, &[0; 65]),
            "SOF0" => seg(0xC0, SOF),
            "SOF2" => seg(0xC2, SOF),
            "SOF-HUGE" => seg(0xC0, &[8, 0x40, 0x00, 0x40, 0x00, 1, 1, 0x11, 0]),
            "APP3" => seg(0xE3, b"GPS in an APP3 segment"),
            "DHT" => seg(0xC4, &[[0, 1].as_slice(), &[0; 16]].concat()),
            "SOS" => seg(0xDA, &[1, 1, 0, 0, 63, 0]),
            "SCAN" => vec![0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0x9A],
            "SCAN2" => vec![0xAB, 0xFF, 0x00, 0xCD, 0xFF, 0xD7, 0xEF],
            "TRAILER" => b"TRAILER GPS".to_vec(),
            _ => panic!("no JPEG part {name}"),
        }
    }

    fn jpeg(parts: &str) -> Vec<u8> {
        parts.split_whitespace().flat_map(jpeg_part).collect()
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
            }
        }
        !crc
    }

    /// A PNG chunk: big-endian length, type, data, CRC32 of type and data.
    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let typed = [&kind[..], data].concat();
        let len = (data.len() as u32).to_be_bytes();
        [&len[..], &typed, &crc32(&typed).to_be_bytes()].concat()
    }

    fn png_part(name: &str) -> Vec<u8> {
        match name {
            "IHDR" => chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]),
            "IHDR12" => chunk(b"IHDR", &[0; 12]),
            "gAMA" => chunk(b"gAMA", &[0, 0, 0xB1, 0x8F]),
            "tEXt" => chunk(b"tEXt", b"Comment\0GPS 52.37N"),
            "zTXt" => chunk(b"zTXt", b"Author\0\0GPS"),
            "iTXt" => chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0GPS"),
            "eXIf" => chunk(b"eXIf", b"MM\0*GPS"),
            "tIME" => chunk(b"tIME", &[7, 232, 1, 2, 3, 4, 5]),
            "prVt" => chunk(b"prVt", b"a private chunk no reader knows"),
            "IHDR-HUGE" => chunk(b"IHDR", &[0, 0, 0x40, 0, 0, 0, 0x40, 0, 8, 0, 0, 0, 0]),
            "I?AT" => chunk(b"I?AT", &[1]),
            "IDAT" => chunk(b"IDAT", &[0x78, 0x9C, 0x63, 0x60, 0, 0, 0, 2, 0, 1]),
            "IEND" => chunk(b"IEND", &[]),
            "HUGE" => b"\xff\xff\xff\xffIDAT".to_vec(),
            "TRAILER" => b"TRAILER GPS".to_vec(),
            _ => panic!("no PNG part {name}"),
        }
    }

    fn png(parts: &str) -> Vec<u8> {
        let chunks = parts.split_whitespace().flat_map(png_part);
        PNG_SIGNATURE.iter().copied().chain(chunks).collect()
    }

    /// A RIFF chunk: FourCC, little-endian size, data, a pad byte if the size is odd.
    fn riff_chunk(tag: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let pad: &[u8] = if data.len() % 2 == 1 { &[0] } else { &[] };
        [&tag[..], &(data.len() as u32).to_le_bytes(), data, pad].concat()
    }

    fn webp_part(name: &str) -> Vec<u8> {
        match name {
            "VP8X" => riff_chunk(b"VP8X", &[0x2C, 0, 0, 0, 0, 0, 0, 0, 0, 0]), // ICC, EXIF, XMP
            "VP8X-ICC" => riff_chunk(b"VP8X", &[0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            "VP8X-SHORT" => riff_chunk(b"VP8X", &[0x0C, 0, 0, 0]),
            "ICCP" => riff_chunk(b"ICCP", b"fake"),
            "VP8" => riff_chunk(b"VP8 ", &[0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A, 0x01, 0x00, 0x01, 0x00]),
            "VP8L" => riff_chunk(b"VP8L", &[0x2F, 0, 0, 0, 0]),
            "EXIF" => riff_chunk(b"EXIF", b"MM\0*GPS 52.37N"),
            "XMP" => riff_chunk(b"XMP ", b"<x:xmpmeta>GPS</x:xmpmeta>"),
            "UNKN" => riff_chunk(b"UNKN", b"GPS in a chunk no reader knows"),
            "ANMF" => riff_chunk(
                b"ANMF",
                &[
                    &[0u8; 16][..],
                    &riff_chunk(b"VP8L", &[0x2F, 0, 0, 0, 0]),
                    &riff_chunk(b"UNKN", b"GPS inside a frame"),
                ]
                .concat(),
            ),
            "VP8X-HUGE" => riff_chunk(b"VP8X", &[0x00, 0, 0, 0, 0xFF, 0x3F, 0, 0xFF, 0x3F, 0]),
            _ => panic!("no WebP part {name}"),
        }
    }

    fn webp(parts: &str) -> Vec<u8> {
        let body: Vec<u8> = parts.split_whitespace().flat_map(webp_part).collect();
        let size = ((body.len() + 4) as u32).to_le_bytes();
        [&b"RIFF"[..], &size, b"WEBP", &body].concat()
    }

    fn samples() -> [Vec<u8>; 4] {
        [
            jpeg("SOI JFIF EXIF ICC XMP IPTC COM DQT SOF0 DHT SOS SCAN EOI TRAILER"),
            jpeg("SOI FILL DQT SOF2 DHT SOS SCAN FILL EXIF COM DHT SOS SCAN2 FILL EOI"),
            png("IHDR gAMA tEXt eXIf zTXt iTXt tIME IDAT IEND TRAILER"),
            webp("VP8X ICCP VP8 EXIF XMP"),
        ]
    }

    #[test]
    fn a_portrait_photo_keeps_its_orientation_and_nothing_else_of_its_exif() {
        for (part, orientation) in [("EXIF-PORTRAIT-MM", 6u16), ("EXIF-PORTRAIT-II", 8)] {
            let out = cleaned(&jpeg(&format!("SOI JFIF {part} DQT SOF0 DHT SOS SCAN EOI")));
            assert!(!contains(&out, b"GPS"), "{part}");
            assert!(contains(&out, &orientation_segment(orientation)), "{part}");
            assert_eq!(exif_orientation(&orientation_segment(orientation)[4..]), Some(orientation));
            // Only the first: a second EXIF segment adds nothing.
            let twice = cleaned(&jpeg(&format!("SOI {part} EXIF-PORTRAIT-MM DQT SOF0 SOS SCAN EOI")));
            assert_eq!(twice.windows(4).filter(|w| *w == b"Exif").count(), 1);
        }
        // Upright, or no orientation at all: no EXIF segment is written.
        for part in ["EXIF-UPRIGHT", "EXIF"] {
            let out = cleaned(&jpeg(&format!("SOI {part} DQT SOF0 SOS SCAN EOI")));
            assert!(!contains(&out, b"Exif"), "{part}");
        }
    }

    #[test]
    fn only_known_chunks_and_segments_are_kept() {
        let png_out = cleaned(&png("IHDR prVt gAMA IDAT IEND"));
        assert!(!png_out.windows(4).any(|w| w == b"prVt") && png_out.windows(4).any(|w| w == b"gAMA"));
        let webp_out = cleaned(&webp("VP8X ICCP VP8 UNKN"));
        assert!(!webp_out.windows(4).any(|w| w == b"UNKN") && webp_out.windows(4).any(|w| w == b"ICCP"));
        // Inside an animation frame too; the frame keeps its picture and a right size.
        let animated = cleaned(&webp("VP8X ANMF ANMF"));
        assert!(!animated.windows(3).any(|w| w == b"GPS"));
        assert_eq!(animated.windows(4).filter(|w| w == b"VP8L").count(), 2);
        let frame = animated.windows(4).position(|w| w == b"ANMF").unwrap();
        assert_eq!(le_u32(&animated, frame + 4), Some(16 + 8 + 6), "header and its VP8L chunk (5 bytes, padded)");
        assert_eq!(cleaned(&animated), animated, "cleaning again changes nothing");
        let jpeg_out = cleaned(&jpeg("SOI JFIF APP3 DQT SOF0 DHT SOS SCAN EOI"));
        assert!(!jpeg_out.windows(3).any(|w| w == b"GPS"));
    }

    #[test]
    fn a_small_file_of_an_enormous_picture_is_refused() {
        for huge in [png("IHDR-HUGE IDAT IEND"), webp("VP8X-HUGE VP8"), jpeg("SOI DQT SOF-HUGE DHT SOS SCAN EOI")] {
            assert!(huge.len() < 1000);
            assert_eq!(clean(&huge).map(|_| ()), Err(PhotoProblem::TooManyPixels), "{:?}", sniff(&huge));
        }
    }

    #[test]
    fn kind_names_round_trip() {
        for kind in [PhotoKind::Jpeg, PhotoKind::Png, PhotoKind::Webp] {
            assert_eq!(PhotoKind::parse(kind.as_str()), Some(kind));
            assert_eq!(kind.mime(), format!("image/{}", kind.as_str()));
        }
        assert_eq!(PhotoKind::Jpeg.extension(), "jpg");
        assert_eq!(PhotoKind::Webp.extension(), "webp");
        assert_eq!(PhotoKind::parse("gif"), None);
        assert_eq!(PhotoKind::parse("JPEG"), None);
    }

    #[test]
    fn sniff_recognises_magic_numbers() {
        use PhotoKind::{Jpeg, Png, Webp};
        for (sample, kind) in samples().iter().zip([Jpeg, Jpeg, Png, Webp]) {
            assert_eq!(sniff(sample), Some(kind));
        }
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn empty_too_large_and_exactly_max() {
        assert_eq!(clean(&[]), Err(PhotoProblem::Empty));
        let junk = vec![b'x'; MAX_PHOTO_BYTES + 1];
        assert_eq!(clean(&junk), Err(PhotoProblem::TooLarge));
        let mut photo = jpeg("SOI DQT SOF0 DHT SOS");
        photo.resize(MAX_PHOTO_BYTES - 2, 0x55);
        photo.extend(jpeg("EOI"));
        assert_eq!(cleaned(&photo), photo);
        photo.insert(photo.len() - 2, 0x55);
        assert_eq!(clean(&photo), Err(PhotoProblem::TooLarge));
    }

    #[test]
    fn renamed_files_are_not_images() {
        let others: [&[u8]; 8] = [
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF",
            b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            b"RIFF\x04\0\0\0WAVE",
            b"RIFF",
            b"\xff\xd8",
            b"\x89PNG\r\n",
            b"\xff",
        ];
        for other in others {
            assert_eq!(sniff(other), None);
            assert_eq!(clean(other), Err(PhotoProblem::NotAnImage));
        }
    }

    #[test]
    fn output_is_idempotent() {
        for sample in samples() {
            let once = clean(&sample).unwrap();
            assert_eq!(sniff(&once.bytes), Some(once.kind));
            assert_eq!(clean(&once.bytes), Ok(once.clone()));
        }
    }

    #[test]
    fn jpeg_loses_exif_xmp_iptc_comment_and_trailer() {
        let out = cleaned(&samples()[0]);
        assert_eq!(out, jpeg("SOI JFIF ICC DQT SOF0 DHT SOS SCAN EOI"));
        for gone in ["GPS", "Exif", "<x>", "Photoshop", "comment", "TRAILER"] {
            assert!(!contains(&out, gone.as_bytes()), "{gone} survived");
        }
        assert!(out.starts_with(&[0xFF, 0xD8]) && out.ends_with(&[0xFF, 0xD9]));
        assert!(contains(&out, &jpeg("SOS SCAN EOI")));
        assert!(contains(&out, b"ICC_PROFILE\0") && contains(&out, b"JFIF\0"));
    }

    #[test]
    fn jpeg_scans_fill_bytes_and_segments_between_scans() {
        let expected = jpeg("SOI DQT SOF2 DHT SOS SCAN DHT SOS SCAN2 EOI");
        assert_eq!(cleaned(&samples()[1]), expected);
    }

    #[test]
    fn jpeg_keeps_adobe_but_drops_mpf_and_jfxx() {
        let photo = jpeg("SOI JFXX ADOBE MPF DQT SOF0 SOS SCAN EOI");
        assert_eq!(cleaned(&photo), jpeg("SOI ADOBE DQT SOF0 SOS SCAN EOI"));
    }

    #[test]
    fn damaged_jpegs() {
        let cut = jpeg("SOI EXIF");
        assert_damaged(&[
            cut[..cut.len() - 5].to_vec(),            // segment runs past the end
            jpeg("SOI DQT SOF0 EOI"),                 // no SOS
            jpeg("SOI DQT SOS SCAN EOI"),             // SOS before any SOF
            jpeg("SOI DQT SOF0 SOS SCAN"),            // no EOI
            jpeg("SOI DQT JUNK SOF0 SOS SCAN EOI"),   // junk between segments
            jpeg("SOI SOI DQT SOF0 SOS SCAN EOI"),    // second SOI
            vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01], // length below 2
            vec![0xFF, 0xD8, 0xFF, 0x00, 0xFF, 0xD9], // FF 00 outside a scan
            vec![0xFF, 0xD8, 0xFF],
        ]);
    }

    #[test]
    fn crc32_matches_reference() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(png_part("IEND"), b"\0\0\0\0IEND\xae\x42\x60\x82");
    }

    #[test]
    fn png_loses_text_exif_and_time() {
        let out = cleaned(&samples()[2]);
        assert_eq!(out, png("IHDR gAMA IDAT IEND"));
        for gone in ["GPS", "tEXt", "eXIf", "zTXt", "iTXt", "tIME", "TRAILER"] {
            assert!(!contains(&out, gone.as_bytes()), "{gone} survived");
        }
    }

    #[test]
    fn damaged_pngs() {
        let full = png("IHDR IDAT IEND");
        assert_damaged(&[
            full[..full.len() - 14].to_vec(), // truncated IDAT chunk
            png("IHDR IDAT"),                 // no IEND
            png("gAMA IHDR IDAT IEND"),       // IHDR not first
            png("IHDR IHDR IDAT IEND"),       // second IHDR
            png("IHDR IEND"),                 // no IDAT
            png("IHDR12 IDAT IEND"),          // short IHDR
            png("IHDR I?AT IDAT IEND"),       // chunk type not letters
            png("IHDR HUGE IDAT IEND"),       // absurd length
            png(""),
        ]);
    }

    #[test]
    fn webp_loses_exif_and_xmp_and_clears_flags() {
        let out = cleaned(&samples()[3]);
        assert_eq!(out, webp("VP8X-ICC ICCP VP8"));
        assert!(!contains(&out, b"EXIF") && !contains(&out, b"XMP ") && !contains(&out, b"GPS"));
        assert_eq!(out[20], 0x20, "EXIF and XMP flags cleared, ICC flag kept");
        let riff_size = u32::from_le_bytes([out[4], out[5], out[6], out[7]]) as usize;
        assert_eq!(riff_size, out.len() - 8);
    }

    #[test]
    fn webp_simple_and_trailing_bytes() {
        assert_eq!(cleaned(&webp("VP8L")), webp("VP8L"));
        let with_trailer = [webp("VP8 EXIF"), b"junk GPS".to_vec()].concat();
        assert_eq!(cleaned(&with_trailer), webp("VP8"));
    }

    #[test]
    fn damaged_webps() {
        let full = webp("VP8 EXIF");
        let mut overrun = full.clone();
        overrun[12 + webp_part("VP8").len() + 4] = 200; // the EXIF chunk claims 200 bytes
        let mut odd_size = full.clone();
        odd_size[4] ^= 1;
        assert_damaged(&[
            full[..full.len() - 4].to_vec(), // RIFF size larger than the file
            overrun,                         // chunk runs past the RIFF end
            webp("EXIF"),                    // no image chunk
            webp("ICCP VP8"),                // image chunk not first
            webp("VP8X-SHORT VP8"),          // VP8X too short
            webp(""),                        // no chunks
            odd_size,                        // odd RIFF size
            b"RIFF\0\0\0\0WEBP".to_vec(),    // RIFF size below 4
        ]);
    }

    /// Cleaning never panics; whatever it accepts is a file of the same kind, no longer
    /// than the input, that cleans to itself.
    fn check(input: &[u8]) {
        // Cleaned after bytes already in the buffer (a storage's head): the same photo
        // after them, or, refused, the buffer as it was.
        let prefix = b"head of 16 bytes";
        let mut out = prefix.to_vec();
        let into = clean_into(input, &mut out);
        assert_eq!(&out[..prefix.len()], prefix);
        match clean(input) {
            Ok(photo) => {
                assert_eq!(into, Ok(photo.kind));
                assert_eq!(&out[prefix.len()..], &photo.bytes[..]);
                assert_eq!(sniff(&photo.bytes), Some(photo.kind));
                assert!(photo.bytes.len() <= input.len());
                assert_eq!(clean(&photo.bytes).as_ref(), Ok(&photo));
            }
            Err(problem) => {
                assert_eq!(into, Err(problem));
                assert_eq!(out, prefix);
            }
        }
    }

    #[test]
    fn prefixes_and_mutations_never_panic() {
        for sample in samples() {
            for end in 0..=sample.len() {
                check(&sample[..end]);
            }
            for i in 0..sample.len() {
                for mask in [0x01, 0x80, 0xFF] {
                    let mut flipped = sample.clone();
                    flipped[i] ^= mask;
                    check(&flipped);
                }
                let mut shorter = sample.clone();
                shorter.remove(i);
                check(&shorter);
                let mut longer = sample.clone();
                longer.insert(i, 0xFF);
                check(&longer);
            }
        }
    }
}
