//! The jieba-rs segmenter, with the lexicon's Chinese names added so that
//! `文心一言` or `杰弗里·辛顿` stay one word.

use super::{Segmenter, Word};
use jieba_rs::Jieba;
use std::borrow::Cow;
use std::sync::LazyLock;

/// jieba's default dictionary, loaded once a process. Loading it (decompressing and parsing
/// some 350,000 entries) costs about 280 million instructions and a copy a few million; an
/// ingest needs it twice, with the lexicon's names and without.
static DEFAULT: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// jieba-rs with extra words.
pub struct JiebaSegmenter {
    jieba: Cow<'static, Jieba>,
}

impl JiebaSegmenter {
    /// jieba's default dictionary plus `names` (lexicon names, tagged as nouns of a proper kind).
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut jieba = DEFAULT.clone();
        for (name, tag) in names {
            if name.chars().count() >= 2 && !name.contains(char::is_whitespace) {
                jieba.add_word(name, Some(1_000), Some(tag));
            }
        }
        JiebaSegmenter {
            jieba: Cow::Owned(jieba),
        }
    }

    /// jieba's default dictionary alone: the segmentation of the search index, which must be the
    /// same whatever lexicon a run was given (the words of a stored sentence and of a later query
    /// have to agree). It shares the process's one copy of the dictionary.
    pub fn plain() -> Self {
        JiebaSegmenter {
            jieba: Cow::Borrowed(&DEFAULT),
        }
    }

    /// The words under which a text is indexed and searched: jieba's search mode (a long word and
    /// the dictionary words inside it: `深度学习` gives `深度`, `学习` and `深度学习`), folded to
    /// lower case with NFKC, punctuation and spaces left out.
    ///
    /// ```
    /// let seg = guanxi::segment::JiebaSegmenter::plain();
    /// let words = seg.search_terms("Meta宣布大规模裁员。");
    /// assert!(words.contains(&"meta".to_string()) && words.contains(&"裁员".to_string()));
    /// ```
    pub fn search_terms(&self, text: &str) -> Vec<String> {
        self.jieba
            .cut_for_search(text, true)
            .into_iter()
            .filter(|t| t.word.chars().any(char::is_alphanumeric))
            .map(|t| fold_term(t.word))
            .collect()
    }
}

/// A search word folded with NFKC and lowered. ASCII is only lowered, and unified Han ideographs
/// have neither case nor compatibility forms: the two commonest words skip the general folding.
fn fold_term(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if word.is_ascii() {
        word.to_ascii_lowercase()
    } else if word
        .chars()
        .all(|c| matches!(c as u32, 0x3400..=0x4dbf | 0x4e00..=0x9fff))
    {
        word.to_string()
    } else {
        word.nfkc().flat_map(char::to_lowercase).collect()
    }
}

impl Segmenter for JiebaSegmenter {
    fn words<'a>(&'a self, text: &'a str) -> Vec<Word<'a>> {
        // jieba gives each word's byte offsets: its words cover the text in order, one after the
        // other (a test checks it), so no search for where a word starts is needed.
        self.jieba
            .tag(text, true)
            .into_iter()
            .map(|t| Word {
                start: t.byte_start,
                end: t.byte_end,
                tag: t.tag,
                known: self.jieba.has_word(t.word),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_terms_are_what_nfkc_and_lowering_give() {
        use unicode_normalization::UnicodeNormalization;
        let han: String = (0x3400u32..0x4dc0)
            .chain(0x4e00..0xa000)
            .filter_map(char::from_u32)
            .collect();
        let ascii: String = (0u32..0x80).filter_map(char::from_u32).collect();
        for w in [
            han.as_str(),
            ascii.as_str(),
            "OpenAI",
            "ＧＰＴ４",
            "深度学习",
            "Ｍｅｔａ裁员",
            "ﬁ①",
        ] {
            let want: String = w.nfkc().flat_map(char::to_lowercase).collect();
            assert_eq!(fold_term(w), want, "{w}");
        }
    }

    #[test]
    fn words_cover_the_text_in_order() {
        let seg = JiebaSegmenter::new([("文心一言", "nz")]);
        let text = "百度发布文心一言 3.5，OpenAI的GPT-4o  也来了！\n\t臺灣　輝達 ﬁ① 𠀋𠀋 end.";
        let words = seg.words(text);
        let mut at = 0;
        for w in &words {
            assert_eq!(w.start, at, "{words:?}");
            assert!(w.end > w.start && text.is_char_boundary(w.end));
            at = w.end;
        }
        assert_eq!(at, text.len());
    }

    #[test]
    fn added_names_leave_the_plain_dictionary_alone() {
        let text = "百度发布栖云智算新品";
        let known = |seg: &JiebaSegmenter| -> Vec<String> {
            seg.words(text)
                .iter()
                .filter(|w| w.known)
                .map(|w| text[w.start..w.end].to_string())
                .collect()
        };
        let plain = known(&JiebaSegmenter::plain());
        let seg = JiebaSegmenter::new([("栖云智算", "nt")]);
        assert!(known(&seg).contains(&"栖云智算".to_string()));
        let again = known(&JiebaSegmenter::plain());
        assert_eq!(plain, again);
        assert!(!again.contains(&"栖云智算".to_string()), "{again:?}");
    }

    #[test]
    fn added_names_stay_one_word() {
        let seg = JiebaSegmenter::new([("文心一言", "nz"), ("阿尔特曼", "nr")]);
        let text = "百度发布文心一言，阿尔特曼回应";
        let words: Vec<&str> = seg.words(text).iter().map(|w| &text[w.start..w.end]).collect();
        assert!(words.contains(&"文心一言"), "{words:?}");
        assert!(words.contains(&"阿尔特曼"), "{words:?}");
    }
}
