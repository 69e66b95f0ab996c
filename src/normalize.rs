//! Normalisation for matching: full-width to half-width, NFKC, case folding,
//! and the separators that names are written with or without (`GPT-4` = `gpt 4`).
//!
//! [`NormText`] keeps, for every byte of the normalised text, the byte offset
//! in the original it came from, so a match found in the normalised text still
//! points into the text as the user wrote it.

use unicode_normalization::UnicodeNormalization;

/// Characters that names are written with or without: `Llama 3` = `Llama-3` = `Llama3`.
pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '\u{a0}' | '·' | '•' | '・' | '‧' | '∙' | '-' | '‐' | '‑' | '_' | '.'
    )
}

/// Folds one character: full-width forms to ASCII, NFKC of the character, lower case.
/// Characters are folded one at a time (so every byte keeps its place in the original);
/// a letter followed by a separate combining accent is not composed with it.
/// Pushes the folded characters (none, one or more) onto `out`.
fn fold_into(c: char, out: &mut String) {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for n in std::iter::once(c).nfkc() {
        for l in n.to_lowercase() {
            out.push(l);
        }
    }
}

/// Text normalised for matching, with a map back to the original's byte offsets.
///
/// ```
/// use guanxi::normalize::NormText;
/// let t = NormText::new("用ＧＰＴ－４写诗");
/// let at = t.text.find("gpt4").unwrap();
/// let (s, e) = t.original_span(at, at + 4);
/// assert_eq!(&"用ＧＰＴ－４写诗"[s..e], "ＧＰＴ－４");
/// ```
#[derive(Debug, Clone)]
pub struct NormText {
    /// The normalised text (separators dropped).
    pub text: String,
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl NormText {
    /// Normalises `original`.
    pub fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut starts = Vec::with_capacity(original.len());
        let mut ends = Vec::with_capacity(original.len());
        fold_each(original, &mut text, |start, end, bytes| {
            for _ in 0..bytes {
                starts.push(start);
                ends.push(end);
            }
        });
        NormText { text, starts, ends }
    }

    /// Maps a byte span of the normalised text to the byte span of the original it covers.
    /// An empty span maps to an empty span at the original position.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if end <= start || start >= self.starts.len() {
            let at = self
                .starts
                .get(start)
                .copied()
                .unwrap_or_else(|| self.ends.last().copied().unwrap_or(0));
            return (at, at);
        }
        (self.starts[start], self.ends[end - 1])
    }
}

/// The key under which names are matched and merged: folded, separators dropped.
///
/// ```
/// use guanxi::normalize::match_key;
/// assert_eq!(match_key("Llama 3"), match_key("LLaMA-3"));
/// assert_eq!(match_key("杰弗里·辛顿"), match_key("杰弗里•辛顿"));
/// ```
pub fn match_key(s: &str) -> String {
    // The text of [`NormText::new`] without its map back to the original (keys are asked for
    // many times a document).
    let mut text = String::with_capacity(s.len());
    fold_each(s, &mut text, |_, _, _| {});
    text
}

/// Pushes the folded characters of `original` onto `text`, separators dropped, and says for each
/// one kept the byte span of the original character it came from and how many bytes it took.
#[inline]
fn fold_each(original: &str, text: &mut String, mut mark: impl FnMut(usize, usize, usize)) {
    let mut buf = String::new();
    for (i, c) in original.char_indices() {
        // The common cases without the general folding: ASCII is only lowered, and a unified
        // Han ideograph has neither case nor a compatibility decomposition.
        if c.is_ascii() {
            if !is_separator(c) {
                text.push(c.to_ascii_lowercase());
                mark(i, i + 1, 1);
            }
            continue;
        }
        if matches!(c as u32, 0x3400..=0x4dbf | 0x4e00..=0x9fff) {
            text.push(c);
            mark(i, i + 3, 3);
            continue;
        }
        buf.clear();
        fold_into(c, &mut buf);
        let end = i + c.len_utf8();
        for f in buf.chars() {
            if is_separator(f) {
                continue;
            }
            text.push(f);
            mark(i, end, f.len_utf8());
        }
    }
}

/// The normalisation of the ontology's scoring rules: NFKC, lower case, and spaces,
/// `·`, `-`, `_`, `.`, quotes, brackets and `《》` removed.
pub fn score_key(s: &str) -> String {
    let mut out = String::new();
    for c in match_key(s).chars() {
        if matches!(
            c,
            '"' | '\''
                | '“'
                | '”'
                | '‘'
                | '’'
                | '「'
                | '」'
                | '『'
                | '』'
                | '《'
                | '》'
                | '〈'
                | '〉'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '【'
                | '】'
                | '<'
                | '>'
        ) {
            continue;
        }
        out.push(c);
    }
    out
}

/// `s` in lower case, without a copy when lowering changes nothing (ASCII without capitals, and
/// Chinese, Japanese and Korean characters, which have no case): the word lists are lowered this
/// way for every comparison, where a copy each time cost more than the comparison.
pub(crate) fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars()
        .all(|c| (c.is_ascii() && !c.is_ascii_uppercase()) || is_cjk(c))
    {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.to_lowercase())
    }
}

/// True for characters of Chinese, Japanese and Korean scripts.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x2ebef | 0x3040..=0x30ff | 0xac00..=0xd7af)
}

/// True for characters that continue a Latin word or a version number.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_case_fold_to_ascii_lower() {
        assert_eq!(match_key("ＯｐｅｎＡＩ"), "openai");
        assert_eq!(match_key("Ｇｏｏｇｌｅ　ＤｅｅｐＭｉｎｄ"), "googledeepmind");
    }

    #[test]
    fn separators_are_dropped_but_letters_kept() {
        assert_eq!(match_key("GPT-4o"), "gpt4o");
        assert_eq!(match_key("Qwen2.5-Max"), "qwen25max");
        assert_eq!(match_key("萨姆·阿尔特曼"), "萨姆阿尔特曼");
    }

    #[test]
    fn offsets_point_into_the_original() {
        let original = "据说 Ｍｅｔａ 裁员";
        let n = NormText::new(original);
        let at = n.text.find("meta").unwrap();
        let (s, e) = n.original_span(at, at + "meta".len());
        assert_eq!(&original[s..e], "Ｍｅｔａ");
    }

    #[test]
    fn score_key_drops_quotes_and_title_marks() {
        assert_eq!(score_key("《In the Plex》"), "intheplex");
        assert_eq!(score_key("“文心一言”"), "文心一言");
        assert_eq!(score_key("Llama 3"), score_key("llama3"));
    }

    #[test]
    fn the_shortcuts_fold_as_the_general_rule_does() {
        // ASCII and unified Han ideographs skip the general folding: every one of them must come out
        // as NFKC and lower-casing would make it, with the same offsets.
        let sample: String = (0u32..0x80)
            .chain(0x3400..0x4dc0)
            .chain(0x4e00..0xa000)
            .filter_map(char::from_u32)
            .collect();
        let n = NormText::new(&sample);
        let mut want = String::new();
        let mut starts = Vec::new();
        let mut buf = String::new();
        for (i, c) in sample.char_indices() {
            buf.clear();
            fold_into(c, &mut buf);
            for f in buf.chars().filter(|&f| !is_separator(f)) {
                want.push(f);
                starts.extend(std::iter::repeat_n(i, f.len_utf8()));
            }
        }
        assert_eq!(n.text, want);
        assert_eq!(n.starts, starts);
    }

    #[test]
    fn nfkc_folds_compatibility_characters() {
        assert_eq!(match_key("ﬁ"), "fi");
        assert_eq!(match_key("①"), "1");
    }
}
