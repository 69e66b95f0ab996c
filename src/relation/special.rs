//! Rules of the language that cue tables do not express.

use super::{Slot, evidence, of_sentences, sentence_of, starting_in};
use crate::lexicon::Lexicon;
use crate::model::{Document, Entity, EntityKey, EntityType, Mention, Relation, RelationType};
use crate::normalize::match_key;
use regex::Regex;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

static GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(两|二|三|四|五|2|3|4|5)\s?(?:股|家|大|方|个|位|强)(?:力量|巨头|公司|企业|玩家|阵营|势力|科技巨头|大厂)?(?:之间)?(?:的)?[^，。,；;！？!?\n]{0,6}?|(双方|二者|两者)[^，。,；;！？!?\n]{0,14}?)(博弈|竞争|角逐|竞赛|较量|对抗|混战|三角竞争|争霸|鼎立|合作|联手|携手|结盟)").unwrap()
});
static VERSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?[A-Za-z\p{Han}])[\s\-]?v?(\d+(?:\.\d+)?)$").unwrap());
static FAMILY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(.*?[A-Za-z\p{Han}])[\s\-]?v?\d").unwrap());

/// Demonstratives name the entity mentioned last (`这家公司被谷歌收购`); `它`, `其` and `its`
/// name the subject (the first company of the sentence, else of the sentence before).
static DEMONSTRATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:这家|该|此|这个)\p{Han}{0,4}?(?:公司|企业|创业公司|初创公司|实验室|巨头)|这本书|这本|该书|此书|本书|全书|书中|[Tt]he (?:company|startup|start-up|firm|book|model)|[Tt]he (?:[A-Za-z()\-]+ ){1,5}?(?:company|startup|start-up|firm)(?-u:\b)|该模型|这款模型|这一模型|(?:创办|创立|创建|成立)了公司").unwrap()
});
static SUBJECT_PRONOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"它的|它|其(?:[^中他实次余后])|(?-u:\b)Its(?-u:\b)|(?-u:\b)its(?-u:\b)|(?-u:\b)It(?-u:\b)|(?-u:\b)it(?-u:\b)|(?m:^[\s\-–—•·*]*公司)|[，,；]\s*公司(?:[就已也还将正又便才都则均随即])").unwrap()
});

/// `他`, `她`, `he`, `she`: the person the text speaks of.
static PERSON_PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"他(?:[^们人])|她(?:[^们])|(?-u:\b)[Hh]e(?-u:\b)|(?-u:\b)[Ss]he(?-u:\b)").unwrap());

/// Strings of which every match of the pronoun patterns above holds one (`[Tt]he …` holds `he `,
/// `Its` holds `It`, `she` holds `he`): a sentence without any of these is not searched.
const DEMONSTRATIVE_WORDS: [&str; 12] = [
    "这家",
    "该",
    "此",
    "这个",
    "这本",
    "本书",
    "全书",
    "书中",
    "he ",
    "这款",
    "这一",
    "了公司",
];
const SUBJECT_PRONOUN_WORDS: [&str; 5] = ["它", "其", "It", "it", "公司"];
const PERSON_PRONOUN_WORDS: [&str; 4] = ["他", "她", "he", "He"];

/// Whether a sentence holds one of a pronoun pattern's words, asked in one pass.
type WordCheck = LazyLock<aho_corasick::AhoCorasick>;
static DEMONSTRATIVE_CHECK: WordCheck = LazyLock::new(|| words_check(&DEMONSTRATIVE_WORDS));
static SUBJECT_PRONOUN_CHECK: WordCheck = LazyLock::new(|| words_check(&SUBJECT_PRONOUN_WORDS));
static PERSON_PRONOUN_CHECK: WordCheck = LazyLock::new(|| words_check(&PERSON_PRONOUN_WORDS));

fn words_check(words: &[&str]) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::new(words).expect("pronoun words build an automaton")
}

