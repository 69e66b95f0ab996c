//! Events as frames: a trigger (`裁员`, `laid off`, `收购`, `IPO`) with the participants its
//! frame finds around it becomes one event node per happening, linked to each participant by
//! `involved_in`.
//!
//! In: the matches of event rules (`data/rules/events.toml`, matched by the relation engine, which
//! fills the head and tail slots of each frame). Out: event entities, their mentions, and the
//! `involved_in` relations. The typed relation an event implies (`acquires`, `invests_in`) is the
//! rule's own relation, given by the relation stage.
//!
//! One happening is usually told several times (headline, lead, body). Mentions are one event when
//! they share the class and the principal participant (and the object, for classes that say so),
//! and their qualifiers (round, amount, head count) do not disagree. A mention that names no
//! principal (`这起诉讼`, `the round was led by …`) joins the latest event of its class.

use crate::model::{Document, Entity, EntityKey, EntityType, Evidence, Mention, MentionSource, Relation, RelationType};
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

/// Which slot of a frame holds an event's principal participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The head (`H`): the acquirer, the company that lays off, the plaintiff.
    #[default]
    Head,
    /// The tail (`T`): the company that raised a round, the model launched, the target of a probe.
    Tail,
}

/// A kind of event, as `data/rules/events.toml` defines it.
///
/// Name templates take `{P}` (the principal's name), `{O}` (the object's), `{cue}` (the trigger as
/// written) and the qualifiers `{round}`, `{amount}` and `{count}`; a placeholder with no value is
/// left out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventClass {
    /// The id rules refer to (`layoffs`).
    pub id: String,
    /// The name template for events told in Chinese (`{P}裁员{count}`).
    pub zh: String,
    /// The name template for events told in English (`{P} layoffs`).
    pub en: String,
    /// Which slot holds the principal participant.
    #[serde(default)]
    pub principal: Role,
    /// Whether the object is part of the event's identity (B's acquisition is not C's).
    #[serde(default)]
    pub by_object: bool,
    /// Words one of which the sentence must hold (a funding round, not money in general).
    #[serde(default)]
    pub requires: Vec<String>,
    /// Words that make a sentence not news of this class (`招股书显示，X本次募资约38亿元`: the
    /// proceeds of a listing, not a funding round).
    #[serde(default)]
    pub excludes: Vec<String>,
    /// Whether a plan is already news (`计划裁员`, `plans to cut jobs`).
    #[serde(default)]
    pub plans_count: bool,
    /// Whether a unit's event is its company's (`layoffs in the Assistant division` are Google's
    /// layoffs, the division taking part).
    #[serde(default)]
    pub roll_up: bool,
    /// Whether a list in the principal's slot shares one event (an investigation into A, B and C)
    /// rather than one each (`A与B相继上市`: two listings).
    #[serde(default)]
    pub shared: bool,
    /// The file that defined it, for errors.
    #[serde(skip)]
    pub origin: String,
}

/// One occurrence of an event rule's frame: the trigger, and the names in its head and tail slots.
#[derive(Debug, Clone)]
pub struct EventMatch {
    /// The class id.
    pub class: String,
    /// Entities in the head slot.
    pub heads: Vec<usize>,
    /// Entities in the tail slot.
    pub tails: Vec<usize>,
    /// Whether the head and the tail slot were filled from context (the subject of the sentence
    /// before, the article's main company) rather than by the frame.
    pub carried: (bool, bool),
    /// The relation the rule states between head and tail, when a slot was filled from context:
    /// the event stage gives it once it knows the event's principal (`the round was led by X`:
    /// X invests in the company whose round it joins).
    pub relation: Option<RelationType>,
    /// The sentence.
    pub sentence: usize,
    /// The clause the frame was matched in (byte range in the document).
    pub clause: (usize, usize),
    /// The trigger as written.
    pub cue: String,
    /// Byte offset of the trigger.
    pub cue_start: usize,
}

