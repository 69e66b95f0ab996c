//! Sentence and clause splitting for Chinese and English text, as byte offsets.

use crate::model::Sentence;

/// Abbreviations after which a full stop does not end an English sentence.
const ABBREVIATIONS: [&str; 16] = [
    "inc", "corp", "co", "ltd", "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "no", "u.s", "e.g",
];

/// Splits text into sentences: at `。！？；!?;`, at line breaks, and at `.` followed by a space
/// and a capital letter (not after abbreviations such as `Inc.`). Blank stretches are skipped.
///
/// ```
/// let s = guanxi::source::split_sentences("谷歌收购了DeepMind。Alphabet Inc. owns Google. It grew.");
/// assert_eq!(s.len(), 3);
/// ```
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let mut cut = None;
        match c {
            '。' | '！' | '？' | '；' | '!' | '?' | ';' | '…' => {
                // Keep closing quotes and repeated marks with the sentence.
                let mut j = i + 1;
                while j < chars.len()
                    && matches!(
                        chars[j].1,
                        '”' | '’' | '"' | '」' | '』' | ')' | '）' | '!' | '?' | '！' | '？' | '…' | '。'
                    )
                {
                    j += 1;
                }
                cut = Some(j);
            }
            '\n' | '\r' => cut = Some(i + 1),
            '.' => {
                let next = chars.get(i + 1).map(|x| x.1);
                let after = chars.get(i + 2).map(|x| x.1);
                let ends = match (next, after) {
                    (None, _) => true,
                    (Some(' ') | Some('\n'), Some(a)) => a.is_uppercase() || a == '"' || a == '“' || !a.is_ascii(),
                    (Some('"') | Some('”'), _) => true,
                    _ => false,
                };
                if ends && !after_abbreviation(text, pos) {
                    let mut j = i + 1;
                    while j < chars.len() && matches!(chars[j].1, '"' | '”' | '’' | ')') {
                        j += 1;
                    }
                    cut = Some(j);
                }
            }
            _ => {}
        }
        if let Some(j) = cut {
            let end = chars.get(j).map_or(text.len(), |x| x.0);
            push_trimmed(text, start, end, &mut out);
            start = end;
            i = j;
        } else {
            i += 1;
        }
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn after_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let w = word.to_ascii_lowercase();
    // A single capital (an initial, as in `J. Smith`) is not a sentence end either.
    ABBREVIATIONS.contains(&w.as_str()) || (word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()))
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    let (s, e) = (start + lead, end - trail);
    if s < e {
        out.push(Sentence {
            index: out.len(),
            start: s,
            end: e,
        });
    }
}

/// Splits a sentence into clauses at `，,：:、`-free separators (`，` `,` `：` `:` `（` `(` `）` `)` `—`),
/// returning byte ranges relative to the sentence. Commas inside numbers (`1,000`) do not split.
pub fn clauses(sentence: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = sentence.as_bytes();
    for (i, c) in sentence.char_indices() {
        let split = match c {
            '，' | '：' | '—' | '–' => true,
            // A short aside in brackets (`宁德时代（CATL）领投`) stays in its clause; a long one is a clause.
            '（' | '(' => {
                let close = sentence[i..].find(['）', ')']);
                !close.is_some_and(|j| {
                    sentence[i..i + j].chars().count() <= 24 && !sentence[i..i + j].contains(['，', ','])
                })
            }
            '）' | ')' => {
                let open = sentence[..i].rfind(['（', '(']);
                !open.is_some_and(|j| sentence[j..i].chars().count() <= 24 && !sentence[j..i].contains(['，', ',']))
            }
            ',' => {
                let prev_digit = i > 0 && bytes[i - 1].is_ascii_digit();
                let next_digit = bytes.get(i + 1).is_some_and(|b| b.is_ascii_digit());
                !(prev_digit && next_digit)
            }
            // `Run:ai`, `10:30`: a colon inside a word or a time does not split.
            ':' => {
                let prev = i > 0 && bytes[i - 1].is_ascii_alphanumeric();
                let next = bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphanumeric());
                !(prev && next)
            }
            // `首日破发 上市前一年裁员`: a space between Chinese characters (a headline's) ends a clause.
            ' ' | '\u{3000}' => {
                let prev = sentence[..i].chars().next_back();
                let next = sentence[i + c.len_utf8()..].chars().next();
                prev.is_some_and(crate::normalize::is_cjk) && next.is_some_and(crate::normalize::is_cjk)
            }
            _ => false,
        };
        if split {
            if start < i {
                out.push((start, i));
            }
            start = i + c.len_utf8();
        }
    }
    if start < sentence.len() {
        out.push((start, sentence.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        split_sentences(t).iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn chinese_sentences_end_at_full_stops_and_keep_quotes() {
        assert_eq!(texts("他说：“好。”然后走了。"), vec!["他说：“好。”", "然后走了。"]);
    }

    #[test]
    fn english_abbreviations_and_versions_do_not_split() {
        assert_eq!(
            texts("Alphabet Inc. bought Wiz. Llama 3.1 is open. Mr. Page agreed."),
            vec!["Alphabet Inc. bought Wiz.", "Llama 3.1 is open.", "Mr. Page agreed."]
        );
    }

    #[test]
    fn clauses_split_at_commas_but_not_inside_numbers() {
        let s = "投资1,000万元，百度发布";
        let c: Vec<&str> = clauses(s).iter().map(|(a, b)| &s[*a..*b]).collect();
        assert_eq!(c, vec!["投资1,000万元", "百度发布"]);
    }
}
