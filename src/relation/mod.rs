//! Relation extraction: cue tables matched around the mentions of each sentence,
//! plus a few rules of the language that tables do not express (pronouns, a group
//! named by its size, a model family's versions, events made by acquisitions and rounds).
//!
//! In: a document, its entities and mentions. Out: relations with their evidence
//! (and the events that acquisitions and funding rounds make, added to the entities).

mod rules;
mod special;

pub use rules::{CueLang, EMBEDDED_EVENTS, EMBEDDED_RULES, Fallback, Rule, RuleError, RuleSet, Scope, Tok, Words};

use crate::lexicon::Lexicon;
use crate::model::{Document, Entity, EntityType, Evidence, Mention, Relation, RelationType};
use crate::source::clauses;
use regex::Regex;
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

/// A mention as the rules see it: position, type and entity (pronouns point at their antecedent).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    pub start: usize,
    pub end: usize,
    pub etype: EntityType,
    pub entity: usize,
    pub sentence: usize,
}

/// The slots that start in `from..=to`, out of slots sorted by start: every slot that lies within
/// `from..to` is among them. A rule looks only here, so that its cost does not grow with the
/// length of the document.
fn starting_in(slots: &[Slot], from: usize, to: usize) -> &[Slot] {
    let lo = slots.partition_point(|s| s.start < from);
    let hi = slots.partition_point(|s| s.start <= to);
    &slots[lo..hi.max(lo)]
}

/// The slots of sentences `first..=last`, out of slots sorted by start: a slot's sentence is the
/// one its start is in, so they are one run.
fn of_sentences(slots: &[Slot], first: usize, last: usize) -> &[Slot] {
    let lo = slots.partition_point(|s| s.sentence < first);
    let hi = slots.partition_point(|s| s.sentence <= last);
    &slots[lo..hi.max(lo)]
}

pub(crate) static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[$€£¥]\s?\d[\d,.]*\s?(?:billion|million|bn|B\b|M\b|m|亿|万)?|\d[\d,.]*\s?(?:亿|万|千万|百万)?\s?(?:美元|元|人民币|港元|欧元|英镑|日元|美金)|\d[\d,.]*\s?(?:billion|million)\s?(?:dollars|euros|yuan))").unwrap()
});
static APPOSITION_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:[（(][^）)]{0,40}[）)]|[–—][^–—]{0,40}[–—])\s*$").unwrap());
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|[^\d])((?:19|20)\d{2})(?:\s?年|[^\d]|$)").unwrap());
static CONNECTOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:fund|funds|'s|’s)?\s*(?:(?:[（(][^）)]{0,40}[）)]|[–—][^–—]{0,40}[–—])\s*)?(?:(?:、|,|，|和|与|及|以及|乃至|还有|或|and|&|or|plus|as well as)\s*)+(?:他的|她的|其|旗下的)?(?:[两三四五六几]?[名位个家])?(?:学生|同事|弟子|合伙人|联合创始人|创始人|投资人|股东|投资方)?(?:[A-Za-z]{0,8}\p{Han}{0,6}?(?:架构师|工程师|设计师|总监|经理|研究员|科学家|副总裁|总裁|负责人|主管|董事|高管))?(?:(?:new|the|other|first-round|former)\s+)*(?:(?:investors?|shareholders?|such as|including)\s+)*$").unwrap()
});

/// True when a name sits inside an English apposition that closes before `hi`
/// (`Google, a rival of Amazon in cloud computing, has committed to invest`: not Amazon).
fn in_apposition(text: &str, start: usize, end: usize, hi: usize) -> bool {
    // The name right before `, which …` is that clause's antecedent, not an apposition's tail.
    let relative = text[end..].trim_start().strip_prefix(',').is_some_and(|r| {
        ["which", "who", "whose", "that"]
            .iter()
            .any(|w| r.trim_start().starts_with(w))
    });
    let closes = (text[end..hi].contains(',') || text[end..].trim_start().starts_with(',')) && !relative;
    // Tested first: it looks no further than the window, where the search for the opening comma
    // may run back to the start of the text (Chinese text has few ASCII commas).
    if !closes {
        return false;
    }
    let Some(open) = text[..start].rfind(',') else {
        return false;
    };
    let opener = text[open + 1..start].trim_start();
    let appositive = [
        "a ", "an ", "the ", "which ", "who ", "whose ", "its ", "also ", "one of ",
    ]
    .iter()
    .any(|w| opener.starts_with(w));
    appositive && !text[open + 1..start].contains(['.', ';'])
}

/// True when the text between two names makes them one list (`、`, `和`, `, and`, `– creator of X –`).
fn is_connector(gap: &str) -> bool {
    CONNECTOR.is_match(gap) || APPOSITION_ONLY.is_match(gap)
}