static ROUND_ZH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:天使|种子|Pre-?[A-F]|[A-F])\+{0,2}轮|首轮|新一轮").unwrap());
static ROUND_EN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i:\bseries [a-h]\+?(?-u:\b)|\bpre-seed\b|\bseed\b|\bangel\b)").unwrap());
static COUNT_ZH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d[\d,.]*\s?[万千]?)\s?(?:多|余)?\s?(?:人|名|个职位|个岗位|个工作岗位)").unwrap());
static COUNT_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d[\d,.]*(?:\s(?:million|thousand))?)\s+(?:[a-z-]+\s){0,2}(?:jobs|employees|workers|staff|positions|roles|people|team members)\b").unwrap()
});

/// An event being assembled from its mentions.
struct Draft {
    class: usize,
    principal: usize,
    object: Option<usize>,
    cue: String,
    zh: bool,
    quals: BTreeMap<&'static str, String>,
    /// Each participant, with the evidence of the first mention that named it.
    participants: Vec<(usize, Evidence)>,
    /// Where the event is mentioned (cue spans).
    spans: Vec<(usize, usize)>,
    last_sentence: usize,
}

/// Turns event-rule matches into event entities, mentions and `involved_in` relations.
///
/// `classes` are the event classes; matches of unknown classes are ignored.
pub fn build(
    doc: &Document,
    classes: &[EventClass],
    words: &crate::relation::Words,
    matches: &[EventMatch],
    entities: &mut Vec<Entity>,
    mentions: &mut Vec<(usize, Mention)>,
    out: &mut Vec<Relation>,
) {
    let mut order: Vec<&EventMatch> = matches.iter().collect();
    order.sort_by_key(|m| (m.sentence, m.cue_start));
    // Who takes a head slot in a sentence (an investor, for a round told by its tail) cannot be the
    // principal of that class there (`固极新能源完成B轮融资，宁德时代领投`: CATL raised nothing).
    // Gathered once by class and sentence: a search of every match at each one made long
    // documents quadratic.
    let mut heads_by: HashMap<(&str, usize), Vec<usize>> = HashMap::new();
    for x in matches.iter().filter(|x| !x.carried.1) {
        heads_by
            .entry((x.class.as_str(), x.sentence))
            .or_default()
            .extend(x.heads.iter().copied().filter(|h| !x.tails.contains(h)));
    }
    let no_heads: Vec<usize> = Vec::new();
    let mut drafts: Vec<Draft> = Vec::new();
    for m in order {
        let Some(ci) = classes.iter().position(|c| c.id == m.class) else {
            continue;
        };
        let class = &classes[ci];
        let sentence = doc.sentence_text(&doc.sentences[m.sentence]);
        let ev = evidence(doc, m);
        let (principals, objects, carried) = match class.principal {
            Role::Head => (&m.heads, &m.tails, m.carried.0),
            Role::Tail => (&m.tails, &m.heads, m.carried.1),
        };
        let investors;
        let principals = if class.principal == Role::Tail {
            let heads = heads_by.get(&(m.class.as_str(), m.sentence)).unwrap_or(&no_heads);
            investors = principals
                .iter()
                .copied()
                .filter(|p| !heads.contains(p))
                .collect::<Vec<_>>();
            if investors.is_empty() && !principals.is_empty() {
                continue;
            }
            &investors
        } else {
            principals
        };
        // A unit of a company named in this document stands for its company, and takes part.
        let (rolled_p, rolled_o): (Vec<usize>, Vec<usize>);
        let (principals, objects) = if class.roll_up {
            let parent_of = |u: usize| {
                entities[u].attributes.get("parent").and_then(|p| {
                    entities
                        .iter()
                        .position(|e| e.etype == entities[u].etype && &e.name == p)
                })
            };
            let mut objs = objects.clone();
            let mut ps = Vec::new();
            for &p in principals {
                match parent_of(p) {
                    Some(parent) => {
                        objs.push(p);
                        ps.push(parent);
                    }
                    None => ps.push(p),
                }
            }
            (rolled_p, rolled_o) = (ps, objs);
            (&rolled_p, &rolled_o)
        } else {
            (principals, objects)
        };
        let lower = sentence.to_lowercase();
        if (!class.requires.is_empty() && !class.requires.iter().any(|w| lower.contains(&w.to_lowercase())))
            || class.excludes.iter().any(|w| lower.contains(&w.to_lowercase()))
        {
            // Not news of this class by itself; it still joins the event told before
            // (`跟投的有A和B`), else the relation it states holds with the arguments as found.
            if carried
                && let Some(di) = add_mention(doc, words, ci, class, m, None, &[], objects, &mut drafts)
                && let Some(r) = m.relation
            {
                let p = drafts[di].principal;
                match class.principal {
                    Role::Head => implied(out, r, &[p], objects, &ev, &BTreeMap::new()),
                    Role::Tail => implied(out, r, objects, &[p], &ev, &BTreeMap::new()),
                }
            } else if let Some(r) = m.relation {
                implied(out, r, &m.heads, &m.tails, &ev, &BTreeMap::new());
            }
            continue;
        }
        // The rule's relation, once the principal is known.
        let mut relate = |drafts: &[Draft], di: usize, principal: usize| {
            let Some(r) = m.relation else { return };
            let attrs: BTreeMap<String, String> = drafts[di]
                .quals
                .get("amount")
                .map(|a| ("amount".to_string(), a.clone()))
                .into_iter()
                .collect();
            match class.principal {
                Role::Head => implied(out, r, &[principal], objects, &ev, &attrs),
                Role::Tail => implied(out, r, objects, &[principal], &ev, &attrs),
            }
        };
        // A trigger with no principal of its own (`这一重组`, `the round was led by X`) is first a
        // mention of the event of its class told before; only when there is none does the
        // principal found from context make a new one.
        if carried && let Some(di) = add_mention(doc, words, ci, class, m, None, &[], objects, &mut drafts) {
            let p = drafts[di].principal;
            relate(&drafts, di, p);
            continue;
        }
        // A list in the principal's slot is one event each (`智谱与MiniMax相继登陆港股`), unless the
        // list fills both slots (`A、B和C签署合作协议`: one deal of them all).
        let one_each = !class.shared && m.heads != m.tails && principals.len() > 1;
        let firsts: Vec<Option<usize>> = if one_each {
            principals.iter().map(|&p| Some(p)).collect()
        } else {
            vec![principals.first().copied()]
        };
        for principal in firsts {
            let principals: Vec<usize> = if one_each {
                principal.into_iter().collect()
            } else {
                principals.clone()
            };
            if let Some(di) = add_mention(doc, words, ci, class, m, principal, &principals, objects, &mut drafts)
                && carried
            {
                for &p in &principals {
                    relate(&drafts, di, p);
                }
            }
        }
    }
    finish(doc, classes, drafts, entities, mentions, out);
}

