//! Scoring against hand annotations, by the rules of the ontology: precision, recall
//! and F1 for entities and relations over the five core types, micro-averaged.

use crate::graph::GraphView;
use crate::model::{EntityType, RelationType};
use crate::normalize::score_key;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A gold annotation file.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// The article, as a path under the text root.
    pub doc: String,
    /// The entities it names.
    pub entities: Vec<GoldEntity>,
    /// The relations it states.
    #[serde(default)]
    pub relations: Vec<GoldRelation>,
}

/// A gold entity.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEntity {
    /// Id within the file.
    pub id: String,
    /// Type (any string: non-core types are allowed).
    #[serde(rename = "type")]
    pub etype: String,
    /// Canonical name.
    pub name: String,
    /// Aliases.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Never missed, never false.
    #[serde(default)]
    pub optional: bool,
    /// For events: keys that a predicted event name must all contain (`a|b` = either).
    #[serde(default)]
    pub match_all: Vec<String>,
}

/// A gold relation.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldRelation {
    /// Head entity id.
    pub head: String,
    /// Relation type.
    #[serde(rename = "type")]
    pub rtype: String,
    /// Tail entity id.
    pub tail: String,
    /// Never missed, never false.
    #[serde(default)]
    pub optional: bool,
}

/// True positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Found and right.
    pub tp: usize,
    /// Predicted but wrong.
    pub fp: usize,
    /// Missed.
    pub r#fn: usize,
}

impl Counts {
    /// Precision.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.r#fn)
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
    /// Adds another count.
    pub fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.r#fn += o.r#fn;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The score of one file, with what went wrong.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileScore {
    /// The gold file's `doc`.
    pub doc: String,
    /// Entity counts.
    pub entities: Counts,
    /// Relation counts.
    pub relations: Counts,
    /// Gold entities not found (`type name`).
    pub missed_entities: Vec<String>,
    /// Predicted entities that match nothing.
    pub false_entities: Vec<String>,
    /// Gold relations not found.
    pub missed_relations: Vec<String>,
    /// Predicted relations that match nothing.
    pub false_relations: Vec<String>,
    /// Entity counts by type.
    pub entities_by_type: std::collections::BTreeMap<String, Counts>,
    /// Relation counts by type.
    pub relations_by_type: std::collections::BTreeMap<String, Counts>,
}

fn core(t: &str) -> bool {
    t.parse::<EntityType>().is_ok_and(|t| t.is_core())
}

fn keys(g: &GoldEntity) -> HashSet<String> {
    std::iter::once(&g.name)
        .chain(g.aliases.iter())
        .map(|s| score_key(s))
        .filter(|k| !k.is_empty())
        .collect()
}

fn matches(g: &GoldEntity, node: &crate::graph::GraphNode, any_type: bool) -> bool {
    if !any_type && g.etype != node.etype.as_str() {
        return false;
    }
    let gk = keys(g);
    let mut names = std::iter::once(&node.name)
        .chain(node.aliases.iter())
        .map(|s| score_key(s));
    if names.any(|n| gk.contains(&n)) {
        return true;
    }
    if node.etype == EntityType::Event && g.etype == "event" && !g.match_all.is_empty() {
        // By the rules, the predicted event's name (not its aliases) must hold every key.
        let all = [score_key(&node.name)];
        return all.iter().any(|name| {
            g.match_all.iter().all(|k| {
                k.split('|')
                    .any(|alt| !score_key(alt).is_empty() && name.contains(&score_key(alt)))
            })
        });
    }
    false
}

