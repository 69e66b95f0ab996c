//! Traditional Chinese read through Simplified: each traditional character is replaced by its
//! simplified form (character_converter, built on OpenCC's tables) one character at a time, and
//! only when both take the same number of bytes, so every byte offset found in the converted text
//! points at the same character of the original.
//!
//! The character-for-character part of character_converter's table is kept in `script/t2s.rs`,
//! generated from it by the test `the_table_is_character_converters` (`UPDATE_EXPECT=1` rewrites
//! it): loading character_converter's whole table of words and phrases cost every process about
//! 200 million instructions before its first document.

mod t2s;

use std::borrow::Cow;

/// True for the code points where Han characters live.
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x3134f)
}

/// One Han character in this many with a simplified form marks a text as Traditional Chinese
/// (Traditional news text has one in three to five).
pub const TRADITIONAL_SHARE: usize = 12;

/// The first and last code points whose conversions are remembered: the Basic Multilingual Plane's
/// Han blocks (CJK Extension A through the compatibility ideographs).
const CACHED: std::ops::RangeInclusive<u32> = 0x3400..=0xfaff;

/// The conversion of every character of [`CACHED`] met so far (0: not yet asked). A lookup is a
/// binary search; a text has a few thousand distinct characters, so each is looked up once per
/// process and read back after that.
static CACHE: [std::sync::atomic::AtomicU32; (0xfaff - 0x3400 + 1) as usize] =
    [const { std::sync::atomic::AtomicU32::new(0) }; (0xfaff - 0x3400 + 1) as usize];

/// The simplified form of one character, when it has one of the same UTF-8 length.
pub fn simplify_char(c: char) -> char {
    if !is_han(c) {
        return c;
    }
    if !CACHED.contains(&(c as u32)) {
        return convert(c);
    }
    use std::sync::atomic::Ordering::Relaxed;
    let slot = &CACHE[(c as u32 - CACHED.start()) as usize];
    // Every thread that fills a slot writes the same value, so a relaxed load and store suffice.
    match char::from_u32(slot.load(Relaxed)) {
        Some(s) if s != '\0' => s,
        _ => {
            let s = convert(c);
            slot.store(s as u32, Relaxed);
            s
        }
    }
}

/// [`simplify_char`] without the cache.
fn convert(c: char) -> char {
    t2s::T2S
        .binary_search_by_key(&c, |&(t, _)| t)
        .map_or(c, |i| t2s::T2S[i].1)
}

/// `text` with traditional characters simplified, byte for byte the same layout: borrowed when
/// nothing changed, or when the text is not written in Traditional Chinese.
///
/// A few characters that OpenCC simplifies alone are also correct Simplified Chinese (著 in
/// 著名, 宁): a text is converted only when at least one Han character in [`TRADITIONAL_SHARE`]
/// has a simplified form, which Simplified text (well under 1%) never reaches.
///
/// ```
/// let t = "微軟收購了輝達";
/// let s = guanxi::script::simplify(t);
/// assert_eq!(s, "微软收购了辉达");
/// assert_eq!(s.len(), t.len());
/// ```
pub fn simplify(text: &str) -> Cow<'_, str> {
    let (mut han, mut traditional) = (0usize, 0usize);
    for c in text.chars().filter(|&c| is_han(c)) {
        han += 1;
        if simplify_char(c) != c {
            traditional += 1;
        }
    }
    if traditional == 0 || traditional * TRADITIONAL_SHARE < han {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    for (i, c) in text.char_indices() {
        let s = simplify_char(c);
        match &mut out {
            Some(o) => o.push(s),
            None if s != c => {
                let mut o = String::with_capacity(text.len());
                o.push_str(&text[..i]);
                o.push(s);
                out = Some(o);
            }
            None => {}
        }
    }
    match out {
        Some(o) => {
            debug_assert_eq!(o.len(), text.len());
            Cow::Owned(o)
        }
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_point_at_the_same_characters() {
        let t = "臺灣的輝達與微軟，在雲端運算上競爭。Apple 與 Google。";
        let s = simplify(t);
        assert_eq!(s.len(), t.len());
        for ((i, a), (j, b)) in t.char_indices().zip(s.char_indices()) {
            assert_eq!(i, j);
            assert_eq!(simplify_char(a), b);
        }
        assert!(s.contains("辉达") && s.contains("微软") && s.contains("竞争"), "{s}");
    }

    /// character_converter's conversion of one character, when it is one character of the same
    /// UTF-8 length.
    fn character_converters(c: char) -> char {
        let mut buf = [0u8; 4];
        let converted = character_converter::traditional_to_simplified(c.encode_utf8(&mut buf));
        let mut chars = converted.chars();
        match (chars.next(), chars.next()) {
            (Some(t), None) if t.len_utf8() == c.len_utf8() => t,
            _ => c,
        }
    }

    #[test]
    fn the_table_is_character_converters() {
        let han = (0x3400u32..=0x4dbf)
            .chain(0x4e00..=0x9fff)
            .chain(0xf900..=0xfaff)
            .chain(0x20000..=0x3134f)
            .filter_map(char::from_u32);
        let pairs: Vec<(char, char)> = han
            .map(|c| (c, character_converters(c)))
            .filter(|&(c, s)| c != s)
            .collect();
        assert!(pairs.iter().all(|&(c, _)| is_han(c)));
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            let mut text = String::from(
                "//! Generated from character_converter by the test `the_table_is_character_converters`\n\
                 //! (`UPDATE_EXPECT=1` rewrites it): every Han character whose simplified form is one other\n\
                 //! character of the same UTF-8 length, in code point order.\n\n\
                 /// Traditional character, simplified character; sorted by the first.\n\
                 #[rustfmt::skip]\n\
                 pub(super) static T2S: &[(char, char)] = &[\n",
            );
            for (c, s) in &pairs {
                text.push_str(&format!("    ('{c}', '{s}'),\n"));
            }
            text.push_str("];\n");
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/script/t2s.rs");
            std::fs::write(path, text).unwrap();
        }
        assert_eq!(t2s::T2S, pairs.as_slice(), "regenerate with UPDATE_EXPECT=1");
        for &(c, s) in &pairs {
            assert_eq!(convert(c), s, "{c}");
        }
    }

    #[test]
    fn remembered_conversions_equal_direct_ones() {
        // Twice over every cached character: the first call fills the cache, the second reads it.
        for _ in 0..2 {
            for c in CACHED.filter_map(char::from_u32) {
                let want = if is_han(c) { convert(c) } else { c };
                assert_eq!(simplify_char(c), want, "{c}");
            }
        }
        assert_eq!(simplify_char('輝'), '辉');
        assert_eq!(simplify_char('𠀋'), convert('𠀋'));
    }

    #[test]
    fn simplified_text_is_untouched() {
        assert!(matches!(simplify("微软收购了动视暴雪"), Cow::Borrowed(_)));
        // 著 and 宁 are simplified characters too: a simplified text keeps them.
        let t = "这本著作的作者是著名学者宁远，他在书中回顾了深度学习的历史和人工智能的兴起过程。";
        assert!(matches!(simplify(t), Cow::Borrowed(_)));
    }
}
