//! The relation cue tables (`data/rules/relations.toml`): parsing and checking.

use crate::model::{EntityType, RelationType};
use serde::Deserialize;

/// The embedded cue tables.
pub const EMBEDDED_RULES: &str = include_str!("../../data/rules/relations.toml");

/// The embedded event classes and frames.
pub const EMBEDDED_EVENTS: &str = include_str!("../../data/rules/events.toml");

/// A bad rules file.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct RuleError {
    /// The file.
    pub file: String,
    /// What is wrong (with the line, where the parser knows it).
    pub message: String,
}

/// One element of a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// The head slot.
    Head,
    /// The tail slot.
    Tail,
    /// A list of two or more entities, related pairwise (symmetric relations).
    List,
    /// The cue.
    Cue,
    /// A word that must stand there.
    Lit(String),
    /// `^`: the start of the clause (only spaces and marks before this point).
    ClauseStart,
    /// `!H`: no name of a head type earlier in the clause (the clause has no subject of its own).
    NoHeadBefore,
    /// `!T`: no name of a tail type (or unknown capitalised name) just before (a role named without its company).
    NoTailBefore,
}

/// Where a rule looks for its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The clause of the cue.
    Clause,
    /// The sentence of the cue.
    Sentence,
}

/// Which language a rule's cues are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CueLang {
    /// Chinese: cues match anywhere outside names.
    Zh,
    /// English: cues match whole words.
    En,
    /// Either.
    Any,
}

/// Where to find an argument the frame did not fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fallback {
    /// Nothing: the rule does not fire.
    None,
    /// The nearest entity of the right type before the cue, up to three sentences back.
    Recent,
    /// The document's most mentioned entity of the right type.
    Topic,
    /// The first entity of the right type in the sentence, before the cue: a clause without its
    /// own subject shares the sentence's (`华为云首次披露了…，不仅发布盘古大模型 3.0`).
    Subject,
    /// The nearest company before the cue whose clause speaks of raising money (`Genspark完成了种子轮融资，
    /// 由真格基金领投`), else the document's main one.
    Raiser,
    /// The company that opens the sentence (`百川智能宣布，联合创始人、总裁X卸任`), else the
    /// document's main one.
    Employer,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    negations: Vec<String>,
    #[serde(default)]
    hypotheticals: Vec<String>,
    #[serde(default)]
    class: Vec<crate::event::EventClass>,
    #[serde(default)]
    words: Words,
    #[serde(default)]
    rule: Vec<RawRule>,
}

/// Word lists the rules' code consults (the `[words]` table of a rules file); lists from several
/// files are concatenated.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Words {
    /// Later in a sentence, these take its statement back (`…，但随后否认了这一消息`).
    pub denials_after: Vec<String>,
    /// Words that make text speak of a funding round (`融资`, `round`).
    pub round_words: Vec<String>,
    /// Titles after a company's name that make the company a person's employer, not a subject
    /// (`LinkedIn co-founder Reid Hoffman`).
    pub titles_after_company: Vec<String>,
    /// Words before a number that make it a sum of several events (`合计`, `a total of`).
    pub sum_words: Vec<String>,
    /// Nouns that, in `the … company`, name a relation rather than point back (`the parent company`).
    pub relational_nouns: Vec<String>,
    /// Capitalised English words that are no names: an English object may stand after them.
    pub capitalised_plain: Vec<String>,
    /// Words right after a company that make it an investor of a round, not the company that
    /// raised it (`ASML led the round`, `红杉中国领投`).
    pub investor_words_after: Vec<String>,
    /// Words right before a name that make it an object, not its sentence's subject (`在商汤工作`).
    pub prepositions: Vec<String>,
    /// Endings of a unit's name (`大模型平台部`, `AI Lab`): a part of a company, never the company
    /// a text is about.
    pub unit_endings: Vec<String>,
    /// Words between a company and a post that keep the post the company's (`美团的CEO`, `OpenAI's
    /// chief executive`); any other name-like words make it a post of a part of it.
    pub leads_gap: Vec<String>,
    /// Job titles of people who are no founders (`大疆工程师A`): the company before one is an
    /// employer.
    pub person_titles: Vec<String>,
    /// English verbs of speech: `X said it …` makes `it` X.
    pub speech_verbs_en: Vec<String>,
    /// Words that join a name and a pronoun: in `X及其产品`, `X and its`, the pronoun is X.
    pub coordinators: Vec<String>,
    /// Marks that end what a `rest` rule takes after its cue, unless a coordinator follows.
    pub rest_stops: Vec<String>,
    /// Words a frame may put before a slot to join it to the other party (`H 与 T C`): the name
    /// before such a word is never one more of the slot's list.
    pub frame_joiners: Vec<String>,
    /// Words right before a company that make it a person's former employer (`原英伟达销售总监`).
    pub former_words: Vec<String>,
}

