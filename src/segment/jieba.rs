//! The jieba-rs segmenter, with the lexicon's Chinese names added so that
//! `文心一言` or `杰弗里·辛顿` stay one word.

use super::{Segmenter, Word};
use jieba_rs::Jieba;

/// jieba-rs with extra words.
pub struct JiebaSegmenter {
    jieba: Jieba,
}

impl JiebaSegmenter {
    /// jieba's default dictionary plus `names` (lexicon names, tagged as nouns of a proper kind).
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut jieba = Jieba::new();
        for (name, tag) in names {
            if name.chars().count() >= 2 && !name.contains(char::is_whitespace) {
                jieba.add_word(name, Some(1_000), Some(tag));
            }
        }
        JiebaSegmenter { jieba }
    }
}

impl Segmenter for JiebaSegmenter {
    fn words(&self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        let mut pos = 0;
        for t in self.jieba.tag(text, true) {
            // jieba returns words in order; find each one's byte offset from where the last ended.
            let start = match text[pos..].find(t.word) {
                Some(off) => pos + off,
                None => continue,
            };
            let end = start + t.word.len();
            out.push(Word {
                start,
                end,
                tag: t.tag.to_string(),
                known: self.jieba.has_word(t.word),
            });
            pos = end;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_names_stay_one_word() {
        let seg = JiebaSegmenter::new([("文心一言", "nz"), ("阿尔特曼", "nr")]);
        let text = "百度发布文心一言，阿尔特曼回应";
        let words: Vec<&str> = seg.words(text).iter().map(|w| &text[w.start..w.end]).collect();
        assert!(words.contains(&"文心一言"), "{words:?}");
        assert!(words.contains(&"阿尔特曼"), "{words:?}");
    }
}
