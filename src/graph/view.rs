//! Views of the graph: a focus with a depth, entity and relation types, minimum
//! evidence and a date window. Every export format takes the same view.

use super::GraphView;
use crate::model::{EntityType, RelationType};
use petgraph::visit::Bfs;
use std::collections::HashSet;

/// What part of the graph to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewOptions {
    /// Show only the neighbourhood of this entity (name or alias).
    pub focus: Option<String>,
    /// How many hops from the focus (default 1).
    pub depth: Option<usize>,
    /// Keep only these entity types (empty: all).
    pub types: Vec<EntityType>,
    /// Keep only these relation types (empty: all).
    pub relations: Vec<RelationType>,
    /// Keep only edges with at least this many evidence sentences.
    pub min_evidence: usize,
    /// Keep only evidence from documents dated on or after this day (`YYYY-MM-DD`, see
    /// [`crate::dates::parse_bound`]).
    pub since: Option<String>,
    /// Keep only evidence from documents dated on or before this day (`YYYY-MM-DD`).
    pub until: Option<String>,
}

/// Why a view could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    /// The focus names no entity.
    #[error("no entity named `{0}` in the graph")]
    UnknownFocus(String),
}

/// Applies a view to a graph, returning a new graph in stable order.
pub fn apply(graph: &GraphView, opts: &ViewOptions) -> Result<GraphView, ViewError> {
    let mut g = graph.clone();
    // Evidence in the date window; undated evidence is kept only without a window.
    if opts.since.is_some() || opts.until.is_some() {
        for e in &mut g.edges {
            // A stored date that is no date (written by an older guanxi) counts as undated.
            e.evidence
                .retain(|ev| match ev.date.as_deref().map(crate::dates::parse_date) {
                    Some(Ok(d)) => {
                        opts.since.as_ref().is_none_or(|s| d.as_str() >= s.as_str())
                            && opts.until.as_ref().is_none_or(|u| d.as_str() <= u.as_str())
                    }
                    _ => false,
                });
            e.weight = e.evidence.len();
        }
        g.edges.retain(|e| e.weight > 0);
    }
    g.edges.retain(|e| {
        e.weight >= opts.min_evidence.max(1)
            && (opts.relations.is_empty() || opts.relations.contains(&e.rtype))
            && (opts.types.is_empty()
                || (opts.types.contains(&g.nodes[e.source].etype) && opts.types.contains(&g.nodes[e.target].etype)))
    });
    let mut keep: HashSet<usize> = (0..g.nodes.len())
        .filter(|&i| opts.types.is_empty() || opts.types.contains(&g.nodes[i].etype))
        .collect();
    if let Some(f) = &opts.focus {
        let start = g.find(f).ok_or_else(|| ViewError::UnknownFocus(f.clone()))?;
        let depth = opts.depth.unwrap_or(1);
        let pg = g.to_petgraph();
        let mut dist = vec![usize::MAX; g.nodes.len()];
        dist[start] = 0;
        let mut bfs = Bfs::new(&pg, petgraph::graph::NodeIndex::new(start));
        while let Some(n) = bfs.next(&pg) {
            let d = dist[n.index()];
            for m in pg.neighbors(n) {
                if dist[m.index()] == usize::MAX {
                    dist[m.index()] = d.saturating_add(1);
                }
            }
        }
        keep.retain(|&i| dist[i] <= depth);
        g.edges.retain(|e| dist[e.source] <= depth && dist[e.target] <= depth);
    }
    keep_nodes(&mut g, &keep);
    g.normalise();
    Ok(g)
}

fn keep_nodes(g: &mut GraphView, keep: &HashSet<usize>) {
    let mut map = vec![usize::MAX; g.nodes.len()];
    let mut nodes = Vec::new();
    for (i, n) in g.nodes.iter().enumerate() {
        if keep.contains(&i) {
            map[i] = nodes.len();
            nodes.push(n.clone());
        }
    }
    g.edges
        .retain(|e| map[e.source] != usize::MAX && map[e.target] != usize::MAX);
    for e in &mut g.edges {
        e.source = map[e.source];
        e.target = map[e.target];
    }
    g.nodes = nodes;
}
