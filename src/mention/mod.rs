//! Recognising mentions: lexicon names matched over the whole text at word
//! boundaries, and patterns for the names a lexicon lacks (book titles, model
//! versions, transliterated and Chinese person names, company suffixes, events).
//!
//! In: a [`Document`]. Out: [`Mention`]s, sorted by position. Events may overlap
//! the names they contain (`Meta裁员` contains `Meta`); other mentions never overlap.

mod config;
mod events;
mod occurrences;
mod patterns;

pub use config::{EMBEDDED_PATTERNS, PatternConfig};

use crate::lexicon::Lexicon;
use crate::model::{Document, EntityType, Mention, MentionSource};
use crate::normalize::{is_cjk, is_word_char, match_key};
use crate::segment::{JiebaSegmenter, Segmenter, Word};
use crate::stage::Staged;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Finds mentions in documents. Built once, shared by every document (it holds no per-document state).
pub struct Recognizer {
    lexicon: Lexicon,
    segmenter: Box<dyn Segmenter>,
    patterns: patterns::Patterns,
}

/// A document between the recogniser's stages.
struct Pending<'a> {
    ctx: Context<'a>,
    /// The text normalised, once the lexicon has been matched in it.
    norm: Option<crate::normalize::NormText>,
    /// Mentions found so far; after the names are settled, the events among them.
    found: Vec<Mention>,
    /// The names, once settled.
    names: Vec<Mention>,
}

/// A document's text with its words, for the patterns.
pub(crate) struct Context<'a> {
    pub text: &'a str,
    pub words: Vec<Word<'a>>,
    /// Where strings recur in the text.
    pub occurrences: occurrences::Occurrences<'a>,
}

impl Context<'_> {
    /// Index of the word that starts at `pos`, if one does.
    pub fn word_starting_at(&self, pos: usize) -> Option<&Word<'_>> {
        self.words
            .binary_search_by_key(&pos, |w| w.start)
            .ok()
            .map(|i| &self.words[i])
    }

    /// The words that start in `from..=to` (every word that lies within the span among them).
    pub fn words_starting_in(&self, from: usize, to: usize) -> &[Word<'_>] {
        let lo = self.words.partition_point(|w| w.start < from);
        let hi = self.words.partition_point(|w| w.start <= to);
        &self.words[lo..hi.max(lo)]
    }

    /// Index of the word that ends at `pos`, if one does.
    pub fn word_ending_at(&self, pos: usize) -> Option<usize> {
        self.words.binary_search_by_key(&pos, |w| w.end).ok()
    }

    /// True when `pos` falls inside a word (not at its edge).
    fn splits_word(&self, pos: usize, keep: (usize, usize)) -> bool {
        // The word that contains `pos`, if any; a word that contains the whole kept span is fine
        // (`谷歌公司` as one jieba word still contains `谷歌`).
        let i = self.words.partition_point(|w| w.end <= pos);
        match self.words.get(i) {
            Some(w) if w.start < pos && pos < w.end => !(w.start <= keep.0 && keep.1 <= w.end),
            _ => false,
        }
    }
}

