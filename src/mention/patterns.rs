//! Patterns for names the lexicon lacks: `《…》` titles, model versions,
//! transliterated and Chinese person names, English person names, company names.

use super::{Context, NameIndex, PatternConfig, at_boundaries};
use crate::lexicon::Lexicon;
use crate::model::{EntityType, Mention, MentionSource};
use crate::normalize::is_cjk;
use regex::Regex;
use rustc_hash::FxHashSet;
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

/// One of the finders of names in a text: adds its mentions to the last argument.
pub type NameFinder = fn(&Patterns, &Context, &Lexicon, &mut Vec<Mention>);

/// `Its flagship model, Quillon Atlas 2`: the name after a company's own model word.
static OWN_MODEL_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b[Ii]ts|\b[Tt]heir|['’]s) (?:[a-z\-]+ ){0,2}model, (?:called |named |dubbed )?([A-Z][A-Za-z0-9.\-]*(?: (?:[A-Z][A-Za-z0-9.\-]*|\d[\d.]*))*)").unwrap()
});

/// `Zhenyuan-M2, a large language model`: a name with a description that makes it a model.
static MODEL_APPOSITION_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([A-Z][A-Za-z0-9.]*(?:-[A-Za-z0-9.]+)+|[A-Z][A-Za-z]*[ -]?\d[\d.]*), (?:an?|the|its|their) (?:[a-z\-]+ ){0,3}(?:model|LLM)(?-u:\b)").unwrap()
});

/// The spans of `[A-Za-z0-9&'’-]+\.?` in `text`, left to right, as that expression finds them: a
/// scan of bytes, which costs a fraction of the expression's search over mostly Chinese text.
fn english_words(text: &str) -> Vec<(usize, usize)> {
    // The length of the word character at `i`, 0 when there is none (`’` is 3 bytes; the bytes
    // of other characters are never ASCII nor 0xE2 after the first).
    let at = |i: usize| match text.as_bytes()[i..] {
        [c, ..] if c.is_ascii_alphanumeric() || matches!(c, b'&' | b'\'' | b'-') => 1,
        [0xE2, 0x80, 0x99, ..] => 3,
        _ => 0,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if at(i) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        // `at` is 0 at the end of the text.
        loop {
            match at(i) {
                0 => break,
                n => i += n,
            }
        }
        if text.as_bytes().get(i) == Some(&b'.') {
            i += 1;
        }
        out.push((start, i));
    }
    out
}

/// `由栖川资本领投`, `、岚石创投跟投`: a fund's name right before an investing verb.
static INVESTOR_BEFORE_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:由|、|，|和|与|及|老股东|股东|投资方)(\p{Han}{2,4}(资本|创投|基金|投资|资管))(?:领投|跟投|参投|联合领投|共同领投|独家投资|继续|超额|追加)").unwrap()
});

/// `X's chief executive`, `X's largest shareholder`: a name that has these is a company.
static COMPANY_POSSESSIVE_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([A-Z][A-Za-z0-9&\-]*(?: [A-Z][A-Za-z0-9&\-]*){0,2})['’]s (?:chief executive|chief technology officer|chief financial officer|CEO|CTO|CFO|board|largest shareholder|biggest shareholder|shareholders|spokesperson|spokesman|spokeswoman|headquarters|shares|stock|valuation|revenue)(?-u:\b)").unwrap()
});

static BOOK_QUOTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i:book|biography|memoir|novel|bestseller|title|titled|called|award for|prize for|author of|wrote|published)\s*,?\s*["“]([A-Z][^"”\n]{1,80})["”]"#).unwrap()
});
static BOOK_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:author of|authored|wrote the book|his book|her book|their book|new book|the book)[ \t]+((?:The |A )?[A-Z][\w'’-]*(?:[ \t]+(?:[A-Z][\w'’-]*|of|the|and|in|a|to|for|on)){0,6})").unwrap()
});
/// `"The Safety Dividend," a new book by …`: a quoted title that a book word follows.
static BOOK_QUOTED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["“]([A-Z][^"”\n]{1,90})["”],?[ \t]+(?:is[ \t]+)?(?:a|an|the|her|his|their)[ \t]+(?:(?:new|forthcoming|latest|first|second|debut|recent|best-selling|bestselling)[ \t]+)?(?i:book|memoir|biography|novel|history)(?-u:\b)"#).unwrap()
});
static BOOK_ITALIC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\*([A-Z][^*\n]{1,60})\*").unwrap());

/// Compiled patterns and word sets.
pub(crate) struct Patterns {
    pub cfg: PatternConfig,
    /// What a company's name may end with after its stem (`Ferrolith Systems`): the short suffixes,
    /// then a space and each company suffix. Built once, not for every company mention.
    pub stem_suffixes_en: Vec<String>,
    /// The model context words in lower case, lowered once rather than for every versioned name.
    model_context_lower: Vec<String>,
    surnames: FxHashSet<String>,
    translit: HashSet<char>,
    person_stop: FxHashSet<String>,
    first_names: FxHashSet<String>,
    name_stop_en: FxHashSet<String>,
    company_generic: FxHashSet<String>,
    pub event_generic: FxHashSet<String>,
    title: Regex,
    model: Regex,
    model_zh: Regex,
    model_ctx: Regex,
    quoted_model: Regex,
    versioned_name: Regex,
    model_before: Regex,
    roles_zh: Regex,
    byline_zh: Regex,
    speech_zh: Regex,
    cap_seq: Regex,
    company_en: Regex,
    company_cue_en: Regex,
    company_apposition_en: Regex,
    company_cue_zh: Regex,
    company_cue_han: Regex,
    unit_zh: Regex,
    people_list: Regex,
    unit_en: Regex,
    unit_generic: FxHashSet<String>,
    legal_suffix: Regex,
    short_suffix: Regex,
    /// `company_suffixes_en` as a set: it is asked of every English word of a text.
    suffixes_en: FxHashSet<String>,
    /// Where a run after a Chinese company cue stops: the leftmost of its stop words, verbs after
    /// a company, verbs of speech and roles (one pass, not one search a word).
    company_run_stops: aho_corasick::AhoCorasick,
    /// The gathering triggers, longest first, and every place each occurs in one pass over a text
    /// (see [`Patterns::gathering_triggers`]).
    gatherings: (Vec<String>, aho_corasick::AhoCorasick),
}

/// Words after which a name-like phrase is a description, not a name (`具身智能赛道`).
const GENERIC_WORDS: [&str; 15] = [
    "赛道", "领域", "行业", "技术", "方向", "时代", "产业", "企业", "板块", "公司", "初创", "创业", "浪潮", "应用",
    "能力",
];

static GENERIC_AFTER_NAME: LazyLock<aho_corasick::AhoCorasick> =
    LazyLock::new(|| aho_corasick::AhoCorasick::new(GENERIC_WORDS).expect("generic words build an automaton"));

/// The regex of a model family's versions (`HT-Brain` → `HT-Brain 1.0`, `HT-Brain-2`). Compiling
/// one costs more than searching a document with it and families recur across documents, so the
/// first [`FAMILIES_KEPT`] are kept for the whole process.
fn family_versions(family: &str) -> Option<std::sync::Arc<Regex>> {
    type Kept = std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<Regex>>>;
    static KEPT: LazyLock<Kept> = LazyLock::new(Default::default);
    // A panic elsewhere while the lock was held leaves the map whole: it is only ever inserted into.
    let kept = || KEPT.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(re) = kept().get(family) {
        return Some(re.clone());
    }
    let re = std::sync::Arc::new(
        Regex::new(&format!(
            r"(?-u:\b){}[-\s]?v?\d+(?:\.\d+)*(?-u:\b)",
            regex::escape(family)
        ))
        .ok()?,
    );
    let mut kept = kept();
    if kept.len() < FAMILIES_KEPT {
        kept.insert(family.to_string(), re.clone());
    }
    Some(re)
}

/// How many model families' regexes [`family_versions`] keeps (a few MB at most).
const FAMILIES_KEPT: usize = 512;

fn alternation(words: &[String]) -> String {
    let mut w: Vec<&String> = words.iter().filter(|w| !w.is_empty()).collect();
    w.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w.dedup();
    w.iter().map(|s| regex::escape(s)).collect::<Vec<_>>().join("|")
}

impl PatternConfig {
    /// Whether these lists build the name patterns (see [`Patterns::build`]); why not, if not.
    pub fn check(&self) -> Result<(), String> {
        Patterns::build(self.clone()).map(|_| ())
    }
}

/// A list's expression or automaton that did not build, said for the user.
fn too_big(e: impl std::fmt::Display) -> String {
    format!("the word lists do not make an expression ({e}); shorten the longest list")
}

impl Patterns {
    /// Builds the expressions and automata of `cfg`'s word lists.
    ///
    /// # Panics
    /// When the lists do not build (see [`Patterns::build`]); the embedded lists always do, and a
    /// user's lists are checked with [`Patterns::build`] when they are loaded.
    pub fn new(cfg: PatternConfig) -> Self {
        Self::build(cfg).unwrap_or_else(|e| panic!("name patterns: {e}"))
    }

