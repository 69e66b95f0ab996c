//! The graph JSON of the ontology: `nodes` (id, name, type, aliases, mentions) and
//! `edges` (source, target, type, weight, attributes, evidence).

use crate::graph::GraphView;
use serde_json::{Value, json};
use std::io::Write;

/// The graph JSON as a value.
pub fn to_value(view: &GraphView) -> Value {
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
                "evidence": super::common::flatten_evidence(e)
                    .into_iter()
                    .map(|ev| json!({"doc": ev.doc, "sentence": ev.sentence, "cue": ev.cue}))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "nodes": nodes, "edges": edges })
}

/// Writes the graph JSON, pretty-printed, with a final newline.
pub fn write(view: &GraphView, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(view))?;
    out.write_all(b"\n")
}
