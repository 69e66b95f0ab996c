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
    /// What happens to nodes without edges.
    pub isolated: Isolated,
}

/// Which nodes without edges a view keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Isolated {
    /// Every node the other options keep.
    #[default]
    Keep,
    /// Drop the nodes that had edges and lost them all to the view's filters: a view of one
    /// relation is not a column of unrelated names. Nodes that never had an edge stay.
    DropFiltered,
    /// Drop every node without an edge (the focus excepted), as a diagram wants.
    DropAll,
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
    let mut had_edge = vec![false; g.nodes.len()];
    for e in &g.edges {
        had_edge[e.source] = true;
        had_edge[e.target] = true;
    }
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
    let mut focus = None;
    if let Some(f) = &opts.focus {
        let start = g.find(f).ok_or_else(|| ViewError::UnknownFocus(f.clone()))?;
        focus = Some(start);
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
    if opts.isolated != Isolated::Keep {
        let mut has_edge = vec![false; g.nodes.len()];
        for e in g
            .edges
            .iter()
            .filter(|e| keep.contains(&e.source) && keep.contains(&e.target))
        {
            has_edge[e.source] = true;
            has_edge[e.target] = true;
        }
        keep.retain(|&i| has_edge[i] || focus == Some(i) || (opts.isolated == Isolated::DropFiltered && !had_edge[i]));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphEdge, GraphNode};

    /// A company, a person and a lone company: Acme invests in Beta, Carla leads Acme.
    fn graph() -> GraphView {
        let node = |id: &str, name: &str, etype| GraphNode {
            id: id.into(),
            key: name.to_lowercase(),
            name: name.into(),
            etype,
            aliases: vec![name.into()],
            mentions: 1,
            attributes: Default::default(),
        };
        let edge = |source, target, rtype| GraphEdge {
            source,
            target,
            rtype,
            weight: 1,
            attributes: Default::default(),
            evidence: Vec::new(),
        };
        GraphView {
            nodes: vec![
                node("n1", "Acme", EntityType::Company),
                node("n2", "Beta", EntityType::Company),
                node("n3", "Carla", EntityType::Person),
                node("n4", "Lone", EntityType::Company),
            ],
            edges: vec![edge(0, 1, RelationType::InvestsIn), edge(2, 0, RelationType::Leads)],
        }
    }

    fn names(g: &GraphView) -> Vec<&str> {
        g.nodes.iter().map(|n| n.name.as_str()).collect()
    }

    #[test]
    fn isolated_nodes_are_kept_dropped_when_filtered_or_all_dropped() {
        let leads = |isolated| ViewOptions {
            relations: vec![RelationType::Leads],
            isolated,
            ..Default::default()
        };
        let keep = apply(&graph(), &leads(Isolated::Keep)).unwrap();
        assert_eq!(names(&keep), ["Acme", "Beta", "Lone", "Carla"]);
        // Beta lost its only edge to the filter; Lone never had one.
        let filtered = apply(&graph(), &leads(Isolated::DropFiltered)).unwrap();
        assert_eq!(names(&filtered), ["Acme", "Lone", "Carla"]);
        let all = apply(&graph(), &leads(Isolated::DropAll)).unwrap();
        assert_eq!(names(&all), ["Acme", "Carla"]);
        assert_eq!(all.edges.len(), 1);
        // A focus without edges is still shown.
        let lone = ViewOptions {
            focus: Some("Lone".into()),
            isolated: Isolated::DropAll,
            ..Default::default()
        };
        assert_eq!(names(&apply(&graph(), &lone).unwrap()), ["Lone"]);
    }
}