impl Words {
    fn extend(&mut self, o: Words) {
        self.denials_after.extend(o.denials_after);
        self.round_words.extend(o.round_words);
        self.titles_after_company.extend(o.titles_after_company);
        self.sum_words.extend(o.sum_words);
        self.relational_nouns.extend(o.relational_nouns);
        self.capitalised_plain.extend(o.capitalised_plain);
        self.investor_words_after.extend(o.investor_words_after);
        self.prepositions.extend(o.prepositions);
        self.unit_endings.extend(o.unit_endings);
        self.leads_gap.extend(o.leads_gap);
        self.person_titles.extend(o.person_titles);
        self.speech_verbs_en.extend(o.speech_verbs_en);
        self.coordinators.extend(o.coordinators);
        self.rest_stops.extend(o.rest_stops);
        self.frame_joiners.extend(o.frame_joiners);
        self.former_words.extend(o.former_words);
    }

    /// True when a name ends as a unit's does (`大模型平台部`).
    pub fn is_unit_name(&self, name: &str) -> bool {
        self.unit_endings.iter().any(|u| name.ends_with(u.as_str()))
    }

    /// True when `text` (any case) holds a round word.
    pub fn is_round_text(&self, text: &str) -> bool {
        let t = text.to_lowercase();
        self.round_words.iter().any(|w| t.contains(w.as_str()))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    relation: Option<String>,
    event: Option<String>,
    cues: Vec<String>,
    head: Vec<String>,
    tail: Vec<String>,
    frames: Vec<String>,
    scope: Option<Scope>,
    max_gap: Option<usize>,
    gap_after: Option<usize>,
    lang: Option<CueLang>,
    head_fallback: Option<Fallback>,
    tail_fallback: Option<Fallback>,
    #[serde(default)]
    context: Vec<String>,
    lists: Option<bool>,
    #[serde(default)]
    not_after: Vec<String>,
    #[serde(default)]
    not_before: Vec<String>,
    #[serde(default)]
    followed_by: Vec<String>,
    #[serde(default)]
    rest: bool,
}

/// One checked rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The relation it gives (head → tail), if any.
    pub relation: Option<RelationType>,
    /// The event class (an id of `[[class]]`) each match is a mention of, if any: the head and tail
    /// are its participants.
    pub event: Option<String>,
    /// Cue words, longest first.
    pub cues: Vec<String>,
    /// Types allowed at the head.
    pub head: Vec<EntityType>,
    /// Types allowed at the tail.
    pub tail: Vec<EntityType>,
    /// Frames, in order of preference.
    pub frames: Vec<Vec<Tok>>,
    /// Clause or sentence.
    pub scope: Scope,
    /// Most characters between neighbouring parts of a frame.
    pub max_gap: usize,
    /// Most characters between the cue and the part right after it, when tighter than `max_gap`.
    pub gap_after: Option<usize>,
    /// Language of the cues.
    pub lang: CueLang,
    /// Where to find a missing head.
    pub head_fallback: Fallback,
    /// Where to find a missing tail.
    pub tail_fallback: Fallback,
    /// Words one of which must appear in this sentence or the one before.
    pub context: Vec<String>,
    /// Whether a slot may take a whole list (`A、B和C`); off for appositions (`LinkedIn co-founder X`).
    pub lists: bool,
    /// Words that, right before a cue, make it another word (`副` before `总裁`: a vice president).
    pub not_after: Vec<String>,
    /// Words that, right after a cue, make it another word (`公司` after `上市`: a listed company).
    pub not_before: Vec<String>,
    /// When not empty, one of these (or the end of the sentence) must follow the cue: a verb used as
    /// a noun (`GPT-4发布后`, `GPT-4发布第二天`), not a verb with its object (`GPT-4发布了插件`).
    pub followed_by: Vec<String>,
    /// When true, every name after the cue in the scope, of the types of the slot the frame puts
    /// after the cue, fills that slot too (what a book `describes` is all that its sentence names
    /// after the verb).
    pub rest: bool,
    /// The file it came from, for errors.
    pub origin: String,
}