/// Extracts the relations of one document. The events that event rules find are appended to
/// `entities` (and their mentions to `mentions`), with their `involved_in` relations.
pub fn extract(
    doc: &Document,
    entities: &mut Vec<Entity>,
    mentions: &mut Vec<(usize, Mention)>,
    rules: &RuleSet,
    lexicon: &Lexicon,
) -> Vec<Relation> {
    let mut event_matches: Vec<crate::event::EventMatch> = Vec::new();
    let mut slots: Vec<Slot> = mentions
        .iter()
        .map(|(e, m)| Slot {
            start: m.start,
            end: m.end,
            etype: m.etype,
            entity: *e,
            sentence: sentence_of(doc, m.start),
        })
        .collect();
    slots.extend(special::pronouns(doc, &slots, entities, &rules.words));
    slots.sort_by_key(|s| (s.start, s.end));
    debug_assert!(slots.windows(2).all(|w| w[0].sentence <= w[1].sentence));
    let mut out: Vec<Relation> = Vec::new();
    let topic = special::topics(entities);
    // Each rule's cues found in the sentence at hand, and the rules that have some: a sentence
    // touches a few of the rules, and only those are looked at (and cleared for the next).
    let mut found: Vec<Vec<(usize, usize)>> = vec![Vec::new(); rules.rules.len()];
    let mut touched: Vec<usize> = Vec::new();
    for sent in &doc.sentences {
        let st = doc.sentence_text(sent);
        // A "sentence" of thousands of characters is a table or a page without punctuation, not a
        // statement; the frames would only cost time there.
        if st.len() > MAX_SENTENCE_BYTES {
            continue;
        }
        for r in touched.drain(..) {
            found[r].clear();
        }
        // Every cue of every rule in one pass over the sentence.
        for m in rules.cue_matcher().find_overlapping_iter(st) {
            for &(r, c) in rules.cue_owners(m.pattern().as_usize()) {
                if found[r].is_empty() {
                    touched.push(r);
                }
                found[r].push((c, m.start()));
            }
        }
        if touched.is_empty() {
            continue;
        }
        // Event rules first: a trigger that told an event is not a cue of another rule
        // (`GPT-4发布第二天`: a launch, not GPT-4 taking part in what follows). Then the rules'
        // own order.
        touched.sort_unstable_by_key(|&r| (rules.rules[r].event.is_none(), r));
        // Slots are sorted by position: this sentence's are one run of them.
        let lo = slots.partition_point(|s| s.start < sent.start);
        let hi = slots.partition_point(|s| s.start < sent.end);
        let in_sentence: Vec<Slot> = slots[lo..hi]
            .iter()
            .copied()
            .filter(|s| s.sentence == sent.index)
            .collect();
        let clause_spans: Vec<(usize, usize)> = clauses(st)
            .into_iter()
            .map(|(a, b)| (sent.start + a, sent.start + b))
            .collect();
        let mut event_spans: Vec<(usize, usize)> = Vec::new();
        for &ri in &touched {
            let rule = &rules.rules[ri];
            if !rule.context.is_empty() && !context_ok(doc, sent.index, &rule.context) {
                continue;
            }
            // Longest cues first, then in text order, as the rule lists them.
            found[ri].sort_unstable();
            let mut used: Vec<(usize, usize)> = Vec::new();
            for &(ci, off) in &found[ri] {
                let cue = &rule.cues[ci];
                {
                    let cs = sent.start + off;
                    let ce = cs + cue.len();
                    if used.iter().any(|&(a, b)| cs < b && a < ce) {
                        continue;
                    }
                    if !cue_ok(&doc.text, cs, ce, rule.lang, &in_sentence)
                        || rule.not_after.iter().any(|w| doc.text[..cs].ends_with(w.as_str()))
                        || rule.not_before.iter().any(|w| doc.text[ce..].starts_with(w.as_str()))
                        || !followed_ok(&doc.text[ce..sent.end], &rule.followed_by)
                        || rule.event.is_none() && event_spans.iter().any(|&(a, b)| cs < b && a < ce)
                    {
                        continue;
                    }
                    let scope = match rule.scope {
                        Scope::Sentence => (sent.start, sent.end),
                        Scope::Clause => clause_spans
                            .iter()
                            .copied()
                            .find(|&(a, b)| a <= cs && ce <= b)
                            .unwrap_or((sent.start, sent.end)),
                    };
                    let Some((heads, tails, first, after_cue)) =
                        match_rule(&doc.text, rule, (cs, ce), scope, &in_sentence, &rules.words)
                    else {
                        continue;
                    };
                    // Plans and rumours are no relations, and no events unless the class says a plan is news.
                    let plans_count = rule
                        .event
                        .as_deref()
                        .and_then(|e| rules.class(e))
                        .is_some_and(|c| c.plans_count);
                    if negated(&doc.text, first.min(cs), cs, scope.0, rules.negation_matcher())
                        || !plans_count && negated(&doc.text, first.min(cs), cs, scope.0, rules.hypothetical_matcher())
                        || denied_after(&doc.text[ce..sent.end], &rules.words)
                    {
                        continue;
                    }
                    // `由A领投、B参投`: a name after the cue that invests itself is a co-investor, not
                    // the company that raised.
                    let mut tails = tails;
                    if rule.relation == Some(RelationType::InvestsIn) {
                        tails.retain(|&t| {
                            !starting_in(&slots, ce, scope.1).iter().any(|x| {
                                x.entity == t
                                    && x.start >= ce
                                    && x.end <= scope.1
                                    && invests_itself(&doc.text[x.end..scope.1], &rules.words)
                            })
                        });
                        if tails.is_empty() && rule.tail_fallback == Fallback::None {
                            continue;
                        }
                    }
                    let (mut heads, mut tails) = (heads, tails);
                    if rule.rest
                        && let Some((is_tail, from)) = after_cue
                    {
                        let near = starting_in(&slots, from, scope.1);
                        if is_tail {
                            tails = rest_of_slot(&doc.text, tails, &rule.tail, near, (from, scope.1), &rules.words);
                        } else {
                            heads = rest_of_slot(&doc.text, heads, &rule.head, near, (from, scope.1), &rules.words);
                        }
                    }
                    let carried = (heads.is_empty(), tails.is_empty());
                    let heads = fill(
                        doc,
                        heads,
                        rule.head_fallback,
                        &rule.head,
                        &slots,
                        &topic,
                        cs,
                        sent.index,
                        &[],
                        &rules.words,
                    );
                    // Investors already named are not the company that raised; only that fallback
                    // asks, and gathering them at every cue made long documents quadratic.
                    let mut investors: Vec<usize> = Vec::new();
                    if tails.is_empty() && rule.tail_fallback == Fallback::Raiser {
                        investors.extend(
                            out.iter()
                                .filter(|r| r.rtype == RelationType::InvestsIn)
                                .map(|r| r.head),
                        );
                        investors.extend(heads.iter().copied());
                    }
                    let tails = fill(
                        doc,
                        tails,
                        rule.tail_fallback,
                        &rule.tail,
                        &slots,
                        &topic,
                        cs,
                        sent.index,
                        &investors,
                        &rules.words,
                    );
                    // An event rule whose slot came from context leaves its relation to the event
                    // stage, which knows the event's principal.
                    let deferred = rule.event.is_some() && (carried.0 || carried.1);
                    if let Some(class) = &rule.event
                        && (!heads.is_empty() || !tails.is_empty())
                    {
                        event_spans.push((cs, ce));
                        event_matches.push(crate::event::EventMatch {
                            class: class.clone(),
                            heads: heads.clone(),
                            tails: tails.clone(),
                            carried,
                            relation: rule.relation.filter(|_| deferred),
                            sentence: sent.index,
                            clause: scope,
                            cue: cue.clone(),
                            cue_start: cs,
                        });
                        used.push((cs, ce));
                    }
                    let Some(relation) = rule.relation else { continue };
                    if heads.is_empty() || tails.is_empty() || deferred {
                        continue;
                    }
                    used.push((cs, ce));
                    // The three sentences before, nearest first (a round's amount may be stated there).
                    let previous: Vec<(usize, usize)> = (sent.index.saturating_sub(3)..sent.index)
                        .rev()
                        .map(|i| (doc.sentences[i].start, doc.sentences[i].end))
                        .collect();
                    let cue_clause = clause_spans
                        .iter()
                        .copied()
                        .find(|&(a, b)| a <= cs && ce <= b)
                        .unwrap_or(scope);
                    let attrs = attributes(
                        &rules.words,
                        &doc.text,
                        relation,
                        (scope, cue_clause),
                        (sent.start, sent.end),
                        &previous,
                    );
                    let pairs: Vec<(usize, usize)> =
                        if rule.frames.iter().any(|f| f.contains(&Tok::List)) && heads == tails {
                            heads
                                .iter()
                                .enumerate()
                                .flat_map(|(i, &a)| heads[i + 1..].iter().map(move |&b| (a, b)))
                                .collect()
                        } else {
                            heads.iter().flat_map(|&h| tails.iter().map(move |&t| (h, t))).collect()
                        };
                    for (h, t) in pairs {
                        if h == t || entities[h].key == entities[t].key {
                            continue;
                        }
                        // Rivals and partners are of one kind: a company and a model are not rivals.
                        if relation.is_symmetric() && entities[h].etype != entities[t].etype {
                            continue;
                        }
                        // `由前大疆工程师A与B共同创办`: a company that qualifies a person (its engineer,
                        // its professor) before the founding verb is their past employer, not the
                        // company founded.
                        if relation == RelationType::Founded
                            && starting_in(&slots, scope.0, cs).iter().any(|x| {
                                x.entity == t
                                    && x.end <= cs
                                    && x.start >= scope.0
                                    && rules
                                        .words
                                        .person_titles
                                        .iter()
                                        .any(|w| doc.text[x.end..cs].trim_start().starts_with(w.as_str()))
                            })
                            && !starting_in(&slots, ce, scope.1)
                                .iter()
                                .any(|x| x.entity == t && x.start >= ce && x.end <= scope.1)
                        {
                            continue;
                        }
                        // `百度自动驾驶事业部的负责人`, `美团核心本地商业CEO`, `led photonics research at
                        // Philips`: the head of a part of a company works there; it leads the part.
                        let relation = if relation == RelationType::Leads
                            && leads_a_part(
                                &doc.text,
                                starting_in(&slots, scope.0, scope.1),
                                t,
                                (cs, ce),
                                scope,
                                &rules.words,
                            ) {
                            RelationType::WorksAt
                        } else {
                            relation
                        };
                        out.push(Relation {
                            head: h,
                            tail: t,
                            rtype: relation,
                            attributes: attrs.clone(),
                            evidence: evidence(doc, sent.index, cue, cs),
                        });
                    }
                }
            }
        }
    }
    special::apply(doc, entities, mentions, &slots, lexicon, &mut out);
    crate::event::build(
        doc,
        &rules.classes,
        &rules.words,
        &event_matches,
        entities,
        mentions,
        &mut out,
    );
    dedupe(&mut out);
    out
}

