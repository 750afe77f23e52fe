//! `multipart/form-data` read from a body already in memory (its size bounded by the
//! guard's upload limit): every field is a slice of that one buffer, so a photo reaches
//! the metadata strip without being copied out of the request part by part (what a
//! streaming reader does: into its own buffer, then into the field's). RFC 7578 as
//! browsers send it: a boundary line, headers (`Content-Disposition: form-data;
//! name=...; filename=...`), a blank line, the bytes, CRLF, the next boundary; the
//! closing boundary ends with `--`. Anything else is refused whole.

use memchr::memmem;

/// One field of a form: its name, the file name given (a file input), its bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct Part<'a> {
    pub name: &'a str,
    pub file_name: Option<&'a str>,
    pub data: &'a [u8],
}

/// Why a body is not a form this server reads.
#[derive(Debug, PartialEq, Eq)]
pub enum FormDataError {
    /// No boundary, or a boundary RFC 2046 does not allow.
    Boundary,
    /// The body is not a sequence of parts closed by the final boundary.
    Malformed,
    /// More parts, or longer part headers, than any form of this service has.
    TooMany,
}

/// More fields than the complaint form has, with room for three photos.
const MAX_PARTS: usize = 64;
/// The headers of one part (a name, a file name, a type).
const MAX_PART_HEADERS: usize = 2048;

/// The `boundary` parameter of a `multipart/form-data` content type: 1 to 70
/// characters, quoted or not.
pub fn boundary(content_type: &str) -> Result<&str, FormDataError> {
    let (kind, params) = content_type.split_once(';').ok_or(FormDataError::Boundary)?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return Err(FormDataError::Boundary);
    }
    for param in params.split(';') {
        let Some((key, value)) = param.split_once('=') else { continue };
        if key.trim().eq_ignore_ascii_case("boundary") {
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            let allowed = |c: char| c.is_ascii_alphanumeric() || "'()+_,-./:=? ".contains(c);
            if (1..=70).contains(&value.len()) && value.chars().all(allowed) && !value.ends_with(' ') {
                return Ok(value);
            }
            return Err(FormDataError::Boundary);
        }
    }
    Err(FormDataError::Boundary)
}

/// The parts of a body, in order.
pub fn parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, FormDataError> {
    let dash_boundary = format!("--{boundary}");
    let delimiter = format!("\r\n--{boundary}");
    let next = memmem::Finder::new(delimiter.as_bytes());
    // The first boundary: at the start, or after a preamble ending in CRLF.
    let mut at = if body.starts_with(dash_boundary.as_bytes()) {
        dash_boundary.len()
    } else {
        next.find(body).ok_or(FormDataError::Malformed)? + delimiter.len()
    };
    let mut parts = Vec::new();
    loop {
        let rest = &body[at..];
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        // Transport padding, then the line's end.
        let line_end = rest
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .filter(|&i| rest[i..].starts_with(b"\r\n"))
            .ok_or(FormDataError::Malformed)?;
        let head_start = at + line_end + 2;
        let head_len = memmem::find(&body[head_start..], b"\r\n\r\n").ok_or(FormDataError::Malformed)?;
        if head_len > MAX_PART_HEADERS {
            return Err(FormDataError::TooMany);
        }
        let head = std::str::from_utf8(&body[head_start..head_start + head_len])
            .map_err(|_| FormDataError::Malformed)?;
        let data_start = head_start + head_len + 4;
        let data_len = next.find(&body[data_start..]).ok_or(FormDataError::Malformed)?;
        let (name, file_name) = disposition(head)?;
        if parts.len() == MAX_PARTS {
            return Err(FormDataError::TooMany);
        }
        parts.push(Part { name, file_name, data: &body[data_start..data_start + data_len] });
        at = data_start + data_len + delimiter.len();
    }
}

