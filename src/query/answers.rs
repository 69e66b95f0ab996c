//! The questions about one entity or one relation type, each a few indexed SQL reads.

use super::{Evidence, QueryError, relation_words};
use crate::model::{EntityType, RelationType};
use crate::store::{Direction, EntityRow, EvidenceRow, LinkRow, Store};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// An entity related to the one asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Its name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub etype: EntityType,
    /// The relation.
    pub relation: RelationType,
    /// The relation in words, read from the entity asked about (`invested in by`).
    pub role: &'static str,
    /// Evidence sentences.
    pub sentences: usize,
    /// Values the sentences give (amount, year, round).
    pub attributes: BTreeMap<String, String>,
    /// The sentences, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceRow>,
}

/// The relations of `entity` of the given kinds, most attested first.
pub fn related(
    store: &Store,
    entity: &EntityRow,
    kinds: &[(RelationType, Option<Direction>)],
    evidence: Evidence,
    limit: Option<usize>,
) -> Result<Vec<Related>, QueryError> {
    let mut links: Vec<LinkRow> = Vec::new();
    for &(rtype, dir) in kinds {
        let dir = if rtype.is_symmetric() { None } else { dir };
        links.extend(store.links(entity.id, &[rtype], dir)?);
    }
    links.sort_by(|a, b| {
        b.sentences
            .cmp(&a.sentences)
            .then_with(|| (a.rtype, &a.other.name).cmp(&(b.rtype, &b.other.name)))
    });
    links.dedup_by_key(|l| l.relation_id);
    if let Some(l) = limit {
        links.truncate(l);
    }
    links.into_iter().map(|l| describe(store, l, evidence)).collect()
}

fn describe(store: &Store, l: LinkRow, evidence: Evidence) -> Result<Related, QueryError> {
    Ok(Related {
        name: l.other.name,
        etype: l.other.etype,
        relation: l.rtype,
        role: relation_words(l.rtype, l.direction),
        sentences: l.sentences,
        attributes: store.relation_attributes(l.relation_id)?,
        evidence: match evidence.limit() {
            Some(n) => store.evidence(l.relation_id, n)?,
            None => Vec::new(),
        },
    })
}

/// Who put money into `entity`.
pub fn investors(store: &Store, e: &EntityRow, ev: Evidence, limit: Option<usize>) -> Result<Vec<Related>, QueryError> {
    related(store, e, &[(RelationType::InvestsIn, Some(Direction::In))], ev, limit)
}

/// Where `entity` put money.
pub fn portfolio(store: &Store, e: &EntityRow, ev: Evidence, limit: Option<usize>) -> Result<Vec<Related>, QueryError> {
    related(store, e, &[(RelationType::InvestsIn, Some(Direction::Out))], ev, limit)
}

/// Who founded `entity`.
pub fn founders(store: &Store, e: &EntityRow, ev: Evidence, limit: Option<usize>) -> Result<Vec<Related>, QueryError> {
    related(store, e, &[(RelationType::Founded, Some(Direction::In))], ev, limit)
}

/// Who leads `entity`.
pub fn leaders(store: &Store, e: &EntityRow, ev: Evidence, limit: Option<usize>) -> Result<Vec<Related>, QueryError> {
    related(store, e, &[(RelationType::Leads, Some(Direction::In))], ev, limit)
}

/// Who works or worked at `entity` (its leaders and founders too, each with their role).
pub fn people(store: &Store, e: &EntityRow, ev: Evidence, limit: Option<usize>) -> Result<Vec<Related>, QueryError> {
    related(
        store,
        e,
        &[
            (RelationType::WorksAt, Some(Direction::In)),
            (RelationType::Leads, Some(Direction::In)),
            (RelationType::Founded, Some(Direction::In)),
        ],
        ev,
        limit,
    )
}