/// The matches of a pronoun pattern in a sentence; none without one of its words.
///
/// The English words of the patterns are bounded by Unicode word boundaries (`it` in `用it做` is
/// no pronoun: `用` is a word character). Written so, a pattern keeps the regex engine off its fast
/// automaton on any text that is not ASCII, so the patterns say ASCII boundaries and each match of
/// an English word is checked here against the Unicode ones. Every English alternative starts with
/// an ASCII letter and holds only ASCII, so a Unicode boundary there is an ASCII one too: the
/// patterns find every match the Unicode ones would, and at most some more, each starting where no
/// Unicode match starts; after such a one the search goes on from its second character, as the
/// Unicode pattern's search would.
fn pronoun_matches<'t>(
    re: &'t Regex,
    words: &aho_corasick::AhoCorasick,
    bounds: Bounds,
    sentence: &'t str,
) -> Vec<regex::Match<'t>> {
    let mut out = Vec::new();
    if !words.is_match(sentence) {
        return out;
    }
    let word = |c: Option<char>| c.is_some_and(regex_syntax::is_word_character);
    let mut at = 0;
    while let Some(m) = re.find_at(sentence, at) {
        let english = m.as_str().starts_with(|c: char| c.is_ascii_alphabetic());
        let before = sentence[..m.start()].chars().next_back();
        let after = sentence[m.end()..].chars().next();
        let ok = !english
            || match bounds {
                Bounds::Both => !word(before) && !word(after),
                // Only `[Tt]he … company` ends in a boundary; `[Tt]he company` has none.
                Bounds::DemonstrativeEnd => DEMONSTRATIVE_PLAIN.contains(&&m.as_str()[4..]) || !word(after),
            };
        if ok {
            out.push(m);
            at = m.end();
        } else {
            at = m.start() + 1;
        }
        if at > sentence.len() {
            break;
        }
    }
    out
}

/// Where a pattern's English words have word boundaries.
#[derive(Clone, Copy)]
enum Bounds {
    /// Before and after every English word (`it`, `she`).
    Both,
    /// After `[Tt]he … company` alone (the demonstrative pattern).
    DemonstrativeEnd,
}

/// The nouns of `[Tt]he (company|…)`, the demonstrative alternative without a word boundary.
const DEMONSTRATIVE_PLAIN: [&str; 6] = ["company", "startup", "start-up", "firm", "book", "model"];