/// The field name and file name from a part's headers (`head` is `""` for a part with
/// none; a part must name its field).
fn disposition(head: &str) -> Result<(&str, Option<&str>), FormDataError> {
    let value = head
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("content-disposition"))
        .map(|(_, value)| value)
        .ok_or(FormDataError::Malformed)?;
    let (kind, mut params) = value.split_once(';').unwrap_or((value, ""));
    if !kind.trim().eq_ignore_ascii_case("form-data") {
        return Err(FormDataError::Malformed);
    }
    let (mut name, mut file_name) = (None, None);
    loop {
        params = params.trim_start_matches([' ', '\t', ';']);
        if params.is_empty() {
            break;
        }
        let (key, rest) = params.split_once('=').ok_or(FormDataError::Malformed)?;
        let (value, rest) = match rest.strip_prefix('"') {
            // Browsers write a quote in a name as %22, never escaped: the value ends at
            // the next quote.
            Some(quoted) => {
                let end = quoted.find('"').ok_or(FormDataError::Malformed)?;
                (&quoted[..end], &quoted[end + 1..])
            }
            None => {
                let end = rest.find(';').unwrap_or(rest.len());
                (rest[..end].trim(), &rest[end..])
            }
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "name" => name = Some(value),
            "filename" => file_name = Some(value),
            _ => {}
        }
        params = rest;
    }
    Ok((name.ok_or(FormDataError::Malformed)?, file_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, file, data) in parts {
            out.extend_from_slice(b"--XyZ\r\nContent-Disposition: form-data; name=\"");
            out.extend_from_slice(name.as_bytes());
            out.push(b'"');
            if let Some(file) = file {
                out.extend_from_slice(format!("; filename=\"{file}\"\r\nContent-Type: image/jpeg").as_bytes());
            }
            out.extend_from_slice(b"\r\n\r\n");
            out.extend_from_slice(data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--XyZ--\r\n");
        out
    }

    proptest::proptest! {
        /// Any body and any boundary: parts, or a refusal, never a panic; and a form built
        /// from any fields reads back as built.
        #[test]
        fn any_body_is_read_or_refused_and_a_built_form_reads_back(
            raw in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
            content_type in ".{0,80}",
            fields in proptest::collection::vec(("[a-z_]{1,12}", proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)), 1..8),
        ) {
            let _ = boundary(&content_type);
            let _ = parts(&raw, "XyZ");
            let built: Vec<(&str, Option<&str>, &[u8])> =
                fields.iter().map(|(name, data)| (name.as_str(), None, data.as_slice())).collect();
            let body = body(&built);
            // A field's bytes that happen to hold the delimiter end it there, as in browsers.
            if !fields.iter().any(|(_, data)| data.windows(7).any(|w| w == b"\r\n--XyZ")) {
                let read = parts(&body, "XyZ").unwrap();
                proptest::prop_assert_eq!(read.len(), built.len());
                for (part, (name, _, data)) in read.iter().zip(&built) {
                    proptest::prop_assert_eq!(part.name, *name);
                    proptest::prop_assert_eq!(part.data, *data);
                }
            }
        }
    }

    #[test]
    fn reads_fields_and_files_as_browsers_send_them() {
        let photo: &[u8] = b"\xff\xd8 bytes with \r\n--XyY and \r\n-- inside \xff\xd9";
        let sent = body(&[("step", None, b"send"), ("what_happened", None, b"line one\r\nline two"), ("photo", Some("p.jpg"), photo), ("photo", Some(""), b"")]);
        let got = parts(&sent, "XyZ").unwrap();
        assert_eq!(
            got,
            vec![
                Part { name: "step", file_name: None, data: b"send" },
                Part { name: "what_happened", file_name: None, data: b"line one\r\nline two" },
                Part { name: "photo", file_name: Some("p.jpg"), data: photo },
                Part { name: "photo", file_name: Some(""), data: b"" },
            ]
        );
    }

    #[test]
    fn a_preamble_and_transport_padding_are_passed_over() {
        let sent = b"ignored preamble\r\n--b \t\r\ncontent-disposition: form-data;name=x\r\n\r\n1\r\n--b--";
        assert_eq!(parts(sent, "b").unwrap(), vec![Part { name: "x", file_name: None, data: b"1" }]);
    }

    #[test]
    fn refuses_what_is_not_a_whole_form() {
        let whole = body(&[("step", None, b"send")]);
        // Cut short: no closing boundary.
        assert_eq!(parts(&whole[..whole.len() - 9], "XyZ"), Err(FormDataError::Malformed));
        // Another boundary than the header's.
        assert_eq!(parts(&whole, "Other"), Err(FormDataError::Malformed));
        // A part with no name, or not form-data.
        let nameless = b"--b\r\nContent-Disposition: form-data\r\n\r\n1\r\n--b--";
        assert_eq!(parts(nameless, "b"), Err(FormDataError::Malformed));
        let attachment = b"--b\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\n1\r\n--b--";
        assert_eq!(parts(attachment, "b"), Err(FormDataError::Malformed));
        // No headers' end.
        assert_eq!(parts(b"--b\r\nContent-Disposition: form-data; name=x", "b"), Err(FormDataError::Malformed));
        assert_eq!(parts(b"", "b"), Err(FormDataError::Malformed));
    }

    #[test]
    fn refuses_more_parts_than_a_form_has() {
        let many: Vec<(&str, Option<&str>, &[u8])> = (0..=MAX_PARTS).map(|_| ("x", None, &b"1"[..])).collect();
        assert_eq!(parts(&body(&many), "XyZ"), Err(FormDataError::TooMany));
        assert_eq!(parts(&body(&many[1..]), "XyZ").unwrap().len(), MAX_PARTS);
        let long = format!("--b\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n1\r\n--b--", "n".repeat(3000));
        assert_eq!(parts(long.as_bytes(), "b"), Err(FormDataError::TooMany));
    }

    #[test]
    fn reads_the_boundary_of_the_content_type() {
        assert_eq!(boundary("multipart/form-data; boundary=----WebKitFormBoundaryA1b2"), Ok("----WebKitFormBoundaryA1b2"));
        assert_eq!(boundary("Multipart/Form-Data; charset=utf-8; Boundary=\"a b\""), Ok("a b"));
        assert_eq!(boundary("multipart/form-data"), Err(FormDataError::Boundary));
        assert_eq!(boundary("multipart/form-data; boundary="), Err(FormDataError::Boundary));
        assert_eq!(boundary(&format!("multipart/form-data; boundary={}", "x".repeat(71))), Err(FormDataError::Boundary));
        assert_eq!(boundary("multipart/mixed; boundary=x"), Err(FormDataError::Boundary));
        assert_eq!(boundary("multipart/form-data; boundary=a\r\nb"), Err(FormDataError::Boundary));
    }
}