/// The evidence record of a sentence and cue.
pub(crate) fn evidence(doc: &Document, sentence: usize, cue: &str, cue_start: usize) -> Evidence {
    let s = &doc.sentences[sentence];
    Evidence {
        doc: doc.source.clone(),
        sentence_index: sentence,
        sentence: doc.sentence_text(s).to_string(),
        cue: cue.to_string(),
        cue_start,
    }
}

pub(crate) fn sentence_of(doc: &Document, pos: usize) -> usize {
    doc.sentences
        .partition_point(|s| s.end <= pos)
        .min(doc.sentences.len().saturating_sub(1))
}

fn context_ok(doc: &Document, sentence: usize, words: &[String]) -> bool {
    let from = sentence.saturating_sub(1);
    let text: String = doc.sentences[from..=sentence]
        .iter()
        .map(|s| doc.sentence_text(s).to_lowercase())
        .collect();
    words.iter().any(|w| text.contains(crate::normalize::lower(w).as_ref()))
}

/// True when what follows a cue is one of `words`, or the sentence ends (no words: anything may follow).
fn followed_ok(rest: &str, words: &[String]) -> bool {
    let rest = rest.trim_start();
    words.is_empty() || rest.is_empty() || words.iter().any(|w| rest.starts_with(w.as_str()))
}

/// A cue counts outside names, and for English only as whole words.
fn cue_ok(text: &str, cs: usize, ce: usize, lang: CueLang, slots: &[Slot]) -> bool {
    // Inside a name (`竞争` in an event's name is part of the name, not a cue).
    if slots.iter().any(|s| s.start < ce && cs < s.end) {
        return false;
    }
    let cue = &text[cs..ce];
    if lang == CueLang::En || cue.is_ascii() && cue.chars().any(|c| c.is_ascii_alphabetic()) {
        let prev = text[..cs].chars().next_back();
        let next = text[ce..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !crate::normalize::is_cjk(c));
        if cue.starts_with(|c: char| c.is_alphanumeric()) && word(prev) {
            return false;
        }
        // `best-funded` is no `funded`: a hyphenated word is one word.
        if prev == Some('-') && word(text[..cs - 1].chars().next_back()) && cue.starts_with(|c: char| c.is_alphabetic())
        {
            return false;
        }
        if cue.ends_with(|c: char| c.is_alphanumeric()) && word(next) {
            return false;
        }
    }
    true
}

/// Characters between two parts of a frame. A Chinese clause break (`，`, `；`, or an ASCII
/// comma next to a Chinese character) puts them out of reach unless `across` (long-range
/// sentence rules, `max_gap` of 30 or more).
fn gap_chars(text: &str, a: usize, b: usize, across: bool) -> usize {
    if a >= b {
        return 0;
    }
    let gap = &text[a..b];
    let cjk_comma = gap.char_indices().any(|(i, c)| match c {
        '，' | '；' => true,
        ',' | ';' => {
            let prev = text[..a + i].chars().next_back();
            let next = text[a + i + 1..].chars().next();
            prev.is_some_and(crate::normalize::is_cjk) || next.is_some_and(crate::normalize::is_cjk)
        }
        _ => false,
    });
    if cjk_comma && !across {
        usize::MAX
    } else {
        gap.chars().count()
    }
}