/// The automaton over every distinct cue, and for each cue the (rule, cue index) pairs it belongs to.
type CueMatcher = (aho_corasick::AhoCorasick, Vec<Vec<(usize, usize)>>);

/// All rules, the event classes and the negation words.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// The rules, in file order.
    pub rules: Vec<Rule>,
    /// The event classes rules refer to.
    pub classes: Vec<crate::event::EventClass>,
    /// Word lists the rules' code consults.
    pub words: Words,
    /// Words that cancel a cue when they stand before it (`未能`, `denied`).
    pub negations: Vec<String>,
    /// Words that make a statement a plan or a rumour (`考虑`, `in talks to`): they cancel relations,
    /// and events of classes that are not news until they happen.
    pub hypotheticals: Vec<String>,
    /// Every distinct cue, found in one pass; built on first use.
    matcher: std::sync::OnceLock<CueMatcher>,
    /// The negations and the hypotheticals in lower case, each list found in one pass; built on
    /// first use.
    cancelling: std::sync::OnceLock<[aho_corasick::AhoCorasick; 2]>,
}

impl RuleSet {
    /// The rules shipped with guanxi: relation cues and event frames.
    pub fn embedded() -> Self {
        let mut rules = RuleSet::parse(EMBEDDED_RULES, "data/rules/relations.toml").expect("embedded rules are valid");
        rules.extend(RuleSet::parse(EMBEDDED_EVENTS, "data/rules/events.toml").expect("embedded events are valid"));
        rules.check().expect("embedded rules name known event classes");
        rules
    }

    /// Checks what only the whole set can tell: every rule's event class is defined, once.
    pub fn check(&self) -> Result<(), RuleError> {
        let mut seen = std::collections::HashSet::new();
        for c in &self.classes {
            if !seen.insert(c.id.as_str()) {
                return Err(RuleError {
                    file: c.origin.clone(),
                    message: format!("event class `{}` is defined twice", c.id),
                });
            }
        }
        for r in &self.rules {
            if let Some(e) = &r.event
                && !seen.contains(e.as_str())
            {
                return Err(RuleError {
                    file: r.origin.clone(),
                    message: format!("a rule names the event class `{e}`, which no `[[class]]` defines"),
                });
            }
        }
        Ok(())
    }

    /// The class of an event rule.
    pub fn class(&self, id: &str) -> Option<&crate::event::EventClass> {
        self.classes.iter().find(|c| c.id == id)
    }