/// Adds one match to the draft it belongs to, or starts a new one; the draft's index, or none when
/// the match has no principal and no draft to join.
#[allow(clippy::too_many_arguments)]
fn add_mention(
    doc: &Document,
    words: &crate::relation::Words,
    ci: usize,
    class: &EventClass,
    m: &EventMatch,
    principal: Option<usize>,
    principals: &[usize],
    objects: &[usize],
    drafts: &mut Vec<Draft>,
) -> Option<usize> {
    let sentence = doc.sentence_text(&doc.sentences[m.sentence]);
    let object = objects.iter().copied().find(|o| Some(*o) != principal);
    let zh = sentence.chars().any(crate::normalize::is_cjk);
    let quals = qualifiers(doc, words, m, class, zh);
    let ev = evidence(doc, m);
    let same_object = |d: &Draft| !class.by_object || object.is_none_or(|o| d.object.is_none_or(|x| x == o));
    let same = |d: &Draft| {
        d.class == ci
            && principal.is_none_or(|p| d.participants.iter().any(|(x, _)| *x == p))
            && same_object(d)
            && quals.iter().all(|(k, v)| {
                d.quals.get(k).is_none_or(|w| {
                    w == v
                        || *k == "amount"
                            && (same_amount(w, v) || d.quals.contains_key("round") && !quals.contains_key("round"))
                })
            })
    };
    // In one sentence, one class and principal are one happening whatever the amounts (an
    // investor's share and the round's total).
    let same_sentence = |d: &Draft| {
        d.class == ci && d.last_sentence == m.sentence && principal.is_none_or(|p| d.principal == p) && same_object(d)
    };
    let at = match drafts
        .iter()
        .rposition(same_sentence)
        .or_else(|| drafts.iter().rposition(same))
    {
        Some(i) => i,
        None => {
            let p = principal?;
            drafts.push(Draft {
                class: ci,
                principal: p,
                object,
                cue: m.cue.clone(),
                zh,
                quals: BTreeMap::new(),
                participants: Vec::new(),
                spans: Vec::new(),
                last_sentence: m.sentence,
            });
            drafts.len() - 1
        }
    };
    let d = &mut drafts[at];
    if d.object.is_none() {
        d.object = object;
    }
    for (k, v) in quals {
        d.quals.entry(k).or_insert(v);
    }
    for &p in principals.iter().chain(objects.iter()) {
        if !d.participants.iter().any(|(x, _)| *x == p) {
            d.participants.push((p, ev.clone()));
        }
    }
    d.spans.push((m.cue_start, m.cue_start + m.cue.len()));
    d.last_sentence = m.sentence;
    Some(at)
}