/// Pronouns as slots pointing at their antecedent, for the relation rules.
pub(super) fn pronouns(doc: &Document, slots: &[Slot], entities: &[Entity], words: &super::Words) -> Vec<Slot> {
    let mut all = SlotList::new(slots);
    let topic = topics(entities).get(&EntityType::Company).copied();
    let mut out = Vec::new();
    let mut pushed: Vec<Slot> = Vec::new();
    for sent in &doc.sentences {
        let st = doc.sentence_text(sent);
        // A place inside (`这家伦敦公司`) does not stop a pronoun; a core name does.
        let free = |s: usize, e: usize, all: &SlotList| !all.overlaps(s, e, |m| m.etype.is_core());
        for m in pronoun_matches(&DEMONSTRATIVE, &DEMONSTRATIVE_CHECK, Bounds::DemonstrativeEnd, st) {
            // `…共同创办了公司`: a bare 公司 founded is the company the text is about; the verb
            // stays outside the slot, for the founding rule to see.
            let founded = m.as_str().ends_with("了公司");
            let skip = if founded { m.as_str().len() - "公司".len() } else { 0 };
            let (s, e) = (sent.start + m.start() + skip, sent.start + m.end());
            // `《浪潮之巅》一书中`: the book is named right there, `书中` is no pronoun.
            // `the parent company of X` names a relation, not an antecedent.
            let relational = words.relational_nouns.iter().any(|w| m.as_str().contains(w.as_str()));
            if !free(s, e, &all) || relational || (m.as_str() == "书中" && st[..m.start()].ends_with(['一', '》']))
            {
                continue;
            }
            {
                let window = all.window(doc, sent.index);
                let all = &window;
                let book = m.as_str().contains('书') || m.as_str() == "这本" || m.as_str().ends_with("book");
                let model = m.as_str().contains("模型") || m.as_str().ends_with("model");
                let want = if book {
                    EntityType::Book
                } else if model {
                    EntityType::Model
                } else {
                    EntityType::Company
                };
                // At the start of a sentence it is the previous sentence's subject; later, the entity named last.
                let at_start = !all
                    .iter()
                    .any(|x| x.sentence == sent.index && x.end <= s && x.etype == want);
                // A name after a preposition (`曾任职于华为`) is an object, not the subject.
                let subject = sent.index.checked_sub(1).and_then(|i| {
                    all.iter()
                        .filter(|x| x.sentence == i && x.etype == want)
                        .find(|x| {
                            let before = &doc.text[doc.sentences[i].start..x.start];
                            !words.prepositions.iter().any(|p| before.ends_with(p.as_str()))
                        })
                        .copied()
                });
                // The entity named last, but not one that only qualifies a person (`LinkedIn co-founder X`).
                let nearest = all
                    .iter()
                    .filter(|x| x.etype == want && x.end <= s && x.sentence + 3 >= sent.index)
                    .filter(|x| {
                        // A title's company counts when it opens its sentence (`Apple CEO Tim Cook said`).
                        let first_in_sentence = !all.iter().any(|y| y.sentence == x.sentence && y.end <= x.start);
                        first_in_sentence || !qualifies_person(&doc.text[x.end..], words)
                    })
                    .max_by_key(|x| x.end)
                    .copied();
                // `the company` is the company the text is about: the latest that stood as a sentence's
                // subject (its first company), not one named in passing (`spent six years at X`).
                let latest_subject = (want == EntityType::Company)
                    .then(|| {
                        // A company founded is none named earlier in its own sentence (`他与同在商汤工作的
                        // 唐屹共同创办了公司`): the subject of a sentence before.
                        let last = if founded {
                            sent.index.saturating_sub(1)
                        } else {
                            sent.index
                        };
                        (sent.index.saturating_sub(3)..=last).rev().find_map(|i| {
                            all.iter()
                                .filter(|x| x.sentence == i && x.etype == want && x.end <= s)
                                .min_by_key(|x| x.start)
                                .filter(|x| {
                                    // The sentence's first name of any core type: a subject, not an object.
                                    !all.iter().any(|y| {
                                        y.sentence == i && y.start < x.start && y.etype.is_core() && y.etype != want
                                    })
                                })
                                .copied()
                        })
                    })
                    .flatten();
                // `…获得过源码资本和高榕创投的投资。该公司自研的…`: opening a sentence, 该公司 is the
                // subject of the sentence before, not the investor named last in it.
                let zh_company_at_start = at_start && want == EntityType::Company && m.as_str().starts_with('该');
                let ante = if at_start && want == EntityType::Book {
                    subject.or(nearest)
                } else if zh_company_at_start {
                    // A sentence whose only company is an object (`曾任职于百度`) carries no subject:
                    // the subject of one before it, then the company named last.
                    subject.or(latest_subject).or(nearest)
                } else if want == EntityType::Company
                    && (founded
                        || ["the company", "the startup", "the start-up", "the firm"]
                            .contains(&m.as_str().to_lowercase().as_str()))
                {
                    // The article's main company when the text has just spoken of it.
                    recent_topic(all, topic, s, sent.index)
                        .or(latest_subject)
                        .or(nearest)
                        .or(subject)
                } else {
                    nearest.or(subject)
                };
                if let Some(a) = ante {
                    let slot = Slot {
                        start: s,
                        end: e,
                        etype: want,
                        entity: a.entity,
                        sentence: sent.index,
                    };
                    pushed.push(slot);
                }
            }
            for slot in pushed.drain(..) {
                all.push(slot);
                out.push(slot);
            }
        }
        // `A的对手是B，后者…`: the latter is the last name before it, the former the one before that
        // of the same type (within this sentence and the one before).
        for (k, word) in [
            ("后者", true),
            ("前者", false),
            ("the latter", true),
            ("the former", false),
        ]
        .iter()
        .flat_map(|(w, latter)| st.match_indices(*w).map(move |(k, _)| (k, (w.len(), *latter))))
        {
            let (len, latter) = word;
            let (s, e) = (sent.start + k, sent.start + k + len);
            if !free(s, e, &all) {
                continue;
            }
            let window = all.window(doc, sent.index);
            let before: Vec<&Slot> = window
                .iter()
                .filter(|x| {
                    x.end <= s && x.sentence + 1 >= sent.index && x.etype.is_core() && x.etype != EntityType::Event
                })
                .collect();
            let Some(last) = before.iter().max_by_key(|x| x.end) else {
                continue;
            };
            let ante = if latter {
                Some(**last)
            } else {
                before
                    .iter()
                    .filter(|x| x.etype == last.etype && x.entity != last.entity)
                    .max_by_key(|x| x.end)
                    .map(|x| **x)
            };
            if let Some(a) = ante {
                let slot = Slot {
                    start: s,
                    end: e,
                    etype: a.etype,
                    entity: a.entity,
                    sentence: sent.index,
                };
                all.push(slot);
                out.push(slot);
            }
        }
        all.sort();
        for m in pronoun_matches(&SUBJECT_PRONOUN, &SUBJECT_PRONOUN_CHECK, Bounds::Both, st) {
            let text = m.as_str();
            let (skip, len) = if text.starts_with('其') {
                (0, '其'.len_utf8())
            } else if let Some(at) = text.find("公司") {
                // A sentence or clause opening with a bare `公司` speaks of the company it is about.
                (at, "公司".len())
            } else {
                (0, text.len())
            };
            let (s, e) = (sent.start + m.start() + skip, sent.start + m.start() + skip + len);
            if !free(s, e, &all) {
                continue;
            }
            let window = all.window(doc, sent.index);
            let first_company = |i: usize, before: usize| {
                let all = &window;
                all.iter()
                    .find(|x| x.sentence == i && x.start < before && x.etype == EntityType::Company)
                    .copied()
            };
            // A bare `公司` is the subject of a sentence before, not a company named after a
            // preposition (`他与同在商汤工作的唐屹创办了公司。公司主要…` is not 商汤).
            let bare = skip > 0 || text.starts_with("公司");
            let subject_company = |i: usize| {
                window
                    .iter()
                    .filter(|x| x.sentence == i && x.etype == EntityType::Company)
                    .filter(|x| !words.is_unit_name(&doc.text[x.start..x.end]))
                    .find(|x| {
                        let before = &doc.text[doc.sentences[i].start..x.start];
                        !words.prepositions.iter().any(|p| before.ends_with(p.as_str()))
                    })
                    .copied()
            };
            // `…, and Tessellate said it has …`: the company that speaks is what `it` names.
            let speaker = || {
                let before_it = doc.text[sent.start..s].trim_end();
                let before_it = before_it.strip_suffix(" that").unwrap_or(before_it).trim_end();
                let rest = words
                    .speech_verbs_en
                    .iter()
                    .find_map(|v| before_it.strip_suffix(v.as_str()))
                    .filter(|rest| rest.ends_with(' '))?;
                let at = sent.start + rest.trim_end().len();
                window
                    .iter()
                    .find(|x| x.etype == EntityType::Company && x.end == at)
                    .copied()
            };
            // `收购蝴蝶效应及其产品Manus`, `Wiz and its customers`: a pronoun coordinated with a
            // name is that name.
            let coordinated = || {
                let before_it = doc.text[sent.start..s].trim_end();
                let rest = words
                    .coordinators
                    .iter()
                    .find_map(|w| before_it.strip_suffix(w.as_str()))?;
                let at = sent.start + rest.trim_end_matches(['」', '”', '"', '’', ' ']).len();
                window
                    .iter()
                    .find(|x| x.etype == EntityType::Company && x.end == at)
                    .copied()
            };
            let bare_subject = || {
                (1..=2)
                    .filter_map(|back| sent.index.checked_sub(back))
                    .find_map(subject_company)
                    .or_else(|| recent_topic(&window, topic, s, sent.index))
            };
            let ante = coordinated()
                .or_else(|| text.is_ascii().then(speaker).flatten())
                .or_else(|| first_company(sent.index, s))
                .or_else(|| bare.then(bare_subject).flatten())
                .or_else(|| sent.index.checked_sub(1).and_then(|i| first_company(i, usize::MAX)))
                .or_else(|| sent.index.checked_sub(2).and_then(|i| first_company(i, usize::MAX)))
                .or(topic.map(|t| Slot {
                    start: 0,
                    end: 0,
                    etype: EntityType::Company,
                    entity: t,
                    sentence: 0,
                }));
            if let Some(a) = ante {
                debug_assert!(a.entity < entities.len());
                // Later pronouns may point back through this one (`it … Its CEO`).
                all.push(Slot {
                    start: s,
                    end: e,
                    etype: EntityType::Company,
                    entity: a.entity,
                    sentence: sent.index,
                });
                out.push(Slot {
                    start: s,
                    end: e,
                    etype: EntityType::Company,
                    entity: a.entity,
                    sentence: sent.index,
                });
            }
        }
    }
    // A person pronoun names the person who is the subject: of its own sentence before it, else of
    // the sentences before (the first person each names), at most two back.
    for sent in &doc.sentences {
        let st = doc.sentence_text(sent);
        for m in pronoun_matches(&PERSON_PRONOUN, &PERSON_PRONOUN_CHECK, Bounds::Both, st) {
            let len = m.as_str().chars().next().map_or(0, char::len_utf8);
            let len = if m.as_str().is_ascii() { m.as_str().len() } else { len };
            let (s, e) = (sent.start + m.start(), sent.start + m.start() + len);
            if all.overlaps(s, e, |_| true) {
                continue;
            }
            let window = all.window(doc, sent.index);
            let first_person = |i: usize, before: usize| {
                let all = &window;
                all.iter()
                    .filter(|x| x.sentence == i && x.end <= before && x.etype == EntityType::Person)
                    .min_by_key(|x| x.start)
                    .copied()
            };
            let ante = first_person(sent.index, s)
                .or_else(|| sent.index.checked_sub(1).and_then(|i| first_person(i, usize::MAX)))
                .or_else(|| sent.index.checked_sub(2).and_then(|i| first_person(i, usize::MAX)));
            if let Some(a) = ante {
                let slot = Slot {
                    start: s,
                    end: e,
                    etype: EntityType::Person,
                    entity: a.entity,
                    sentence: sent.index,
                };
                all.push(slot);
                out.push(slot);
            }
        }
    }
    out
}