impl Recognizer {
    /// A recogniser over a lexicon and pattern lists; jieba learns the lexicon's Chinese names.
    pub fn new(mut lexicon: Lexicon, config: PatternConfig) -> Self {
        lexicon.prepare();
        let names: Vec<(String, &'static str)> = lexicon
            .entries()
            .iter()
            .flat_map(|e| {
                let tag = match e.etype {
                    EntityType::Person => "nr",
                    EntityType::Company | EntityType::Organization | EntityType::Media => "nt",
                    EntityType::Place => "ns",
                    _ => "nz",
                };
                e.names()
                    .filter(|n| n.chars().any(is_cjk))
                    .map(move |n| (n.to_string(), tag))
            })
            .collect();
        let segmenter = JiebaSegmenter::new(names.iter().map(|(n, t)| (n.as_str(), *t)));
        let patterns = patterns::Patterns::new(config);
        Recognizer {
            lexicon,
            segmenter: Box::new(segmenter),
            patterns,
        }
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The words of a text, as the recogniser segments it.
    pub fn words<'a>(&'a self, text: &'a str) -> Vec<Word<'a>> {
        self.segmenter.words(text)
    }

    /// Every mention in a document, sorted by position.
    pub fn recognise(&self, doc: &Document) -> Vec<Mention> {
        let words = self.segmenter.words(&doc.text);
        match self.recognise_many(vec![Ok((doc, words))]).pop() {
            Some(Ok(mentions)) => mentions,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => unreachable!("one result for one document"),
        }
    }

    /// [`Recognizer::recognise`] for many documents, each with the words [`Recognizer::words`]
    /// gives for its text (or the panic that ended its way before), a stage at a time (see
    /// [`crate::stage`]). Results come in the documents' order.
    ///
    /// A document whose recognition panics (a bug) gives `Err` and leaves the others alone.
    pub fn recognise_many<'a>(&'a self, docs: Vec<Staged<(&'a Document, Vec<Word<'a>>)>>) -> Vec<Staged<Vec<Mention>>> {
        let mut pending = crate::stage::map(docs, |(doc, words)| Pending {
            ctx: Context {
                text: &doc.text,
                words,
                occurrences: occurrences::Occurrences::new(&doc.text),
            },
            norm: None,
            found: Vec::new(),
            names: Vec::new(),
        });
        // Normalised once: the lexicon and the short forms are both matched in it.
        crate::stage::run(&mut pending, |p| {
            let norm = crate::normalize::NormText::new(p.ctx.text);
            p.found = self.lexicon_mentions(&p.ctx, &norm);
            p.norm = Some(norm);
        });
        for find in patterns::Patterns::NAME_FINDERS {
            crate::stage::run(&mut pending, |p| {
                find(&self.patterns, &p.ctx, &self.lexicon, &mut p.found)
            });
        }
        crate::stage::run(&mut pending, |p| {
            let (events, names): (Vec<Mention>, Vec<Mention>) = std::mem::take(&mut p.found)
                .into_iter()
                .partition(|m| m.etype == EntityType::Event);
            let mut names = resolve_overlaps(names);
            declared_aliases(&p.ctx, &mut names);
            bracketed_aliases(&p.ctx, &mut names);
            self.listed_companies(&p.ctx, &mut names);
            self.add_short_forms(&p.ctx, p.norm.as_ref().expect("normalised"), &mut names);
            books_by_main_title(&mut names);
            self.merge_company_variants(&mut names);
            p.found = events;
            p.names = names;
        });
        crate::stage::map(pending, |p| self.events(p))
    }

    /// The last stage: events, which need the names, and every mention sorted by position.
    fn events(&self, p: Pending) -> Vec<Mention> {
        let Pending {
            ctx,
            found: mut events_all,
            names,
            ..
        } = p;
        let index = NameIndex::new(&names);
        events::find(&ctx, &self.patterns, &self.lexicon, &names, &index, &mut events_all);
        let mut events = resolve_overlaps(events_all);
        // A lexicon event names its participants too (`英伟达GTC大会` → 英伟达).
        for ev in events
            .iter_mut()
            .filter(|e| e.participants.is_empty() && e.source == MentionSource::Lexicon)
        {
            ev.participants = events::participants_in(&names, &index, ev.start, ev.end);
        }
        let mut out = names;
        out.extend(events);
        out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        out
    }

    /// Two names of one company in a text are one entity: a company named with its city or province
    /// first (`珠海华发集团`) is the one named without it (`华发集团`), and a known company's unit named
    /// without the company (`Brain`) is the unit (`Google Brain`).
    fn merge_company_variants(&self, names: &mut [Mention]) {
        let companies: std::collections::HashSet<String> = names
            .iter()
            .filter(|m| m.etype == EntityType::Company)
            .map(|m| m.canonical.clone())
            .collect();
        for m in names.iter_mut().filter(|m| m.etype == EntityType::Company) {
            let short = m
                .canonical
                .char_indices()
                .skip(2)
                .take(2)
                .map(|(i, _)| i)
                .find_map(|i| {
                    let (place, rest) = m.canonical.split_at(i);
                    (rest.chars().count() >= 2
                        && companies.contains(rest)
                        && self.lexicon.lookup(place).iter().any(|x| x.etype == EntityType::Place))
                    .then(|| rest.to_string())
                });
            if let Some(short) = short {
                m.canonical = short;
            }
        }
        // `Brain` in a headline and `Google Brain` in the text: a company found by a pattern (or as its
        // short form) that is a known company's unit without the company's name is that unit.
        let units: HashMap<&str, &str> = companies
            .iter()
            .filter_map(|c| Some((self.unit_without_parent(c)?, c.as_str())))
            .collect();
        for m in names
            .iter_mut()
            .filter(|m| m.etype == EntityType::Company && m.source != MentionSource::Lexicon)
        {
            if let Some(full) = units.get(m.canonical.as_str()) {
                m.canonical = full.to_string();
            }
        }
    }

    /// The name of a known company's unit without the company's (`Google Brain` → `Brain`), when
    /// what is left is one capitalised word that is neither an ordinary word nor a company suffix
    /// (`Amazon Robotics` is no `Robotics`).
    fn unit_without_parent<'a>(&self, name: &'a str) -> Option<&'a str> {
        let (parent, rest) = name.split_once(' ')?;
        (rest.len() >= 4
            && !rest.contains(' ')
            && rest.starts_with(|c: char| c.is_ascii_uppercase())
            && !self.patterns.is_name_stopword(rest)
            && !self.patterns.cfg.company_suffixes_en.iter().any(|x| x == rest)
            && self
                .lexicon
                .lookup(parent)
                .iter()
                .any(|x| x.etype == EntityType::Company && x.name != name))
        .then_some(rest)
    }

    fn lexicon_mentions(&self, ctx: &Context, norm: &crate::normalize::NormText) -> Vec<Mention> {
        let mut out = Vec::new();
        // Every match, overlapping ones too: the ones at word boundaries compete later, longest first
        // (`as Oracle`, squashed to `asoracle`, also holds `sora`, which is no name there), and names
        // inside an event's name (`英伟达` in `英伟达GTC大会`) are found as well.
        let matches = self.lexicon.find_overlapping_in(norm);
        for m in matches {
            if !at_boundaries(ctx, m.start, m.end) {
                continue;
            }
            let entry = choose_entry(
                &self.lexicon,
                m.entries,
                &ctx.text[m.end..],
                &self.patterns.cfg.model_words_after,
            );
            // A company's name right after a model word is its model (`中国大模型DeepSeek`).
            let before = ctx.text[..m.start].trim_end_matches(['“', '"', ' ']);
            let as_model = entry.etype == EntityType::Company
                && self
                    .patterns
                    .cfg
                    .model_words_before
                    .iter()
                    .any(|w| before.ends_with(w.as_str()))
                && !m
                    .entries
                    .iter()
                    .any(|&e| self.lexicon.entry(e).etype == EntityType::Model);
            // `meta-analysis`, `supremacy`: a name written with capitals does not match a word in lower case.
            let surface = &ctx.text[m.start..m.end];
            if surface.chars().all(|c| c.is_ascii_lowercase() || c == ' ')
                && entry.name.chars().any(|c| c.is_ascii_uppercase())
                && entry.names().all(|n| {
                    !n.chars()
                        .all(|c| c.is_ascii_lowercase() || c == ' ' || c.is_ascii_digit())
                })
            {
                continue;
            }
            // `AI to` is no `AITO`: across a space, a word in lower case is an ordinary word, unless the
            // name itself is written with a space.
            if surface.contains(' ')
                && surface
                    .split(' ')
                    .any(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
                && !entry.names().any(|n| n.contains(' '))
            {
                continue;
            }
            out.push(Mention {
                start: m.start,
                end: m.end,
                surface: ctx.text[m.start..m.end].to_string(),
                etype: if as_model { EntityType::Model } else { entry.etype },
                canonical: if as_model {
                    ctx.text[m.start..m.end].to_string()
                } else {
                    entry.name.clone()
                },
                source: MentionSource::Lexicon,
                participants: Vec::new(),
                attributes: BTreeMap::new(),
            });
        }
        out
    }

    /// `BNP Paribas and CMA CGM`: a capitalised name listed next to a company is a company.
    fn listed_companies(&self, ctx: &Context, names: &mut Vec<Mention>) {
        let text = ctx.text;
        let mut added = Vec::new();
        names.sort_by_key(|m| m.start);
        let overlap = OverlapIndex::new(names);
        let company_ends: std::collections::HashSet<usize> = names
            .iter()
            .filter(|n| n.etype == EntityType::Company)
            .map(|n| n.end)
            .collect();
        let company_starts: std::collections::HashSet<usize> = names
            .iter()
            .filter(|n| n.etype == EntityType::Company)
            .map(|n| n.start)
            .collect();
        for m in LATIN_NAME.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let name = m.as_str();
            if overlap.overlaps(s, e)
                || name.len() < 3
                || name.split_whitespace().any(|w| self.patterns.is_name_stopword(w))
                || self.patterns.cfg.titles_en.iter().any(|t| t == name)
                || !self.lexicon.lookup(name).is_empty()
            {
                continue;
            }
            let company_at = |pos: usize, before: bool| {
                if before {
                    company_ends.contains(&pos)
                } else {
                    company_starts.contains(&pos)
                }
            };
            let b = text[..s].trim_end();
            let seps = &self.patterns.cfg.list_separators;
            let b = seps.iter().find_map(|c| b.strip_suffix(c.as_str())).map(str::trim_end);
            let after = &text[e..];
            let a_trim = after.trim_start();
            let a = seps
                .iter()
                .find_map(|c| a_trim.strip_prefix(c.as_str()))
                .map(str::trim_start);
            let left = b.is_some_and(|b| company_at(b.len(), true));
            // A capitalised word opening a sentence is only capitalised (`Separately, Meta hired`).
            let opens_sentence = text[..s].trim_end().is_empty()
                || text[..s].trim_end().ends_with(['.', '!', '?', '\n', '"', '“', ':'])
                || text[..s].ends_with('\n');
            let right =
                (name.contains(' ') || !opens_sentence) && a.is_some_and(|a| company_at(text.len() - a.len(), false));
            if left || right {
                added.push(patterns::mention(
                    text,
                    s,
                    e,
                    EntityType::Company,
                    name.to_string(),
                    MentionSource::Pattern,
                ));
            }
        }
        names.extend(added);
        names.sort_by_key(|m| m.start);
    }

    /// A surname or given name alone refers to the full name seen in the same document
    /// (`阿尔特曼` → `萨姆·阿尔特曼`, `Altman` → `Sam Altman`, `慧文` → `王慧文`), and a company's
    /// stem to the company (`Inflection` → `Inflection AI`).
    fn add_short_forms(&self, ctx: &Context, norm: &crate::normalize::NormText, names: &mut Vec<Mention>) {
        let mut forms: FxHashMap<String, (EntityType, String)> = FxHashMap::default();
        let mut ambiguous: Vec<String> = Vec::new();
        names.sort_by_key(|m| m.start);
        // A name repeated (as it is, found the same way) gives the same short forms, and leaves
        // `forms` and `ambiguous` as its first time did: it is looked at once.
        let mut seen: FxHashSet<(MentionSource, EntityType, &str, &str)> = FxHashSet::default();
        for m in names.iter() {
            if !seen.insert((m.source, m.etype, m.surface.as_str(), m.canonical.as_str())) {
                continue;
            }
            // A name found by a pattern once (`公司DNNresearch`) is the same name wherever it recurs.
            let whole = (m.source == MentionSource::Pattern
                && matches!(m.etype, EntityType::Company | EntityType::Person | EntityType::Model)
                && m.surface.chars().count() >= 2)
                .then(|| m.surface.clone());
            // `Google Brain` is `Brain` later on.
            let unit = (m.etype == EntityType::Company)
                .then(|| self.unit_without_parent(&m.canonical))
                .flatten()
                .map(str::to_string);
            for short in short_forms(m, &self.patterns).into_iter().chain(whole).chain(unit) {
                let key = match_key(&short);
                if key.chars().count() < 2 {
                    continue;
                }
                if self.lexicon.lookup(&short).iter().any(|e| e.name != m.canonical) {
                    continue;
                }
                match forms.get(&key) {
                    // Two companies with one stem (`Quorvine AI`, then its unit `Quorvine Research`):
                    // the stem alone is the company named first; its units come later, named in full.
                    Some((t, _)) if *t == EntityType::Company && m.etype == EntityType::Company => {}
                    Some((t, c)) if *t != m.etype || *c != m.canonical => ambiguous.push(key),
                    _ => {
                        forms.insert(key, (m.etype, m.canonical.clone()));
                    }
                }
            }
        }
        for k in ambiguous {
            forms.remove(&k);
        }
        if forms.is_empty() {
            return;
        }
        let mut keys: Vec<&String> = forms.keys().collect();
        keys.sort();
        let mut added = Vec::new();
        names.sort_by_key(|m| m.start);
        let overlap = OverlapIndex::new(names);
        for (hs, he, key) in leftmost_longest(&keys, &norm.text) {
            let (s, e) = norm.original_span(hs, he);
            if overlap.overlaps(s, e) || !(at_boundaries(ctx, s, e) || inside_unknown_words(ctx, s, e)) {
                continue;
            }
            let surface = &ctx.text[s..e];
            let (etype, canonical) = forms[keys[key]].clone();
            // A Latin short form must be capitalised as a name is, unless the name itself is not (`io`).
            if surface.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && !canonical.starts_with(|c: char| c.is_ascii_lowercase())
            {
                continue;
            }
            added.push(Mention {
                start: s,
                end: e,
                surface: surface.to_string(),
                etype,
                canonical,
                source: MentionSource::ShortForm,
                participants: Vec::new(),
                attributes: BTreeMap::new(),
            });
        }
        names.extend(added);
        names.sort_by_key(|m| m.start);
    }
}