/// Two ways of writing one sum (`€1.7B`, `€1.7 billion`; `5亿美元`, `50000万美元`).
fn same_amount(a: &str, b: &str) -> bool {
    match (amount_value(a), amount_value(b)) {
        (Some(x), Some(y)) => (x - y).abs() <= 0.005 * x.max(y),
        _ => false,
    }
}

/// The value of an amount as written, scale words applied; the currency is not compared.
fn amount_value(s: &str) -> Option<f64> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let num: String = s[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    let mut v: f64 = num.parse().ok()?;
    let rest = s[start..].trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    let rest = rest.trim_start();
    for (w, f) in [
        ("billion", 1e9),
        ("bn", 1e9),
        ("B", 1e9),
        ("million", 1e6),
        ("M", 1e6),
        ("m", 1e6),
        ("千万", 1e7),
        ("百万", 1e6),
        ("亿", 1e8),
        ("万", 1e4),
    ] {
        if rest.starts_with(w) {
            v *= f;
            break;
        }
    }
    Some(v)
}

/// The evidence of a match.
fn evidence(doc: &Document, m: &EventMatch) -> Evidence {
    Evidence {
        doc: doc.source.clone(),
        sentence_index: m.sentence,
        sentence: doc.sentence_text(&doc.sentences[m.sentence]).to_string(),
        cue: m.cue.clone(),
        cue_start: m.cue_start,
    }
}

/// The relation a rule states between every head and every tail.
fn implied(
    out: &mut Vec<Relation>,
    rtype: RelationType,
    heads: &[usize],
    tails: &[usize],
    ev: &Evidence,
    attributes: &BTreeMap<String, String>,
) {
    for &h in heads {
        for &t in tails {
            if h != t {
                out.push(Relation {
                    head: h,
                    tail: t,
                    rtype,
                    attributes: attributes.clone(),
                    evidence: ev.clone(),
                });
            }
        }
    }
}

fn finish(
    doc: &Document,
    classes: &[EventClass],
    drafts: Vec<Draft>,
    entities: &mut Vec<Entity>,
    mentions: &mut Vec<(usize, Mention)>,
    out: &mut Vec<Relation>,
) {
    for d in drafts {
        let class = &classes[d.class];
        let name = event_name(class, &d, entities);
        let key = EntityKey::new(EntityType::Event, &name);
        let idx = match entities.iter().position(|e| e.key == key) {
            Some(i) => i,
            None => {
                let mut attributes: BTreeMap<String, String> =
                    d.quals.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
                attributes.insert("class".into(), class.id.clone());
                if let Some(y) = year_near(doc, d.participants.first().map_or(0, |p| p.1.sentence_index)) {
                    attributes.insert("year".into(), y);
                }
                entities.push(Entity {
                    key,
                    name: name.clone(),
                    etype: EntityType::Event,
                    aliases: vec![name.clone()],
                    mentions: 0,
                    attributes,
                });
                entities.len() - 1
            }
        };
        for &(s, e) in &d.spans {
            entities[idx].mentions += 1;
            mentions.push((
                idx,
                Mention {
                    start: s,
                    end: e,
                    surface: doc.text[s..e].to_string(),
                    etype: EntityType::Event,
                    canonical: name.clone(),
                    source: MentionSource::Pattern,
                    participants: Vec::new(),
                    attributes: BTreeMap::new(),
                },
            ));
        }
        for (p, ev) in d.participants {
            if entities[p].etype == EntityType::Event || p == idx {
                continue;
            }
            out.push(Relation {
                head: p,
                tail: idx,
                rtype: RelationType::InvolvedIn,
                attributes: BTreeMap::new(),
                evidence: ev,
            });
        }
    }
    mentions.sort_by_key(|(_, m)| (m.start, std::cmp::Reverse(m.end)));
}