/// The slots `pronouns` looks back at, in the order of a list that is appended to and sorted by
/// start (stably) at times, without sorting it all again: the sorted part is a map by start and
/// insertion number, the part appended since the last sort a short list. Its questions look only
/// at the slots near a position, which keeps pronouns linear in the length of a document.
struct SlotList {
    sorted: BTreeMap<(usize, usize), Slot>,
    appended: Vec<Slot>,
    next: usize,
    max_len: usize,
}

impl SlotList {
    /// The list of `slots`, which are sorted by start.
    fn new(slots: &[Slot]) -> SlotList {
        debug_assert!(slots.windows(2).all(|w| w[0].start <= w[1].start));
        SlotList {
            sorted: slots.iter().enumerate().map(|(i, s)| ((s.start, i), *s)).collect(),
            appended: Vec::new(),
            next: slots.len(),
            max_len: slots.iter().map(|s| s.end - s.start).max().unwrap_or(0),
        }
    }

    fn push(&mut self, s: Slot) {
        self.max_len = self.max_len.max(s.end - s.start);
        self.appended.push(s);
    }

    /// A stable sort by start: what was appended goes after the slots that start where it does.
    fn sort(&mut self) {
        for s in self.appended.drain(..) {
            self.sorted.insert((s.start, self.next), s);
            self.next += 1;
        }
    }

