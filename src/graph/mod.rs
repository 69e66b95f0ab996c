//! The graph as every reader sees it: one [`GraphView`] with nodes and edges in a
//! stable order, built from the store or from extractions, then filtered into a
//! view (focus, depth, types, evidence, dates) that every export format shares.
//! This module never sees SQL.

mod view;

pub use view::{Isolated, ViewOptions, apply as apply_view};

use crate::model::{EntityType, RelationType};
use petgraph::graph::{NodeIndex, UnGraph};
use serde::Serialize;
use std::collections::BTreeMap;

/// One node of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphNode {
    /// Stable id within one output (`n1`, `n2`, … in sorted order).
    pub id: String,
    /// The entity's key (type and normalised name), stable across outputs.
    pub key: String,
    /// Canonical name.
    pub name: String,
    /// Type.
    pub etype: EntityType,
    /// Every surface form seen, the name included.
    pub aliases: Vec<String>,
    /// Number of mentions.
    pub mentions: usize,
    /// Attributes (an event's year).
    pub attributes: BTreeMap<String, String>,
}

/// One sentence that states an edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EdgeEvidence {
    /// The document's source.
    pub doc: String,
    /// The sentence.
    pub sentence: String,
    /// The cue that fired.
    pub cue: String,
    /// The document's date, when known.
    pub date: Option<String>,
}

/// One typed edge, with all its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphEdge {
    /// Index of the source node in [`GraphView::nodes`].
    pub source: usize,
    /// Index of the target node.
    pub target: usize,
    /// Relation type.
    pub rtype: RelationType,
    /// Number of evidence sentences.
    pub weight: usize,
    /// Attributes (amount, year), merged over the evidence.
    pub attributes: BTreeMap<String, String>,
    /// The sentences that state it.
    pub evidence: Vec<EdgeEvidence>,
}

/// Nodes and edges in a stable order: nodes by type then name, edges by ends then type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GraphView {
    /// Nodes.
    pub nodes: Vec<GraphNode>,
    /// Edges.
    pub edges: Vec<GraphEdge>,
}

impl GraphView {
    /// Sorts nodes and edges into the stable order and renumbers the node ids.
    pub fn normalise(&mut self) {
        let mut order: Vec<usize> = (0..self.nodes.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&self.nodes[a], &self.nodes[b]);
            (x.etype, &x.name, &x.key).cmp(&(y.etype, &y.name, &y.key))
        });
        let mut new_index = vec![0; self.nodes.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let mut nodes: Vec<GraphNode> = order.iter().map(|&i| self.nodes[i].clone()).collect();
        for (i, n) in nodes.iter_mut().enumerate() {
            n.id = format!("n{}", i + 1);
            n.aliases.sort();
            n.aliases.dedup();
        }
        for e in &mut self.edges {
            e.source = new_index[e.source];
            e.target = new_index[e.target];
            if e.rtype.is_symmetric() && e.source > e.target {
                std::mem::swap(&mut e.source, &mut e.target);
            }
            e.evidence
                .sort_by(|a, b| (&a.doc, &a.sentence, &a.cue).cmp(&(&b.doc, &b.sentence, &b.cue)));
        }
        self.edges.sort_by_key(|a| (a.source, a.target, a.rtype));
        self.nodes = nodes;
    }

    /// Index of the node with this name or alias (case and width ignored), preferring exact names.
    pub fn find(&self, name: &str) -> Option<usize> {
        let k = crate::normalize::match_key(name);
        self.nodes
            .iter()
            .position(|n| crate::normalize::match_key(&n.name) == k)
            .or_else(|| {
                self.nodes
                    .iter()
                    .position(|n| n.aliases.iter().any(|a| crate::normalize::match_key(a) == k))
            })
    }

    /// The graph as petgraph sees it (undirected, for neighbourhoods and paths).
    pub fn to_petgraph(&self) -> UnGraph<usize, usize> {
        let mut g = UnGraph::with_capacity(self.nodes.len(), self.edges.len());
        let idx: Vec<NodeIndex> = (0..self.nodes.len()).map(|i| g.add_node(i)).collect();
        for (i, e) in self.edges.iter().enumerate() {
            g.add_edge(idx[e.source], idx[e.target], i);
        }
        g
    }

    /// Counts of nodes by type and edges by relation.
    pub fn counts(&self) -> (BTreeMap<EntityType, usize>, BTreeMap<RelationType, usize>) {
        let mut n = BTreeMap::new();
        for node in &self.nodes {
            *n.entry(node.etype).or_insert(0) += 1;
        }
        let mut e = BTreeMap::new();
        for edge in &self.edges {
            *e.entry(edge.rtype).or_insert(0) += 1;
        }
        (n, e)
    }
}

