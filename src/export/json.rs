//! The graph JSON of the ontology: `nodes` (id, name, type, aliases, mentions) and
//! `edges` (source, target, type, weight, attributes, evidence).
//!
//! The document is written straight from borrowed records whose fields are declared in
//! alphabetical order: the same bytes as a `serde_json::Value` (whose objects sort their keys),
//! without building and dropping a tree of owned values first.

use crate::graph::GraphView;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;

/// The whole document. Fields in alphabetical order, as a `Value`'s object keys come out.
#[derive(Serialize)]
struct JsonGraph<'a> {
    edges: Vec<JsonEdge<'a>>,
    nodes: Vec<JsonNode<'a>>,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    aliases: &'a [String],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    attributes: &'a BTreeMap<String, String>,
    id: &'a str,
    mentions: usize,
    name: &'a str,
    #[serde(rename = "type")]
    etype: &'static str,
}

#[derive(Serialize)]
struct JsonEdge<'a> {
    attributes: &'a BTreeMap<String, String>,
    evidence: Vec<JsonEvidence<'a>>,
    source: &'a str,
    target: &'a str,
    #[serde(rename = "type")]
    rtype: &'static str,
    weight: usize,
}

#[derive(Serialize)]
struct JsonEvidence<'a> {
    cue: &'a str,
    doc: &'a str,
    sentence: &'a str,
}

fn records(view: &GraphView) -> JsonGraph<'_> {
    let nodes = view
        .nodes
        .iter()
        .map(|n| JsonNode {
            aliases: &n.aliases,
            attributes: &n.attributes,
            id: &n.id,
            mentions: n.mentions,
            name: &n.name,
            etype: n.etype.as_str(),
        })
        .collect();
    let edges = view
        .edges
        .iter()
        .map(|e| JsonEdge {
            attributes: &e.attributes,
            evidence: super::common::flatten_evidence(e)
                .into_iter()
                .map(|ev| JsonEvidence {
                    cue: ev.cue,
                    doc: ev.doc,
                    sentence: ev.sentence,
                })
                .collect(),
            source: &view.nodes[e.source].id,
            target: &view.nodes[e.target].id,
            rtype: e.rtype.as_str(),
            weight: e.weight,
        })
        .collect();
    JsonGraph { edges, nodes }
}

/// The graph JSON as a value.
pub fn to_value(view: &GraphView) -> Value {
    serde_json::to_value(records(view)).expect("the graph's records have string keys only")
}

/// Writes the graph JSON, pretty-printed, with a final newline.
pub fn write(view: &GraphView, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &records(view))?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The document as first written: a tree of values, whose objects sort their keys.
    fn as_value_tree(view: &GraphView) -> Value {
        let nodes: Vec<Value> = view
            .nodes
            .iter()
            .map(|n| {
                let mut v = json!({
                    "id": n.id, "name": n.name, "type": n.etype.as_str(), "aliases": n.aliases, "mentions": n.mentions,
                });
                if !n.attributes.is_empty() {
                    v["attributes"] = json!(n.attributes);
                }
                v
            })
            .collect();
        let edges: Vec<Value> = view
            .edges
            .iter()
            .map(|e| {
                json!({
                    "source": view.nodes[e.source].id,
                    "target": view.nodes[e.target].id,
                    "type": e.rtype.as_str(),
                    "weight": e.weight,
                    "attributes": e.attributes,
                    "evidence": e.evidence.iter()
                        .map(|ev| json!({"doc": ev.doc, "sentence": ev.sentence, "cue": ev.cue}))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({ "nodes": nodes, "edges": edges })
    }

    #[test]
    fn written_bytes_are_those_of_the_value_tree() {
        let view = crate::export::graphml::fixture::view();
        let mut out = Vec::new();
        write(&view, &mut out).unwrap();
        let want = serde_json::to_string_pretty(&as_value_tree(&view)).unwrap() + "\n";
        assert_eq!(String::from_utf8(out).unwrap(), want);
        assert_eq!(to_value(&view), as_value_tree(&view));
    }
}
