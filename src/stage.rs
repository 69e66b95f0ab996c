//! Running one stage of the pipeline over many documents before the next stage starts.
//!
//! A stage's data (jieba's dictionary, the lexicon's automaton, a rule's expressions) is large;
//! between two short documents that each went through every stage, the processor's caches have
//! let it go. Run over many documents in a row, a stage finds it still cached: on short news
//! articles extraction then takes about three quarters of the time.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// At most this many documents go through the stages together ([`crate::pipeline::Extractor::extract_many`]
/// splits what it is given), and at most this many small files go to an ingest's worker at once.
/// On 2.6 KB articles, groups of 128 took 0.92 of the time of groups of 32, and groups of 512 no
/// less than 128.
pub const GROUP_DOCS: usize = 128;
/// At most this many bytes of text go through the stages together (or of small files to a worker):
/// a group's states take some thirty times its text in memory. A longer document goes alone; it
/// keeps the caches warm by itself.
pub const GROUP_BYTES: u64 = 256 << 10;

/// Splits items into runs of at most `most` items and [`GROUP_BYTES`] bytes, in order, as `bytes`
/// gives each item's size. An item of no size (`None`: it must go alone) or of the whole size or
/// more is a run of its own.
///
/// ```
/// use guanxi::stage::{GROUP_BYTES, runs};
/// let sizes = [Some(10), Some(20), Some(GROUP_BYTES), Some(0), None, Some(5), Some(5)];
/// assert_eq!(runs(&sizes, 4, |&n| n), vec![0..2, 2..3, 3..4, 4..5, 5..7]);
/// assert_eq!(runs(&[Some(1); 5], 2, |&n| n), vec![0..2, 2..4, 4..5]);
/// ```
pub fn runs<T>(items: &[T], most: usize, bytes: impl Fn(&T) -> Option<u64>) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    // The bytes of the last run, and whether it takes more items.
    let (mut held, mut open) = (0, false);
    for (i, item) in items.iter().enumerate() {
        let size = bytes(item);
        match (size, out.last_mut()) {
            (Some(n), Some(r)) if open && r.len() < most && held + n <= GROUP_BYTES => {
                r.end = i + 1;
                held += n;
            }
            _ => {
                out.push(i..i + 1);
                held = size.unwrap_or(0);
                open = size.is_some_and(|n| n < GROUP_BYTES);
            }
        }
    }
    out
}

/// A document's state between stages, or the panic (a bug) that ended its way through them.
pub type Staged<T> = std::thread::Result<T>;

/// Runs `f` on every document that has not failed yet; one whose run panics is failed with its
/// panic, and the others go on.
///
/// ```
/// let mut docs: Vec<guanxi::stage::Staged<u32>> = vec![Ok(1), Ok(0), Ok(3)];
/// guanxi::stage::run(&mut docs, |n| *n = 12 / *n);
/// assert!(matches!(docs[..], [Ok(12), Err(_), Ok(4)]));
/// ```
pub fn run<T>(docs: &mut [Staged<T>], mut f: impl FnMut(&mut T)) {
    for doc in docs.iter_mut() {
        if let Ok(x) = doc
            && let Err(panic) = catch_unwind(AssertUnwindSafe(|| f(x)))
        {
            *doc = Err(panic);
        }
    }
}

/// Turns every document that has not failed yet into what `f` makes of it; one whose run panics
/// is failed with its panic.
///
/// ```
/// let docs: Vec<guanxi::stage::Staged<u32>> = vec![Ok(2), Ok(0)];
/// let out = guanxi::stage::map(docs, |n| 10 / n);
/// assert!(matches!(out[..], [Ok(5), Err(_)]));
/// ```
pub fn map<T, U>(docs: Vec<Staged<T>>, mut f: impl FnMut(T) -> U) -> Vec<Staged<U>> {
    docs.into_iter()
        .map(|doc| doc.and_then(|x| catch_unwind(AssertUnwindSafe(|| f(x)))))
        .collect()
}

/// What stands for a document's panic where the panic itself is kept elsewhere: in a stage run
/// over borrowed documents, for one that failed before.
pub fn failed_before() -> Box<dyn std::any::Any + Send> {
    Box::new("failed at an earlier stage")
}