/// The models `entity` develops.
pub fn models(store: &Store, e: &EntityRow, ev: Evidence, limit: Option<usize>) -> Result<Vec<Related>, QueryError> {
    related(store, e, &[(RelationType::Develops, Some(Direction::Out))], ev, limit)
}

/// Who develops the model `entity`.
pub fn makers(store: &Store, e: &EntityRow, ev: Evidence, limit: Option<usize>) -> Result<Vec<Related>, QueryError> {
    related(store, e, &[(RelationType::Develops, Some(Direction::In))], ev, limit)
}

/// What `entity` bought and who bought it.
pub fn acquisitions_of(
    store: &Store,
    e: &EntityRow,
    ev: Evidence,
    limit: Option<usize>,
) -> Result<Vec<Related>, QueryError> {
    related(store, e, &[(RelationType::Acquires, None)], ev, limit)
}

/// A rival, direct or through shared rivals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rival {
    /// Its name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub etype: EntityType,
    /// Sentences that say the two compete (0 for an indirect rival).
    pub sentences: usize,
    /// For an indirect rival: the rivals the two share.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
    /// The sentences, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceRow>,
}

/// The rivals of `entity`, most attested first; with `indirect`, then the rivals of its rivals
/// that are not its own, by how many rivals they share with it.
pub fn competitors(
    store: &Store,
    entity: &EntityRow,
    indirect: bool,
    ev: Evidence,
    limit: Option<usize>,
) -> Result<Vec<Rival>, QueryError> {
    let direct = store.links(entity.id, &[RelationType::CompetesWith], None)?;
    let mut out = Vec::new();
    for l in &direct {
        out.push(Rival {
            name: l.other.name.clone(),
            etype: l.other.etype,
            sentences: l.sentences,
            via: Vec::new(),
            evidence: match ev.limit() {
                Some(n) => store.evidence(l.relation_id, n)?,
                None => Vec::new(),
            },
        });
    }
    if indirect {
        // Rivals of rivals that are not rivals themselves, with the rivals they share.
        let mut shared: HashMap<i64, Vec<String>> = HashMap::new();
        for l in &direct {
            for (other, _) in store.neighbour_ids(l.other.id, &[RelationType::CompetesWith])? {
                if other == entity.id || direct.iter().any(|d| d.other.id == other) {
                    continue;
                }
                let via = shared.entry(other).or_default();
                if !via.contains(&l.other.name) {
                    via.push(l.other.name.clone());
                }
            }
        }
        let rows = store.entity_rows(&shared.keys().copied().collect::<Vec<_>>())?;
        let mut indirect: Vec<Rival> = shared
            .into_iter()
            .filter_map(|(id, mut via)| {
                let e = rows.get(&id)?;
                via.sort();
                Some(Rival {
                    name: e.name.clone(),
                    etype: e.etype,
                    sentences: 0,
                    via,
                    evidence: Vec::new(),
                })
            })
            .collect();
        indirect.sort_by(|a, b| b.via.len().cmp(&a.via.len()).then_with(|| a.name.cmp(&b.name)));
        out.extend(indirect);
    }
    if let Some(l) = limit {
        out.truncate(l);
    }
    Ok(out)
}

/// Two entities joined by a relation, and how many sentences say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// One side (the head of a directed relation).
    pub a: String,
    /// The other side (the tail).
    pub b: String,
    /// Evidence sentences.
    pub sentences: usize,
    /// Values the sentences give (amount, year).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// The sentences, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceRow>,
}