    /// Builds the expressions and automata of `cfg`'s word lists, or says why they do not build:
    /// a list too long for one expression (the words themselves are escaped).
    pub fn build(cfg: PatternConfig) -> Result<Self, String> {
        let set = |v: &[String]| v.iter().cloned().collect::<FxHashSet<String>>();
        let latin_families: Vec<String> = cfg
            .model_families
            .iter()
            .filter(|f| f.is_ascii() && !f.trim().is_empty())
            // A user's family is text, not a pattern: `A.I` must not match `AxI`.
            .map(|f| regex::escape(f).replace(' ', r"\s?"))
            .collect();
        let fams = {
            let mut f = latin_families.clone();
            f.sort_by_key(|s| std::cmp::Reverse(s.len()));
            f.join("|")
        };
        let zh_families: Vec<String> = cfg.model_families.iter().filter(|f| !f.is_ascii()).cloned().collect();
        let dash_suffixes = alternation(&cfg.model_suffix_words);
        let space_suffixes = "Pro|Max|Plus|Ultra|Mini|mini|Flash|Lite|Nano|Opus|Sonnet|Haiku|Turbo|Instruct|Chat|Scout|Maverick|Llama|Qwen|Distill|Coder|VL|Omni|Preview|Thinking|Reasoner|Large|Medium|Small";
        // `Kimi K3`, `DeepSeek V3`, `Llama 3.1`, `o3`: a version may open with one letter.
        let version = r"(?:[A-Za-z]?\d+(?:\.\d+)*(?:[a-z](?:(?-u:\b)|[-\s]))?)";
        let size = r"(?:\d+(?:\.\d+)?[BbMmKkTt]|\d+x\d+[Bb]|[A-Z]\d+[Bb]?)";
        let model = format!(
            r"(?i:(?:{fams}))[-\s]?{version}(?:(?:[-\s](?:{size}(?-u:\b)|{space_suffixes}(?-u:\b)))|(?:-(?:{dash_suffixes}|{size}|[A-Za-z]+\d*)(?-u:\b)))*"
        );

        Ok(Patterns {
            model_context_lower: cfg.model_context.iter().map(|w| w.to_lowercase()).collect(),
            stem_suffixes_en: cfg
                .company_short_suffixes_en
                .iter()
                .cloned()
                .chain(cfg.company_suffixes_en.iter().map(|s| format!(" {s}")))
                .collect(),
            surnames: set(&cfg.surnames),
            translit: cfg.translit_chars.chars().collect(),
            person_stop: set(&cfg.person_stopwords),
            first_names: set(&cfg.first_names_en),
            name_stop_en: set(&cfg.name_stopwords_en),
            company_generic: set(&cfg.company_generic),
            event_generic: set(&cfg.event_generic),
            title: Regex::new(r"《([^《》\n]{1,60})》").map_err(too_big)?,
            model: Regex::new(&format!(
                r"{model}|(?i:(?:{fams}))-(?:Max|Plus|Turbo|Pro|Ultra|Mini|Flash|Lite|Large|Long|Coder|VL|Omni)(?-u:\b)"
            ))
            .map_err(too_big)?,
            model_zh: Regex::new(&format!(r"(?:{})\s?\d+(?:\.\d+)*(?:\s?(?:Turbo|Pro|Max|Plus|Lite|Speed))?", alternation(&zh_families)))
                .map_err(too_big)?,
            model_ctx: Regex::new(&format!(
                r"([A-Z][A-Za-z0-9]*(?:[-\s][A-Z0-9][A-Za-z0-9.]*){{1,3}})\s?(?:{})",
                alternation(&cfg.model_context)
            ))
            .map_err(too_big)?,
            versioned_name: Regex::new(
                r"(?:(?-u:\b)[A-Z][a-z]{2,}|\p{Han}{2})-(?:[RVrv]?\d+(?:\.\d+)?|Mini|Pro|Max|Ultra|Lite|Turbo|Air|Nano|Flash)(?-u:\b)|\p{Han}{2}-[A-Z][A-Za-z]+(?: \d+(?:\.\d+)?)?(?-u:\b)",
            )
            .map_err(too_big)?,
            model_before: Regex::new(r"(?:大模型|模型|神经网络|推理模型|多模态模型)\s?([A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?:\s\d+(?:\.\d+)*)?)").map_err(too_big)?,
            quoted_model: Regex::new(r#"(?:[“"「]([^”"」\n]{2,12})[”"」]\s?(?:大模型|模型))|(?:(?:大模型|模型)\s?[“"「]([^”"」\n]{2,12})[”"」])"#).map_err(too_big)?,
            roles_zh: Regex::new(&format!(r"(?:{})[：:|｜丨 ]*", alternation(&cfg.person_roles))).map_err(too_big)?,
            byline_zh: Regex::new(&format!(
                r"(?m)(?:^|[ \t　（(>|｜丨])(?:{})[ \t　]*[｜丨|：:／/][ \t　]*",
                alternation(&cfg.byline_labels_zh)
            ))
            .map_err(too_big)?,
            speech_zh: Regex::new(&alternation(&cfg.speech_verbs)).map_err(too_big)?,
            cap_seq: Regex::new(
                r"(?-u:\b)[\p{Latin}&&\p{Lu}][\p{Latin}'’\-]+(?:[ \t]+(?:[\p{Latin}&&\p{Lu}][\p{Latin}'’\-]+|[A-Z]\.|(?:de|van|von|der|da|del|le|la|bin)[ \t]+[\p{Latin}&&\p{Lu}][\p{Latin}'’\-]+)){1,3}",
            )
            .map_err(too_big)?,
            company_en: Regex::new(&format!(
                r"(?-u:\b)((?:[A-Z][A-Za-z0-9&'’\-]*|[a-z][A-Z][A-Za-z0-9]*)(?:[ \t]+[A-Z][A-Za-z0-9&'’\-]*){{0,2}})[ \t]+(?:{})(?:[ \t]+(?:Corp\.?|Inc\.?))?(?:(?-u:\b)|$)",
                cfg.company_suffixes_en.iter().map(|s| regex::escape(s.trim_end_matches('.'))).collect::<Vec<_>>().join("|")
            ))
            .map_err(too_big)?,
            company_apposition_en: Regex::new(&format!(
                r"(?-u:\b)([A-Za-z][A-Za-z0-9&.'’\-]*(?:[ \t][A-Z][A-Za-z0-9&.'’\-]*){{0,3}}),[ \t](?:an?|the)[ \t](?:[A-Za-z0-9$.,'’\-]+[ \t]){{0,5}}?(?:{})(?-u:\b)",
                alternation(&cfg.company_apposition_heads_en)
            ))
            .map_err(too_big)?,
            company_cue_en: Regex::new(&format!(
                r"(?-u:\b)(?:{})(?:[ \t]+(?:{}))?[ \t]+((?:[A-Z][A-Za-z0-9]+|[a-z][A-Z][A-Za-z0-9]*)(?:[ \t]+[A-Z][A-Za-z0-9]+)?)",
                alternation(&cfg.company_cues_en),
                alternation(&cfg.company_cue_links_en)
            ))
            .map_err(too_big)?,
            unit_zh: Regex::new(&alternation(&cfg.unit_suffixes)).map_err(too_big)?,
            people_list: Regex::new(&format!(
                r"\p{{Han}}{{2,3}}(?:[、和及]\p{{Han}}{{2,3}}){{1,8}}等(?:[多几两三四五六七八九十]?[名位个])?(?:{})",
                alternation(&cfg.person_roles)
            ))
            .map_err(too_big)?,
            unit_en: Regex::new(&format!(
                r"(?-u:\b)([A-Z][A-Za-z&\-]*(?:[ \t](?:and[ \t]|&[ \t])?[A-Z][A-Za-z&\-]*){{0,3}})[ \t]({})(?-u:\b)",
                alternation(&cfg.unit_suffixes_en)
            ))
            .map_err(too_big)?,
            unit_generic: set(&cfg.unit_generic),
            company_cue_zh: Regex::new(&format!(
                r"(?:{})\s?([A-Za-z][A-Za-z0-9.\-]*(?:\s[A-Z][A-Za-z0-9]*)?)",
                alternation(&cfg.company_cues)
            ))
            .map_err(too_big)?,
            company_cue_han: Regex::new(&format!(
                r#"(?:{})(?:是|为)?(?:[「“"]([^」”"\n]{{2,16}})[」”"]|(\p{{Han}}{{2,8}}))"#,
                alternation(&cfg.company_cues_han)
            ))
            .map_err(too_big)?,
            legal_suffix: Regex::new(r"股份有限公司|有限责任公司|有限公司").map_err(too_big)?,
            suffixes_en: set(&cfg.company_suffixes_en),
            gatherings: {
                let mut triggers: Vec<String> = cfg.event_gatherings.clone();
                // Stable: triggers of one length keep the order the list gives them.
                triggers.sort_by_key(|t| std::cmp::Reverse(t.len()));
                let ac = aho_corasick::AhoCorasick::new(&triggers).map_err(too_big)?;
                (triggers, ac)
            },
            company_run_stops: aho_corasick::AhoCorasickBuilder::new()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(
                    cfg.company_name_stops
                        .iter()
                        .chain(&cfg.company_verbs_after)
                        .chain(&cfg.speech_verbs)
                        .chain(&cfg.person_roles),
                )
                .map_err(too_big)?,
            short_suffix: Regex::new(&alternation(
                &cfg.company_suffixes.iter().filter(|s| !s.contains("有限")).cloned().collect::<Vec<_>>(),
            ))
            .map_err(too_big)?,
            cfg,
        })
    }

    /// True when `word` is one of `list`.
    fn has(&self, list: &[String], word: &str) -> bool {
        list.iter().any(|x| x == word)
    }

    /// The gathering triggers (`event_gatherings`), longest first, each with where it occurs in
    /// `text`: the starts `str::match_indices` gives (left to right, not overlapping one another),
    /// found in one pass over the text for all of them.
    pub fn gathering_triggers(&self, text: &str) -> Vec<(&str, Vec<usize>)> {
        let (triggers, ac) = &self.gatherings;
        let mut all: Vec<Vec<usize>> = vec![Vec::new(); triggers.len()];
        for m in ac.find_overlapping_iter(text) {
            all[m.pattern().as_usize()].push(m.start());
        }
        triggers
            .iter()
            .zip(all)
            .map(|(t, mut starts)| {
                if t.is_empty() {
                    // The automaton matches an empty trigger inside characters too.
                    return (t.as_str(), text.match_indices("").map(|(i, _)| i).collect());
                }
                starts.sort_unstable();
                // Of overlapping places, `match_indices` takes the first and goes on after it.
                let mut next = 0;
                starts.retain(|&at| {
                    let keep = at >= next;
                    if keep {
                        next = at + t.len();
                    }
                    keep
                });
                (t.as_str(), starts)
            })
            .collect()
    }

    /// The word of `time_prefixes_zh` that `stem` opens with (`原` of `原智能云事业群`), if any.
    fn time_prefix<'a>(&'a self, stem: &str) -> Option<&'a str> {
        self.cfg
            .time_prefixes_zh
            .iter()
            .find(|p| stem.starts_with(p.as_str()))
            .map(String::as_str)
    }

    /// True for capitalised words that never make up a name (`The`, `Monday`, …).
    pub fn is_name_stopword(&self, s: &str) -> bool {
        self.name_stop_en.contains(s)
    }

    pub fn is_surname(&self, s: &str) -> bool {
        self.surnames.contains(s)
    }

    /// The finders of names (not events) in a text, in the order they add their mentions. Over
    /// many texts, each runs on every text before the next starts, so that its expressions stay in
    /// the processor's caches.
    pub const NAME_FINDERS: [NameFinder; 7] = [
        Self::titles,
        Self::models,
        Self::transliterated,
        Self::chinese_people,
        Self::english_people,
        Self::companies,
        Self::units,
    ];

    fn titles(&self, ctx: &Context, lex: &Lexicon, out: &mut Vec<Mention>) {
        let text = ctx.text;
        // English: a quoted or capitalised title next to book words (`the author of Supremacy`,
        // `his book "Chip War"`, `*The Innovators*`).
        for re in [&*BOOK_QUOTED, &*BOOK_QUOTED_BEFORE, &*BOOK_AFTER, &*BOOK_ITALIC] {
            for c in re.captures_iter(text) {
                let g = c.get(1).unwrap();
                let full = g.as_str().trim_end_matches([',', '.', ' ']);
                let main = full.split_once(':').map_or(full, |(m, _)| m).trim();
                if main.len() < 3 || self.name_stop_en.contains(main) {
                    continue;
                }
                let e = g.start() + main.len();
                let known = lex.lookup(main);
                if known.iter().any(|x| x.etype != EntityType::Book) {
                    continue;
                }
                let canonical = known.first().map_or_else(|| main.to_string(), |x| x.name.clone());
                out.push(mention(
                    text,
                    g.start(),
                    e,
                    EntityType::Book,
                    canonical,
                    MentionSource::Pattern,
                ));
            }
        }
        for c in self.title.captures_iter(text) {
            let whole = c.get(0).unwrap();
            let inner = c.get(1).unwrap();
            let name = inner.as_str().trim();
            if name.is_empty()
                || self
                    .cfg
                    .not_book_words
                    .iter()
                    .any(|w| whole.as_str().contains(w.as_str()))
            {
                continue;
            }
            let before: String = text[..whole.start()]
                .chars()
                .rev()
                .take(6)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after: String = text[whole.end()..].chars().take(4).collect();
            let known = lex.lookup(name);
            let (etype, canonical) = if let Some(e) = known.first() {
                (e.etype, e.name.clone())
            } else if self.cfg.media_suffixes.iter().any(|s| name.ends_with(s.as_str()))
                || self
                    .cfg
                    .media_context_before
                    .iter()
                    .any(|w| before.ends_with(w.as_str()))
                || self
                    .cfg
                    .media_context_after
                    .iter()
                    .any(|w| after.starts_with(w.as_str()))
            {
                let show = ["节目", "栏目", "播客", "综艺"]
                    .iter()
                    .any(|w| before.ends_with(w) || after.starts_with(w));
                (
                    if show { EntityType::Show } else { EntityType::Media },
                    name.to_string(),
                )
            } else if ["一文", "文章", "撰文"].iter().any(|w| after.starts_with(w)) {
                continue;
            } else {
                (EntityType::Book, name.to_string())
            };
            out.push(mention(
                text,
                inner.start(),
                inner.end(),
                etype,
                canonical,
                MentionSource::Pattern,
            ));
        }
    }

    fn models(&self, ctx: &Context, lex: &Lexicon, out: &mut Vec<Mention>) {
        let text = ctx.text;
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for m in self.model.find_iter(text).chain(self.model_zh.find_iter(text)) {
            let (s, mut e) = (m.start(), m.end());
            while e > s && text[..e].ends_with([' ', '-', '\t']) {
                e -= 1;
            }
            spans.push((s, e));
        }
        // `Its flagship model, Quillon Atlas 2, …`, `their first model, Orrery-1`: a name in apposition
        // to a company's model is a model.
        for c in OWN_MODEL_EN
            .captures_iter(text)
            .chain(MODEL_APPOSITION_EN.captures_iter(text))
        {
            let g = c.get(1).unwrap();
            let name = g.as_str().trim_end_matches(['.', ',', '-']);
            if name.split(' ').all(|w| self.name_stop_en.contains(w)) || name.len() < 2 {
                continue;
            }
            spans.push((g.start(), g.start() + name.len()));
        }
        for c in self.model_ctx.captures_iter(text) {
            let g = c.get(1).unwrap();
            let name = g.as_str();
            if name
                .split_whitespace()
                .all(|w| self.cfg.model_generic.iter().any(|g| g == w))
            {
                continue;
            }
            spans.push((g.start(), g.end()));
        }
        // A Latin name right after a model word (`具身大模型HT-Brain 2.0`, `神经网络AlexNet`), and the
        // other versions of its family in the same text (`HT-Brain 1.0`).
        let mut families: Vec<String> = Vec::new();
        for c in self.model_before.captures_iter(text) {
            let g = c.get(1).unwrap();
            if g.as_str().len() < 3 || g.as_str().chars().all(|c| c.is_ascii_uppercase()) {
                continue;
            }
            spans.push((g.start(), g.end()));
            let family = g
                .as_str()
                .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
            if family.len() >= 3 && family.len() < g.as_str().len() {
                families.push(family.to_string());
            }
        }
        for f in families {
            if let Some(re) = family_versions(&f) {
                spans.extend(re.find_iter(text).map(|m| (m.start(), m.end())));
            }
        }
        // A name with a version (`Writ-2`, `栖云-3`, `澈思-R2`, `镜湖-Mini`) in a sentence that speaks of
        // models: a model no family list knows yet. Its other versions in the text follow.
        for m in self.versioned_name.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let line_start = text[..s]
                .char_indices()
                .rev()
                .find(|(_, c)| matches!(c, '。' | '\n' | '.' | '！' | '？'))
                .map_or(0, |(i, c)| i + c.len_utf8());
            let line_end = text[e..].find(['。', '\n', '！', '？']).map_or(text.len(), |i| e + i);
            let around = text[line_start..line_end].to_lowercase();
            if self.model_context_lower.iter().any(|w| around.contains(w.as_str()))
                || self
                    .cfg
                    .versioned_model_context
                    .iter()
                    .any(|w| around.contains(w.as_str()))
            {
                spans.push((s, e));
            }
        }
        for c in self.quoted_model.captures_iter(text) {
            // `大模型“六小虎”之一`: a quoted nickname of a group, not one model.
            if let Some(g) = c.get(1).or(c.get(2))
                && g.as_str().chars().any(|ch| ch.is_alphabetic())
                && !text[c.get(0).map_or(g.end(), |m| m.end())..]
                    .trim_start_matches(['”', '"', '」'])
                    .starts_with("之一")
            {
                spans.push((g.start(), g.end()));
            }
        }
        for (s, e) in spans {
            if !at_boundaries(ctx, s, e) {
                continue;
            }
            let surface = &text[s..e];
            let known = lex.lookup(surface);
            let canonical = known
                .first()
                .map_or_else(|| surface.trim().to_string(), |e| e.name.clone());
            let etype = known.first().map_or(EntityType::Model, |e| e.etype);
            out.push(mention(text, s, e, etype, canonical, MentionSource::Pattern));
        }
    }

    fn transliterated(&self, ctx: &Context, lex: &Lexicon, out: &mut Vec<Mention>) {
        let text = ctx.text;
        const DOTS: [char; 5] = ['·', '•', '・', '‧', '∙'];
        let translit = |c: char| self.translit.contains(&c);
        // Each name is found from its dots: transliteration characters on both sides, so that
        // `克雷格·费德里吉与迈克·罗克韦尔` is two names and `教授杰弗里·辛顿` starts at `杰`.
        let dots: Vec<usize> = text
            .char_indices()
            .filter(|(_, c)| DOTS.contains(c))
            .map(|(i, _)| i)
            .collect();
        let mut k = 0;
        while k < dots.len() {
            let dot = dots[k];
            k += 1;
            let left = text[..dot].trim_end();
            let kept: usize = left
                .chars()
                .rev()
                .take_while(|c| translit(*c))
                .map(char::len_utf8)
                .sum();
            if kept == 0 {
                continue;
            }
            let s = left.len() - kept;
            // The parts after the dot; a short middle part between two dots joins a third (`约翰·F·…`).
            let mut part_start = dot + text[dot..].chars().next().map_or(1, char::len_utf8);
            let mut e;
            loop {
                part_start += text[part_start..].len() - text[part_start..].trim_start().len();
                let tail = &text[part_start..];
                let mut tail_kept: usize = tail.chars().take_while(|c| translit(*c)).map(char::len_utf8).sum();
                // A Chinese surname may close a foreign given name (`亚历山大·王`).
                if tail_kept == 0 {
                    tail_kept = tail
                        .chars()
                        .next()
                        .filter(|c| self.surnames.contains(&c.to_string()))
                        .map_or(0, char::len_utf8);
                }
                e = part_start + tail_kept;
                let next_dot = text[e..].trim_start().starts_with(DOTS) && k < dots.len();
                if tail_kept > 0 && next_dot {
                    part_start = dots[k] + text[dots[k]..].chars().next().map_or(1, char::len_utf8);
                    k += 1;
                    continue;
                }
                break;
            }
            if e <= part_start {
                continue;
            }
            // jieba may know where the name ends inside the last part (`辛顿团队` → `辛顿`).
            if let Some(w) = ctx.word_starting_at(part_start)
                && w.end < e
                && w.end - part_start >= 3
                && !translit(text[w.end..].chars().next().unwrap_or(' '))
            {
                e = w.end;
            }
            let surface = &text[s..e];
            if surface.chars().filter(|c| is_cjk(*c)).count() < 3 {
                continue;
            }
            let canonical = lex
                .lookup(surface)
                .into_iter()
                .chain(lex.lookup(&text[part_start..e]))
                .find(|x| x.etype == EntityType::Person)
                .map_or_else(|| normalise_dots(surface), |x| x.name.clone());
            out.push(mention(
                text,
                s,
                e,
                EntityType::Person,
                canonical,
                MentionSource::Pattern,
            ));
        }
    }

    /// A Chinese name at `pos`: surname, then one or two given characters; its length in bytes.
    fn chinese_name_at(&self, ctx: &Context, pos: usize, strict: bool) -> Option<usize> {
        let rest = &ctx.text[pos..];
        let chars: Vec<char> = rest.chars().take(4).collect();
        if chars.len() < 2 || !chars.iter().take(2).all(|c| is_cjk(*c)) {
            return None;
        }
        let two: String = chars[..2].iter().collect();
        let slen = if self.surnames.contains(&two) {
            2
        } else if self.surnames.contains(&chars[0].to_string()) {
            1
        } else {
            return None;
        };
        // jieba's own word, when it starts here and is name-sized.
        if let Some(w) = ctx.word_starting_at(pos) {
            let n = ctx.text[w.start..w.end].chars().count();
            if (slen + 1..=slen + 2).contains(&n) && ctx.text[w.start..w.end].chars().all(is_cjk) {
                // jieba may cut an unknown given name short (`洪定|坤|已`): a lone character that is no
                // function word belongs to the name.
                if n == slen + 1
                    && let Some(next) = ctx.word_starting_at(w.end)
                    && ctx.text[next.start..next.end].chars().count() == 1
                    && !"的了在是和与及等说称表也还就都而被把将对向从为于这那个年月日中上下不有已曾会可以并则又再才均亦即".contains(&ctx.text[next.start..next.end])
                    && ctx.text[next.start..next.end].chars().all(is_cjk)
                {
                    let longer = &ctx.text[w.start..next.end];
                    if self.plausible(longer) {
                        return Some(longer.len());
                    }
                }
                // A word the dictionary knows as something else (`高调` is an adverb) is no name
                // where only a following verb suggests one.
                let other_word = strict && w.known && !w.tag.starts_with('n');
                // jieba may cut a given name short before a verb (`许望|舒曾|任`): a third character
                // right before a verb of speech or action belongs to the name.
                if n == slen + 1
                    && let Some(c) = ctx.text[w.end..].chars().next()
                    && is_cjk(c)
                {
                    let after = &ctx.text[w.end + c.len_utf8()..];
                    let longer = &ctx.text[w.start..w.end + c.len_utf8()];
                    if self.speech_zh.find(after).is_some_and(|m| m.start() == 0)
                        && !"的了在是和与及等说称表也还就都而被把将对向从为于这那个年月日中上下不有已曾会可以并则又再才均亦即".contains(c)
                        && self.plausible(longer)
                    {
                        return Some(longer.len());
                    }
                }
                let whole = &ctx.text[w.start..w.end];
                // `副总裁卫澜则转岗`: jieba glued an adverb to a two-character name.
                // `合伙人韩牧称`, `创始人冼沐为…`: a verb of speech or a function word likewise.
                if n == slen + 2
                    && !self.plausible(whole)
                    && whole.ends_with([
                        '则', '也', '还', '就', '都', '又', '已', '曾', '所', '亦', '即', '并', '均', '称', '说', '为',
                        '在', '于', '对', '向', '将', '是',
                    ])
                {
                    let shorter = &whole[..whole.len() - 3];
                    return (self.plausible(shorter) && !other_word).then_some(shorter.len());
                }
                return (self.plausible(whole) && !other_word).then_some(w.end - w.start);
            }
        }
        let given: Vec<char> = chars[slen..]
            .iter()
            .take(2)
            .copied()
            .take_while(|c| is_cjk(*c))
            .collect();
        if given.is_empty() {
            return None;
        }
        let name: String = chars[..slen].iter().chain(given.iter()).collect();
        // After a role, a numeral or 上/下/中 may stand inside a given name (`架构师杨上山`, `经理李一男`),
        // though never at its end, where it is the next word's.
        if !strict
            && slen == 1
            && given.len() == 2
            && "上下中一二三四五六七八九十".contains(given[0])
            && self.plausible(&format!("{}{}", chars[0], given[1]))
        {
            return Some(name.len());
        }
        // Ordinary words inside (`曾深刻`: 深刻 is an adjective) make it no name.
        let end = pos + name.len();
        let ordinary = strict
            && ctx.words_starting_in(pos, end).iter().any(|w| {
                w.start >= pos
                    && w.end <= end
                    && w.end - w.start >= 6
                    && !w.tag.starts_with("nr")
                    && !matches!(w.tag, "x" | "nz" | "ns")
            });
        // `司徒珩卸任`, `欧阳岑共同创立`: after a compound surname, a dictionary word that starts on
        // the second given character and runs past it is the next word, not more name.
        let short: String = chars[..slen].iter().chain(given.iter().take(1)).collect();
        if slen == 2
            && given.len() == 2
            && let Some(w) = ctx.word_starting_at(pos + short.len())
            && w.known
            && w.end > end
            && ctx.text[w.start..w.end].chars().count() >= 2
            && self.plausible(&short)
        {
            return Some(short.len());
        }
        if !ordinary && self.plausible(&name) {
            return Some(name.len());
        }
        // `闻人殊已于…`: a one-character given name before a function word.
        (!ordinary && given.len() == 2 && self.plausible(&short) && self.plausible_end(&given[1..]))
            .then_some(short.len())
    }

    /// True when what follows a name may start with `rest` (a function word, not more name).
    fn plausible_end(&self, rest: &[char]) -> bool {
        rest.first()
            .is_some_and(|c| "已曾将也还就都则并在于对向被把为是的了".contains(*c))
    }

    fn plausible(&self, name: &str) -> bool {
        const BAD: &str =
            "的了在是和与及等说称表也还就都而被把将对向从为于这那个年月日中上下不有一二三四五六七八九十则所亦即并已";
        // `CTO和首席架构师`, `王总裁`: a role where the given name would be.
        let given: String = name.chars().skip(1).collect();
        let role_inside = given.chars().count() >= 2
            && self
                .cfg
                .person_roles
                .iter()
                .any(|r| r.starts_with(given.as_str()) || given.starts_with(r.as_str()));
        !role_inside
            && !self.person_stop.contains(name)
            && !name.chars().skip(1).any(|c| BAD.contains(c))
            && !self
                .person_stop
                .iter()
                .any(|s| name.starts_with(s.as_str()) && s.chars().count() >= 2)
    }

    fn chinese_people(&self, ctx: &Context, lex: &Lexicon, out: &mut Vec<Mention>) {
        let text = ctx.text;
        let mut found: Vec<(usize, usize)> = Vec::new();
        // After a role: 创始人王小川, CEO李彦宏, 文字编辑|宋雨涵.
        for m in self.roles_zh.find_iter(text) {
            // `负责人之一闻人殊`: one of several holders of the role.
            let at = if text[m.end()..].starts_with("之一") {
                m.end() + "之一".len()
            } else {
                m.end()
            };
            if let Some(len) = self.chinese_name_at(ctx, at, false) {
                found.push((at, at + len));
            }
        }
        // A byline: `文｜A　编辑｜B`, `编辑：A、B`.
        for m in self.byline_zh.find_iter(text) {
            let mut at = m.end();
            while let Some(len) = self.chinese_name_at(ctx, at, false) {
                found.push((at, at + len));
                at += len;
                match text[at..].chars().next() {
                    Some(c @ ('、' | '，' | ',')) => at += c.len_utf8(),
                    _ => break,
                }
            }
        }
        // Before a verb of speech: 王小川说, 李彦宏表示.
        for m in self.speech_zh.find_iter(text) {
            // An adverb may stand between the name and its verb (`刘煜宏则担任`, `王东也加入`).
            let mut verb_at = m.start();
            let mut adverb = false;
            if let Some(adv) = [
                "则", "也", "还", "又", "便", "就", "均", "都", "已", "将", "曾", "继续", "随后", "同时", "共同",
                "一起", "分别", "先后", "正式", "已经", "即将",
            ]
            .iter()
            .find(|a| text[..verb_at].ends_with(**a))
            {
                verb_at -= adv.len();
                adverb = true;
            }
            // `…团队的柯望也创办了`: an adverb or 了 makes the verb a verb, its subject a person.
            let acts = adverb || text[m.end()..].starts_with('了');
            let before = &text[..verb_at];
            for n in [3usize, 2, 4] {
                let chars: Vec<(usize, char)> = before.char_indices().rev().take(n).collect();
                if chars.len() < n {
                    continue;
                }
                let s = chars[n - 1].0;
                if !text[s..verb_at].chars().all(is_cjk) {
                    continue;
                }
                let prev = text[..s].chars().next_back();
                let at_word = ctx.word_starting_at(s).is_some() || !prev.is_some_and(is_cjk);
                // `X的高调离职`: after 的 stands a modifier of a noun, not a person who acts.
                if prev == Some('的') && !acts {
                    continue;
                }
                if at_word && self.chinese_name_at(ctx, s, true) == Some(verb_at - s) {
                    found.push((s, verb_at));
                    break;
                }
            }
        }
        // A list of names closed by `等` and a word for people (`王冲、王子瑞和尹国立等多名经理`).
        for m in self.people_list.find_iter(text) {
            let list = &text[m.start()..m.end()];
            let Some(end) = list.rfind('等') else { continue };
            let items: Vec<(usize, usize)> = {
                let mut v = Vec::new();
                let mut at = m.start();
                for part in list[..end].split(['、', '和', '及']) {
                    v.push((at, at + part.len()));
                    at += part.len() + 3;
                }
                v
            };
            let name_ok = |a: usize, b: usize| {
                let n = &text[a..b];
                (2..=3).contains(&n.chars().count())
                    && self.is_surname(&n.chars().next().unwrap_or(' ').to_string())
                    && self.plausible(n)
            };
            let mut items = items;
            // The match may have begun inside the word before the list (`涉及王冲`): the first name
            // is the tail of its first part.
            if let Some(first) = items.first_mut()
                && !name_ok(first.0, first.1)
                && let Some(start) = [3usize, 2].iter().find_map(|&n| {
                    let st = text[..first.1].char_indices().rev().nth(n - 1)?.0;
                    (st >= first.0 && name_ok(st, first.1)).then_some(st)
                })
            {
                first.0 = start;
            }
            // Words before the list that the match took in (`架构涉|及`) are dropped from its front.
            while items.len() > 2 && !name_ok(items[0].0, items[0].1) {
                items.remove(0);
            }
            let ok = items.len() >= 2 && items.iter().all(|&(a, b)| name_ok(a, b));
            if ok {
                found.extend(items);
            }
        }
        // A name listed with a person is a person (`高级总监周苑、GPU架构师张钰勃`, `王冲、王子瑞和尹国立`):
        // a surname and one or two characters between list marks.
        let mut i = 0;
        while i < found.len() && found.len() < 64 {
            let (s, e) = found[i];
            i += 1;
            for (sep_s, sep_e) in self.list_neighbours(text, s, e) {
                if found.iter().any(|&(a, b)| a < sep_e && sep_s < b) {
                    continue;
                }
                found.push((sep_s, sep_e));
            }
        }
        found.sort_unstable();
        found.dedup();
        for (s, e) in found {
            let surface = &text[s..e];
            if let Some(x) = lex.lookup(surface).first() {
                out.push(mention(text, s, e, x.etype, x.name.clone(), MentionSource::Pattern));
            } else {
                out.push(mention(
                    text,
                    s,
                    e,
                    EntityType::Person,
                    surface.to_string(),
                    MentionSource::Pattern,
                ));
            }
        }
    }

    /// Chinese names standing next to the name at `s..e` in a list (`、`, `和`, `与`, `及`), each
    /// closed by a list mark or the end of the clause.
    fn list_neighbours(&self, text: &str, s: usize, e: usize) -> Vec<(usize, usize)> {
        let seps: Vec<&str> = self
            .cfg
            .list_separators
            .iter()
            .map(String::as_str)
            .filter(|s| !s.is_ascii())
            .collect();
        const CLOSERS: &str = "、，。,；;和与及等也均都分别相继共先)）";
        let mut out = Vec::new();
        let name_ok = |n: &str| {
            let c: Vec<char> = n.chars().collect();
            (2..=3).contains(&c.len())
                && c.iter().all(|x| is_cjk(*x))
                && self.surnames.contains(&c[0].to_string())
                && self.plausible(n)
        };
        // Forward: `、王子瑞和`.
        let rest = &text[e..];
        if let Some(sep) = seps.iter().find(|x| rest.starts_with(**x)) {
            let from = e + sep.len();
            for n in [3usize, 2] {
                let end = text[from..].char_indices().nth(n).map_or(text.len(), |(i, _)| from + i);
                let name = &text[from..end];
                let next = text[end..].chars().next();
                // Anything but a list mark right after the candidate may continue a longer word
                // (a role after the mark is fine: `、GPU架构师张钰勃` is found by its role).
                if name.chars().count() == n && name_ok(name) && next.is_none_or(|c| CLOSERS.contains(c)) {
                    out.push((from, end));
                    break;
                }
            }
        }
        // Backward: `周苑、` before this name, or `陈启航与联合创始人` (a role may stand between).
        let mut before = &text[..s];
        if let Some(r) = self.roles_zh.find_iter(before).last()
            && r.end() == before.len()
        {
            before = &before[..r.start()];
        }
        if let Some(sep) = seps.iter().find(|x| before.ends_with(**x)) {
            let to = before.len() - sep.len();
            for n in [3usize, 2] {
                let chars: Vec<(usize, char)> = text[..to].char_indices().rev().take(n).collect();
                if chars.len() < n {
                    continue;
                }
                let from = chars[n - 1].0;
                let name = &text[from..to];
                let prev = text[..from].chars().next_back();
                if name_ok(name) && prev.is_none_or(|c| !is_cjk(c) || "、，。：:的和与及有了是为".contains(c))
                {
                    out.push((from, to));
                    break;
                }
            }
        }
        out
    }

    fn english_people(&self, ctx: &Context, lex: &Lexicon, out: &mut Vec<Mention>) {
        let text = ctx.text;
        let roles = &self.cfg.person_roles_en;
        let mut persons = Spans::default();
        let mut pending: Vec<(usize, usize)> = Vec::new();
        // The one or two words before every company suffix in the text (`Meridian Arc` of
        // `Meridian Arc Technologies`): a short name of a company is no person. Found once, when
        // a candidate first asks (most texts have few).
        let mut company_stems: Option<FxHashSet<&str>> = None;
        let find_stems = || {
            let toks = english_words(text);
            let mut stems = FxHashSet::default();
            for (i, &(s, e)) in toks.iter().enumerate() {
                let w = &text[s..e];
                if i == 0 || !(self.suffixes_en.contains(w) || self.suffixes_en.contains(w.trim_end_matches('.'))) {
                    continue;
                }
                let (ps, pe) = toks[i - 1];
                if &text[pe..s] != " " {
                    continue;
                }
                stems.insert(&text[ps..pe]);
                if i >= 2 && &text[toks[i - 2].1..ps] == " " {
                    stems.insert(&text[toks[i - 2].0..pe]);
                }
            }
            stems
        };
        for m in self.cap_seq.find_iter(text) {
            let words: Vec<(usize, &str)> = m
                .as_str()
                .split_whitespace()
                .map(|w| (m.as_str().find(w).unwrap_or(0), w))
                .collect();
            // Word offsets: recompute in order to be exact.
            let mut offs = Vec::new();
            let mut pos = 0;
            for (_, w) in &words {
                let at = m.as_str()[pos..].find(w).map(|i| i + pos).unwrap_or(pos);
                offs.push((m.start() + at, *w));
                pos = at + w.len();
            }
            let mut lo = 0;
            let mut hi = offs.len();
            // Leading words that are no part of the name: stop words, known companies and titles
            // (`Informatica CEO Amit Walia` is `Amit Walia`).
            while lo < hi
                && (self
                    .name_stop_en
                    .contains(offs[lo].1.trim_end_matches(['\'', '’', 's']))
                    || self.has(&self.cfg.titles_en, offs[lo].1)
                    || lex
                        .lookup(offs[lo].1.trim_end_matches(['\'', '’', 's']))
                        .iter()
                        .any(|x| x.etype != EntityType::Person)
                        && hi - lo > 2)
            {
                lo += 1;
            }
            while hi > lo && self.name_stop_en.contains(offs[hi - 1].1) {
                hi -= 1;
            }
            // A title inside the run splits it: `Informatica CEO Amit Walia` names `Amit Walia`.
            let mut titled_inside = false;
            if let Some(i) = (lo..hi).rev().find(|&i| self.has(&self.cfg.titles_en, offs[i].1))
                && hi - i > 2
            {
                lo = i + 1;
                titled_inside = true;
            }
            // A possessive ends the name: `Google's Gemini`.
            if let Some(i) = (lo..hi).find(|&i| offs[i].1.ends_with("'s") || offs[i].1.ends_with("’s")) {
                hi = i + 1;
            }
            // `Lord Byron`, `Sir Tim Berners-Lee`: a title keeps the name it opens.
            let titled = lo > 0 && hi > lo && self.has(&self.cfg.honorifics_en, offs[lo - 1].1);
            if titled {
                lo -= 1;
            }
            if hi - lo < 2 {
                continue;
            }
            let s = offs[lo].0;
            let mut e = offs[hi - 1].0 + offs[hi - 1].1.len();
            if text[..e].ends_with("'s") || text[..e].ends_with("’s") {
                e -= if text[..e].ends_with("'s") { 2 } else { 4 };
            }
            let surface = &text[s..e];
            if lex.lookup(surface).iter().any(|x| x.etype != EntityType::Person) {
                continue;
            }
            // `Meridian Arc` after `Meridian Arc Technologies`: a company's short name, no person.
            let short_of_company = company_stems
                .get_or_insert_with(find_stems)
                .contains(&text[offs[lo].0..offs[hi - 1].0 + offs[hi - 1].1.len()]);
            if short_of_company {
                continue;
            }
            // `Kinloch Systems`, `Brume Capital`: a company suffix ends no person's name.
            if self.has(
                &self.cfg.company_suffixes_en,
                offs[hi - 1].1.trim_end_matches(['\'', '’', 's']),
            ) || self.has(&self.cfg.company_suffixes_en, offs[hi - 1].1)
            {
                continue;
            }
            // Any word that is itself a known non-person name (a company) makes this not a person.
            if offs[lo..hi]
                .iter()
                .any(|(_, w)| lex.lookup(w).iter().any(|x| x.etype != EntityType::Person))
            {
                continue;
            }
            let first_known = self.first_names.contains(offs[lo].1);
            let before: String = text[..s]
                .chars()
                .rev()
                .take(30)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after: String = text[e..].chars().take(30).collect();
            let b = before.trim_end().trim_end_matches(',').trim_end();
            let b_lower = crate::normalize::lower(b);
            let role_before = roles
                .iter()
                .any(|r| b.ends_with(r.as_str()) || b_lower.ends_with(crate::normalize::lower(r).as_ref()));
            let a = after.trim_start_matches([',', ' ']);
            // A role within the next few words of an apposition: `Parmy Olson, a technology columnist`.
            let apposition = after.trim_start().starts_with(',');
            let next_words: Vec<String> = a
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .filter(|w| !w.is_empty())
                .take(if apposition { 4 } else { 1 })
                .map(|w| w.to_lowercase())
                .collect();
            // `Meridian Arc's chief executive, Darren Koh`: the role belongs to someone the name employs.
            let possessive = after.starts_with("'s") || after.starts_with("’s");
            // `by` and `according to` introduce the next name, never qualify this one.
            let role_after = !possessive
                && (next_words.iter().any(|w| self.has(&self.cfg.person_nouns_en, w))
                    || roles
                        .iter()
                        .filter(|r| !["by", "according to"].contains(&r.as_str()))
                        .any(|r| a.starts_with(r.as_str())));
            // `Omri Geller and Ronen Dar`: a name listed with a person is a person.
            let listed = {
                let b = text[..s].trim_end();
                // `A, B, and C`: the Oxford comma too.
                let b = b
                    .strip_suffix("and")
                    .map(|b| b.trim_end().strip_suffix(',').unwrap_or(b))
                    .or_else(|| b.strip_suffix(','))
                    .map(str::trim_end);
                b.is_some_and(|b| {
                    b.ends_with(|c: char| c.is_alphabetic())
                        && (persons.ends_at(b.len())
                            || lex
                                .lookup(
                                    b.rsplit(|c: char| !c.is_alphanumeric() && c != ' ')
                                        .next()
                                        .unwrap_or(""),
                                )
                                .iter()
                                .any(|x| x.etype == EntityType::Person))
                })
            };
            if !(first_known || role_before || role_after || listed || titled || titled_inside) {
                pending.push((s, e));
                continue;
            }
            persons.push((s, e));
        }
        // `Omar Reyes, Lena Park, and Tom Baird`: a name listed next to a person is a person, in
        // either direction.
        loop {
            let before = persons.len();
            pending.retain(|&p| {
                if persons.listed_with(text, p) {
                    persons.push(p);
                    false
                } else {
                    true
                }
            });
            if persons.len() == before {
                break;
            }
        }
        for (s, e) in persons.list {
            let surface = &text[s..e];
            let canonical = lex
                .lookup(surface)
                .first()
                .map_or_else(|| surface.to_string(), |x| x.name.clone());
            out.push(mention(
                text,
                s,
                e,
                EntityType::Person,
                canonical,
                MentionSource::Pattern,
            ));
        }
    }

    fn companies(&self, ctx: &Context, lex: &Lexicon, out: &mut Vec<Mention>) {
        let text = ctx.text;
        // Legal names: 华控技术转移有限公司, 北京创新智源科技有限公司.
        for m in self.legal_suffix.find_iter(text) {
            let mut s = m.start();
            for (n, (i, c)) in text[..m.start()].char_indices().rev().enumerate() {
                if !(is_cjk(c) || c.is_ascii_alphanumeric())
                    || "的与和及是为在将向由对从把被让以等".contains(c)
                    || n >= 20
                {
                    break;
                }
                if text[..i + c.len_utf8()].ends_with("公司") && i + c.len_utf8() < m.start() {
                    break;
                }
                s = i;
            }
            if text[..s].ends_with('司') && text[s..].starts_with('司') {
                s += '司'.len_utf8();
            }
            if m.start() - s >= 6 {
                self.push_company(ctx, lex, s, m.end(), out);
            }
        }
        // Short suffixes after a name-like word: 百川智能, 衡图科技.
        let mut generic_at: Option<Vec<usize>> = None;
        let mut generic_use_of: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
        for m in self.short_suffix.find_iter(text) {
            // jieba may have made one unknown word of a new name and its suffix (`栖云智算`).
            let i = ctx.words.partition_point(|w| w.end <= m.start());
            let glued = ctx.words.get(i).filter(|w| {
                !w.known && w.start < m.start() && w.end == m.end() && text[w.start..m.start()].chars().count() >= 2
            });
            if glued.is_none()
                && ctx.word_starting_at(m.start()).is_none()
                && !text[..m.start()].ends_with(|c: char| c.is_ascii_alphanumeric())
            {
                continue;
            }
            let Some(start) = glued
                .map(|w| w.start)
                .or_else(|| self.company_stem_start(ctx, lex, m.start()))
            else {
                continue;
            };
            // `原星弧科技销售总监`: 原/前/现 (former, current) before a name the text also writes
            // without it says when, it is no part of the name.
            let start = self
                .time_prefix(&text[start..m.start()])
                .filter(|p| {
                    text[start..m.start()].chars().count() >= 3 && {
                        let bare = &text[start + p.len()..m.end()];
                        ctx.occurrences.of(bare).any(|i| !text[..i].ends_with(p))
                    }
                })
                .map_or(start, |p| start + p.len());
            let stem = &text[start..m.start()];
            // `GPU芯片`, `API导航`: an industry word after a Latin name names a thing.
            // And after ordinary words (`聊天机器人`, `重塑信息`): only a name jieba does not know, or
            // knows as a name, makes one.
            // Words are sorted and do not overlap: the ones inside the stem are one run of them, and
            // at most one word holds the suffix's start inside it.
            if self.cfg.company_industry_suffixes.iter().any(|x| x == m.as_str())
                && (!stem.chars().all(is_cjk)
                    || ctx.words[ctx.words.partition_point(|w| w.start < start)..]
                        .iter()
                        .take_while(|w| w.end <= m.start())
                        .any(|w| {
                            w.known
                                && !matches!(w.tag, "nt" | "nr" | "nrt" | "ns" | "j" | "nrfg")
                                && !(w.tag == "a" && w.end - w.start <= 3)
                        })
                    || ctx
                        .words
                        .get(ctx.words.partition_point(|w| w.end <= m.start()))
                        .is_some_and(|w| w.known && w.start < m.start() && m.start() < w.end))
            {
                continue;
            }
            // A description followed by 赛道/领域/公司 is no name (`具身智能赛道`). The generic words'
            // places are found once a document: only a name that ends right before one of them is
            // looked for through the text.
            let name = &text[start..m.end()];
            let generic = generic_at.get_or_insert_with(|| {
                GENERIC_AFTER_NAME
                    .find_overlapping_iter(text)
                    .map(|g| g.start())
                    .collect::<Vec<usize>>()
            });
            let generic_use = *generic_use_of.entry(name).or_insert_with(|| {
                generic.iter().any(|&g| text[..g].ends_with(name))
                    && ctx.occurrences.of(name).any(|i| {
                        let after = &text[i + name.len()..];
                        GENERIC_WORDS.iter().any(|g| after.starts_with(g))
                    })
            });
            if generic_use || self.company_generic.contains(stem) {
                continue;
            }
            self.push_company(ctx, lex, start, m.end(), out);
        }
        // A Latin name after a cue: 初创公司xAI, the startup Wiz.
        // `io, an AI device startup`, `Halcyon, the investment firm`: an apposition makes a company,
        // even of a name written in lower case.
        for c in self.company_apposition_en.captures_iter(text) {
            let g = c.get(1).unwrap();
            // The description ends with its sentence (`For ASML, the bet is strategic. The company…`).
            let description = &text[g.end()..c.get(0).unwrap().end()];
            if description.contains(". ") {
                continue;
            }
            // `Kaveh Nouri, the founder of robotics company Tallgrass`: the head of the description
            // is `founder`, a person; the company comes after `of`.
            if description.contains(" of ") {
                continue;
            }
            // A name never runs over the end of a sentence (`fund Brume Capital. Kaveh Nouri, …`).
            let (mut g_start, mut name) = match g.as_str().rfind(". ") {
                Some(i) => (g.start() + i + 2, &g.as_str()[i + 2..]),
                None => (g.start(), g.as_str()),
            };
            // `used by Zhenyuan Intelligence, a … startup`: lower-case words before a capitalised
            // name are no part of it.
            while name.starts_with(|c: char| c.is_ascii_lowercase())
                && let Some(sp) = name.find(' ')
                && name[sp + 1..].starts_with(|c: char| c.is_ascii_uppercase())
            {
                g_start += sp + 1;
                name = &name[sp + 1..];
            }
            let name = name.trim_end_matches(['.', '-']);
            // `In June, the young company`: words that are no names make none.
            if name.split(' ').all(|w| self.name_stop_en.contains(w)) {
                continue;
            }
            let before = text[..g_start].trim_end();
            let opens_sentence = before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':', '"', '“']);
            let lower = name.starts_with(|c: char| c.is_ascii_lowercase());
            if name.len() < 2
                || self.name_stop_en.contains(name)
                || opens_sentence && !name.contains(' ') && lex.lookup(name).is_empty()
                || lower
                    && (name.len() > 6
                        || self.cfg.common_words_en.iter().any(|w| w == name)
                        // `time, the company said`: a lower-case name needs an indefinite article.
                        || !text[g.end()..].trim_start_matches([',', ' ']).starts_with('a'))
            {
                continue;
            }
            self.push_company(ctx, lex, g_start, g_start + name.len(), out);
        }
        self.cued_chinese_companies(ctx, lex, out);
        // `由栖川资本领投`: an investor's name before an investing verb, whatever jieba made of it
        // (`栖|川资|本领|投`).
        for c in INVESTOR_BEFORE_VERB.captures_iter(text) {
            let g = c.get(1).unwrap();
            let stem = &g.as_str()[..g.as_str().len() - c.get(2).unwrap().as_str().len()];
            if !self.company_generic.contains(stem) && !stem.starts_with(['由', '本', '该', '这', '一']) {
                self.push_company_at(ctx, lex, g.start(), g.end(), out);
            }
        }
        // `Meridian Arc's chief executive, Darren Koh`: what has a chief executive is a company.
        for c in COMPANY_POSSESSIVE_ROLE.captures_iter(text) {
            let g = c.get(1).unwrap();
            let words: Vec<&str> = g.as_str().split(' ').collect();
            let before = text[..g.start()].trim_end();
            let opens_sentence = before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':', '"', '“']);
            if words.iter().any(|w| self.name_stop_en.contains(*w))
                || self.first_names.contains(words[0])
                || lex.lookup(g.as_str()).iter().any(|x| x.etype == EntityType::Person)
                || (opens_sentence && words.len() == 1 && lex.lookup(g.as_str()).is_empty())
                // `Orrery's CEO` after `Orrery Labs`: a short form, which the full name's entity takes.
                || ctx.occurrences.of(g.as_str()).any(|i| {
                    let rest = &text[i + g.len()..];
                    rest.starts_with(' ') && rest[1..].starts_with(|c: char| c.is_ascii_uppercase())
                })
            {
                continue;
            }
            self.push_company(ctx, lex, g.start(), g.end(), out);
        }
        for re in [&self.company_cue_zh, &self.company_cue_en] {
            for c in re.captures_iter(text) {
                let g = c.get(1).unwrap();
                let name = g.as_str().trim_end_matches(['.', '-']);
                // `公司CTO`: a title, not a company's name.
                if name.len() < 2
                    || self.name_stop_en.contains(name) && lex.lookup(name).is_empty()
                    || self.has(&self.cfg.titles_en, name)
                    || self.has(&self.cfg.person_roles, name)
                {
                    continue;
                }
                self.push_company(ctx, lex, g.start(), g.start() + name.len(), out);
            }
        }
        // English suffixes: Inflection AI, Fernwood Labs, Wiz Inc.
        for c in self.company_en.captures_iter(text) {
            let whole = c.get(0).unwrap();
            let stem = c.get(1).unwrap();
            let mut s = stem.start();
            // `Japan's SoftBank Group`, `Meta's AI push`: a name starts after a possessive.
            if let Some(p) = ["'s ", "’s "]
                .iter()
                .filter_map(|p| stem.as_str().rfind(p).map(|i| i + p.len()))
                .max()
            {
                s += p;
            }
            for w in text[s..stem.end()].split_whitespace() {
                // `Paris-based Mistral AI`: a place adjective before a name is no part of it.
                if self.name_stop_en.contains(w) && lex.lookup(w).is_empty() || w.ends_with("-based") {
                    s = text[s..].find(w).map(|i| s + i + w.len()).unwrap_or(s);
                    s += text[s..].len() - text[s..].trim_start().len();
                } else {
                    break;
                }
            }
            // `Meta's AI push`: a possessive before the suffix makes it a common noun, not a name.
            if s >= stem.end() || stem.as_str().ends_with("'s") || stem.as_str().ends_with("’s") {
                continue;
            }
            let e = whole.end();
            let e = if text[..e].ends_with(' ') { e - 1 } else { e };
            // `NVIDIA Instant AI Factory`: a suffix followed by another capitalised word is inside a longer name.
            if text[e..]
                .strip_prefix(' ')
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
            {
                continue;
            }
            self.push_company(ctx, lex, s, e, out);
        }
    }

    /// Units of a company, named by a name and a unit word (`AI Infra部`, `数据计算平台部`,
    /// `基础模型团队`, `the Google Assistant division`). A unit right after its company
    /// (`腾讯AI Lab`, `苹果的基础模型团队`, `Google's Devices and Services division`) or named after it
    /// (`Google Assistant division`) records the company as its `parent`.
    fn units(&self, ctx: &Context, lex: &Lexicon, out: &mut Vec<Mention>) {
        let text = ctx.text;
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut index = NameIndex::new(out);
        for m in self.unit_zh.find_iter(text) {
            let (suffix_at, end) = (m.start(), m.end());
            // `部` ends many words (内部, 总部, 俱乐部): the unit word must end a word and be no longer word's tail.
            if ctx.splits_word(end, (end, end)) || text[end..].starts_with(|c: char| "门长分队落署位件".contains(c))
            {
                continue;
            }
            let before = &text[..suffix_at];
            let latin = before.trim_end_matches(' ');
            let start = if latin.ends_with(|c: char| c.is_ascii_alphanumeric()) {
                // A Latin name: capitalised words or acronyms (`AI Infra`, `Flow`), at most four.
                let tail_len = latin
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
                    .map(char::len_utf8)
                    .sum::<usize>();
                let run = &latin[latin.len() - tail_len..];
                let words: Vec<&str> = run.split(' ').filter(|w| !w.is_empty()).collect();
                let keep = words
                    .iter()
                    .rev()
                    .take(4)
                    .take_while(|w| w.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit()))
                    .count();
                if keep == 0
                    || words[words.len() - keep..]
                        .iter()
                        .all(|w| self.unit_generic.contains(*w))
                {
                    continue;
                }
                let first = words[words.len() - keep];
                let st = latin.len() - tail_len + run.rfind(&words[words.len() - keep..].join(" ")).unwrap_or(0);
                debug_assert!(text[st..].starts_with(first));
                st
            } else {
                let Some(st) = self.unit_stem_start(ctx, suffix_at, out, &index) else {
                    continue;
                };
                // `原智能云事业群总裁`: `原` (former) says when, it is no part of the unit's name.
                self.time_prefix(&text[st..suffix_at])
                    .filter(|_| text[st..suffix_at].chars().count() > 3)
                    .map_or(st, |p| st + p.len())
            };
            let stem = text[start..suffix_at].trim();
            // A known company with a unit word after it is that company (`RealityLabs部门`).
            if lex.lookup(stem).iter().any(|x| x.etype == EntityType::Company) {
                continue;
            }
            found.push((start, end));
        }
        for c in self.unit_en.captures_iter(text) {
            let run = c.get(1).unwrap();
            let words: Vec<&str> = run.as_str().split_whitespace().collect();
            // `The Google Assistant division` starts at `Google`.
            let skip: usize = words
                .iter()
                .take_while(|w| self.name_stop_en.contains(**w))
                .map(|w| w.len() + 1)
                .sum();
            let start = run.start() + skip.min(run.len());
            let stem = text[start..run.end()].trim();
            if stem.is_empty()
                || lex.lookup(stem).iter().any(|x| x.etype == EntityType::Company)
                || stem.split_whitespace().all(|w| self.name_stop_en.contains(w))
            {
                continue;
            }
            found.push((start, c.get(0).unwrap().end()));
        }
        for (s, e) in found {
            let surface = text[s..e].to_string();
            let mut m = mention(text, s, e, EntityType::Company, surface.clone(), MentionSource::Pattern);
            // The company the unit belongs to: right before it (`腾讯`, `苹果的`, `Google's`), or
            // opening its name (`Google Assistant division`).
            let b = text[..s].trim_end();
            let b = self
                .cfg
                .unit_possessives
                .iter()
                .find_map(|w| b.strip_suffix(w.as_str()))
                .unwrap_or(b)
                .trim_end();
            let owner = |t: EntityType| {
                index
                    .ending_at(b.len())
                    .map(|i| &out[i])
                    .find(|n| n.etype == t && n.end <= s)
                    .or_else(|| {
                        index
                            .starting_at(s)
                            .map(|i| &out[i])
                            .find(|n| n.etype == t && n.end < e)
                    })
            };
            // A university's lab is an organisation, not a company.
            if owner(EntityType::Organization).is_some() {
                m.etype = EntityType::Organization;
            }
            let parent = owner(m.etype).map(|n| n.canonical.clone());
            if let Some(p) = parent
                && p != surface
            {
                m.attributes.insert("parent".into(), p);
            }
            index.add(out.len(), m.start, m.end);
            out.push(m);
        }
    }

    /// Where a Chinese unit's name begins before its unit word: at least three characters of
    /// name-like words, not all of them generic (`研发团队` is no name).
    fn unit_stem_start(&self, ctx: &Context, suffix_at: usize, names: &[Mention], index: &NameIndex) -> Option<usize> {
        let text = ctx.text;
        let mut start = suffix_at;
        let mut chars = 0;
        let mut named = false;
        // jieba may have glued the unit word to its name (`平台部`): the glued part counts first.
        let i = ctx.words.partition_point(|w| w.end <= suffix_at);
        if let Some(w) = ctx.words.get(i)
            && w.start < suffix_at
            && suffix_at < w.end
        {
            let part = &text[w.start..suffix_at];
            // `内部`, `总部`, `分部`: a word the dictionary knows, not a name with its unit word.
            if !part.chars().all(is_cjk) || w.known && w.end - w.start <= 6 {
                return None;
            }
            named |= !self.unit_generic.contains(part);
            chars += part.chars().count();
            start = w.start;
        }
        while let Some(wi) = ctx.word_ending_at(start) {
            let w = &ctx.words[wi];
            let word = &text[w.start..w.end];
            let n = word.chars().count();
            let function = matches!(
                w.tag,
                "p" | "c" | "u" | "uj" | "ul" | "d" | "r" | "m" | "q" | "f" | "t" | "ad" | "a"
            ) && !(w.tag == "a" && n == 1 && chars >= 2);
            // A verb may stand inside a unit's name (`数据计算平台部`) but not begin it (`负责研发部`).
            let verb = w.tag == "v";
            if !word.chars().all(is_cjk)
                || word.chars().any(|c| "一二三四五六七八九十百千几两多".contains(c))
                || chars + n > 8
                || function
                || word.starts_with(|c: char| "的了是在和与及等由被向将把对从于为".contains(c))
                || verb
                    && (start == suffix_at
                        || ctx
                            .word_ending_at(w.start)
                            .is_none_or(|p| !matches!(ctx.words[p].tag, "n" | "vn" | "nz")))
                || index.ending_at(w.end).any(|i| names[i].start <= w.start)
            {
                break;
            }
            named |= !self.unit_generic.contains(word);
            start = w.start;
            chars += n;
        }
        (chars >= 3 && named).then_some(start)
    }

    /// Where the name before a company suffix begins: up to four Chinese characters of
    /// name-like words (`衡图` in `初创公司衡图科技`), or a Latin word; none for descriptions.
    fn company_stem_start(&self, ctx: &Context, lex: &Lexicon, suffix_at: usize) -> Option<usize> {
        let text = ctx.text;
        if text[..suffix_at].ends_with(|c: char| c.is_ascii_alphanumeric()) {
            let start = text[..suffix_at]
                .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '-')
                .len();
            let latin = &text[start..suffix_at];
            return (latin.len() >= 2 && !text[..start].ends_with(|c: char| c.is_ascii_alphanumeric()))
                .then_some(start);
        }
        let mut start = suffix_at;
        let mut chars = 0;
        let mut name_like = false;
        while let Some(wi) = ctx.word_ending_at(start) {
            let w = &ctx.words[wi];
            let word = &text[w.start..w.end];
            let n = word.chars().count();
            // A one-character adjective may open a new name (`远岫机器人`).
            let function = w.known
                && matches!(
                    w.tag,
                    "v" | "p" | "c" | "u" | "uj" | "ul" | "d" | "r" | "m" | "q" | "f" | "t" | "ad" | "vn" | "a"
                )
                && !(w.tag == "a" && n == 1 && chars >= 1);
            let known = lex.lookup(word).iter().any(|x| x.etype == EntityType::Company);
            // A city before a long name is the name's own (`杭州城投产业基金`); it ends the walk.
            let place = chars >= 2
                && chars + n > 4
                && word.chars().all(is_cjk)
                && (w.tag == "ns" || lex.lookup(word).iter().any(|x| x.etype == EntityType::Place));
            if place {
                start = w.start;
                break;
            }
            if !word.chars().all(is_cjk)
                || chars + n > 4
                || self.company_generic.contains(word)
                || ["公司", "企业", "初创", "创业", "旗下", "子公司", "老股东", "新股东"].contains(&word)
                || self.cfg.person_roles.iter().any(|r| r == word)
                || (function && !known)
                || word.starts_with(|c: char| {
                    "由被向与和在对从将把给为让据及的了是新非一多各该这本此某其每全超首两几".contains(c)
                })
            {
                // jieba may glue a preposition to an unknown name (`由青|梧资本`): the rest is the name's.
                let first = word.chars().next().map_or(0, char::len_utf8);
                if !w.known && n >= 2 && "由被向与和在对从将把给为让据及的了是".contains(&word[..first])
                {
                    start = w.start + first;
                    chars += n - 1;
                    name_like = true;
                }
                break;
            }
            start = w.start;
            chars += n;
            name_like |= !w.known || known || matches!(w.tag, "nz" | "nt" | "nr" | "nrt" | "ns" | "j" | "nrfg");
        }
        // jieba may glue a verb to an unknown name (`加盟星河|科技`): the verb is not the name's.
        if let Some(v) = self
            .cfg
            .speech_verbs
            .iter()
            .filter(|v| v.chars().count() >= 2)
            .find(|v| text[start..suffix_at].starts_with(v.as_str()) && text[start..suffix_at].len() > v.len())
        {
            start += v.len();
        }
        // After `创业公司`, `旗下`, … any word may be a name (`创业公司灵枢智能`).
        let cue_before = self
            .cfg
            .company_cues_before
            .iter()
            .any(|c| text[..start].ends_with(c.as_str()));
        // An ordinary word with a suffix is a name when the name acts (`星河科技宣布…`) or recurs.
        let name = &text[start..suffix_at];
        let suffix_end = text[suffix_at..]
            .char_indices()
            .nth(2)
            .map_or(text.len(), |(i, _)| suffix_at + i);
        let acts = || {
            let after = text[suffix_end.min(text.len())..].trim_start();
            self.cfg
                .company_verbs_after
                .iter()
                .any(|v| after.starts_with(v.as_str()))
        };
        let recurs = || chars >= 2 && ctx.occurrences.recurs(&text[start..suffix_end.min(text.len())]);
        (chars >= 2 && (name_like || cue_before || !name.is_empty() && (acts() || recurs()))).then_some(start)
    }

    /// A new Chinese name after a word that makes it a company (`AI视频初创公司帧率无限`,
    /// `大模型公司「砚川科技」`). Unquoted, the name runs to the next stop word, verb or mark, and must
    /// recur in the text, act (`衡芯纪元正式…`) or hold a word jieba does not know.
    fn cued_chinese_companies(&self, ctx: &Context, lex: &Lexicon, out: &mut Vec<Mention>) {
        let text = ctx.text;
        for c in self.company_cue_han.captures_iter(text) {
            if let Some(q) = c.get(1) {
                let name = q.as_str().trim();
                if name.chars().count() >= 2 && !self.company_generic.contains(name) {
                    self.push_company(ctx, lex, q.start(), q.end(), out);
                }
                continue;
            }
            let Some(g) = c.get(2) else { continue };
            let from = g.start();
            let run = g.as_str();
            // Cut the run at the first stop: a function word, a verb, a role.
            let end = self.company_run_stops.find(run).map_or(run.len(), |m| m.start());
            let name = &run[..end];
            let e = from + end;
            if name.chars().count() < 2
                || self.company_generic.contains(name)
                || ctx.word_starting_at(e).is_none() && e < text.len() && !super::inside_unknown_words(ctx, from, e)
            {
                continue;
            }
            let first = ctx.words.partition_point(|w| w.start < from);
            let words: Vec<_> = ctx.words[first..].iter().take_while(|w| w.end <= e).collect();
            // One ordinary word is a description (`初创公司数量`, `对手估值`), not a name.
            if words.len() == 1
                && words[0].known
                && !matches!(words[0].tag, "nz" | "nt" | "nr" | "nrt" | "ns" | "j" | "nrfg")
            {
                continue;
            }
            let after = &text[e..];
            let acts = self
                .cfg
                .company_verbs_after
                .iter()
                .any(|v| after.starts_with(v.as_str()))
                || after.starts_with(['，', '。', '、', ',', '；', '）', ')'])
                || after.is_empty();
            let recurs = ctx.occurrences.recurs(name);
            let unknown = words.iter().any(|w| !w.known) || words.is_empty();
            if recurs || (acts && unknown) {
                self.push_company(ctx, lex, from, e, out);
            }
        }
        // `对手是同样成立于2024年的「章鱼账房」`: a name in corner brackets with a company word
        // before it in its clause.
        for (i, _) in text.match_indices('「') {
            let from = i + '「'.len_utf8();
            let Some(len) = text[from..].find('」') else { continue };
            let name = &text[from..from + len];
            let n = name.chars().count();
            if !(2..=12).contains(&n) || name.contains(['，', '。', '\n']) {
                continue;
            }
            let clause_start = text[..i]
                .char_indices()
                .rev()
                .find(|(_, c)| "，。；\n！？".contains(*c))
                .map_or(0, |(k, c)| k + c.len_utf8());
            let before = &text[clause_start..i];
            if self
                .cfg
                .company_cues_han
                .iter()
                .chain(["公司".to_string(), "企业".to_string()].iter())
                .any(|c| before.contains(c.as_str()))
            {
                self.push_company(ctx, lex, from, from + len, out);
            }
        }
    }

    fn push_company(&self, ctx: &Context, lex: &Lexicon, s: usize, e: usize, out: &mut Vec<Mention>) {
        if s >= e || !(at_boundaries(ctx, s, e) || super::inside_unknown_words(ctx, s, e)) {
            return;
        }
        self.push_company_at(ctx, lex, s, e, out);
    }

    /// As `push_company`, for spans whose edges a pattern fixed whatever jieba's words say.
    fn push_company_at(&self, ctx: &Context, lex: &Lexicon, s: usize, e: usize, out: &mut Vec<Mention>) {
        if s >= e {
            return;
        }
        let surface = &ctx.text[s..e];
        let known = lex.lookup(surface);
        if let Some(x) = known.first() {
            out.push(mention(ctx.text, s, e, x.etype, x.name.clone(), MentionSource::Pattern));
            return;
        }
        // `谷歌公司`, `阿里巴巴集团`, `Meta Platforms Inc.`: a known company's name with a suffix is that company.
        for suf in self
            .cfg
            .company_suffixes
            .iter()
            .chain(["公司".to_string()].iter())
            .chain(self.cfg.company_legal_suffixes_en.iter())
        {
            if let Some(stem) = surface.strip_suffix(suf.as_str())
                && let Some(x) = lex.lookup(stem).into_iter().find(|x| x.etype == EntityType::Company)
            {
                out.push(mention(
                    ctx.text,
                    s,
                    e,
                    EntityType::Company,
                    x.name.clone(),
                    MentionSource::Pattern,
                ));
                return;
            }
        }
        out.push(mention(
            ctx.text,
            s,
            e,
            EntityType::Company,
            surface.to_string(),
            MentionSource::Pattern,
        ));
    }
}

