//! GEXF 1.3 (Gephi, NetworkX `read_gexf`).
//!
//! One static, directed graph. Nodes carry `label` = name, a `viz:color` by type (the fill
//! colours of [`dot::style_of`](super::dot::style_of)) and these attributes:
//!
//! | class | id | title | type | value |
//! | --- | --- | --- | --- | --- |
//! | node | 0 | `type` | string | entity type |
//! | node | 1 | `aliases` | string | every surface form, joined with `" | "` |
//! | node | 2 | `mentions` | integer | number of mentions |
//! | node | 3… | each node attribute (`year`, …) | string | only on nodes that have it |
//! | edge | 0 | `relation` | string | relation type |
//! | edge | 1 | `evidence` | string | the evidence sentences, one per line |
//! | edge | 2 | `evidence_count` | integer | number of evidence sentences written |
//! | edge | 3 | `cues` | string | the cues, joined with `" | "` |
//! | edge | 4 | `docs` | string | the documents, joined with `" | "` |
//! | edge | 5… | each edge attribute (`amount`, `year`, …) | string | only on edges that have it |
//!
//! Edges have ids `e1`, `e2`, … in the view's order, `label` and `kind` = relation type and
//! `weight` = number of evidence sentences. `kind` (new in GEXF 1.3) is what lets Gephi keep
//! parallel edges (two relation types between the same pair) apart; NetworkX keeps them too and
//! then returns a `MultiDiGraph`. Symmetric relations are written as directed edges as well
//! (NetworkX refuses undirected edges in a directed graph). `<attributes>` has no `mode`, which
//! GEXF 1.3 dropped; the graph is `mode="static"`.

use super::graphml::{attribute_names, escape};
use crate::graph::GraphView;
use crate::model::EntityType;
use std::fmt::Write as _;
use std::io::Write;

/// The RGB fill colour of a type, from [`dot::style_of`](super::dot::style_of).
pub fn rgb_of(t: EntityType) -> (u8, u8, u8) {
    let hex = super::dot::style_of(t).1.trim_start_matches('#');
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0)
    };
    (channel(0), channel(2), channel(4))
}

const NODE_ATTRS: [(&str, &str); 3] = [("type", "string"), ("aliases", "string"), ("mentions", "integer")];
const EDGE_ATTRS: [(&str, &str); 5] = [
    ("relation", "string"),
    ("evidence", "string"),
    ("evidence_count", "integer"),
    ("cues", "string"),
    ("docs", "string"),
];
/// Names NetworkX puts in a node's or edge's data itself, which an attribute must not shadow
/// (and `name`, the canonical name's key in the other formats).
const NODE_RESERVED: [&str; 8] = ["name", "label", "viz", "pid", "parents", "spells", "start", "end"];
const EDGE_RESERVED: [&str; 6] = ["id", "label", "weight", "spells", "start", "end"];

fn declare(out: &mut String, class: &str, attrs: &[(String, &str)]) {
    let _ = writeln!(out, "    <attributes class=\"{class}\">");
    for (i, (title, ty)) in attrs.iter().enumerate() {
        let _ = writeln!(
            out,
            "      <attribute id=\"{i}\" title=\"{}\" type=\"{ty}\"/>",
            escape(title)
        );
    }
    out.push_str("    </attributes>\n");
}

fn attvalues(out: &mut String, values: &[(usize, &str)]) {
    if values.is_empty() {
        return;
    }
    out.push_str("        <attvalues>\n");
    for (id, v) in values {
        let _ = writeln!(out, "          <attvalue for=\"{id}\" value=\"{}\"/>", escape(v));
    }
    out.push_str("        </attvalues>\n");
}