    /// The slots that start in `lo..hi`, in list order.
    fn range(&self, lo: usize, hi: usize) -> impl Iterator<Item = &Slot> {
        let sorted = if lo < hi {
            Some(self.sorted.range((lo, 0)..(hi, 0)).map(|(_, s)| s))
        } else {
            None
        };
        sorted
            .into_iter()
            .flatten()
            .chain(self.appended.iter().filter(move |s| lo <= s.start && s.start < hi))
    }

    /// True when a slot that `keep` accepts overlaps `start..end`.
    fn overlaps(&self, start: usize, end: usize, keep: impl Fn(&Slot) -> bool) -> bool {
        // A slot that ends after `start` starts at most `max_len` before it.
        self.range(start.saturating_sub(self.max_len), end)
            .any(|m| m.start < end && start < m.end && keep(m))
    }

    /// The slots of sentence `index` and the three before it, in list order: every slot a pronoun
    /// of that sentence may point at. A slot's sentence is the one its start falls in.
    fn window(&self, doc: &Document, index: usize) -> Vec<Slot> {
        let lo = index.checked_sub(4).map_or(0, |i| doc.sentences[i].end);
        let hi = if index + 1 >= doc.sentences.len() {
            usize::MAX
        } else {
            doc.sentences[index].end
        };
        self.range(lo, hi).copied().collect()
    }
}

/// True when what follows a company's name makes it a person's title (`co-founder Reid Hoffman`).
fn qualifies_person(after: &str, words: &super::Words) -> bool {
    let a = after.trim_start_matches([' ', '\'', '’', 's']);
    words.titles_after_company.iter().any(|w| a.starts_with(w.as_str()))
}

/// The most mentioned entity of each type (ties: the first seen).
pub(super) fn topics(entities: &[Entity]) -> BTreeMap<EntityType, usize> {
    let mut best: BTreeMap<EntityType, usize> = BTreeMap::new();
    for (i, e) in entities.iter().enumerate() {
        match best.get(&e.etype) {
            Some(&j) if entities[j].mentions >= e.mentions => {}
            _ => {
                best.insert(e.etype, i);
            }
        }
    }
    best
}

/// The latest mention of the text's main company within the three sentences before `before`'s
/// (`the company` and a bare `公司` name it when the text has just spoken of it).
fn recent_topic(slots: &[Slot], topic: Option<usize>, before: usize, sentence: usize) -> Option<Slot> {
    let t = topic?;
    slots
        .iter()
        .rev()
        .find(|x| x.entity == t && x.end <= before && x.sentence + 3 >= sentence)
        .copied()
}