/// Scores a predicted graph against one gold file.
pub fn score(gold: &Gold, pred: &GraphView) -> FileScore {
    let mut s = FileScore {
        doc: gold.doc.clone(),
        ..Default::default()
    };
    let mut assigned: HashMap<usize, String> = HashMap::new(); // predicted node → gold id
    let mut gold_node: HashMap<String, usize> = HashMap::new();
    let mut duplicate: HashSet<usize> = HashSet::new();
    let mut excused: HashSet<usize> = HashSet::new();
    // Non-optional entities first, so that an optional look-alike does not take their node.
    let mut order: Vec<&GoldEntity> = gold.entities.iter().collect();
    order.sort_by_key(|g| (g.optional, !core(&g.etype)));
    for g in order {
        let cands: Vec<usize> = (0..pred.nodes.len())
            .filter(|&i| matches(g, &pred.nodes[i], false))
            .collect();
        let free: Vec<usize> = cands.iter().copied().filter(|i| !assigned.contains_key(i)).collect();
        if let Some(&first) = free.first() {
            assigned.insert(first, g.id.clone());
            gold_node.insert(g.id.clone(), first);
            for &d in &free[1..] {
                if g.optional || !core(&g.etype) {
                    excused.insert(d);
                } else {
                    duplicate.insert(d);
                }
            }
            if core(&g.etype) && !g.optional {
                s.entities.tp += 1;
                s.entities_by_type.entry(g.etype.clone()).or_default().tp += 1;
            }
        } else if core(&g.etype) && !g.optional {
            s.entities.r#fn += 1;
            s.entities_by_type.entry(g.etype.clone()).or_default().r#fn += 1;
            s.missed_entities.push(format!("{} {}", g.etype, g.name));
        }
        if g.optional {
            // An optional item is never false, whatever type it was predicted as.
            for i in 0..pred.nodes.len() {
                if !assigned.contains_key(&i) && matches(g, &pred.nodes[i], true) {
                    excused.insert(i);
                }
            }
        }
    }
    // A node that another gold entity took later is that entity's, not a second node of the first.
    duplicate.retain(|i| !assigned.contains_key(i));
    for (i, n) in pred.nodes.iter().enumerate() {
        if !n.etype.is_core() || excused.contains(&i) && !assigned.contains_key(&i) {
            continue;
        }
        if duplicate.contains(&i) || !assigned.contains_key(&i) {
            s.entities_by_type.entry(n.etype.as_str().to_string()).or_default().fp += 1;
        }
        if duplicate.contains(&i) {
            s.entities.fp += 1;
            s.false_entities
                .push(format!("{} {} (second node for one entity)", n.etype, n.name));
        } else if !assigned.contains_key(&i) {
            s.entities.fp += 1;
            s.false_entities.push(format!("{} {}", n.etype, n.name));
        }
    }
    // Relations.
    let gold_rel = |h: &str, t: &str, r: RelationType| {
        gold.relations.iter().find(|g| {
            g.rtype == r.as_str() && ((g.head == h && g.tail == t) || (r.is_symmetric() && g.head == t && g.tail == h))
        })
    };
    let mut found: HashSet<usize> = HashSet::new();
    for e in &pred.edges {
        let (a, b) = (&pred.nodes[e.source], &pred.nodes[e.target]);
        let (ga, gb) = (assigned.get(&e.source), assigned.get(&e.target));
        let desc = format!("{} {} {}", a.name, e.rtype, b.name);
        match (ga, gb) {
            (Some(h), Some(t)) => match gold_rel(h, t, e.rtype) {
                Some(g) => {
                    let idx = gold.relations.iter().position(|x| std::ptr::eq(x, g)).unwrap();
                    if found.insert(idx) && !g.optional {
                        s.relations.tp += 1;
                        s.relations_by_type.entry(g.rtype.clone()).or_default().tp += 1;
                    }
                }
                None => {
                    s.relations.fp += 1;
                    s.relations_by_type.entry(e.rtype.as_str().to_string()).or_default().fp += 1;
                    s.false_relations.push(desc);
                }
            },
            _ => {
                let ignored = |i: usize| !pred.nodes[i].etype.is_core() || excused.contains(&i);
                if !(ga.is_none() && ignored(e.source) || gb.is_none() && ignored(e.target)) {
                    s.relations.fp += 1;
                    s.relations_by_type.entry(e.rtype.as_str().to_string()).or_default().fp += 1;
                    s.false_relations.push(desc);
                }
            }
        }
    }
    for (i, g) in gold.relations.iter().enumerate() {
        if !g.optional && !found.contains(&i) {
            s.relations.r#fn += 1;
            s.relations_by_type.entry(g.rtype.clone()).or_default().r#fn += 1;
            let name = |id: &str| {
                gold.entities
                    .iter()
                    .find(|e| e.id == id)
                    .map_or(id.to_string(), |e| e.name.clone())
            };
            s.missed_relations
                .push(format!("{} {} {}", name(&g.head), g.rtype, name(&g.tail)));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphEdge, GraphNode};

    fn node(name: &str, t: EntityType, aliases: &[&str]) -> GraphNode {
        GraphNode {
            id: String::new(),
            key: name.into(),
            name: name.into(),
            etype: t,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            mentions: 1,
            attributes: Default::default(),
        }
    }

    fn gold() -> Gold {
        serde_json::from_str(
            r#"{"doc":"x","entities":[
              {"id":"g","type":"company","name":"谷歌","aliases":["Google"]},
              {"id":"d","type":"company","name":"DeepMind","aliases":[]},
              {"id":"l","type":"event","name":"Meta裁员","aliases":[],"match_all":["Meta","裁"]},
              {"id":"o","type":"book","name":"Acquired","aliases":[],"optional":true}],
             "relations":[{"head":"g","type":"acquires","tail":"d"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn aliases_events_and_duplicates_score_by_the_rules() {
        let pred = GraphView {
            nodes: vec![
                node("Google", EntityType::Company, &["谷歌"]),
                node("DeepMind", EntityType::Company, &[]),
                node("Meta大规模裁员", EntityType::Event, &[]),
                node("Acquired", EntityType::Show, &[]),
                node("Alphabet", EntityType::Company, &["谷歌"]),
            ],
            edges: vec![
                GraphEdge {
                    source: 0,
                    target: 1,
                    rtype: RelationType::Acquires,
                    weight: 1,
                    attributes: Default::default(),
                    evidence: vec![],
                },
                GraphEdge {
                    source: 1,
                    target: 0,
                    rtype: RelationType::Acquires,
                    weight: 1,
                    attributes: Default::default(),
                    evidence: vec![],
                },
            ],
        };
        let s = score(&gold(), &pred);
        assert_eq!(s.entities, Counts { tp: 3, fp: 1, r#fn: 0 }, "{s:?}");
        assert_eq!(s.relations, Counts { tp: 1, fp: 1, r#fn: 0 }, "{s:?}");
    }

    #[test]
    fn a_node_another_gold_entity_takes_is_no_duplicate() {
        let gold: Gold = serde_json::from_str(
            r#"{"doc": "d", "entities": [
                {"id": "a", "type": "event", "name": "X round", "match_all": ["X", "round"]},
                {"id": "b", "type": "event", "name": "X Series E", "match_all": ["X", "series e"]}]}"#,
        )
        .unwrap();
        let pred = GraphView {
            nodes: vec![
                node("X $1 billion funding round", EntityType::Event, &[]),
                node("X $325 million series E funding round", EntityType::Event, &[]),
            ],
            edges: vec![],
        };
        let s = score(&gold, &pred);
        assert_eq!(s.entities, Counts { tp: 2, fp: 0, r#fn: 0 }, "{s:?}");
    }

    #[test]
    fn misses_are_counted_and_listed() {
        let s = score(&gold(), &GraphView::default());
        assert_eq!(s.entities.r#fn, 3);
        assert_eq!(s.relations.r#fn, 1);
        assert!(s.missed_relations[0].contains("acquires"));
    }
}