static LATIN_NAME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?-u:\b)[A-Z][A-Za-z0-9&'’\-]*(?:[ \t][A-Z][A-Za-z0-9&'’\-]*){0,3}").unwrap()
});

static ALIAS_DECLARATION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r#"^\s?[（(](?:以下)?(?:简称|下称|以下称)[：:]?\s?[“"「]?([^”"」）)，,]{2,16}?)[”"」]?[）)]"#)
        .unwrap()
});

/// `《月背》` after `《月背：一家公司的一千天》`, `"The Safety Dividend"` after `"The Safety Dividend: A Story"`:
/// a book's main title alone is the book named with its subtitle in the same text.
fn books_by_main_title(names: &mut [Mention]) {
    let full: Vec<(String, String)> = names
        .iter()
        .filter(|m| m.etype == EntityType::Book)
        .filter_map(|m| {
            let (main, _) = m
                .canonical
                .split_once(['：', ':'])
                .or_else(|| m.canonical.split_once("——"))?;
            let main = main.trim();
            (main.chars().count() >= 2).then(|| (match_key(main), m.canonical.clone()))
        })
        .collect();
    if full.is_empty() {
        return;
    }
    for m in names.iter_mut().filter(|m| m.etype == EntityType::Book) {
        let key = match_key(&m.canonical);
        let mut found = full.iter().filter(|(k, _)| *k == key).map(|(_, c)| c);
        // One full title for the main one; two books sharing it stay apart.
        if let (Some(c), None) = (found.next(), found.next()) {
            m.canonical = c.clone();
        }
    }
}