fn normalise_dots(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if matches!(c, '•' | '・' | '‧' | '∙') {
                '·'
            } else {
                c
            }
        })
        .collect()
}

/// The marks that list English names (`A, B`, `A and B`, `A & B`).
const LIST_MARKS_EN: [&str; 7] = [",", "and", ", and", ",and", "&", "or", ", or"];

/// Spans of names found so far, in the order found, indexed by where each ends and starts: the
/// rules ask "does a name end here" and "is a name listed next to this one" of every candidate.
#[derive(Default)]
struct Spans {
    list: Vec<(usize, usize)>,
    index: NameIndex,
}

impl Spans {
    fn push(&mut self, (s, e): (usize, usize)) {
        self.index.add(self.list.len(), s, e);
        self.list.push((s, e));
    }

    fn len(&self) -> usize {
        self.list.len()
    }

    fn ends_at(&self, end: usize) -> bool {
        self.index.ending_at(end).next().is_some()
    }

    /// Whether a span is listed with `(s, e)`: only a list mark (`,`, `and`, `&`, `or`), with any
    /// white space around it, stands between them.
    fn listed_with(&self, text: &str, (s, e): (usize, usize)) -> bool {
        let listed =
            |x: (usize, usize), y: (usize, usize)| x.1 <= y.0 && LIST_MARKS_EN.contains(&text[x.1..y.0].trim());
        // Before: white space, a mark, white space; a span ending anywhere in the first white
        // space run may be listed.
        let inner = text[..s].trim_end().len();
        for mark in LIST_MARKS_EN {
            if let Some(b) = text[..inner].strip_suffix(mark)
                && self
                    .index
                    .ending_in(b.trim_end().len(), b.len())
                    .any(|i| listed(self.list[i], (s, e)))
            {
                return true;
            }
        }
        let inner = text.len() - text[e..].trim_start().len();
        for mark in LIST_MARKS_EN {
            if text[inner..].starts_with(mark) {
                let from = inner + mark.len();
                let to = text.len() - text[from..].trim_start().len();
                if self
                    .index
                    .starting_in(from, to)
                    .into_iter()
                    .any(|i| listed((s, e), self.list[i]))
                {
                    return true;
                }
            }
        }
        false
    }
}