/// Matches a rule's frames around one cue; gives the head and tail entities and where the match
/// begins. Slots first try to take whole lists (`A、B和C`), then single names.
fn match_rule(
    text: &str,
    rule: &Rule,
    (cs, ce): (usize, usize),
    scope: (usize, usize),
    slots: &[Slot],
    words: &Words,
) -> Option<Matched> {
    [rule.lists, false]
        .into_iter()
        .find_map(|expand| match_frames(text, rule, (cs, ce), scope, slots, expand, words))
}

/// Tries each frame around the cue span `(cs, ce)`; `expand` lets a slot take a whole list.
fn match_frames(
    text: &str,
    rule: &Rule,
    (cs, ce): (usize, usize),
    scope: (usize, usize),
    slots: &[Slot],
    expand: bool,
    words: &Words,
) -> Option<Matched> {
    let plain_caps = words.capitalised_plain.as_slice();
    'frames: for frame in &rule.frames {
        let ci = frame.iter().position(|t| *t == Tok::Cue)?;
        let mut heads = Vec::new();
        let mut tails = Vec::new();
        // The entities a frame has taken: a few, so a list beats a hashed set.
        let mut used: Vec<usize> = Vec::new();
        let mut pos = cs;
        let mut first = cs;
        for (ti, tok) in frame[..ci].iter().enumerate().rev() {
            match tok {
                Tok::NoHeadBefore => {
                    // No head-type name earlier in the clause: the clause has no subject of its own.
                    if slots
                        .iter()
                        .any(|s| rule.head.contains(&s.etype) && s.end <= pos && s.start >= scope.0)
                    {
                        continue 'frames;
                    }
                }
                Tok::NoTailBefore => {
                    // No tail-type name just before: the fallback is for roles named without their company.
                    let near = slots.iter().any(|s| {
                        rule.tail.contains(&s.etype)
                            && s.end <= pos
                            && s.start >= scope.0
                            && gap_chars(text, s.end, pos, true) <= 20
                    });
                    // An unknown capitalised name right before counts as a company too (`Informatica CEO`).
                    let last_word = text[scope.0..pos]
                        .trim_end()
                        .rsplit(|c: char| !c.is_alphanumeric())
                        .next()
                        .unwrap_or("");
                    let named = last_word.chars().next().is_some_and(|c| c.is_uppercase())
                        && !["The", "A", "An", "Its", "Our", "Their", "His", "Her"].contains(&last_word);
                    if near || named {
                        continue 'frames;
                    }
                }
                Tok::ClauseStart => {
                    // The start of the clause: only spaces and marks before.
                    if text[scope.0..pos].chars().any(|c| c.is_alphanumeric()) {
                        continue 'frames;
                    }
                    pos = scope.0;
                }
                Tok::Lit(l) => match find_lit_back(text, l, scope.0, pos, rule.max_gap) {
                    Some(p) => pos = p,
                    None => continue 'frames,
                },
                slot => {
                    let types = if *slot == Tok::Head { &rule.head } else { &rule.tail };
                    // The frame itself puts 与 before the slot (`H 与 T C`): the name before 与 is
                    // the other party, never one more of this slot's list.
                    let frame_joins = match ti.checked_sub(1).map(|i| &frame[i]) {
                        Some(Tok::Lit(l)) if words.frame_joiners.iter().any(|j| j == l) => Some(l.as_str()),
                        _ => None,
                    };
                    let window = Window {
                        text,
                        lo: scope.0,
                        hi: pos,
                        max_gap: rule.max_gap,
                        expand,
                        plain_caps: None,
                        skip_source: !matches!(ti.checked_sub(1).map(|i| &frame[i]), Some(Tok::Lit(l)) if l.ends_with('从')),
                        stop_at_join: frame_joins,
                    };
                    // `Periodic Labs, founded by researchers from OpenAI and Google, … and raised…`: a
                    // second predicate joined by `and` has the sentence's subject, not the nearest name.
                    let coordinated = ti + 1 == ci && rule.lang == CueLang::En && {
                        let b = text[scope.0..cs].trim_end();
                        // The text from the nearest name to the cue: `… and raised a $300 million`.
                        let after_nearest = slots
                            .iter()
                            .filter(|s| s.start >= scope.0 && s.end <= cs && types.contains(&s.etype))
                            .map(|s| s.end)
                            .max()
                            .map_or("", |e| text[e..cs].trim_start());
                        let verb_after_and = after_nearest.strip_prefix("and ").is_some_and(|r| {
                            let w = r.split(' ').next().unwrap_or("");
                            w.len() > 2
                                && w.chars().all(|c| c.is_ascii_lowercase())
                                && (w.ends_with("ed") || w.ends_with('s'))
                                && !["its", "this", "has", "was", "is"].contains(&w)
                        });
                        verb_after_and
                            || [" and", " and has", " and have", " and then", " and later", " and also"]
                                .iter()
                                .any(|a| b.ends_with(a))
                    };
                    let subject = coordinated
                        .then(|| {
                            // A possessive (`Its most prominent rival, Periodic Labs, …`) is no subject.
                            slots.iter().position(|s| {
                                s.start >= scope.0
                                    && s.end <= cs
                                    && types.contains(&s.etype)
                                    && !used.contains(&s.entity)
                                    && !["Its", "its", "Their", "their"].contains(&&text[s.start..s.end])
                                    && !text[s.end..].starts_with(['\'', '’'])
                            })
                        })
                        .flatten();
                    let Some(mut list) = subject
                        .map(|i| vec![i])
                        .or_else(|| take(&window, slots, types, &used, Dir::Back))
                    else {
                        continue 'frames;
                    };
                    if *slot == Tok::List && list.len() < 2 {
                        continue 'frames;
                    }
                    // `马斯克在2015年与阿尔特曼共同创办了…`: a subject joined by 与 across an adverbial
                    // shares the slot.
                    if expand
                        && frame_joins.is_none()
                        && let Some(x) = coordinated_before(text, slots, *list.last().unwrap(), types, scope.0)
                    {
                        list.push(x);
                    }
                    pos = slots[*list.last().unwrap()].start;
                    for &i in &list {
                        used.push(slots[i].entity);
                    }
                    let ents = list.iter().map(|&i| slots[i].entity);
                    match slot {
                        Tok::Head => heads.extend(ents),
                        Tok::Tail => tails.extend(ents),
                        _ => {
                            let v: Vec<usize> = ents.collect();
                            heads.extend(v.iter().copied());
                            tails.extend(v);
                        }
                    }
                }
            }
            first = pos;
        }
        let mut pos = ce;
        let mut after_cue: Option<(bool, usize)> = None;
        for tok in &frame[ci + 1..] {
            // Right after the cue the object must come soon (`收购`+T, `purchase of`+T).
            let gap = if pos == ce {
                rule.gap_after.unwrap_or(rule.max_gap)
            } else {
                rule.max_gap
            };
            match tok {
                Tok::Lit(l) => match find_lit_fwd(text, l, pos, scope.1, gap) {
                    Some(p) => pos = p,
                    None => continue 'frames,
                },
                slot => {
                    let types = if *slot == Tok::Head { &rule.head } else { &rule.tail };
                    let window = Window {
                        text,
                        lo: pos,
                        hi: scope.1,
                        max_gap: gap,
                        expand,
                        plain_caps: (rule.lang == CueLang::En).then_some(plain_caps),
                        skip_source: false,
                        stop_at_join: None,
                    };
                    let Some(list) = take(&window, slots, types, &used, Dir::Fwd) else {
                        continue 'frames;
                    };
                    if *slot == Tok::List && list.len() < 2 {
                        continue 'frames;
                    }
                    pos = slots[*list.last().unwrap()].end;
                    after_cue.get_or_insert((*slot == Tok::Tail, pos));
                    for &i in &list {
                        used.push(slots[i].entity);
                    }
                    let ents = list.iter().map(|&i| slots[i].entity);
                    match slot {
                        Tok::Head => heads.extend(ents),
                        Tok::Tail => tails.extend(ents),
                        _ => {
                            let v: Vec<usize> = ents.collect();
                            heads.extend(v.iter().copied());
                            tails.extend(v);
                        }
                    }
                }
            }
        }
        return Some((heads, tails, first, after_cue));
    }
    None
}