/// `栖云-3（Qiyun-3）`, `许望舒(Xu Wangshu)`: a name of the same type in brackets right after a name is
/// another name of it; the lexicon's canonical name wins when either side has one.
fn bracketed_aliases(ctx: &Context, names: &mut [Mention]) {
    let text = ctx.text;
    for i in 0..names.len() {
        let Some(j) = (i + 1..names.len()).find(|&j| names[j].start >= names[i].end) else {
            continue;
        };
        let (a, b) = (&names[i], &names[j]);
        let open = text[a.end..b.start].trim();
        let close = text[b.end..].trim_start();
        if a.etype != b.etype
            || !matches!(open, "（" | "(")
            || !(close.starts_with('）') || close.starts_with(')'))
            || a.canonical == b.canonical
        {
            continue;
        }
        let (from, to) = match (a.source, b.source) {
            (MentionSource::Lexicon, MentionSource::Lexicon) => continue,
            (_, MentionSource::Lexicon) => (j, i),
            _ => (i, j),
        };
        let etype = a.etype;
        let canonical = names[from].canonical.clone();
        let old = names[to].canonical.clone();
        for n in names.iter_mut().filter(|n| n.etype == etype && n.canonical == old) {
            n.canonical = canonical.clone();
        }
    }
}

/// `华控技术转移有限公司（简称“华控技术”）`: the short name declared after a name is that name.
fn declared_aliases(ctx: &Context, names: &mut Vec<Mention>) {
    let mut declared: Vec<(String, EntityType, String, usize, usize)> = Vec::new();
    for m in names.iter() {
        if let Some(c) = ALIAS_DECLARATION.captures(&ctx.text[m.end..]) {
            let g = c.get(1).unwrap();
            declared.push((
                match_key(g.as_str()),
                m.etype,
                m.canonical.clone(),
                m.end + g.start(),
                m.end + g.end(),
            ));
        }
    }
    if declared.is_empty() {
        return;
    }
    let mut keys: Vec<String> = names.iter().map(|n| match_key(&n.surface)).collect();
    for (key, etype, canonical, s, e) in declared {
        let mut covered = false;
        for (n, _) in names.iter_mut().zip(&keys).filter(|(_, k)| **k == key) {
            n.etype = etype;
            n.canonical = canonical.clone();
            n.source = MentionSource::Pattern;
            covered |= n.start == s;
        }
        if !covered && !names.iter().any(|n| n.start < e && s < n.end) {
            let m = patterns::mention(ctx.text, s, e, etype, canonical, MentionSource::Pattern);
            keys.push(match_key(&m.surface));
            names.push(m);
        }
    }
    names.sort_by_key(|m| m.start);
}

/// The short forms a mention's name may appear as later in the text.
fn short_forms(m: &Mention, p: &patterns::Patterns) -> Vec<String> {
    let mut out = Vec::new();
    // A name written as its canonical form gives its forms once (`out` is deduplicated below).
    let both = [m.surface.as_str(), m.canonical.as_str()];
    let names = if m.surface == m.canonical {
        &both[..1]
    } else {
        &both[..]
    };
    match m.etype {
        EntityType::Person => {
            for &n in names {
                if let Some(last) = n.rsplit(['·', '•', '・', '‧']).next().filter(|l| *l != n) {
                    let last = last.trim();
                    if last.chars().count() >= 2 {
                        out.push(last.to_string());
                    }
                }
                let han: Vec<char> = n.chars().collect();
                if han.len() == 3
                    && han.iter().all(|c| is_cjk(*c))
                    && p.is_surname(&han[..1].iter().collect::<String>())
                {
                    out.push(han[1..].iter().collect());
                }
                let parts: Vec<&str> = n.split_whitespace().collect();
                // `Wang Xiaochuan` is `Wang` later: pinyin names put the surname first.
                if parts.len() == 2 && n.is_ascii() && p.cfg.pinyin_surnames.iter().any(|x| x == parts[0]) {
                    out.push(parts[0].to_string());
                }
                // Latin script with accents too (`Marek Dvořák` is `Dvořák` later).
                if parts.len() >= 2 && !n.chars().any(is_cjk) {
                    let last = parts[parts.len() - 1];
                    if last.len() >= 3 && last.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                        out.push(last.to_string());
                    }
                }
            }
        }
        EntityType::Company => {
            for &n in names {
                // `Ferrolith Systems` is `Ferrolith` in a headline or later on.
                // `栖川资本` is `栖川` later on: a Chinese name without its industry suffix.
                if n.chars().all(is_cjk) {
                    for suffix in &p.cfg.company_suffixes {
                        // The name's ending is compared first: the suffixes are many, names end with few.
                        if let Some(stem) = n.strip_suffix(suffix.as_str())
                            && !suffix.contains("有限")
                            && (2..=4).contains(&stem.chars().count())
                            && !p.cfg.company_generic.iter().any(|g| g == stem)
                        {
                            out.push(stem.to_string());
                        }
                    }
                }
                for suffix in &p.stem_suffixes_en {
                    // `Meridian Arc Technologies` is `Meridian Arc` too: at most two capitalised words.
                    if let Some(stem) = n.strip_suffix(suffix.as_str())
                        && stem.len() >= 4
                        && stem.split(' ').count() <= 2
                        && stem
                            .split(' ')
                            .all(|w| w.starts_with(|c: char| c.is_uppercase()) && !p.is_name_stopword(w))
                        && !p.is_name_stopword(stem)
                    {
                        out.push(stem.to_string());
                    }
                }
            }
        }
        _ => {}
    }
    out.sort();
    out.dedup();
    out
}