    /// Parses a rules file; `origin` names it in errors.
    ///
    /// ```
    /// let bad = "[[rule]]\nrelation = \"likes\"\ncues=[\"x\"]\nhead=[\"person\"]\ntail=[\"person\"]\nframes=[\"H C T\"]\n";
    /// let err = guanxi::relation::RuleSet::parse(bad, "mine.toml").unwrap_err();
    /// assert!(err.to_string().contains("mine.toml"));
    /// assert!(err.to_string().contains("likes"));
    /// ```
    pub fn parse(text: &str, origin: &str) -> Result<Self, RuleError> {
        let err = |message: String| RuleError {
            file: origin.to_string(),
            message,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let mut rules = Vec::new();
        for (i, r) in raw.rule.into_iter().enumerate() {
            let what = r.relation.as_deref().or(r.event.as_deref()).unwrap_or("?");
            let at = format!("rule {} ({what})", i + 1);
            if r.relation.is_none() && r.event.is_none() {
                return Err(err(format!("{at}: a rule needs a `relation`, an `event`, or both")));
            }
            let relation: Option<RelationType> = r
                .relation
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|e: crate::model::UnknownName| err(format!("{at}: {e}")))?;
            let types = |v: &[String]| -> Result<Vec<EntityType>, RuleError> {
                v.iter()
                    .map(|t| {
                        t.parse()
                            .map_err(|e: crate::model::UnknownName| err(format!("{at}: {e}")))
                    })
                    .collect()
            };
            let mut frames = Vec::new();
            for f in &r.frames {
                let toks: Vec<Tok> = f
                    .split_whitespace()
                    .map(|t| match t {
                        "H" => Tok::Head,
                        "T" => Tok::Tail,
                        "L" => Tok::List,
                        "C" => Tok::Cue,
                        "^" => Tok::ClauseStart,
                        "!H" => Tok::NoHeadBefore,
                        "!T" => Tok::NoTailBefore,
                        other => Tok::Lit(other.to_string()),
                    })
                    .collect();
                if toks.iter().filter(|t| **t == Tok::Cue).count() != 1 {
                    return Err(err(format!("{at}: frame `{f}` needs exactly one C")));
                }
                let cue = toks.iter().position(|t| *t == Tok::Cue).unwrap_or(0);
                if toks[cue..]
                    .iter()
                    .any(|t| matches!(t, Tok::ClauseStart | Tok::NoHeadBefore | Tok::NoTailBefore))
                {
                    return Err(err(format!("{at}: frame `{f}`: `^`, `!H` and `!T` stand before C")));
                }
                frames.push(toks);
            }
            if r.cues.iter().any(|c| c.trim().is_empty()) {
                return Err(err(format!("{at}: an empty cue")));
            }
            let mut cues = r.cues;
            cues.sort_by_key(|c| std::cmp::Reverse(c.len()));
            rules.push(Rule {
                relation,
                event: r.event,
                origin: origin.to_string(),
                cues,
                head: types(&r.head)?,
                tail: types(&r.tail)?,
                frames,
                scope: r.scope.unwrap_or(Scope::Clause),
                max_gap: r.max_gap.unwrap_or(12),
                gap_after: r.gap_after,
                lang: r.lang.unwrap_or(CueLang::Zh),
                head_fallback: r.head_fallback.unwrap_or(Fallback::None),
                tail_fallback: r.tail_fallback.unwrap_or(Fallback::None),
                context: r.context,
                lists: r.lists.unwrap_or(true),
                not_after: r.not_after,
                not_before: r.not_before,
                followed_by: r.followed_by,
                rest: r.rest,
            });
        }
        let mut classes = raw.class;
        for c in &mut classes {
            c.origin = origin.to_string();
        }
        Ok(RuleSet {
            rules,
            classes,
            words: raw.words,
            hypotheticals: raw.hypotheticals,
            negations: raw.negations,
            matcher: std::sync::OnceLock::new(),
            cancelling: std::sync::OnceLock::new(),
        })
    }

    /// Adds another file's rules and negations.
    pub fn extend(&mut self, other: RuleSet) {
        self.rules.extend(other.rules);
        self.classes.extend(other.classes);
        self.words.extend(other.words);
        self.negations.extend(other.negations);
        self.hypotheticals.extend(other.hypotheticals);
        self.matcher = std::sync::OnceLock::new();
        self.cancelling = std::sync::OnceLock::new();
    }

    fn cancelling(&self) -> &[aho_corasick::AhoCorasick; 2] {
        self.cancelling.get_or_init(|| {
            [&self.negations, &self.hypotheticals].map(|words| {
                let lowered: Vec<String> = words.iter().map(|w| crate::normalize::lower(w).into_owned()).collect();
                aho_corasick::AhoCorasick::new(&lowered).expect("negations build an automaton")
            })
        })
    }

    /// The automaton over [`RuleSet::negations`] in lower case (any match will do).
    pub fn negation_matcher(&self) -> &aho_corasick::AhoCorasick {
        &self.cancelling()[0]
    }

    /// The automaton over [`RuleSet::hypotheticals`] in lower case (any match will do).
    pub fn hypothetical_matcher(&self) -> &aho_corasick::AhoCorasick {
        &self.cancelling()[1]
    }

    fn matcher(&self) -> &CueMatcher {
        self.matcher.get_or_init(|| {
            let mut cues: Vec<String> = Vec::new();
            let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
            let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
            for (r, rule) in self.rules.iter().enumerate() {
                for (c, cue) in rule.cues.iter().enumerate() {
                    let i = *index.entry(cue.clone()).or_insert_with(|| {
                        cues.push(cue.clone());
                        owners.push(Vec::new());
                        cues.len() - 1
                    });
                    owners[i].push((r, c));
                }
            }
            // English cues match in any case (`Chief executive X` opening a sentence).
            let ac = aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build(&cues)
                .expect("cues build an automaton");
            (ac, owners)
        })
    }

    /// The automaton over every distinct cue (overlapping matches wanted).
    pub fn cue_matcher(&self) -> &aho_corasick::AhoCorasick {
        &self.matcher().0
    }

    /// The (rule, cue) pairs a cue pattern of [`RuleSet::cue_matcher`] belongs to.
    pub fn cue_owners(&self, pattern: usize) -> &[(usize, usize)] {
        &self.matcher().1[pattern]
    }
}