/// Builds a [`GraphView`] from nodes and evidence, whatever they come from (the store, or
/// extractions without a database): the one place where the merge rules live. A node met again
/// gains mentions, aliases and the attributes it lacked; a symmetric relation is one edge whichever
/// way round it is stated; an edge's attributes are those its first sentences give.
#[derive(Debug, Default)]
pub struct GraphBuilder {
    graph: GraphView,
    node_of: std::collections::HashMap<String, usize>,
    edge_of: std::collections::HashMap<(usize, usize, RelationType), usize>,
}

impl GraphBuilder {
    /// Adds (or merges into) the node of `key`; gives its index.
    pub fn node(
        &mut self,
        key: &str,
        name: &str,
        etype: EntityType,
        aliases: impl IntoIterator<Item = String>,
        mentions: usize,
        attributes: &BTreeMap<String, String>,
    ) -> usize {
        let nodes = &mut self.graph.nodes;
        let i = *self.node_of.entry(key.to_string()).or_insert_with(|| {
            nodes.push(GraphNode {
                id: String::new(),
                key: key.to_string(),
                name: name.to_string(),
                etype,
                aliases: Vec::new(),
                mentions: 0,
                attributes: BTreeMap::new(),
            });
            nodes.len() - 1
        });
        let n = &mut nodes[i];
        n.mentions += mentions;
        n.aliases.extend(aliases);
        for (k, v) in attributes {
            n.attributes.entry(k.clone()).or_insert_with(|| v.clone());
        }
        i
    }

    /// Adds one sentence of evidence for the edge `source → target` of a type (made when new).
    pub fn evidence(
        &mut self,
        source: usize,
        target: usize,
        rtype: RelationType,
        attributes: &BTreeMap<String, String>,
        evidence: EdgeEvidence,
    ) {
        let (mut s, mut t) = (source, target);
        if rtype.is_symmetric() && s > t {
            std::mem::swap(&mut s, &mut t);
        }
        let edges = &mut self.graph.edges;
        let i = *self.edge_of.entry((s, t, rtype)).or_insert_with(|| {
            edges.push(GraphEdge {
                source: s,
                target: t,
                rtype,
                weight: 0,
                attributes: BTreeMap::new(),
                evidence: Vec::new(),
            });
            edges.len() - 1
        });
        let e = &mut edges[i];
        e.weight += 1;
        for (k, v) in attributes {
            e.attributes.entry(k.clone()).or_insert_with(|| v.clone());
        }
        e.evidence.push(evidence);
    }

    /// The graph in stable order.
    pub fn finish(mut self) -> GraphView {
        self.graph.normalise();
        self.graph
    }
}

/// Builds the graph of a set of extractions (no database): entities meet by key across documents,
/// relations by their ends and type, with all their evidence.
pub fn from_extractions(extractions: &[crate::model::Extraction]) -> GraphView {
    let mut g = GraphBuilder::default();
    for x in extractions {
        g.add_extraction(x);
    }
    g.finish()
}

impl GraphBuilder {
    /// Adds one document's entities and relations (with their evidence), so that a graph of many
    /// documents can be built without holding them all.
    pub fn add_extraction(&mut self, x: &crate::model::Extraction) {
        let g = self;
        let local: Vec<usize> = x
            .entities
            .iter()
            .map(|e| {
                g.node(
                    &e.key.0,
                    &e.name,
                    e.etype,
                    e.aliases.iter().cloned(),
                    e.mentions,
                    &e.attributes,
                )
            })
            .collect();
        for r in &x.relations {
            g.evidence(
                local[r.head],
                local[r.tail],
                r.rtype,
                &r.attributes,
                EdgeEvidence {
                    doc: r.evidence.doc.clone(),
                    sentence: r.evidence.sentence.clone(),
                    cue: r.evidence.cue.clone(),
                    date: x.document.date.clone(),
                },
            );
        }
    }
}
