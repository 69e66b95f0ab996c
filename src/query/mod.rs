//! Questions asked of the graph: who competes with whom, an entity's rivals, an entity's card.

use crate::graph::{EdgeEvidence, GraphView};
use crate::model::{EntityType, RelationType};
use serde::Serialize;

/// A query about an entity that is not in the graph.
#[derive(Debug, thiserror::Error)]
#[error("no entity named `{0}` (try `guanxi stats` or `guanxi candidates`)")]
pub struct NotFound(pub String);

/// A competing pair and how many sentences say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// One side.
    pub a: String,
    /// The other side.
    pub b: String,
    /// Evidence sentences.
    pub sentences: usize,
}

/// Every competing pair, most attested first (then by name).
pub fn competing_pairs(g: &GraphView) -> Vec<Pair> {
    let mut out: Vec<Pair> = g
        .edges
        .iter()
        .filter(|e| e.rtype == RelationType::CompetesWith)
        .map(|e| {
            let (mut a, mut b) = (g.nodes[e.source].name.clone(), g.nodes[e.target].name.clone());
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            Pair {
                a,
                b,
                sentences: e.weight,
            }
        })
        .collect();
    out.sort_by(|x, y| y.sentences.cmp(&x.sentences).then((&x.a, &x.b).cmp(&(&y.a, &y.b))));
    out
}

/// A neighbour by one relation type, with how many sentences say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Neighbour {
    /// Its name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub etype: EntityType,
    /// Evidence sentences.
    pub sentences: usize,
}

/// The rivals of the entity named `name` (any alias, any script).
pub fn competitors(g: &GraphView, name: &str) -> Result<Vec<Neighbour>, NotFound> {
    let i = g.find(name).ok_or_else(|| NotFound(name.to_string()))?;
    let mut out: Vec<Neighbour> = g
        .edges
        .iter()
        .filter(|e| e.rtype == RelationType::CompetesWith && (e.source == i || e.target == i))
        .map(|e| {
            let o = if e.source == i { e.target } else { e.source };
            Neighbour {
                name: g.nodes[o].name.clone(),
                etype: g.nodes[o].etype,
                sentences: e.weight,
            }
        })
        .collect();
    out.sort_by(|x, y| y.sentences.cmp(&x.sentences).then(x.name.cmp(&y.name)));
    Ok(out)
}

/// One relation of an entity's card, seen from the entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardRelation {
    /// The relation type.
    pub relation: RelationType,
    /// `out` when the entity is the head, `in` when it is the tail.
    pub direction: &'static str,
    /// The other entity.
    pub other: String,
    /// Its type.
    pub other_type: EntityType,
    /// Attributes (amount, year).
    pub attributes: std::collections::BTreeMap<String, String>,
    /// The sentences that state it.
    pub evidence: Vec<EdgeEvidence>,
}

/// What the graph knows of one entity.
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
    /// Relations both ways.
    pub relations: Vec<CardRelation>,
}

/// The card of the entity named `name`.
pub fn card(g: &GraphView, name: &str) -> Result<Card, NotFound> {
    let i = g.find(name).ok_or_else(|| NotFound(name.to_string()))?;
    let n = &g.nodes[i];
    let mut relations: Vec<CardRelation> = g
        .edges
        .iter()
        .filter(|e| e.source == i || e.target == i)
        .map(|e| {
            let (dir, o) = if e.source == i {
                ("out", e.target)
            } else {
                ("in", e.source)
            };
            CardRelation {
                relation: e.rtype,
                direction: if e.rtype.is_symmetric() { "both" } else { dir },
                other: g.nodes[o].name.clone(),
                other_type: g.nodes[o].etype,
                attributes: e.attributes.clone(),
                evidence: e.evidence.clone(),
            }
        })
        .collect();
    relations.sort_by(|a, b| (a.relation, a.direction, &a.other).cmp(&(b.relation, b.direction, &b.other)));
    Ok(Card {
        name: n.name.clone(),
        etype: n.etype,
        aliases: n.aliases.clone(),
        mentions: n.mentions,
        relations,
    })
}