/// What a frame matched: the heads, the tails, where the match starts, and for the first slot after
/// the cue whether it is the tail and where its names end.
type Matched = (Vec<usize>, Vec<usize>, usize, Option<(bool, usize)>);

/// The name a Chinese `X（在…）与Y` joins to the slot at `y`: the nearest name of an allowed type
/// before `与/和/跟/同`, at most twelve characters of other words between, no name among them.
fn coordinated_before(text: &str, slots: &[Slot], y: usize, types: &[EntityType], lo: usize) -> Option<usize> {
    let before = text[lo..slots[y].start].trim_end();
    let joint = ["与", "和", "跟", "同"].iter().find(|j| before.ends_with(**j))?;
    let at = lo + before.len() - joint.len();
    let x = (0..slots.len())
        .filter(|&i| slots[i].end <= at && slots[i].start >= lo && slots[i].entity != slots[y].entity)
        .max_by_key(|&i| slots[i].end)?;
    let gap = &text[slots[x].end..at];
    (types.contains(&slots[x].etype)
        && gap.chars().count() <= 12
        && !gap.contains(['，', '。', ',', '；'])
        && gap.chars().any(crate::normalize::is_cjk))
    .then_some(x)
}

/// A literal as written and, when it has a straight apostrophe, with a curly one; borrowed when
/// there is nothing to change (literals are looked for many times a sentence).
fn lit_variants(l: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    let curly = l.contains('\'').then(|| std::borrow::Cow::Owned(l.replace('\'', "’")));
    std::iter::once(std::borrow::Cow::Borrowed(l)).chain(curly)
}

/// Where `needle` last occurs in `hay`. The window is a few dozen bytes: each place where the
/// needle's last byte occurs is compared, which costs less than setting up memchr's searcher for
/// every literal tried.
fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&last, head)) = needle.split_last() else {
        return Some(hay.len());
    };
    let mut end = hay.len();
    while let Some(i) = memchr::memrchr(last, &hay[..end]) {
        if i >= head.len() && hay[i - head.len()..i] == *head {
            return Some(i - head.len());
        }
        end = i;
    }
    None
}

/// How many bytes from the cue a literal `l` (or its variant) may reach within `max_gap`
/// characters: a literal more than `max_gap` characters (at most 4 bytes each) away is too far,
/// so only this much of a window is searched (a clause can be hundreds of bytes long). A variant is
/// at most three times the literal (`'` is 3 bytes as `’`).
fn reach(l: &str, max_gap: usize) -> usize {
    max_gap.saturating_mul(4).saturating_add(3 * l.len())
}

fn find_lit_back(text: &str, l: &str, lo: usize, hi: usize, max_gap: usize) -> Option<usize> {
    let mut lo = lo.max(hi.saturating_sub(reach(l, max_gap)));
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let hay = &text[lo..hi];
    lit_variants(l)
        // A match of UTF-8 in UTF-8 is at a char boundary.
        .filter_map(|v| rfind(hay.as_bytes(), v.as_bytes()).map(|i| (lo + i, lo + i + v.len())))
        .filter(|&(_, e)| gap_chars(text, e, hi, max_gap >= 30) <= max_gap)
        .map(|(s, _)| s)
        .max()
}

fn find_lit_fwd(text: &str, l: &str, lo: usize, hi: usize, max_gap: usize) -> Option<usize> {
    let mut hi = hi.min(lo.saturating_add(reach(l, max_gap)));
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    let hay = &text[lo..hi];
    lit_variants(l)
        .filter_map(|v| hay.find(&*v).map(|i| (lo + i, lo + i + v.len())))
        .filter(|&(s, _)| gap_chars(text, lo, s, max_gap >= 30) <= max_gap)
        .map(|(_, e)| e)
        .min()
}

/// Sentences longer than this are not read for relations.
const MAX_SENTENCE_BYTES: usize = 12_000;

/// The most names one slot takes from a list.
const MAX_LIST: usize = 12;

/// Which way a frame looks from the cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Back,
    Fwd,
}

/// Where a slot may be taken from: the text between `lo` and `hi`, parts at most `max_gap` apart.
struct Window<'a> {
    text: &'a str,
    lo: usize,
    hi: usize,
    max_gap: usize,
    expand: bool,
    /// Capitalised words that are no names (`The`, `New`, month names), for English frames; none
    /// for other rules.
    plain_caps: Option<&'a [String]>,
    /// Step over a name right after `从` (`字节从阿里挖来了周畅`: 阿里 is where he came from, not
    /// who hired him), unless the frame itself asks for `从` there.
    skip_source: bool,
    /// The frame puts 与/和 before this slot (`H 与 T C`): a list going back stops there, for the
    /// name before it is the other party.
    stop_at_join: Option<&'a str>,
}

