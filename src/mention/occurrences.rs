//! Where a string occurs in a document's text, for the rules that ask whether a new name recurs.
//!
//! Those rules ask at every candidate name; a walk over the whole text each time made long
//! documents cost the square of their length. A long text is indexed once, by the first two
//! characters at every position, and a question then costs the occurrences of those two
//! characters only.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Below this length a walk over the text is cheaper than building the index.
const INDEX_FROM: usize = 64 * 1024;

/// The occurrences of strings in one text, found as [`str::match_indices`] finds them: leftmost
/// first, none overlapping the one before.
pub(crate) struct Occurrences<'t> {
    text: &'t str,
    /// Positions by the first two characters there, packed into a `u64`; built on first use.
    index: OnceCell<HashMap<u64, Vec<u32>, BuildHasherDefault<PackHasher>>>,
}

impl<'t> Occurrences<'t> {
    /// Occurrences in `text`; nothing is computed before the first question.
    pub(crate) fn new(text: &'t str) -> Occurrences<'t> {
        Occurrences {
            text,
            index: OnceCell::new(),
        }
    }

    /// The byte offsets where `needle` occurs, as `text.match_indices(needle)` gives them, found
    /// as they are asked for (`recurs` stops at the second).
    pub(crate) fn of<'a>(&'a self, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
        let text = self.text;
        let indexed = two_chars(needle)
            .filter(|_| text.len() >= INDEX_FROM && text.len() <= u32::MAX as usize)
            .map(|key| self.index().get(&key).map_or(&[][..], Vec::as_slice));
        let walked = indexed.is_none().then(|| text.match_indices(needle).map(|(i, _)| i));
        let mut free_from = 0;
        let looked_up = indexed.into_iter().flatten().filter_map(move |&at| {
            let at = at as usize;
            (at >= free_from && text[at..].starts_with(needle)).then(|| {
                free_from = at + needle.len();
                at
            })
        });
        walked.into_iter().flatten().chain(looked_up)
    }

    /// Whether `needle` occurs at least twice (`text.matches(needle).count() >= 2`).
    pub(crate) fn recurs(&self, needle: &str) -> bool {
        self.of(needle).nth(1).is_some()
    }

    /// Positions by the first two characters there, built on first use.
    fn index(&self) -> &HashMap<u64, Vec<u32>, BuildHasherDefault<PackHasher>> {
        self.index.get_or_init(|| {
            let mut index: HashMap<u64, Vec<u32>, BuildHasherDefault<PackHasher>> = HashMap::default();
            for (i, _) in self.text.char_indices() {
                if let Some(k) = two_chars(&self.text[i..]) {
                    index.entry(k).or_default().push(i as u32);
                }
            }
            index
        })
    }
}

/// The first two characters of `s` packed into a `u64` (at most eight bytes), if it has two.
fn two_chars(s: &str) -> Option<u64> {
    let mut it = s.char_indices();
    it.next()?;
    it.next()?;
    let end = s.len() - it.as_str().len();
    Some(
        s.as_bytes()[..end]
            .iter()
            .fold(end as u64, |k, &b| (k << 8) | u64::from(b)),
    )
}

/// A multiplicative hash for the packed keys: they are already well spread, and SipHash cost more
/// than the rest of building the index.
#[derive(Default)]
struct PackHasher(u64);

impl Hasher for PackHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text over the index's threshold, with names that recur, overlap themselves and sit
    /// between other scripts.
    fn long_text() -> String {
        let mut t = String::new();
        for i in 0..4000 {
            t.push_str(&format!("第{i}段：星弧科技与Orrery Labs签约，aaa，星弧科技星弧。"));
        }
        t.push_str("末尾的澜舟智能只出现一次。");
        t
    }

    #[test]
    fn a_long_text_gives_what_match_indices_gives() {
        let text = long_text();
        assert!(text.len() >= INDEX_FROM);
        let occ = Occurrences::new(&text);
        for needle in [
            "星弧科技",
            "星弧",
            "aa",
            "a",
            "Orrery",
            "澜舟智能",
            "没有的名字",
            "。第",
            "，",
            "9段",
        ] {
            let want: Vec<usize> = text.match_indices(needle).map(|(i, _)| i).collect();
            assert_eq!(occ.of(needle).collect::<Vec<_>>(), want, "{needle}");
        }
        assert!(occ.recurs("星弧科技"));
        assert!(!occ.recurs("澜舟智能"));
        assert!(!occ.recurs("没有的名字"));
    }

    #[test]
    fn a_short_text_is_walked() {
        let occ = Occurrences::new("aaaa 星弧 星弧");
        assert_eq!(occ.of("aa").collect::<Vec<_>>(), vec![0, 2]);
        assert!(occ.recurs("星弧"));
        assert!(occ.index.get().is_none());
    }
}
