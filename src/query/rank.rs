//! Whole-graph questions: who is central ([`rank`]) and which players form close groups
//! ([`communities`]). Both load bare edge lists (entity ids, no names, no evidence) and name only
//! the entities of their answer.
//!
//! The algorithms are well-kept crates', not ours: PageRank from `graph` (neo4j-labs, a parallel
//! compressed-sparse-row implementation that runs a million relations in well under a second),
//! betweenness (Brandes) and Louvain communities from `graphrs`. petgraph's `page_rank` compares
//! every pair of nodes on each iteration, which a graph of 100,000 entities cannot afford.

use super::QueryError;
use crate::model::{EntityType, RelationType};
use crate::store::Store;
use serde::Serialize;
use std::collections::HashMap;

/// What makes an entity central.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RankBy {
    /// The number of relations it has.
    #[default]
    Degree,
    /// PageRank over the relations taken both ways: central when linked with central players.
    Pagerank,
    /// Betweenness: how many shortest paths between others pass through it (costly on large
    /// graphs: every entity's shortest paths are walked).
    Betweenness,
}

/// An entity and its score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    /// Its name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub etype: EntityType,
    /// The score (a count for degree).
    pub score: f64,
    /// Its relations.
    pub degree: usize,
}

/// The edges of the given relation types as dense node indices (both ends of every relation,
/// self-loops dropped), with the entity id of each index.
fn dense(edges: &[(i64, i64)]) -> (Vec<i64>, Vec<(u32, u32)>) {
    let mut index: HashMap<i64, u32> = HashMap::new();
    let mut ids = Vec::new();
    let mut at = |id: i64, ids: &mut Vec<i64>| {
        *index.entry(id).or_insert_with(|| {
            ids.push(id);
            (ids.len() - 1) as u32
        })
    };
    let mut out = Vec::with_capacity(edges.len());
    for &(h, t) in edges {
        if h == t {
            continue;
        }
        let (a, b) = (at(h, &mut ids), at(t, &mut ids));
        out.push((a, b));
    }
    (ids, out)
}

/// The `limit` most central entities (of `etype`, when given) over the relations of `relations`
/// (all when empty), most central first.
pub fn rank(
    store: &Store,
    by: RankBy,
    etype: Option<EntityType>,
    relations: &[RelationType],
    limit: usize,
) -> Result<Vec<Ranked>, QueryError> {
    let (ids, edges) = dense(&store.edges(relations)?);
    let mut degree = vec![0usize; ids.len()];
    for &(a, b) in &edges {
        degree[a as usize] += 1;
        degree[b as usize] += 1;
    }
    let scores: Vec<f64> = match by {
        RankBy::Degree => degree.iter().map(|&d| d as f64).collect(),
        RankBy::Pagerank => pagerank(ids.len(), &edges),
        RankBy::Betweenness => betweenness(ids.len(), &edges)?,
    };
    let wanted = match etype {
        Some(t) => Some(store.entity_ids_of_type(t)?),
        None => None,
    };
    let mut order: Vec<usize> = (0..ids.len())
        .filter(|&i| wanted.as_ref().is_none_or(|w| w.contains(&ids[i])))
        .collect();
    order.sort_by(|&x, &y| {
        scores[y]
            .total_cmp(&scores[x])
            .then(degree[y].cmp(&degree[x]))
            .then(ids[x].cmp(&ids[y]))
    });
    order.truncate(limit);
    let rows = store.entity_rows(&order.iter().map(|&i| ids[i]).collect::<Vec<_>>())?;
    Ok(order
        .into_iter()
        .filter_map(|i| {
            rows.get(&ids[i]).map(|e| Ranked {
                name: e.name.clone(),
                etype: e.etype,
                score: scores[i],
                degree: degree[i],
            })
        })
        .collect())
}

fn pagerank(n: usize, edges: &[(u32, u32)]) -> Vec<f64> {
    use csr::prelude::{CsrLayout, DirectedCsrGraph, GraphBuilder, PageRankConfig, page_rank};
    if n == 0 {
        return Vec::new();
    }
    // Relations both ways: being invested in and investing, developing and being developed, both
    // make a player central.
    let both: Vec<(u32, u32)> = edges.iter().flat_map(|&(a, b)| [(a, b), (b, a)]).collect();
    let g: DirectedCsrGraph<u32> = GraphBuilder::new()
        .csr_layout(CsrLayout::Deduplicated)
        .edges(both)
        .build();
    let (scores, _, _) = page_rank(&g, PageRankConfig::new(50, 1e-6, 0.85));
    scores.into_iter().map(f64::from).collect()
}