/// True when a capitalised word outside every slot stands between `lo` and `hi`.
fn unknown_name_between(text: &str, lo: usize, hi: usize, slots: &[Slot], plain: Option<&[String]>) -> bool {
    let Some(plain) = plain else { return false };
    let gap = &text[lo..hi];
    let mut at = lo;
    for word in gap.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’')) {
        let start = lo + (gap[at - lo..].find(word).unwrap_or(0) + (at - lo));
        at = start + word.len();
        if word.is_empty() || !word.starts_with(|c: char| c.is_ascii_uppercase()) || !word.is_ascii() {
            continue;
        }
        // `New York-based`, `Amazon-backed`: a compound adjective, not a name in the object's place.
        if word
            .split_once('-')
            .is_some_and(|(_, t)| t.starts_with(|c: char| c.is_ascii_lowercase()))
        {
            continue;
        }
        let bare = word.trim_end_matches("'s").trim_end_matches("’s");
        if plain.iter().any(|p| p == bare) || bare.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
            continue;
        }
        if !slots.iter().any(|s| s.start <= start && at <= s.end) {
            return true;
        }
    }
    false
}

/// The nearest slot of an allowed type before `hi` (`Back`) or after `lo` (`Fwd`), then the list
/// it closes or opens (`A、B和C`) when the window allows lists.
fn take(w: &Window, slots: &[Slot], types: &[EntityType], used: &[usize], dir: Dir) -> Option<Vec<usize>> {
    let text = w.text;
    let allowed = |s: &Slot| s.start >= w.lo && s.end <= w.hi && types.contains(&s.etype) && !used.contains(&s.entity);
    let first = match dir {
        Dir::Back => {
            let near = |i: usize| allowed(&slots[i]) && !(w.skip_source && text[..slots[i].start].ends_with('从'));
            let key = |i: usize| (slots[i].end, std::cmp::Reverse(slots[i].start));
            // The apposition test costs most: the nearest name is tried first, and only when it
            // is in apposition are all of them tested (the same choice either way).
            let nearest = (0..slots.len()).filter(|&i| near(i)).max_by_key(|&i| key(i))?;
            if !in_apposition(text, slots[nearest].start, slots[nearest].end, w.hi) {
                nearest
            } else {
                (0..slots.len())
                    .filter(|&i| near(i) && !in_apposition(text, slots[i].start, slots[i].end, w.hi))
                    .max_by_key(|&i| key(i))?
            }
        }
        Dir::Fwd => (0..slots.len())
            .filter(|&i| allowed(&slots[i]))
            .min_by_key(|&i| (slots[i].start, std::cmp::Reverse(slots[i].end)))?,
    };
    // `对标OpenAI的o1`: an owner before 的 stands for the thing it owns when that is a name of
    // another type the slot takes.
    let owned = |i: usize| {
        let rest = &text[slots[i].end..];
        let len = ["的", "'s ", "’s "].iter().find(|p| rest.starts_with(**p))?.len();
        (0..slots.len())
            .find(|&j| slots[j].start == slots[i].end + len && slots[j].etype != slots[i].etype && allowed(&slots[j]))
    };
    let first = match dir {
        Dir::Fwd => owned(first).unwrap_or(first),
        Dir::Back => first,
    };
    let gap = match dir {
        Dir::Back => gap_chars(text, slots[first].end, w.hi, w.max_gap >= 30),
        Dir::Fwd => gap_chars(text, w.lo, slots[first].start, w.max_gap >= 30),
    };
    if gap > w.max_gap {
        return None;
    }
    // An English object is the first name after the cue: a capitalised name nobody recognised
    // stands in its place (`purchase of Nuvia, a start-up founded by former Apple engineers` is no
    // purchase of Apple).
    if dir == Dir::Fwd && unknown_name_between(text, w.lo, slots[first].start, slots, w.plain_caps) {
        return None;
    }
    let mut list = vec![first];
    let mut cur = first;
    // The text between the current item and a candidate, in text order.
    let between = |cur: usize, i: usize| match dir {
        Dir::Back => &text[slots[i].end..slots[cur].start],
        Dir::Fwd => &text[slots[cur].end..slots[i].start],
    };
    loop {
        if !w.expand {
            break;
        }
        let mut beyond: Vec<usize> = (0..slots.len())
            .filter(|&i| {
                allowed(&slots[i])
                    && match dir {
                        Dir::Back => slots[i].end <= slots[cur].start,
                        Dir::Fwd => slots[i].start >= slots[cur].end,
                    }
            })
            .collect();
        beyond.sort_by_key(|&i| match dir {
            Dir::Back => slots[cur].start - slots[i].end,
            Dir::Fwd => slots[i].start - slots[cur].end,
        });
        // A name inside an apposition (`OpenAI – creator of ChatGPT – Google`) is stepped over.
        // `豆包、百度的文心一言`: the owner of the next item is stepped over (going back).
        let owner_of_cur = |i: usize| {
            dir == Dir::Back && slots[i].etype != slots[cur].etype && ["的", "'s ", "’s "].contains(&between(cur, i))
        };
        let (beyond, skipped_owner) = match beyond.first() {
            Some(&o) if owner_of_cur(o) => {
                let os = slots[o].start;
                let after_owner: Vec<usize> = beyond
                    .iter()
                    .copied()
                    .filter(|&i| i != o && slots[i].end <= os && is_connector(&text[slots[i].end..os]))
                    .take(1)
                    .collect();
                (after_owner, true)
            }
            _ => (beyond, false),
        };
        // `DeepSeek-R1和OpenAI的o1` (going forward): a connector, then the next item's owner.
        let via_owner = |i: usize| {
            dir == Dir::Fwd && {
                let b = between(cur, i);
                ["的", "'s ", "’s "].iter().any(|p| b.ends_with(*p))
                    && slots.iter().any(|o| {
                        o.start >= slots[cur].end
                            && o.end < slots[i].start
                            && o.etype != slots[i].etype
                            && ["的", "'s ", "’s "].contains(&&text[o.end..slots[i].start])
                            && is_connector(&text[slots[cur].end..o.start])
                    })
            }
        };
        let skipped_owner = skipped_owner || beyond.first().is_some_and(|&i| via_owner(i));
        let next = beyond
            .iter()
            .take(3)
            .copied()
            .find(|&i| slots[i].entity == slots[cur].entity || is_connector(between(cur, i)) || skipped_owner)
            .or(beyond.first().copied());
        match next {
            // `辛顿（Geoffrey Hinton）`: the same entity twice is one list item.
            Some(i) if slots[i].entity == slots[cur].entity && between(cur, i).trim().len() <= 3 => cur = i,
            // Lists of names run long only in tables and tag clouds, not in statements.
            Some(_) if list.len() >= MAX_LIST => break,
            Some(i) if w.stop_at_join.is_some_and(|j| between(cur, i).trim() == j) => break,
            Some(i) if is_connector(between(cur, i)) || skipped_owner => {
                if !list.iter().any(|&j| slots[j].entity == slots[i].entity) {
                    list.push(i);
                }
                cur = i;
            }
            _ => break,
        }
    }
    Some(list)
}

