//! Word segmentation: where words begin and end in Chinese text, and what part of
//! speech they are. The [`Segmenter`] trait keeps the rest of the pipeline free of
//! any one segmenter; `jieba.rs` is the only file that names jieba-rs.

mod jieba;

pub use jieba::JiebaSegmenter;

/// A word of a segmented text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'s> {
    /// Byte offset in the segmented text.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// Part-of-speech tag (jieba's tag set: `nr` person, `nt` organisation, `ns` place, `v` verb, …),
    /// borrowed: a text has a word every few characters, and a string each cost an allocation and
    /// a free.
    pub tag: &'s str,
    /// True when the word is in the dictionary; false for words the segmenter guessed
    /// (new names often are: `衡图` in `衡图科技`).
    pub known: bool,
}

/// Splits text into words.
pub trait Segmenter: Send + Sync {
    /// The words of `text`, in order, covering it.
    fn words<'a>(&'a self, text: &'a str) -> Vec<Word<'a>>;
}
