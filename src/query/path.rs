//! The shortest connections between two entities: a breadth-first search from both ends at once,
//! each step one indexed read of an entity's relations, so a path costs the neighbourhoods it
//! crosses, not the size of the graph.

use super::{Evidence, QueryError, relation_words};
use crate::model::{EntityType, RelationType};
use crate::store::{Direction, EntityRow, EvidenceRow, Store};
use serde::Serialize;
use std::collections::HashMap;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// Where the step starts.
    pub from: String,
    /// Its type.
    pub from_type: EntityType,
    /// The relation.
    pub relation: RelationType,
    /// The relation in words, read from `from` (`invested in by`).
    pub role: &'static str,
    /// Where the step ends.
    pub to: String,
    /// Its type.
    pub to_type: EntityType,
    /// Sentences that state the relation.
    pub evidence: Vec<EvidenceRow>,
}

/// A path: its hops in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Path {
    /// The hops.
    pub hops: Vec<Hop>,
}

/// How to look for paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathOptions {
    /// The longest path worth reporting, in hops.
    pub max_hops: usize,
    /// Every shortest path (up to `limit`), not only the first.
    pub all: bool,
    /// At most this many paths.
    pub limit: usize,
    /// Only these relation types (all when empty).
    pub relations: Vec<RelationType>,
    /// Sentences per hop.
    pub evidence: Evidence,
}

impl Default for PathOptions {
    fn default() -> Self {
        PathOptions {
            max_hops: 6,
            all: false,
            limit: 20,
            relations: Vec::new(),
            evidence: Evidence::Some(1),
        }
    }
}

/// One side of the search: each reached entity's distance and the steps that reached it.
struct Side {
    dist: HashMap<i64, usize>,
    preds: HashMap<i64, Vec<(i64, i64)>>, // entity → (previous entity, relation)
    frontier: Vec<i64>,
    depth: usize,
}

impl Side {
    fn new(start: i64) -> Side {
        Side {
            dist: HashMap::from([(start, 0)]),
            preds: HashMap::new(),
            frontier: vec![start],
            depth: 0,
        }
    }

    /// Reaches one layer further; gives the entities reached for the first time.
    fn expand(&mut self, store: &Store, types: &[RelationType]) -> Result<Vec<i64>, QueryError> {
        let d = self.depth + 1;
        let mut next = Vec::new();
        for &u in &self.frontier {
            for (v, rid) in store.neighbour_ids(u, types)? {
                match self.dist.get(&v) {
                    None => {
                        self.dist.insert(v, d);
                        self.preds.insert(v, vec![(u, rid)]);
                        next.push(v);
                    }
                    Some(&dv) if dv == d => self.preds.get_mut(&v).expect("reached").push((u, rid)),
                    Some(_) => {}
                }
            }
        }
        for p in self.preds.values_mut() {
            p.sort_unstable();
            p.dedup();
        }
        next.sort_unstable();
        self.depth = d;
        self.frontier = next.clone();
        Ok(next)
    }

    /// Every chain of steps from the start to `v`, start first, at most `limit`.
    fn chains(&self, v: i64, limit: usize) -> Vec<Vec<(i64, i64, i64)>> {
        let Some(preds) = self.preds.get(&v) else {
            return vec![Vec::new()];
        };
        let mut out = Vec::new();
        for &(u, rid) in preds {
            for mut c in self.chains(u, limit) {
                c.push((u, rid, v));
                out.push(c);
                if out.len() >= limit {
                    return out;
                }
            }
        }
        out
    }
}

/// The shortest paths from `a` to `b` of at most `max_hops` hops: none when they are not
/// connected that closely. Each hop carries its relation in words and its evidence.
pub fn path(store: &Store, a: &EntityRow, b: &EntityRow, opts: &PathOptions) -> Result<Vec<Path>, QueryError> {
    if a.id == b.id {
        return Err(QueryError::Invalid(format!("`{}` is both ends of the path", a.name)));
    }
    let limit = if opts.all { opts.limit.max(1) } else { 1 };
    let (mut from_a, mut from_b) = (Side::new(a.id), Side::new(b.id));
    let mut meeting: Vec<i64> = Vec::new();
    while from_a.depth + from_b.depth < opts.max_hops {
        if from_a.frontier.is_empty() || from_b.frontier.is_empty() {
            break;
        }
        // Grow the smaller side: fewer neighbourhoods to read.
        let (grow, other) = if from_a.frontier.len() <= from_b.frontier.len() {
            (&mut from_a, &from_b)
        } else {
            (&mut from_b, &from_a)
        };
        let reached = grow.expand(store, &opts.relations)?;
        let met: Vec<(usize, i64)> = reached
            .iter()
            .filter_map(|v| other.dist.get(v).map(|d| (d + grow.dist[v], *v)))
            .collect();
        if let Some(best) = met.iter().map(|m| m.0).min() {
            if best <= opts.max_hops {
                meeting = met.into_iter().filter(|m| m.0 == best).map(|m| m.1).collect();
            }
            break;
        }
    }
    meeting.sort_unstable();
    let mut steps: Vec<Vec<(i64, i64, i64)>> = Vec::new();
    'meet: for m in meeting {
        for left in from_a.chains(m, limit) {
            for right in from_b.chains(m, limit) {
                // The right side runs from b to m: turned round, it runs from m to b.
                let mut s = left.clone();
                s.extend(right.iter().rev().map(|&(u, rid, v)| (v, rid, u)));
                steps.push(s);
                if steps.len() >= limit {
                    break 'meet;
                }
            }
        }
    }
    let mut out = Vec::with_capacity(steps.len());
    for s in steps {
        let mut hops = Vec::with_capacity(s.len());
        for (u, rid, v) in s {
            let Some((rtype, head, tail)) = store.relation(rid)? else {
                continue;
            };
            let (from, to, dir) = if head.id == u {
                (head, tail, Direction::Out)
            } else {
                (tail, head, Direction::In)
            };
            debug_assert_eq!(to.id, v);
            hops.push(Hop {
                from: from.name,
                from_type: from.etype,
                relation: rtype,
                role: relation_words(rtype, dir),
                to: to.name,
                to_type: to.etype,
                evidence: match opts.evidence.limit() {
                    Some(n) => store.evidence(rid, n)?,
                    None => Vec::new(),
                },
            });
        }
        out.push(Path { hops });
    }
    Ok(out)
}