fn undirected(n: usize, edges: &[(u32, u32)], weights: bool) -> Result<graphrs::Graph<u32, ()>, QueryError> {
    use graphrs::{Edge, EdgeDedupeStrategy, Graph, GraphSpecs, Node};
    let mut weight: HashMap<(u32, u32), f64> = HashMap::new();
    for &(a, b) in edges {
        *weight.entry((a.min(b), a.max(b))).or_insert(0.0) += 1.0;
    }
    let mut pairs: Vec<((u32, u32), f64)> = weight.into_iter().collect();
    pairs.sort_by_key(|p| p.0);
    let specs = GraphSpecs {
        edge_dedupe_strategy: EdgeDedupeStrategy::KeepFirst,
        ..GraphSpecs::undirected_create_missing()
    };
    Graph::new_from_nodes_and_edges(
        (0..n as u32).map(Node::from_name).collect(),
        pairs
            .into_iter()
            .map(|((a, b), w)| Edge::with_weight(a, b, if weights { w } else { 1.0 }))
            .collect(),
        specs,
    )
    .map_err(|e| QueryError::Invalid(format!("building the graph: {e}")))
}

fn betweenness(n: usize, edges: &[(u32, u32)]) -> Result<Vec<f64>, QueryError> {
    let g = undirected(n, edges, false)?;
    let scores = graphrs::algorithms::centrality::betweenness::betweenness_centrality(&g, false, true)
        .map_err(|e| QueryError::Invalid(format!("betweenness: {e}")))?;
    Ok((0..n as u32).map(|i| scores.get(&i).copied().unwrap_or(0.0)).collect())
}

/// A member of a community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// Its name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub etype: EntityType,
    /// Its relations inside the community.
    pub links: usize,
}

/// A group of closely linked players.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Community {
    /// Number of members.
    pub size: usize,
    /// Relations between members.
    pub links: usize,
    /// The members, most linked first.
    pub members: Vec<Member>,
}

/// The relations communities are found over by default: competition, partnership, investment.
pub const COMMUNITY_RELATIONS: [RelationType; 3] = [
    RelationType::CompetesWith,
    RelationType::PartnersWith,
    RelationType::InvestsIn,
];

/// Groups of closely linked players over the given relations (Louvain modularity, with a fixed
/// seed so the answer is the same each time), largest first; groups smaller than `min_size` are
/// left out, and at most `limit` are given.
pub fn communities(
    store: &Store,
    relations: &[RelationType],
    min_size: usize,
    limit: Option<usize>,
) -> Result<Vec<Community>, QueryError> {
    let (ids, edges) = dense(&store.edges(relations)?);
    if edges.is_empty() {
        return Ok(Vec::new());
    }
    let g = undirected(ids.len(), &edges, true)?;
    let groups = graphrs::algorithms::community::louvain::louvain_communities(&g, true, None, None, Some(7))
        .map_err(|e| QueryError::Invalid(format!("communities: {e}")))?;
    let mut group_of = vec![usize::MAX; ids.len()];
    let mut groups: Vec<Vec<u32>> = groups
        .into_iter()
        .map(|s| {
            let mut v: Vec<u32> = s.into_iter().collect();
            v.sort_unstable();
            v
        })
        .filter(|v| v.len() >= min_size.max(2))
        .collect();
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    if let Some(l) = limit {
        groups.truncate(l);
    }
    for (gi, members) in groups.iter().enumerate() {
        for &m in members {
            group_of[m as usize] = gi;
        }
    }
    let mut inside = vec![0usize; ids.len()];
    let mut links = vec![0usize; groups.len()];
    for &(a, b) in &edges {
        let (ga, gb) = (group_of[a as usize], group_of[b as usize]);
        if ga == gb && ga != usize::MAX {
            inside[a as usize] += 1;
            inside[b as usize] += 1;
            links[ga] += 1;
        }
    }
    let all: Vec<i64> = groups.iter().flatten().map(|&m| ids[m as usize]).collect();
    let rows = store.entity_rows(&all)?;
    let mut out = Vec::with_capacity(groups.len());
    for (gi, g) in groups.into_iter().enumerate() {
        let mut members: Vec<Member> = g
            .iter()
            .filter_map(|&m| {
                rows.get(&ids[m as usize]).map(|e| Member {
                    name: e.name.clone(),
                    etype: e.etype,
                    links: inside[m as usize],
                })
            })
            .collect();
        members.sort_by(|a, b| b.links.cmp(&a.links).then_with(|| a.name.cmp(&b.name)));
        out.push(Community {
            size: members.len(),
            links: links[gi],
            members,
        });
    }
    Ok(out)
}