/// Every pair joined by `rtype`, most attested first (symmetric pairs in name order).
pub fn pairs(store: &Store, rtype: RelationType, ev: Evidence, limit: Option<usize>) -> Result<Vec<Pair>, QueryError> {
    let mut out = Vec::new();
    for (rid, h, t, n) in store.relations_of_type(rtype, limit)? {
        let (mut a, mut b) = (h.name, t.name);
        if rtype.is_symmetric() && a > b {
            std::mem::swap(&mut a, &mut b);
        }
        out.push(Pair {
            a,
            b,
            sentences: n,
            attributes: store.relation_attributes(rid)?,
            evidence: match ev.limit() {
                Some(n) => store.evidence(rid, n)?,
                None => Vec::new(),
            },
        });
    }
    out.sort_by(|x, y| {
        y.sentences
            .cmp(&x.sentences)
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    Ok(out)
}

/// An entity some relations away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Neighbour {
    /// Its name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub etype: EntityType,
    /// Hops from the entity asked about.
    pub distance: usize,
    /// The entity it was reached from.
    pub from: String,
    /// The relation it was reached by.
    pub relation: RelationType,
    /// That relation in words, read from `from`.
    pub role: &'static str,
    /// The sentences, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceRow>,
}

/// The entities within `depth` relations of `entity` (of the given relation types, all when
/// empty), nearest first, each with the relation that reached it.
pub fn neighbours(
    store: &Store,
    entity: &EntityRow,
    depth: usize,
    types: &[RelationType],
    ev: Evidence,
    limit: Option<usize>,
) -> Result<Vec<Neighbour>, QueryError> {
    let mut seen: HashMap<i64, (usize, i64, i64)> = HashMap::new(); // id → (distance, from, relation)
    seen.insert(entity.id, (0, entity.id, 0));
    let mut frontier = vec![entity.id];
    for d in 1..=depth {
        let mut next = Vec::new();
        for &u in &frontier {
            for (v, rid) in store.neighbour_ids(u, types)? {
                if let std::collections::hash_map::Entry::Vacant(slot) = seen.entry(v) {
                    slot.insert((d, u, rid));
                    next.push(v);
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    seen.remove(&entity.id);
    let ids: Vec<i64> = seen.keys().copied().chain(seen.values().map(|v| v.1)).collect();
    let mut rows = store.entity_rows(&ids)?;
    rows.insert(entity.id, entity.clone());
    let mut found: Vec<(usize, String, i64, i64, i64)> = seen
        .iter()
        .filter_map(|(&id, &(d, from, rid))| rows.get(&id).map(|e| (d, e.name.clone(), id, from, rid)))
        .collect();
    found.sort();
    if let Some(l) = limit {
        found.truncate(l);
    }
    let mut out = Vec::with_capacity(found.len());
    for (d, _, id, from, rid) in found {
        let Some((rtype, head, _)) = store.relation(rid)? else {
            continue;
        };
        let dir = if head.id == from { Direction::Out } else { Direction::In };
        out.push(Neighbour {
            name: rows[&id].name.clone(),
            etype: rows[&id].etype,
            distance: d,
            from: rows[&from].name.clone(),
            relation: rtype,
            role: relation_words(rtype, dir),
            evidence: match ev.limit() {
                Some(n) => store.evidence(rid, n)?,
                None => Vec::new(),
            },
        });
    }
    Ok(out)
}

/// One dated relation of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dated {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// Head.
    pub head: String,
    /// The relation.
    pub relation: RelationType,
    /// The relation in words.
    pub role: &'static str,
    /// Tail.
    pub tail: String,
    /// The sentence that dates it.
    pub evidence: EvidenceRow,
}

/// Events and dated relations in date order: those of `entity`, or every relation whose sentence
/// gives a year.
pub fn timeline(store: &Store, entity: Option<&EntityRow>, limit: Option<usize>) -> Result<Vec<Dated>, QueryError> {
    let rows = store.timeline(entity.map(|e| e.id), limit)?;
    Ok(rows
        .into_iter()
        .map(|r| Dated {
            date: r.date,
            head: r.head.name,
            relation: r.rtype,
            role: relation_words(r.rtype, Direction::Out),
            tail: r.tail.name,
            evidence: r.evidence,
        })
        .collect())
}

/// An entity in a listing, with how often it is mentioned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    /// Its name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub etype: EntityType,
    /// Mentions.
    pub mentions: usize,
}

/// Entities of a type whose name or an alias contains `pattern` (case, width and separators
/// ignored), most mentioned first.
pub fn entities(
    store: &Store,
    etype: Option<EntityType>,
    pattern: Option<&str>,
    limit: Option<usize>,
) -> Result<Vec<Listed>, QueryError> {
    Ok(store
        .find_entities(etype, pattern, limit)?
        .into_iter()
        .map(|(e, n)| Listed {
            name: e.name,
            etype: e.etype,
            mentions: n,
        })
        .collect())
}

/// One relation of a card, seen from the entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardRelation {
    /// The relation type.
    pub relation: RelationType,
    /// `out` when the entity is the head, `in` when it is the tail, `both` for symmetric relations.
    pub direction: &'static str,
    /// The relation in words, read from the entity.
    pub role: &'static str,
    /// The other entity.
    pub other: String,
    /// Its type.
    pub other_type: EntityType,
    /// Evidence sentences in all.
    pub sentences: usize,
    /// Attributes (amount, year).
    pub attributes: BTreeMap<String, String>,
    /// The sentences shown.
    pub evidence: Vec<EvidenceRow>,
}

/// What the store knows of one entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    /// Canonical name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub etype: EntityType,
    /// Aliases seen.
    pub aliases: Vec<String>,
    /// Mentions.
    pub mentions: usize,
    /// Attributes (an event's year).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// Relations in all.
    pub total_relations: usize,
    /// The relations shown, most attested first.
    pub relations: Vec<CardRelation>,
}

/// The card of `entity`: at most `limit` relations (most attested first), each with at most
/// `evidence` sentences.
pub fn card(store: &Store, entity: &EntityRow, limit: Option<usize>, evidence: Evidence) -> Result<Card, QueryError> {
    let info = store.entity(entity.id)?.ok_or_else(|| QueryError::NotFound {
        name: entity.name.clone(),
        suggestions: Vec::new(),
    })?;
    let mut links = store.links(entity.id, &[], None)?;
    let total = links.len();
    if let Some(l) = limit {
        links.truncate(l);
    }
    let mut relations = Vec::with_capacity(links.len());
    for l in links {
        relations.push(CardRelation {
            relation: l.rtype,
            direction: if l.rtype.is_symmetric() {
                "both"
            } else if l.direction == Direction::Out {
                "out"
            } else {
                "in"
            },
            role: relation_words(l.rtype, l.direction),
            other: l.other.name,
            other_type: l.other.etype,
            sentences: l.sentences,
            attributes: store.relation_attributes(l.relation_id)?,
            evidence: match evidence.limit() {
                Some(n) => store.evidence(l.relation_id, n)?,
                None => Vec::new(),
            },
        });
    }
    Ok(Card {
        name: info.entity.name,
        etype: info.entity.etype,
        aliases: info.aliases,
        mentions: info.mentions,
        attributes: info.attributes,
        total_relations: total,
        relations,
    })
}

/// Counts of the whole database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Documents.
    pub documents: usize,
    /// Entities.
    pub entities: usize,
    /// Mentions.
    pub mentions: usize,
    /// Relations.
    pub relations: usize,
    /// Evidence sentences.
    pub evidence: usize,
    /// Entities by type.
    pub entities_by_type: BTreeMap<EntityType, usize>,
    /// Relations by type.
    pub relations_by_type: BTreeMap<RelationType, usize>,
}

/// Row counts, counted in SQL.
pub fn stats(store: &Store) -> Result<Stats, QueryError> {
    let c = store.counts()?;
    let (entities_by_type, relations_by_type) = store.type_counts()?;
    Ok(Stats {
        documents: c.documents,
        entities: c.entities,
        mentions: c.mentions,
        relations: c.relations,
        evidence: c.evidence,
        entities_by_type,
        relations_by_type,
    })
}