/// Adds the relations that come from named events, lexicon makers, model families, groups and versions.
pub(super) fn apply(
    doc: &Document,
    entities: &[Entity],
    mentions: &[(usize, Mention)],
    slots: &[Slot],
    lexicon: &Lexicon,
    out: &mut Vec<Relation>,
) {
    let by_key: HashMap<EntityKey, usize> = entities.iter().enumerate().map(|(i, e)| (e.key.clone(), i)).collect();
    event_participants(doc, mentions, &by_key, out);
    lexicon_links(doc, entities, slots, lexicon, &by_key, out);
    families(doc, entities, mentions, out);
    successors(doc, entities, mentions, out);
    groups(doc, slots, out);
    units(doc, mentions, &by_key, out);
}

/// A unit named with its company (`腾讯AI Lab`, `Google's Devices and Services division`) is part of it.
fn units(doc: &Document, mentions: &[(usize, Mention)], by_key: &HashMap<EntityKey, usize>, out: &mut Vec<Relation>) {
    for (u, m) in mentions {
        let Some(parent) = m.attributes.get("parent") else {
            continue;
        };
        if let Some(&p) = by_key.get(&EntityKey::new(m.etype, parent))
            && p != *u
        {
            out.push(Relation {
                head: *u,
                tail: p,
                rtype: RelationType::PartOf,
                attributes: BTreeMap::new(),
                evidence: evidence(doc, sentence_of(doc, m.start), &m.surface, m.start),
            });
        }
    }
}

fn event_participants(
    doc: &Document,
    mentions: &[(usize, Mention)],
    by_key: &HashMap<EntityKey, usize>,
    out: &mut Vec<Relation>,
) {
    for (ev, m) in mentions {
        if m.etype != EntityType::Event {
            continue;
        }
        for (t, name) in &m.participants {
            if let Some(&p) = by_key.get(&EntityKey::new(*t, name)) {
                out.push(Relation {
                    head: p,
                    tail: *ev,
                    rtype: RelationType::InvolvedIn,
                    attributes: BTreeMap::new(),
                    evidence: evidence(doc, sentence_of(doc, m.start), &m.surface, m.start),
                });
            }
        }
    }
}

/// Links the lexicon holds between two names, made when the text names both in one sentence: a
/// model and the company that made it (`Gemini 3是谷歌…`: develops), a company and the one it
/// belongs to (`亚马逊旗下的AWS`: part of; not a company the text says was bought).
fn lexicon_links(
    doc: &Document,
    entities: &[Entity],
    slots: &[Slot],
    lexicon: &Lexicon,
    by_key: &HashMap<EntityKey, usize>,
    out: &mut Vec<Relation>,
) {
    // Sorted when first needed, not searched through at every slot (a long text has thousands of
    // slots): the purchases the relations found so far tell of (buyer, bought), and the slots by
    // entity, sentence and position.
    let mut bought: Option<Vec<(usize, usize)>> = None;
    let mut by_entity: Option<Vec<(usize, usize, usize)>> = None;
    let mut add = Vec::new();
    for s in slots {
        let entry = lexicon.get(s.etype, &entities[s.entity].name);
        let (other, rtype) = match s.etype {
            EntityType::Model => (entry.and_then(|e| e.maker.clone()), RelationType::Develops),
            EntityType::Company => (entry.and_then(|e| e.parent.clone()), RelationType::PartOf),
            _ => continue,
        };
        let Some(&o) = other.and_then(|n| by_key.get(&EntityKey::new(EntityType::Company, &n))) else {
            continue;
        };
        let (head, tail) = if rtype == RelationType::Develops {
            (o, s.entity)
        } else {
            (s.entity, o)
        };
        if o == s.entity
            || rtype == RelationType::PartOf
                && bought
                    .get_or_insert_with(|| {
                        let mut b: Vec<(usize, usize)> = out
                            .iter()
                            .filter(|r| r.rtype == RelationType::Acquires)
                            .map(|r| (r.head, r.tail))
                            .collect();
                        b.sort_unstable();
                        b
                    })
                    .binary_search(&(o, s.entity))
                    .is_ok()
        {
            continue;
        }
        let by_entity = by_entity.get_or_insert_with(|| {
            let mut v: Vec<(usize, usize, usize)> = slots
                .iter()
                .enumerate()
                .map(|(i, c)| (c.entity, c.sentence, i))
                .collect();
            v.sort_unstable();
            v
        });
        // The first slot of the other name in this sentence.
        let at = by_entity.partition_point(|&(e, sentence, _)| (e, sentence) < (o, s.sentence));
        if let Some(c) = by_entity
            .get(at)
            .filter(|&&(e, sentence, _)| (e, sentence) == (o, s.sentence))
            .map(|&(_, _, i)| &slots[i])
        {
            add.push(Relation {
                head,
                tail,
                rtype,
                attributes: BTreeMap::new(),
                // The cue is the other name as the sentence writes it.
                evidence: evidence(doc, s.sentence, &doc.text[c.start..c.end], c.start),
            });
        }
    }
    out.extend(add);
}