/// The GEXF text of a view.
pub fn to_gexf(view: &GraphView) -> String {
    let node_fixed: Vec<&str> = NODE_ATTRS.iter().map(|a| a.0).chain(NODE_RESERVED).collect();
    let edge_fixed: Vec<&str> = EDGE_ATTRS.iter().map(|a| a.0).chain(EDGE_RESERVED).collect();
    let node_extra = attribute_names(&node_fixed, view.nodes.iter().flat_map(|n| n.attributes.keys()));
    let edge_extra = attribute_names(&edge_fixed, view.edges.iter().flat_map(|e| e.attributes.keys()));

    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n",
    );
    out.push_str("  <meta>\n    <creator>guanxi</creator>\n");
    out.push_str("    <description>knowledge graph of tech and AI news</description>\n  </meta>\n");
    out.push_str("  <graph mode=\"static\" defaultedgetype=\"directed\">\n");

    let node_decl: Vec<(String, &str)> = NODE_ATTRS
        .iter()
        .map(|(t, ty)| (t.to_string(), *ty))
        .chain(node_extra.iter().map(|(_, name)| (name.clone(), "string")))
        .collect();
    let edge_decl: Vec<(String, &str)> = EDGE_ATTRS
        .iter()
        .map(|(t, ty)| (t.to_string(), *ty))
        .chain(edge_extra.iter().map(|(_, name)| (name.clone(), "string")))
        .collect();
    declare(&mut out, "node", &node_decl);
    declare(&mut out, "edge", &edge_decl);

    let _ = writeln!(out, "    <nodes count=\"{}\">", view.nodes.len());
    for n in &view.nodes {
        let _ = writeln!(
            out,
            "      <node id=\"{}\" label=\"{}\">",
            escape(&n.id),
            escape(&n.name)
        );
        let aliases = n.aliases.join(" | ");
        let mentions = n.mentions.to_string();
        let mut values: Vec<(usize, &str)> = vec![(0, n.etype.as_str()), (1, &aliases), (2, &mentions)];
        for (i, (k, _)) in node_extra.iter().enumerate() {
            if let Some(v) = n.attributes.get(k) {
                values.push((NODE_ATTRS.len() + i, v));
            }
        }
        attvalues(&mut out, &values);
        let (r, g, b) = rgb_of(n.etype);
        let _ = writeln!(out, "        <viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>");
        out.push_str("      </node>\n");
    }
    out.push_str("    </nodes>\n");

    let _ = writeln!(out, "    <edges count=\"{}\">", view.edges.len());
    for (i, e) in view.edges.iter().enumerate() {
        let _ = writeln!(
            out,
            "      <edge id=\"e{}\" source=\"{}\" target=\"{}\" kind=\"{}\" label=\"{}\" weight=\"{}\">",
            i + 1,
            escape(&view.nodes[e.source].id),
            escape(&view.nodes[e.target].id),
            e.rtype.as_str(),
            e.rtype.as_str(),
            e.weight
        );
        let evidence = e
            .evidence
            .iter()
            .map(|ev| ev.sentence.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let count = e.evidence.len().to_string();
        let cues = e
            .evidence
            .iter()
            .map(|ev| ev.cue.as_str())
            .collect::<Vec<_>>()
            .join(" | ");
        let docs = e
            .evidence
            .iter()
            .map(|ev| ev.doc.as_str())
            .collect::<Vec<_>>()
            .join(" | ");
        let mut values: Vec<(usize, &str)> = vec![
            (0, e.rtype.as_str()),
            (1, &evidence),
            (2, &count),
            (3, &cues),
            (4, &docs),
        ];
        for (i, (k, _)) in edge_extra.iter().enumerate() {
            if let Some(v) = e.attributes.get(k) {
                values.push((EDGE_ATTRS.len() + i, v));
            }
        }
        attvalues(&mut out, &values);
        out.push_str("      </edge>\n");
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}

/// Writes the view as GEXF 1.3.
pub fn write(view: &GraphView, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(to_gexf(view).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::graphml::fixture::{HOSTILE, check_xml, view};

    #[test]
    fn gexf_is_well_formed_and_counts_match() {
        let v = view();
        let xml = to_gexf(&v);
        check_xml(&xml).unwrap();
        assert_eq!(xml.matches("<node ").count(), v.nodes.len());
        assert_eq!(xml.matches("<edge ").count(), v.edges.len());
        assert_eq!(xml.matches("<viz:color ").count(), v.nodes.len());
        assert!(xml.contains(&format!("<nodes count=\"{}\">", v.nodes.len())));
        assert!(xml.contains(&format!("<edges count=\"{}\">", v.edges.len())));
        assert!(xml.contains("<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\""));
        assert!(xml.contains("version=\"1.3\""));
        assert!(xml.contains("defaultedgetype=\"directed\""));
    }

    #[test]
    fn hostile_label_is_escaped_in_attributes() {
        let xml = to_gexf(&view());
        let escaped = escape(HOSTILE);
        assert!(escaped.contains("&#10;") && !escaped.contains('\n'));
        assert!(xml.contains(&format!("label=\"{escaped}\">")));
        // The multi-line evidence keeps its line breaks as references.
        assert!(xml.contains("竞争;&#13;&#10;&#9;&apos;quoted&apos;, comma\\back\u{FFFD}ctl&#10;第二句。\"/>"));
    }

    #[test]
    fn colours_match_dot() {
        assert_eq!(rgb_of(EntityType::Company), (0xAE, 0xD6, 0xF1));
        for t in EntityType::ALL {
            let (r, g, b) = rgb_of(t);
            assert_eq!(format!("#{r:02X}{g:02X}{b:02X}"), super::super::dot::style_of(t).1);
        }
        let xml = to_gexf(&view());
        assert!(xml.contains("<viz:color r=\"174\" g=\"214\" b=\"241\"/>"));
    }

    #[test]
    fn edges_carry_label_weight_and_declared_attributes() {
        let v = view();
        let xml = to_gexf(&v);
        for (i, e) in v.edges.iter().enumerate() {
            let open = format!(
                "<edge id=\"e{}\" source=\"{}\" target=\"{}\" kind=\"{}\" label=\"{}\" weight=\"{}\">",
                i + 1,
                v.nodes[e.source].id,
                v.nodes[e.target].id,
                e.rtype.as_str(),
                e.rtype.as_str(),
                e.weight
            );
            assert!(xml.contains(&open), "{open}");
        }
        // Node attributes: year and the clashing `name` renamed; edge attributes amount and year.
        let (nodes_decl, rest) = xml.split_once("<attributes class=\"edge\"").unwrap();
        let edges_decl = rest.split("</attributes>").next().unwrap();
        assert!(nodes_decl.contains("<attribute id=\"2\" title=\"mentions\" type=\"integer\"/>"));
        assert!(nodes_decl.contains("<attribute id=\"3\" title=\"attr_name\" type=\"string\"/>"));
        assert!(nodes_decl.contains("<attribute id=\"4\" title=\"year\" type=\"string\"/>"));
        assert!(edges_decl.contains("<attribute id=\"0\" title=\"relation\" type=\"string\"/>"));
        assert!(edges_decl.contains("<attribute id=\"1\" title=\"evidence\" type=\"string\"/>"));
        assert!(edges_decl.contains("<attribute id=\"5\" title=\"amount\" type=\"string\"/>"));
        assert!(edges_decl.contains("<attribute id=\"6\" title=\"year\" type=\"string\"/>"));
        assert!(xml.contains("<attvalue for=\"5\" value=\"130亿美元\"/>"));
        // Every attvalue refers to a declared id of its class.
        let max_node = 4;
        let max_edge = 6;
        for (part, max) in [
            (xml.split("<edges ").next().unwrap(), max_node),
            (xml.split("<edges ").nth(1).unwrap(), max_edge),
        ] {
            for chunk in part.split("<attvalue for=\"").skip(1) {
                let id: usize = chunk.split('"').next().unwrap().parse().unwrap();
                assert!(id <= max);
            }
        }
    }

    #[test]
    fn empty_view_is_valid_and_output_is_deterministic() {
        let xml = to_gexf(&GraphView::default());
        check_xml(&xml).unwrap();
        assert!(xml.contains("<nodes count=\"0\">"));
        assert_eq!(to_gexf(&view()), to_gexf(&view()));
        let mut buf = Vec::new();
        write(&view(), &mut buf).unwrap();
        assert_eq!(buf, to_gexf(&view()).as_bytes());
    }
}