/// The matches of `keys` in `hay` that aho-corasick's leftmost-longest search gives (of the matches
/// that start first, the longest; then on from its end), as (start, end, key index). A document has
/// a few dozen short forms: searching the text for each costs less than building an automaton for
/// them, which is still done when keys and text are many and long. Keys are not empty.
fn leftmost_longest(keys: &[&String], hay: &str) -> Vec<(usize, usize, usize)> {
    if keys.len().saturating_mul(hay.len()) > 1 << 20 {
        // A contiguous NFA: a DFA built for one document's names cost more than the search.
        let ac = aho_corasick::AhoCorasickBuilder::new()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(keys)
            .expect("short forms build an automaton");
        return ac
            .find_iter(hay)
            .filter(|h| h.start() < h.end())
            .map(|h| (h.start(), h.end(), h.pattern().as_usize()))
            .collect();
    }
    // Every occurrence of every key, overlapping ones too (each starts on a character boundary),
    // in one walk over the text: at each character, the keys that start with it. A bitmap of the
    // keys' first characters rules out most characters before the sorted list is searched.
    let mut by_first: Vec<(char, usize)> = keys
        .iter()
        .enumerate()
        .filter_map(|(k, key)| key.chars().next().map(|c| (c, k)))
        .collect();
    by_first.sort_unstable();
    let mut firsts = [0u64; 64];
    let bit = |c: char| ((c as usize & 4095) >> 6, 1u64 << (c as usize & 63));
    for &(c, _) in &by_first {
        let (word, mask) = bit(c);
        firsts[word] |= mask;
    }
    let mut all: Vec<(usize, std::cmp::Reverse<usize>, usize)> = Vec::new();
    for (s, c) in hay.char_indices() {
        let (word, mask) = bit(c);
        if firsts[word] & mask == 0 {
            continue;
        }
        let from = by_first.partition_point(|&(f, _)| f < c);
        for &(_, k) in by_first[from..].iter().take_while(|&&(f, _)| f == c) {
            if hay[s..].starts_with(keys[k].as_str()) {
                all.push((s, std::cmp::Reverse(keys[k].len()), k));
            }
        }
    }
    all.sort_unstable();
    let mut out = Vec::new();
    let mut at = 0;
    for (s, std::cmp::Reverse(len), k) in all {
        if s >= at && len > 0 {
            out.push((s, s + len, k));
            at = s + len;
        }
    }
    out
}

/// Answers "does any of these mentions overlap a span?" in logarithmic time, for mentions sorted
/// by start (any overlap among themselves allowed): the largest end among those that start before
/// the span ends tells.
struct OverlapIndex {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl OverlapIndex {
    fn new(sorted: &[Mention]) -> OverlapIndex {
        debug_assert!(sorted.windows(2).all(|w| w[0].start <= w[1].start));
        let mut max = 0;
        OverlapIndex {
            starts: sorted.iter().map(|m| m.start).collect(),
            max_end: sorted
                .iter()
                .map(|m| {
                    max = max.max(m.end);
                    max
                })
                .collect(),
        }
    }

    /// True when a mention has `m.start < end && start < m.end`.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        let n = self.starts.partition_point(|&s| s < end);
        n > 0 && self.max_end[n - 1] > start
    }
}

/// Where the names (or spans) of a list end and start, for the rules that ask which name ends or
/// starts at a point or lies in a span: a lookup, where a walk over every name of the document
/// made long documents quadratic. Answers are indices into the list, in the list's order, so a rule
/// that took the first name it met takes the same one.
#[derive(Default)]
pub(crate) struct NameIndex {
    /// `(end, index)`.
    by_end: BTreeSet<(usize, usize)>,
    /// `(start, index)`.
    by_start: BTreeSet<(usize, usize)>,
}

impl NameIndex {
    /// The index of `names`.
    pub(crate) fn new(names: &[Mention]) -> NameIndex {
        let mut index = NameIndex::default();
        for (i, m) in names.iter().enumerate() {
            index.add(i, m.start, m.end);
        }
        index
    }

    /// Takes in the span at `index` of the list, pushed onto it after the others.
    pub(crate) fn add(&mut self, index: usize, start: usize, end: usize) {
        self.by_end.insert((end, index));
        self.by_start.insert((start, index));
    }

    /// The names that end at `end`, in list order.
    pub(crate) fn ending_at(&self, end: usize) -> impl Iterator<Item = usize> + '_ {
        self.ending_in(end, end)
    }

    /// The names that end in `from..=to`, by end, then in list order.
    pub(crate) fn ending_in(&self, from: usize, to: usize) -> impl Iterator<Item = usize> + '_ {
        self.by_end.range((from, 0)..=(to, usize::MAX)).map(|&(_, i)| i)
    }

    /// The names that start at `start`, in list order.
    pub(crate) fn starting_at(&self, start: usize) -> impl Iterator<Item = usize> + '_ {
        self.by_start.range((start, 0)..=(start, usize::MAX)).map(|&(_, i)| i)
    }

    /// The names that start in `from..=to` (every name that lies within the span among them), in
    /// list order.
    pub(crate) fn starting_in(&self, from: usize, to: usize) -> Vec<usize> {
        if from > to {
            return Vec::new();
        }
        let mut found: Vec<usize> = self
            .by_start
            .range((from, 0)..=(to, usize::MAX))
            .map(|&(_, i)| i)
            .collect();
        found.sort_unstable();
        found
    }
}