fn family_of(name: &str) -> Option<String> {
    FAMILY
        .captures(name)
        .map(|c| match_key(c[1].trim_end_matches(['-', ' '])))
}

/// A maker of a family (`Meta发布的Llama系列`) makes the family's versions named in the same text.
fn families(doc: &Document, entities: &[Entity], mentions: &[(usize, Mention)], out: &mut Vec<Relation>) {
    let family_makers: Vec<(usize, String)> = out
        .iter()
        .filter(|r| r.rtype == RelationType::Develops && entities[r.tail].etype == EntityType::Model)
        .filter(|r| family_of(&entities[r.tail].name).is_none())
        .map(|r| (r.head, match_key(&entities[r.tail].name)))
        .collect();
    if family_makers.is_empty() {
        return;
    }
    // Looked up once, not searched for at every version: long texts name many.
    let develops: HashSet<(usize, usize)> = out
        .iter()
        .filter(|r| r.rtype == RelationType::Develops)
        .map(|r| (r.head, r.tail))
        .collect();
    let mut first_mention: HashMap<usize, usize> = HashMap::new();
    for (x, m) in mentions {
        first_mention.entry(*x).or_insert(m.start);
    }
    let mut add = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        if e.etype != EntityType::Model {
            continue;
        }
        let Some(fam) = family_of(&e.name) else {
            continue;
        };
        for (maker, f) in &family_makers {
            if *f == fam && !develops.contains(&(*maker, i)) {
                let first = first_mention.get(&i).copied().unwrap_or(0);
                add.push(Relation {
                    head: *maker,
                    tail: i,
                    rtype: RelationType::Develops,
                    attributes: BTreeMap::new(),
                    evidence: evidence(doc, sentence_of(doc, first), "family", first),
                });
            }
        }
    }
    out.extend(add);
}

/// Plain versions of one family named in one text: each is the successor of the one before.
fn successors(doc: &Document, entities: &[Entity], mentions: &[(usize, Mention)], out: &mut Vec<Relation>) {
    // Families in name order: the relations come out in the same order in every process.
    let mut fams: BTreeMap<String, Vec<(f64, usize)>> = BTreeMap::new();
    for (i, e) in entities.iter().enumerate() {
        if e.etype != EntityType::Model {
            continue;
        }
        if let Some(c) = VERSION.captures(&e.name)
            && let Ok(v) = c[2].parse::<f64>()
        {
            fams.entry(match_key(&c[1])).or_default().push((v, i));
        }
    }
    for (_, mut v) in fams {
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        for w in v.windows(2) {
            let (older, newer) = (w[0].1, w[1].1);
            let at = mentions
                .iter()
                .find(|(x, _)| *x == newer)
                .map(|(_, m)| m.start)
                .unwrap_or(0);
            out.push(Relation {
                head: newer,
                tail: older,
                rtype: RelationType::SuccessorOf,
                attributes: BTreeMap::new(),
                evidence: evidence(doc, sentence_of(doc, at), "version order", at),
            });
        }
    }
}