/// A denial later in the sentence takes the statement back (`…收购了深言科技，但字节方面随后否认了这一消息`).
fn denied_after(rest: &str, words: &Words) -> bool {
    words.denials_after.iter().any(|w| rest.contains(w.as_str()))
}

/// True when one of the words of `negations` (an automaton over them in lower case, see
/// [`RuleSet::negation_matcher`]) stands between a little before `from` and the cue.
fn negated(text: &str, from: usize, cue: usize, scope_start: usize, negations: &aho_corasick::AhoCorasick) -> bool {
    // Look a few characters before the first argument as well (`否认将收购`).
    let mut lo = from;
    for _ in 0..16 {
        if lo <= scope_start {
            break;
        }
        lo = text[..lo].char_indices().next_back().map_or(0, |(i, _)| i);
    }
    let window = text[lo.max(scope_start).min(cue)..cue].to_lowercase();
    negations.is_match(&window)
}

#[allow(clippy::too_many_arguments)]
fn fill(
    doc: &Document,
    found: Vec<usize>,
    fallback: Fallback,
    types: &[EntityType],
    slots: &[Slot],
    topic: &BTreeMap<EntityType, usize>,
    cue: usize,
    sentence: usize,
    exclude: &[usize],
    words: &Words,
) -> Vec<usize> {
    if !found.is_empty() {
        return found;
    }
    let text = doc.text.as_str();
    match fallback {
        Fallback::None => Vec::new(),
        Fallback::Topic => types.iter().filter_map(|t| topic.get(t).copied()).take(1).collect(),
        Fallback::Employer => subject_of(slots, sentence, cue)
            .filter(|s| types.contains(&s.etype))
            // A unit (`大模型平台部的负责人…向创始人X汇报`) is no one's founder: the company is.
            .filter(|s| !words.is_unit_name(&text[s.start..s.end]))
            .map(|s| s.entity)
            .or_else(|| types.iter().find_map(|t| topic.get(t).copied()))
            .into_iter()
            .collect(),
        // Only when the sentence opens with a name of the right type (not `马斯克…离开OpenAI…，并推出Grok`);
        // a sentence that names nobody before the cue carries the subject of the sentence before, in
        // the same paragraph (`腾讯完成了调整。新成立了AI Infra部`).
        Fallback::Subject => subject_of(slots, sentence, cue)
            .or_else(|| carried_subject(doc, slots, sentence, cue))
            .filter(|s| types.contains(&s.etype))
            .map(|s| vec![s.entity])
            .unwrap_or_default(),
        Fallback::Raiser => of_sentences(slots, sentence.saturating_sub(4), sentence)
            .iter()
            .filter(|s| s.end <= cue && s.sentence + 4 >= sentence && types.contains(&s.etype))
            .filter(|s| !exclude.contains(&s.entity))
            .filter(|s| {
                let rest = &text[s.end..];
                // `ASML led the round`: an investor, not the company that raised.
                if invests_itself(rest, words) {
                    return false;
                }
                let clause_end = rest
                    .find(['，', '。', ',', '；', '\n', '！', '？'])
                    .into_iter()
                    .chain(rest.find(". "))
                    .min()
                    .unwrap_or(rest.len());
                words.is_round_text(&rest[..clause_end])
            })
            .max_by_key(|s| s.end)
            .map(|s| vec![s.entity])
            .or_else(|| {
                types
                    .iter()
                    .find_map(|t| topic.get(t))
                    .filter(|t| !exclude.contains(t))
                    .map(|&t| vec![t])
            })
            .unwrap_or_default(),
        // The nearest before the cue, else the article's main one (`后来这套文章集结成书` long after the author was named).
        // A company that only says where a person worked before (`原英伟达销售总监王东`) is passed over,
        // and so is a unit: it is no company's name.
        Fallback::Recent => of_sentences(slots, sentence.saturating_sub(3), sentence)
            .iter()
            .filter(|s| s.end <= cue && s.sentence + 3 >= sentence && types.contains(&s.etype))
            .filter(|s| {
                s.etype != EntityType::Company
                    || !(words.former_words.iter().any(|w| text[..s.start].ends_with(w.as_str()))
                        || words.is_unit_name(&text[s.start..s.end]))
            })
            .max_by_key(|s| s.end)
            .map(|s| vec![s.entity])
            .or_else(|| types.iter().find_map(|t| topic.get(t)).map(|&t| vec![t]))
            .unwrap_or_default(),
    }
}

/// A slot's names and every name of its types after the cue, up to a stop that no list word
/// follows (`…，以及B` goes on, `…, who co-founded X` and `…；而Y` end it). After a relative
/// clause, a comma and a list word take the list up again (`A, who ran X, and B`).
fn rest_of_slot(
    text: &str,
    mut names: Vec<usize>,
    types: &[EntityType],
    slots: &[Slot],
    (from, to): (usize, usize),
    words: &Words,
) -> Vec<usize> {
    let mut at = from;
    let mut open = true;
    for x in slots.iter().filter(|x| x.start >= from && x.end <= to) {
        let gap = &text[at.min(x.start)..x.start];
        at = at.max(x.end);
        // A comma after a Chinese character is a Chinese comma, whatever its width.
        let han_comma = gap
            .match_indices(',')
            .filter(|&(i, _)| gap[..i].chars().next_back().is_some_and(crate::normalize::is_cjk));
        let stops: Vec<(usize, &str)> = words
            .rest_stops
            .iter()
            .flat_map(|w| gap.match_indices(w.as_str()))
            .chain(han_comma)
            .collect();
        let continues = |&(i, stop): &(usize, &str)| {
            let after = gap[i + stop.len()..].trim_start();
            words.coordinators.iter().any(|w| after.starts_with(w.trim_start()))
        };
        let comma_and = || gap.match_indices([',', '，']).any(|s| continues(&s));
        // A sentence's or a clause's end stops the list for good.
        if gap.contains(['。', '；', ';']) {
            break;
        }
        // A name in brackets (`Eric Schmidt (former CEO of Google)`) describes the one before.
        let opened = gap.rfind(['(', '（']);
        if opened.is_some_and(|o| !gap[o..].contains([')', '）'])) {
            continue;
        }
        if open {
            if stops.iter().max_by_key(|(i, _)| *i).is_some_and(|s| !continues(s)) {
                open = false;
                continue;
            }
        } else if comma_and() {
            open = true;
        } else {
            continue;
        }
        if types.contains(&x.etype) && !names.contains(&x.entity) {
            names.push(x.entity);
        }
    }
    names
}