/// True when a Chinese span's edges fall inside words jieba made up for unknown text (`由顾|以宁`):
/// such a split says nothing about where a new name ends, so a name found otherwise may cut it.
pub(crate) fn inside_unknown_words(ctx: &Context, start: usize, end: usize) -> bool {
    let edge_ok = |pos: usize| {
        let i = ctx.words.partition_point(|w| w.end <= pos);
        match ctx.words.get(i) {
            Some(w) if w.start < pos && pos < w.end => !w.known,
            _ => true,
        }
    };
    let text = ctx.text;
    start < end
        && text[start..end].chars().all(crate::normalize::is_cjk)
        && edge_ok(start)
        && edge_ok(end)
        && (at_boundaries(ctx, start, end)
            // Words are sorted and do not overlap: the ones across the span are one run of them.
            || ctx.words[ctx.words.partition_point(|w| w.end <= start)..]
                .iter()
                .take_while(|w| w.start < end)
                .any(|w| !w.known && w.start < end && start < w.end))
}

/// True when a span starts and ends at word boundaries: Latin words are not cut
/// (`Meta` in `Metaverse`), version numbers are not cut (`Llama 3` in `Llama 3.1`),
/// and Chinese words are not cut (`美团` in `美团队`).
pub(crate) fn at_boundaries(ctx: &Context, start: usize, end: usize) -> bool {
    let text = ctx.text;
    let (Some(first), Some(last)) = (text[start..end].chars().next(), text[start..end].chars().next_back()) else {
        return false;
    };
    let prev = text[..start].chars().next_back();
    let mut after = text[end..].chars();
    let next = after.next();
    let next2 = after.next();
    if is_word_char(first) && prev.is_some_and(is_word_char) {
        return false;
    }
    if is_word_char(last) {
        if next.is_some_and(is_word_char) {
            return false;
        }
        if matches!(next, Some('.')) && next2.is_some_and(|c| c.is_ascii_digit()) {
            return false;
        }
        if matches!(next, Some('-' | '‐')) && next2.is_some_and(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
    }
    if is_cjk(first) && prev.is_some_and(is_cjk) && ctx.splits_word(start, (start, end)) {
        return false;
    }
    if is_cjk(last) && next.is_some_and(is_cjk) && ctx.splits_word(end, (start, end)) {
        return false;
    }
    true
}

/// Picks among entries that share a name: a model when the text goes on with `模型`/`model`,
/// else companies and people before other types.
fn choose_entry<'l>(
    lexicon: &'l Lexicon,
    entries: &[usize],
    rest: &str,
    model_words: &[String],
) -> &'l crate::lexicon::LexEntry {
    if entries.len() == 1 {
        return lexicon.entry(entries[0]);
    }
    let rest = rest.trim_start();
    let model_next = model_words.iter().any(|w| rest.starts_with(w.as_str()));
    let rank = |t: EntityType| match t {
        EntityType::Model if model_next => 0,
        EntityType::Company => 1,
        EntityType::Person => 2,
        EntityType::Model => 3,
        EntityType::Book => 4,
        _ => 5,
    };
    entries
        .iter()
        .map(|&i| lexicon.entry(i))
        .min_by_key(|e| rank(e.etype))
        .expect("at least one entry")
}

