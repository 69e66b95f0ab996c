//! Bytes to text: a byte-order mark first, then UTF-8, then UTF-16 without a mark, then the
//! legacy encoding chardetng guesses (GBK/GB18030, Big5, Windows-1252, …). Binary data and bytes
//! that do not decode cleanly are refused with the reason, never turned into junk text.

use encoding_rs::Encoding;

/// Looks an encoding up by any of its WHATWG labels (`gbk`, `big5`, `utf-16le`, `windows-1252`, …).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    // GB18030 is a superset of GBK; encoding_rs reads both labels with the same decoder.
    Encoding::for_label(label.trim().as_bytes())
}

/// Decodes `bytes` in the forced encoding, else in the one detected.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<String, String> {
    if let Some(enc) = forced {
        // A mark that agrees with the forced encoding is not text.
        let body = match Encoding::for_bom(bytes) {
            Some((e, n)) if e == enc => &bytes[n..],
            _ => bytes,
        };
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            return Err(format!("not valid {}", enc.name()));
        }
        return Ok(text.into_owned());
    }
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(format!("invalid {} after its byte-order mark", enc.name()));
        }
        return Ok(text.into_owned());
    }
    let utf8 = std::str::from_utf8(bytes).ok();
    if let Some(s) = utf8
        && !looks_binary(s.chars())
    {
        return Ok(s.to_string());
    }
    // English in UTF-16 is valid UTF-8 full of NULs.
    if let Some(text) = utf16_without_bom(bytes) {
        return Ok(text);
    }
    if utf8.is_some() {
        return Err("binary data (control characters)".into());
    }
    if bytes.contains(&0) {
        return Err("binary data (NUL bytes)".into());
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(format!(
            "neither UTF-8 nor {} (the likeliest encoding); try --encoding",
            enc.name()
        ));
    }
    if looks_binary(text.chars()) {
        return Err("binary data (control characters)".into());
    }
    Ok(text.into_owned())
}

/// More than one control character (other than tab, line breaks and form feed) in a hundred.
fn looks_binary(chars: impl Iterator<Item = char>) -> bool {
    let (mut n, mut control) = (0usize, 0usize);
    for c in chars {
        n += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            control += 1;
        }
    }
    control > 0 && control * 100 >= n
}

/// UTF-16 without a byte-order mark, little or big endian: taken only when nearly every character
/// it gives is one a text is made of (ASCII, CJK, CJK punctuation, full-width forms), which
/// random bytes and legacy encodings almost never are.
fn utf16_without_bom(bytes: &[u8]) -> Option<String> {
    // Any line break, space or digit in UTF-16 has a NUL byte: a text without one is not UTF-16.
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) || !bytes.contains(&0) {
        return None;
    }
    let plausible = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | ' '..='~')
            || matches!(c as u32, 0x3000..=0x303f | 0x4e00..=0x9fff | 0xff00..=0xffef | 0x2010..=0x206f | 0xa0..=0x24f)
    };
    [encoding_rs::UTF_16LE, encoding_rs::UTF_16BE]
        .into_iter()
        .filter_map(|enc| {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            if had_errors {
                return None;
            }
            let n = text.chars().count();
            let good = text.chars().filter(|&c| plausible(c)).count();
            (good * 100 >= n * 98).then(|| text.into_owned())
        })
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: &str = "微软宣布以一百亿美元投资人工智能公司，双方将在云计算和大模型领域展开长期合作。";
    const ZH_HANT: &str = "微軟宣布以一百億美元投資人工智慧公司，雙方將在雲端運算和大型模型領域展開長期合作。";

    fn roundtrip(enc: &'static Encoding, text: &str) -> String {
        let (bytes, _, unmappable) = enc.encode(text);
        assert!(!unmappable);
        decode(&bytes, None).unwrap()
    }

    #[test]
    fn legacy_chinese_encodings_are_detected() {
        assert_eq!(roundtrip(encoding_rs::GBK, ZH), ZH);
        assert_eq!(roundtrip(encoding_rs::GB18030, ZH), ZH);
        assert_eq!(roundtrip(encoding_rs::BIG5, ZH_HANT), ZH_HANT);
    }

    #[test]
    fn windows_1252_is_detected() {
        let text = "Café Müller’s “naïve” résumé: Zoë and François joined Société Générale.";
        assert_eq!(roundtrip(encoding_rs::WINDOWS_1252, text), text);
    }

    #[test]
    fn utf16_is_read_with_and_without_its_mark() {
        for text in [
            &format!("{ZH}\n"),
            "OpenAI released GPT-4o in May.",
            "Meta与谷歌的竞争。",
        ] {
            let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
            assert_eq!(decode(&le, None).unwrap(), text);
            assert_eq!(decode(&be, None).unwrap(), text);
            let with_bom: Vec<u8> = [0xff, 0xfe].into_iter().chain(le).collect();
            assert_eq!(decode(&with_bom, None).unwrap(), text);
        }
    }

    #[test]
    fn utf8_with_a_mark_loses_the_mark() {
        let bytes: Vec<u8> = [0xef, 0xbb, 0xbf].into_iter().chain(ZH.bytes()).collect();
        assert_eq!(decode(&bytes, None).unwrap(), ZH);
    }

    #[test]
    fn binary_is_refused_with_a_reason() {
        let png = [
            0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R', 0xff,
        ];
        let e = decode(&png, None).unwrap_err();
        assert!(e.contains("binary"), "{e}");
        let elf: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        assert!(decode(&elf, None).is_err());
    }

    #[test]
    fn a_forced_encoding_is_used_and_checked() {
        let (bytes, _, _) = encoding_rs::BIG5.encode(ZH_HANT);
        assert_eq!(decode(&bytes, encoding_for_label("big5")).unwrap(), ZH_HANT);
        let e = decode(&[0xff, 0xff, 0x41], encoding_for_label("utf-8")).unwrap_err();
        assert!(e.contains("UTF-8"), "{e}");
        assert!(encoding_for_label("no-such-encoding").is_none());
    }
}