/// Whether the post of a leads cue is of a part of the company named (a unit, a business, a
/// research area) rather than of the company: words of a name stand between them.
fn leads_a_part(
    text: &str,
    slots: &[Slot],
    tail: usize,
    (cs, ce): (usize, usize),
    scope: (usize, usize),
    words: &Words,
) -> bool {
    let Some(slot) = slots
        .iter()
        .filter(|x| x.entity == tail && x.start >= scope.0 && x.end <= scope.1)
        .min_by_key(|x| {
            if x.end <= cs {
                cs - x.end
            } else {
                x.start.saturating_sub(ce)
            }
        })
    else {
        return false;
    };
    // A unit led is led; a list or an apposition between the two says nothing of the post.
    if words.is_unit_name(&text[slot.start..slot.end]) {
        return false;
    }
    let between = if slot.end <= cs {
        &text[slot.end..cs]
    } else {
        &text[ce..slot.start]
    };
    if between.contains([',', '，', '、', ';', '；']) || between.chars().count() > 30 {
        return false;
    }
    if slot.end <= cs {
        let mut gap = text[slot.end..cs].trim();
        // `的` and the words of `leads_gap` (公司, 集团, 's) are no part's name.
        loop {
            let before = gap;
            for w in &words.leads_gap {
                gap = gap.trim_start_matches(w.as_str()).trim_start();
                gap = gap.trim_end_matches(w.as_str()).trim_end();
            }
            if gap == before {
                break;
            }
        }
        gap.chars().filter(|c| crate::normalize::is_cjk(*c)).count() >= 2
            || gap
                .split_whitespace()
                .any(|w| w.starts_with(|c: char| c.is_uppercase()))
    } else {
        // `led photonics research at Philips`: something else led, at the company.
        let gap = text[ce..slot.start].trim();
        gap.split_whitespace().count() >= 2 && gap.ends_with(" at")
    }
}

/// Whether the text right after a name makes it an investor (`B参投`, `B also invested`).
fn invests_itself(rest: &str, words: &Words) -> bool {
    let next = rest.trim_start_matches([' ', ',', '，']);
    let next = ["also ", "all ", "have ", "has ", "had ", "已", "也", "则", "还"]
        .iter()
        .find_map(|a| next.strip_prefix(*a))
        .unwrap_or(next);
    words.investor_words_after.iter().any(|w| next.starts_with(w.as_str()))
}

/// The first name of a core type in a sentence, before `before`: the sentence's subject.
fn subject_of(slots: &[Slot], sentence: usize, before: usize) -> Option<&Slot> {
    of_sentences(slots, sentence, sentence)
        .iter()
        .find(|s| s.sentence == sentence && s.end <= before && s.etype.is_core() && s.etype != EntityType::Event)
}

/// For a sentence that names nobody before `cue`: the subject of the nearest sentence before it
/// (at most two back) in the same paragraph.
fn carried_subject<'a>(doc: &Document, slots: &'a [Slot], sentence: usize, cue: usize) -> Option<&'a Slot> {
    let sent = &doc.sentences[sentence];
    if of_sentences(slots, sentence, sentence)
        .iter()
        .any(|s| s.sentence == sentence && s.end <= cue && s.etype != EntityType::Event)
    {
        return None;
    }
    let mut start = sent.start;
    for back in 1..=2 {
        let prev = &doc.sentences[sentence.checked_sub(back)?];
        if doc.text[prev.end..start].contains('\n') {
            return None;
        }
        if let Some(s) = subject_of(slots, prev.index, prev.end) {
            return Some(s);
        }
        start = prev.start;
    }
    None
}

fn attributes(
    words: &Words,
    text: &str,
    rel: RelationType,
    (clause, cue_clause): ((usize, usize), (usize, usize)),
    sentence: (usize, usize),
    previous: &[(usize, usize)],
) -> BTreeMap<String, String> {
    let mut a = BTreeMap::new();
    if matches!(rel, RelationType::InvestsIn | RelationType::Acquires) {
        let amount = AMOUNT
            .find(&text[clause.0..clause.1])
            .or_else(|| AMOUNT.find(&text[sentence.0..sentence.1]))
            .or_else(|| {
                // `…a new €385 million round. … X and Y led the new round.`: the amount is where the round was announced.
                previous
                    .iter()
                    .filter(|p| words.is_round_text(&text[p.0..p.1]))
                    .find_map(|p| AMOUNT.find(&text[p.0..p.1]))
            });
        if let Some(m) = amount {
            a.insert("amount".to_string(), m.as_str().trim().to_string());
        }
    }
    // A founding's year is the one its own clause gives (`2023年3月，Meta创始人…` dates the sentence,
    // not the founding).
    let year_scope = |c: (usize, usize)| YEAR.captures(&text[c.0..c.1]);
    if matches!(
        rel,
        RelationType::InvestsIn | RelationType::Acquires | RelationType::Founded | RelationType::PartnersWith
    ) && let Some(c) = if rel == RelationType::Founded {
        year_scope(cue_clause)
    } else {
        year_scope(clause).or_else(|| year_scope(sentence))
    } {
        a.insert("year".to_string(), c[1].to_string());
    }
    a
}

/// Keeps one relation per (head, tail, type, sentence); symmetric relations in one order.
fn dedupe(rels: &mut Vec<Relation>) {
    for r in rels.iter_mut() {
        if r.rtype.is_symmetric() && r.head > r.tail {
            std::mem::swap(&mut r.head, &mut r.tail);
        }
    }
    let mut seen = HashSet::new();
    rels.retain(|r| seen.insert((r.head, r.tail, r.rtype, r.evidence.sentence_index)));
}

#[cfg(test)]
mod tests;