/// The qualifiers the class's name uses, read from the trigger's clause, else its sentence.
fn qualifiers(
    doc: &Document,
    words: &crate::relation::Words,
    m: &EventMatch,
    class: &EventClass,
    zh: bool,
) -> BTreeMap<&'static str, String> {
    let template = if zh { &class.zh } else { &class.en };
    let sent = &doc.sentences[m.sentence];
    let st = doc.sentence_text(sent);
    // The clauses that speak of the class's own words first (the round's `50亿美元股权融资`, not an
    // investor's share of it), then the trigger's clause, then the whole sentence.
    let mut places: Vec<&str> = crate::source::clauses(st)
        .into_iter()
        .map(|(a, b)| &st[a..b])
        .filter(|c| {
            let c = c.to_lowercase();
            class.requires.iter().any(|w| c.contains(&w.to_lowercase()))
        })
        .collect();
    places.push(&doc.text[m.clause.0..m.clause.1]);
    places.push(st);
    let mut q = BTreeMap::new();
    // A sum (`合计约2.1万个岗位`, `a total of`) counts several events, not this one.
    let summed = |t: &str, at: usize| {
        let before: String = t[..at]
            .chars()
            .rev()
            .take(6)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        words.sum_words.iter().any(|w| before.contains(w.as_str()))
    };
    let find = |re: &Regex, group: usize| {
        places.iter().find_map(|t| {
            re.captures_iter(t)
                .find(|c| !summed(t, c.get(0).map_or(0, |m| m.start())))
                .and_then(|c| c.get(group))
                .map(|g| g.as_str().trim().to_string())
        })
    };
    if template.contains("{round}") {
        let round = if zh { find(&ROUND_ZH, 0) } else { find(&ROUND_EN, 0) };
        if let Some(r) = round {
            q.insert("round", r);
        }
    }
    if template.contains("{amount}")
        && let Some(a) = find(&crate::relation::AMOUNT, 0)
    {
        q.insert("amount", a);
    }
    if template.contains("{count}") {
        let count = if zh {
            find(&COUNT_ZH, 1).map(|c| format!("{c}人"))
        } else {
            find(&COUNT_EN, 1)
        };
        if let Some(c) = count {
            q.insert("count", c.replace(' ', ""));
        }
    }
    q
}

/// Fills a class's template for a draft.
fn event_name(class: &EventClass, d: &Draft, entities: &[Entity]) -> String {
    let templates = if d.zh { &class.zh } else { &class.en };
    // Alternatives split by `|`: the first whose object is known, else the last (`{P}加盟{O}|{P}离职`).
    let template = templates
        .split('|')
        .find(|t| !t.contains("{O}") || d.object.is_some())
        .unwrap_or(templates.as_str());
    let mut name = template.replace("{P}", &entities[d.principal].name);
    name = name.replace("{O}", d.object.map_or("", |o| entities[o].name.as_str()));
    name = name.replace("{cue}", &d.cue);
    for k in ["round", "amount", "count"] {
        name = name.replace(&format!("{{{k}}}"), d.quals.get(k).map_or("", String::as_str));
    }
    // Placeholders left empty leave doubled spaces or dangling words behind.
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    name.trim_end_matches([' ', '–', '-'])
        .trim_end_matches(" of")
        .trim_end_matches(" against")
        .trim_end_matches(" and")
        .trim_end_matches(" at")
        .to_string()
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s?年|\b((?:19|20)\d{2})\b").unwrap());

/// The year the sentence of an event gives, if any.
fn year_near(doc: &Document, sentence: usize) -> Option<String> {
    let s = doc.sentence_text(doc.sentences.get(sentence)?);
    let c = YEAR.captures(s)?;
    c.get(1).or(c.get(2)).map(|g| g.as_str().to_string())
}

#[cfg(test)]
mod tests;