/// `这三股力量的博弈`: the N companies named last before the phrase compete with each other.
fn groups(doc: &Document, slots: &[Slot], out: &mut Vec<Relation>) {
    for m in GROUP.captures_iter(&doc.text) {
        let rtype = match &m[3] {
            "合作" | "联手" | "携手" | "结盟" => RelationType::PartnersWith,
            _ => RelationType::CompetesWith,
        };
        let n = match m.get(1).or(m.get(2)).map_or("", |g| g.as_str()) {
            "两" | "二" | "2" | "双方" | "二者" | "两者" => 2,
            "三" | "3" => 3,
            "四" | "4" => 4,
            _ => 5,
        };
        let at = m.get(0).unwrap().start();
        let sent = sentence_of(doc, at);
        // The members are the subjects named last: the first company of this sentence (before the
        // phrase) and of each sentence before it, nearest first; then any other company named.
        let mut members: Vec<usize> = Vec::new();
        // `双方`: the two parties named in this sentence, or nobody.
        if m.get(2).is_some() {
            for s in of_sentences(slots, sent, sent)
                .iter()
                .filter(|s| s.sentence == sent && s.end <= at && s.etype == EntityType::Company)
            {
                if !members.contains(&s.entity) && members.len() < 2 {
                    members.push(s.entity);
                }
            }
            if members.len() == 2 {
                out.push(Relation {
                    head: members[0],
                    tail: members[1],
                    rtype,
                    attributes: BTreeMap::new(),
                    evidence: evidence(doc, sent, &m[0], at),
                });
            }
            continue;
        }
        // A list right before the phrase names the members itself (`谷歌、Facebook和微软三家的角逐`).
        let clause_start = doc.text[..at].rfind(['，', '。', ',', '；', '\n']).map_or(0, |i| i + 1);
        for s in starting_in(slots, clause_start, at)
            .iter()
            .rev()
            .filter(|s| s.end <= at && s.start >= clause_start && s.etype == EntityType::Company)
        {
            if !members.contains(&s.entity) && members.len() < n {
                members.push(s.entity);
            }
        }
        if members.len() < n {
            members.clear();
        }
        let companies = |i: usize| {
            of_sentences(slots, i, i)
                .iter()
                .filter(move |s| s.sentence == i && s.end <= at && s.etype == EntityType::Company)
        };
        for i in (sent.saturating_sub(4)..=sent).rev() {
            if let Some(s) = companies(i).next()
                && !members.contains(&s.entity)
                && members.len() < n
                && members.len() < n
            {
                members.push(s.entity);
            }
        }
        for s in of_sentences(slots, sent.saturating_sub(4), sent)
            .iter()
            .rev()
            .filter(|s| s.end <= at && s.etype == EntityType::Company && s.sentence + 4 >= sent)
        {
            if members.len() < n && !members.contains(&s.entity) {
                members.push(s.entity);
            }
        }
        if members.len() != n {
            continue;
        }
        for i in 0..n {
            for j in i + 1..n {
                out.push(Relation {
                    head: members[i],
                    tail: members[j],
                    rtype,
                    attributes: BTreeMap::new(),
                    evidence: evidence(doc, sent, &m[0], at),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The pronoun patterns as first written, with Unicode word boundaries.
    fn unicode_patterns() -> [(Regex, &'static Regex, &'static [&'static str], Bounds); 3] {
        let unicode = |re: &Regex| Regex::new(&re.as_str().replace("(?-u:\\b)", "\\b")).unwrap();
        [
            (
                unicode(&DEMONSTRATIVE),
                &*DEMONSTRATIVE,
                &DEMONSTRATIVE_WORDS[..],
                Bounds::DemonstrativeEnd,
            ),
            (
                unicode(&SUBJECT_PRONOUN),
                &*SUBJECT_PRONOUN,
                &SUBJECT_PRONOUN_WORDS[..],
                Bounds::Both,
            ),
            (
                unicode(&PERSON_PRONOUN),
                &*PERSON_PRONOUN,
                &PERSON_PRONOUN_WORDS[..],
                Bounds::Both,
            ),
        ]
    }

    fn same_matches(text: &str) {
        for (unicode, ascii, words, bounds) in unicode_patterns() {
            let want: Vec<(usize, usize)> = unicode.find_iter(text).map(|m| (m.start(), m.end())).collect();
            let got: Vec<(usize, usize)> = pronoun_matches(ascii, &words_check(words), bounds, text)
                .iter()
                .map(|m| (m.start(), m.end()))
                .collect();
            assert_eq!(got, want, "{unicode} on {text:?}");
        }
    }

    #[test]
    fn ascii_boundaries_checked_find_what_unicode_ones_find() {
        for text in [
            "It said its rival, the company, had grown. She left; he stayed.",
            "用it做，它的模型。其实他们说他也来了，她们和她说。",
            "Its中 it中 中it He中 中he the big company中 the company中 The new firm，",
            "The big the company中 and the start-up中 or the startup.",
            "é it é_it it_ ²it it² Théo he’s",
        ] {
            same_matches(text);
        }
    }

    proptest! {
        #[test]
        fn pronoun_matches_equal_the_unicode_patterns(parts in proptest::collection::vec(
            prop::sample::select(vec![
                "it", "It", "Its", "its", "he", "He", "she", "She", "The", "the", " ", "big", "company", "firm",
                "start-up", "model", "中", "其", "其实", "他", "他们", "她", "它", "公司", "就", "，", ",", "\n", "-",
                "_", "é", "²", "s", "这家", "该", "书中", "一",
            ]),
            0..24,
        )) {
            same_matches(&parts.concat());
        }
    }
}