pub(crate) fn mention(
    text: &str,
    s: usize,
    e: usize,
    etype: EntityType,
    canonical: String,
    source: MentionSource,
) -> Mention {
    Mention {
        start: s,
        end: e,
        surface: text[s..e].to_string(),
        etype,
        canonical,
        source,
        participants: Vec::new(),
        attributes: BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Recognizer;
    use super::*;
    use crate::source::make_document;

    #[test]
    fn english_words_are_the_expression_s_matches() {
        let re = Regex::new(r"[A-Za-z0-9&'’\-]+\.?").unwrap();
        let texts = [
            "",
            "Meridian Arc Technologies Inc. said",
            "谷歌的Gemini 2.0和OpenAI’s o3-mini，AT&T.",
            "rock’n’roll--ok...X.",
            "’’ ‘a’ “b” Ünïcode café",
            "a.b. c-d. e'f. 1.5B 第3季度.",
            ".-.",
        ];
        for t in texts {
            let want: Vec<(usize, usize)> = re.find_iter(t).map(|m| (m.start(), m.end())).collect();
            assert_eq!(english_words(t), want, "{t}");
        }
        // And strings made at random of the characters that matter.
        let pieces = [
            "a", "Z", "9", "&", "'", "’", "‘", "-", ".", " ", "中", "é", "\u{2018}", "—",
        ];
        let mut x: u64 = 1;
        for _ in 0..2000 {
            let mut t = String::new();
            for _ in 0..12 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                t.push_str(pieces[(x >> 33) as usize % pieces.len()]);
            }
            let want: Vec<(usize, usize)> = re.find_iter(&t).map(|m| (m.start(), m.end())).collect();
            assert_eq!(english_words(&t), want, "{t}");
        }
    }

    fn found(text: &str) -> Vec<(String, EntityType)> {
        let mut lex = Lexicon::new();
        lex.load_tsv("华尔街日报\tmedia\tWall Street Journal\t\t\n".as_bytes(), "t")
            .unwrap();
        let r = Recognizer::new(lex, PatternConfig::embedded());
        let d = make_document("t".into(), text.into(), None, None, None);
        r.recognise(&d).into_iter().map(|m| (m.surface, m.etype)).collect()
    }

    #[test]
    fn gathering_triggers_are_found_where_match_indices_finds_them() {
        let mut cfg = PatternConfig::embedded();
        cfg.event_gatherings = ["大会", "aa", "Summit", "a", "开发者大会", "", "会"]
            .map(String::from)
            .to_vec();
        let p = Patterns::new(cfg.clone());
        for text in [
            "aaaaa 开发者大会大会 Summit Summitaa",
            "",
            "会会会",
            "全球开发者大会开幕",
        ] {
            let mut want: Vec<&String> = cfg.event_gatherings.iter().collect();
            want.sort_by_key(|t| std::cmp::Reverse(t.len()));
            let want: Vec<(&str, Vec<usize>)> = want
                .into_iter()
                .map(|t| (t.as_str(), text.match_indices(t.as_str()).map(|(i, _)| i).collect()))
                .collect();
            assert_eq!(p.gathering_triggers(text), want, "{text}");
        }
    }

    #[test]
    fn titles_are_books_unless_media() {
        let f = found("据《华尔街日报》报道，《深度学习革命》讲述了历史；《科技日报》也提到了。");
        assert!(f.contains(&("深度学习革命".into(), EntityType::Book)), "{f:?}");
        assert!(f.contains(&("华尔街日报".into(), EntityType::Media)), "{f:?}");
        assert!(f.contains(&("科技日报".into(), EntityType::Media)), "{f:?}");
    }

    #[test]
    fn model_versions_by_shape() {
        let f = found("它发布了Qwen2-72B-Instruct和GPT-4o，还有DeepSeek-V3与Llama 3.1。");
        for m in ["Qwen2-72B-Instruct", "GPT-4o", "DeepSeek-V3", "Llama 3.1"] {
            assert!(f.contains(&(m.into(), EntityType::Model)), "{m}: {f:?}");
        }
    }

    #[test]
    fn chinese_people_by_role_and_speech() {
        let f = found("创始人兼CEO陈启航表示，公司将扩张。王小川说，进度很快。");
        assert!(f.contains(&("陈启航".into(), EntityType::Person)), "{f:?}");
        assert!(f.contains(&("王小川".into(), EntityType::Person)), "{f:?}");
        assert!(!f.iter().any(|x| x.0 == "公司将"), "{f:?}");
    }

    #[test]
    fn english_people_and_companies() {
        let f = found("Fernwood Labs was founded by Priya Raman, a former researcher. The startup Wiz agreed.");
        assert!(f.contains(&("Fernwood Labs".into(), EntityType::Company)), "{f:?}");
        assert!(f.contains(&("Priya Raman".into(), EntityType::Person)), "{f:?}");
        assert!(f.contains(&("Wiz".into(), EntityType::Company)), "{f:?}");
    }

    #[test]
    fn an_apposition_makes_a_company_even_in_lower_case() {
        let f = found("Halcyon is buying vellum, an AI note-taking startup, for $90 million. Later vellum grew.");
        assert_eq!(
            f.iter()
                .filter(|x| x.0 == "vellum" && x.1 == EntityType::Company)
                .count(),
            2,
            "{f:?}"
        );
        let f = found("Today, the company said so. Separately, the firm agreed.");
        assert!(!f.iter().any(|x| x.1 == EntityType::Company), "{f:?}");
    }

    #[test]
    fn transliterated_names_with_a_chinese_surname_and_adverbs_before_verbs() {
        let f = found("Scale AI创始人亚历山大·王加入Meta。刘明宏则担任部门负责人。");
        assert!(f.contains(&("亚历山大·王".into(), EntityType::Person)), "{f:?}");
        assert!(f.contains(&("刘明宏".into(), EntityType::Person)), "{f:?}");
        let f = found("庞明远的高调离职引发关注。");
        assert!(!f.iter().any(|x| x.0 == "高调"), "{f:?}");
    }

    #[test]
    fn new_names_by_shape_and_industry_word() {
        let f = found(
            "栖云智算发布了新一代大模型栖云-3，性能超过栖云-2。Pleadwise said its drafting model Writ-2 beats Writ-1.",
        );
        for m in ["栖云-3", "栖云-2", "Writ-2", "Writ-1"] {
            assert!(f.contains(&(m.into(), EntityType::Model)), "{m}: {f:?}");
        }
        assert!(f.contains(&("栖云智算".into(), EntityType::Company)), "{f:?}");
        let f = found("公司采购了GPU芯片，并上线了API导航和聊天机器人。F-35战机不是模型。");
        assert!(
            !f.iter().any(|x| x.1 == EntityType::Company || x.1 == EntityType::Model),
            "{f:?}"
        );
    }

    #[test]
    fn given_names_from_many_languages_make_people() {
        let f = found("Lena Marsh joins from Intel. Marek Novak said the deal closed.");
        assert!(f.contains(&("Lena Marsh".into(), EntityType::Person)), "{f:?}");
        assert!(f.contains(&("Marek Novak".into(), EntityType::Person)), "{f:?}");
    }

    #[test]
    fn legal_company_names() {
        let f = found("清华大学全资子公司华控技术转移有限公司共同发起");
        assert!(
            f.contains(&("华控技术转移有限公司".into(), EntityType::Company)),
            "{f:?}"
        );
    }
}