/// Keeps the best of overlapping mentions: the longest, then the lexicon's over a pattern's.
fn resolve_overlaps(mut cands: Vec<Mention>) -> Vec<Mention> {
    let prio = |m: &Mention| match m.source {
        MentionSource::Lexicon => 2,
        MentionSource::Pattern => 1,
        MentionSource::ShortForm => 0,
    };
    cands.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(prio(b).cmp(&prio(a)))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Mention> = Vec::new();
    // The kept spans by position, so that a candidate meets only its neighbours: kept spans never
    // overlap, so walking back from the last one that starts before the candidate's end, the first
    // non-empty span that ends before its start ends the search.
    let mut spans: std::collections::BTreeSet<(usize, usize)> = std::collections::BTreeSet::new();
    for c in cands {
        let mut free = true;
        for &(ks, ke) in spans.range(..(c.end, 0)).rev() {
            if ks < c.end && c.start < ke {
                free = false;
                break;
            }
            if ks < ke && ke <= c.start {
                break;
            }
        }
        if free {
            spans.insert((c.start, c.end));
            kept.push(c);
        }
    }
    kept.sort_by_key(|m| m.start);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::make_document;

    fn recognizer() -> Recognizer {
        let mut lex = Lexicon::new();
        lex.load_tsv(
            "Meta\tcompany\tFacebook|脸书\t\t\nSam Altman\tperson\t萨姆·阿尔特曼|阿尔特曼\t\t\n美团\tcompany\tMeituan\t\t\nGoogle\tcompany\t谷歌\t\t\nLlama 3\tmodel\t\t\tMeta\n"
                .as_bytes(),
            "t.tsv",
        )
        .unwrap();
        Recognizer::new(lex, PatternConfig::embedded())
    }

    fn found(r: &Recognizer, text: &str) -> Vec<(String, EntityType, String)> {
        let d = make_document("t".into(), text.into(), None, None, None);
        r.recognise(&d)
            .into_iter()
            .map(|m| (m.surface, m.etype, m.canonical))
            .collect()
    }

    /// Whether `text` was found as a name of type `t`.
    fn named(f: &[(String, EntityType, String)], text: &str, t: EntityType) -> bool {
        f.iter().any(|x| x.0 == text && x.1 == t)
    }

    #[test]
    fn short_forms_are_found_as_the_automaton_finds_them() {
        let keys: Vec<String> = ["阿尔特曼", "尔特", "特曼", "altman", "alt", "sam", "曼曼", "ab", "aba"]
            .map(String::from)
            .to_vec();
        let keys: Vec<&String> = keys.iter().collect();
        let ac = aho_corasick::AhoCorasickBuilder::new()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&keys)
            .unwrap();
        let colliding: String = keys
            .iter()
            .filter_map(|k| k.chars().next())
            .flat_map(|c| (1..4).filter_map(move |i| char::from_u32(c as u32 ^ (i << 12))))
            .chain("samaltman".chars())
            .collect();
        for hay in [
            "萨姆阿尔特曼说altman和samaltman与阿尔特曼曼曼曼",
            "abababa尔特曼特曼",
            "",
            "altmaltman",
            // Characters that share a bit of the first-character bitmap with a key's first character.
            colliding.as_str(),
        ] {
            let want: Vec<_> = ac
                .find_iter(hay)
                .map(|h| (h.start(), h.end(), h.pattern().as_usize()))
                .collect();
            assert_eq!(leftmost_longest(&keys, hay), want, "{hay}");
        }
        // Past the size where the automaton is built, the same answer.
        let long = "abababa阿尔特曼altman".repeat(20_000);
        let want: Vec<_> = ac
            .find_iter(&long)
            .map(|h| (h.start(), h.end(), h.pattern().as_usize()))
            .collect();
        assert_eq!(leftmost_longest(&keys, &long), want);
    }

    #[test]
    fn latin_names_respect_word_boundaries() {
        let r = recognizer();
        let f = found(&r, "Meta bets on the Metaverse.");
        assert_eq!(f.iter().filter(|x| x.0 == "Meta").count(), 1, "{f:?}");
        assert!(!f.iter().any(|x| x.0.starts_with("Metaverse")));
    }

    #[test]
    fn versions_are_not_cut() {
        let r = recognizer();
        let f = found(&r, "Meta发布了Llama 3.1模型。");
        assert!(!f.iter().any(|x| x.2 == "Llama 3"), "{f:?}");
        assert!(
            f.iter().any(|x| x.0 == "Llama 3.1" && x.1 == EntityType::Model),
            "{f:?}"
        );
    }

    #[test]
    fn names_are_found_where_squashed_spaces_make_other_names() {
        let mut lex = Lexicon::new();
        lex.load_tsv("Oracle\tcompany\t\t\t\nSora\tmodel\t\t\tOpenAI\n".as_bytes(), "t")
            .unwrap();
        let r = Recognizer::new(lex, PatternConfig::embedded());
        let f = found(&r, "Rivals such as Oracle and SAP.");
        assert!(f.iter().any(|x| x.2 == "Oracle"), "{f:?}");
        assert!(!f.iter().any(|x| x.2 == "Sora"), "{f:?}");
    }

    #[test]
    fn chinese_names_are_not_cut_out_of_other_words() {
        let r = recognizer();
        assert!(!found(&r, "他的美团队很强").iter().any(|x| x.2 == "美团"));
        assert!(found(&r, "美团收购了它").iter().any(|x| x.2 == "美团"));
    }

    #[test]
    fn short_forms_resolve_to_the_full_name_of_the_same_document() {
        let r = recognizer();
        let f = found(&r, "OpenAI由萨姆·阿尔特曼领导。Altman said so. 阿尔特曼称");
        let altman: Vec<_> = f.iter().filter(|x| x.1 == EntityType::Person).collect();
        assert!(altman.len() >= 2, "{f:?}");
        assert!(altman.iter().all(|x| x.2 == "Sam Altman"), "{f:?}");
    }

    #[test]
    fn a_chinese_company_is_its_name_without_the_suffix_later_on() {
        let r = recognizer();
        let f = found(&r, "本轮由岑溪资本领投。岑溪此前还投资了一家芯片公司。");
        let hits: Vec<_> = f.iter().filter(|x| x.2 == "岑溪资本").collect();
        assert_eq!(hits.len(), 2, "{f:?}");
        assert!(hits.iter().any(|x| x.0 == "岑溪"), "{f:?}");
    }

    #[test]
    fn a_possessive_role_makes_a_company_and_a_company_suffix_no_person() {
        let r = recognizer();
        let f = found(
            &r,
            "Tarnwell Arc's chief executive, Darren Koh, said so. It was built by Corvin Systems, and Hannah Okoye.",
        );
        assert!(
            f.iter().any(|x| x.0 == "Tarnwell Arc" && x.1 == EntityType::Company),
            "{f:?}"
        );
        assert!(
            f.iter().any(|x| x.0 == "Darren Koh" && x.1 == EntityType::Person),
            "{f:?}"
        );
        assert!(
            !f.iter().any(|x| x.0 == "Corvin Systems" && x.1 == EntityType::Person),
            "{f:?}"
        );
    }

    #[test]
    fn english_appositions_short_names_and_models() {
        let r = recognizer();
        let f = found(
            &r,
            "Servers went to data centers used by Tarnwood Intelligence, a Beijing-based AI startup. \
             They were built for Corvid Arc Technologies. The servers were assembled for Corvid Arc by Kinloch Systems. \
             Tarnwood released Tarnwood-M2, a large language model.",
        );
        assert!(
            f.iter()
                .any(|x| x.0 == "Tarnwood Intelligence" && x.1 == EntityType::Company),
            "{f:?}"
        );
        assert!(
            f.iter().any(|x| x.0 == "Tarnwood-M2" && x.1 == EntityType::Model),
            "{f:?}"
        );
        assert!(
            !f.iter().any(|x| x.0 == "Corvid Arc" && x.1 == EntityType::Person),
            "{f:?}"
        );
        assert!(
            f.iter()
                .any(|x| x.0 == "Corvid Arc" && x.2 == "Corvid Arc Technologies"),
            "{f:?}"
        );
    }

    #[test]
    fn compound_surnames_one_of_several_and_a_one_character_given_name() {
        let r = recognizer();
        let f = found(&r, "模型方向的负责人之一闻人殊已于上月底离职。");
        assert!(f.iter().any(|x| x.0 == "闻人殊" && x.1 == EntityType::Person), "{f:?}");
    }

    #[test]
    fn a_compound_surname_name_ends_where_a_dictionary_word_starts() {
        let r = recognizer();
        let f = found(&r, "联合创始人上官琰卸任首席执行官，由教授欧阳岚共同负责。");
        assert!(named(&f, "上官琰", EntityType::Person), "{f:?}");
        assert!(named(&f, "欧阳岚", EntityType::Person), "{f:?}");
        assert!(!f.iter().any(|x| x.0.ends_with('卸') || x.0.ends_with('共')), "{f:?}");
    }

    #[test]
    fn a_provider_or_maker_word_before_a_new_name_makes_it_a_company() {
        let r = recognizer();
        let f = found(
            &r,
            "算力云服务商岚穹智算本周启动裁员。国产GPU厂商衡钧微今天发布新品。岚穹智算和衡钧微都成立于2021年。",
        );
        assert!(named(&f, "岚穹智算", EntityType::Company), "{f:?}");
        assert!(named(&f, "衡钧微", EntityType::Company), "{f:?}");
        assert!(!f.iter().any(|x| x.0.contains("本周") || x.0.contains("今天")), "{f:?}");
    }

    #[test]
    fn names_in_a_byline_and_names_glued_to_a_verb_are_people() {
        let r = recognizer();
        let f = found(&r, "文｜邬若棠　编辑｜秦遥\n责编：鲁青、葛岚\n合伙人祁牧称，这是机会。");
        for name in ["邬若棠", "秦遥", "鲁青", "葛岚", "祁牧"] {
            assert!(named(&f, name, EntityType::Person), "{name}: {f:?}");
        }
        // A label at a line's end names no one on the next line.
        let f = found(&r, "作者:\n万象易源\n");
        assert!(!f.iter().any(|x| x.1 == EntityType::Person), "{f:?}");
    }

    #[test]
    fn a_chinese_stem_with_a_latin_version_word_is_a_model() {
        let r = recognizer();
        let f = found(&r, "岩雀智能今天正式开源岩雀-Coder 2，这款代码模型在榜单上排名第一。");
        assert!(named(&f, "岩雀-Coder 2", EntityType::Model), "{f:?}");
    }

    #[test]
    fn a_version_may_open_with_a_letter() {
        let r = recognizer();
        let f = found(&r, "月之暗面发布了Kimi K3，它接替Kimi K2。");
        assert!(f.iter().any(|x| x.0 == "Kimi K3" && x.1 == EntityType::Model), "{f:?}");
    }

    #[test]
    fn a_new_chinese_company_after_a_cue_word() {
        let r = recognizer();
        let f = found(
            &r,
            "国产芯片公司岱衡纪元正式挂牌上市。岱衡纪元成立于2019年。初创公司数量大增。",
        );
        assert!(
            f.iter().any(|x| x.0 == "岱衡纪元" && x.1 == EntityType::Company),
            "{f:?}"
        );
        assert!(!f.iter().any(|x| x.0.contains("数量")), "{f:?}");
        let f = found(&r, "它最直接的对手是同样成立于去年的「石榴账本」。");
        assert!(
            f.iter().any(|x| x.0 == "石榴账本" && x.1 == EntityType::Company),
            "{f:?}"
        );
    }

    #[test]
    fn a_name_in_brackets_after_a_name_is_the_same_entity() {
        let r = recognizer();
        let f = found(&r, "栖云智算发布了新一代基座模型栖云-3（Qiyun-3）。Qiyun-3很强。");
        let models: Vec<_> = f.iter().filter(|x| x.1 == EntityType::Model).collect();
        assert!(models.len() >= 2 && models.iter().all(|x| x.2 == "栖云-3"), "{f:?}");
    }

    #[test]
    fn people_in_a_list_before_a_joint_verb_and_glued_to_prepositions() {
        let r = recognizer();
        let f = found(&r, "公司由顾以宁与方砚秋共同创立。顾以宁担任CEO。本轮由青梧资本领投。");
        for (n, t) in [
            ("顾以宁", EntityType::Person),
            ("方砚秋", EntityType::Person),
            ("青梧资本", EntityType::Company),
        ] {
            assert!(f.iter().any(|x| x.0 == n && x.1 == t), "{n}: {f:?}");
        }
    }

    #[test]
    fn names_joined_by_and_or_closed_by_a_role_are_each_a_person() {
        let r = recognizer();
        let f = found(
            &r,
            "项目由克雷格·费德里吉与迈克·罗克韦尔共同主导，涉及王冲、王子瑞和尹国立等多名经理。",
        );
        for n in ["克雷格·费德里吉", "迈克·罗克韦尔", "王冲", "王子瑞", "尹国立"] {
            assert!(f.iter().any(|x| x.0 == n && x.1 == EntityType::Person), "{n}: {f:?}");
        }
        let f = found(&r, "Japan's SoftBank Group and Meta's AI push.");
        assert!(!f.iter().any(|x| x.0.contains("'s")), "{f:?}");
    }

    #[test]
    fn transliterated_names_are_one_person() {
        let r = recognizer();
        let f = found(&r, "多伦多大学教授杰弗里·辛顿(Geoffrey Hinton)团队夺冠。");
        assert!(
            f.iter().any(|x| x.0 == "杰弗里·辛顿" && x.1 == EntityType::Person),
            "{f:?}"
        );
    }

    #[test]
    fn ordinary_words_across_a_space_are_no_acronym_and_titles_no_company() {
        let r = recognizer();
        let f = found(&r, "It wants to use AI to speed up design.");
        assert!(!f.iter().any(|x| x.1 == EntityType::Company), "{f:?}");
        let f = found(&r, "阿里云CTO、通义实验室负责人周靖人表示。");
        assert!(!f.iter().any(|x| x.0 == "CTO"), "{f:?}");
        let f = found(&r, "Paris-based Mistral AI has closed a round.");
        assert!(f.iter().any(|x| x.0 == "Mistral AI"), "{f:?}");
        assert!(!f.iter().any(|x| x.0.contains("Paris")), "{f:?}");
    }

    #[test]
    fn a_book_s_main_title_is_the_book_named_with_its_subtitle() {
        let r = recognizer();
        let f = found(&r, "新书《长夜：一家芯片公司的十年》出版。《长夜》的作者是陆迟。");
        let books: Vec<&String> = f.iter().filter(|x| x.1 == EntityType::Book).map(|x| &x.2).collect();
        assert_eq!(books.len(), 2, "{f:?}");
        assert!(books.iter().all(|b| *b == "长夜：一家芯片公司的十年"), "{f:?}");
        let f = found(
            &r,
            r#"It is the theme of "The Quiet Ledger: Money at Scale," a new book by Mara Quist."#,
        );
        assert!(
            f.iter().any(|x| x.1 == EntityType::Book && x.2 == "The Quiet Ledger"),
            "{f:?}"
        );
    }

    #[test]
    fn former_is_no_part_of_a_unit_s_name() {
        let r = recognizer();
        let f = found(&r, "原智能云事业群总裁陆迟卸任，转任集团顾问。");
        assert!(
            f.iter().any(|x| x.1 == EntityType::Company && x.2 == "智能云事业群"),
            "{f:?}"
        );
        assert!(!f.iter().any(|x| x.2.starts_with('原')), "{f:?}");
    }
}
