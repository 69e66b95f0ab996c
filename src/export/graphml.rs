//! GraphML (NetworkX `read_graphml`, Gephi, yEd).
//!
//! Every attribute is declared once as a typed `<key>` (`d0`, `d1`, … in a fixed order):
//!
//! | for | attr.name | attr.type | value |
//! | --- | --- | --- | --- |
//! | node | `name` | string | canonical name |
//! | node | `label` | string | the name again (Gephi shows `label`) |
//! | node | `type` | string | entity type (`company`, …) |
//! | node | `aliases` | string | every surface form, joined with `" | "` |
//! | node | `mentions` | int | number of mentions |
//! | node | each node attribute (`year`, …) | string | only on nodes that have it |
//! | edge | `relation` | string | relation type (`competes_with`, …) |
//! | edge | `weight` | int | number of evidence sentences |
//! | edge | `evidence_count` | int | number of evidence items written |
//! | edge | `first_sentence`, `first_cue`, `first_doc` | string | the first evidence item |
//! | edge | each edge attribute (`amount`, `year`, …) | string | only on edges that have it |
//!
//! An attribute whose name is taken by a fixed key is written as `attr_NAME`.
//! Node ids are [`GraphNode::id`](crate::graph::GraphNode::id), edge ids `e1`, `e2`, … in the
//! view's order. Empty strings are left out (NetworkX reads an empty `<data>` as absent anyway).
//!
//! The XML helpers here ([`escape`]) are shared with the GEXF writer.

use crate::graph::GraphView;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write;

/// True for the characters XML 1.0 allows in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes `s` for XML 1.0 text content and (double- or single-quoted) attribute values.
///
/// `& < > " '` become entities; tab, line feed and carriage return become character
/// references so that attribute-value normalisation and line-end handling keep them;
/// C1 controls (U+007F–U+009F) become character references; characters that XML 1.0
/// cannot hold at all (other C0 controls, U+FFFE, U+FFFF) become U+FFFD.
///
/// ```
/// use guanxi::export::graphml::escape;
/// assert_eq!(escape("a<b & \"c\"\n"), "a&lt;b &amp; &quot;c&quot;&#10;");
/// assert_eq!(escape("x\u{1}y"), "x\u{FFFD}y");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' | '\u{7F}'..='\u{9F}' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Names for attribute keys that cannot clash with the fixed names (or each other):
/// each key maps to itself, or to `attr_KEY` (repeatedly) when that name is taken.
/// Returns `(key, name)` pairs in key order.
pub(crate) fn attribute_names<'a>(fixed: &[&str], keys: impl IntoIterator<Item = &'a String>) -> Vec<(String, String)> {
    let keys: BTreeSet<&String> = keys.into_iter().collect();
    let mut taken: BTreeSet<String> = fixed.iter().map(|s| s.to_string()).collect();
    taken.extend(keys.iter().map(|k| k.to_string()));
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        let mut name = k.clone();
        if fixed.contains(&name.as_str()) {
            while taken.contains(&name) {
                name = format!("attr_{name}");
            }
            taken.insert(name.clone());
        }
        out.push((k.clone(), name));
    }
    out
}

/// The fixed node keys, in declaration order.
const NODE_KEYS: [(&str, &str); 5] = [
    ("name", "string"),
    ("label", "string"),
    ("type", "string"),
    ("aliases", "string"),
    ("mentions", "int"),
];

/// The fixed edge keys, in declaration order.
const EDGE_KEYS: [(&str, &str); 6] = [
    ("relation", "string"),
    ("weight", "int"),
    ("evidence_count", "int"),
    ("first_sentence", "string"),
    ("first_cue", "string"),
    ("first_doc", "string"),
];

fn data(out: &mut String, key: usize, value: &str, indent: &str) {
    if !value.is_empty() {
        let _ = writeln!(out, "{indent}<data key=\"d{key}\">{}</data>", escape(value));
    }
}

/// The GraphML text of a view.
pub fn to_graphml(view: &GraphView) -> String {
    let node_fixed: Vec<&str> = NODE_KEYS.iter().map(|k| k.0).collect();
    let edge_fixed: Vec<&str> = EDGE_KEYS.iter().map(|k| k.0).collect();
    let node_attrs = attribute_names(&node_fixed, view.nodes.iter().flat_map(|n| n.attributes.keys()));
    let edge_attrs = attribute_names(&edge_fixed, view.edges.iter().flat_map(|e| e.attributes.keys()));

    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    // Key ids: fixed node keys, node attributes, fixed edge keys, edge attributes.
    let mut next = 0;
    let mut key = |out: &mut String, domain: &str, name: &str, ty: &str| {
        let _ = writeln!(
            out,
            "  <key id=\"d{next}\" for=\"{domain}\" attr.name=\"{}\" attr.type=\"{ty}\"/>",
            escape(name)
        );
        next += 1;
        next - 1
    };
    let node_fixed_ids: Vec<usize> = NODE_KEYS.iter().map(|(n, t)| key(&mut out, "node", n, t)).collect();
    let node_attr_ids: Vec<usize> = node_attrs
        .iter()
        .map(|(_, n)| key(&mut out, "node", n, "string"))
        .collect();
    let edge_fixed_ids: Vec<usize> = EDGE_KEYS.iter().map(|(n, t)| key(&mut out, "edge", n, t)).collect();
    let edge_attr_ids: Vec<usize> = edge_attrs
        .iter()
        .map(|(_, n)| key(&mut out, "edge", n, "string"))
        .collect();

    out.push_str("  <graph id=\"guanxi\" edgedefault=\"directed\">\n");
    for n in &view.nodes {
        let _ = writeln!(out, "    <node id=\"{}\">", escape(&n.id));
        let values = [
            n.name.clone(),
            n.name.clone(),
            n.etype.as_str().to_string(),
            n.aliases.join(" | "),
            n.mentions.to_string(),
        ];
        for (id, v) in node_fixed_ids.iter().zip(&values) {
            data(&mut out, *id, v, "      ");
        }
        for ((k, _), id) in node_attrs.iter().zip(&node_attr_ids) {
            if let Some(v) = n.attributes.get(k) {
                data(&mut out, *id, v, "      ");
            }
        }
        out.push_str("    </node>\n");
    }
    for (i, e) in view.edges.iter().enumerate() {
        let _ = writeln!(
            out,
            "    <edge id=\"e{}\" source=\"{}\" target=\"{}\">",
            i + 1,
            escape(&view.nodes[e.source].id),
            escape(&view.nodes[e.target].id)
        );
        let first = e.evidence.first();
        let values = [
            e.rtype.as_str().to_string(),
            e.weight.to_string(),
            e.evidence.len().to_string(),
            first.map(|ev| ev.sentence.clone()).unwrap_or_default(),
            first.map(|ev| ev.cue.clone()).unwrap_or_default(),
            first.map(|ev| ev.doc.clone()).unwrap_or_default(),
        ];
        for (id, v) in edge_fixed_ids.iter().zip(&values) {
            data(&mut out, *id, v, "      ");
        }
        for ((k, _), id) in edge_attrs.iter().zip(&edge_attr_ids) {
            if let Some(v) = e.attributes.get(k) {
                data(&mut out, *id, v, "      ");
            }
        }
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// Writes the view as GraphML.
pub fn write(view: &GraphView, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(to_graphml(view).as_bytes())
}

/// A small view with a hostile name, shared by the export tests.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::graph::{EdgeEvidence, GraphEdge, GraphNode, GraphView};
    use crate::model::{EntityType, RelationType};
    use std::collections::{BTreeMap, BTreeSet};

    /// A name that breaks every naive writer.
    pub const HOSTILE: &str =
        "He said \"hi\" \\ <b>&amp;</b> {x} 《书》 node edge graph 😀 \u{200B}zero-width \u{202E}rtl\nnewline";

    fn node(name: &str, key: &str, etype: EntityType, aliases: &[&str], mentions: usize) -> GraphNode {
        GraphNode {
            id: String::new(),
            key: key.to_string(),
            name: name.to_string(),
            etype,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            mentions,
            attributes: BTreeMap::new(),
        }
    }

    fn ev(doc: &str, sentence: &str, cue: &str) -> EdgeEvidence {
        EdgeEvidence {
            doc: doc.into(),
            sentence: sentence.into(),
            cue: cue.into(),
            date: None,
        }
    }

    /// Five nodes (one hostile, one with a year, one with an empty alias list) and four
    /// edges: two parallel ones between the same pair, one with attributes, one without evidence.
    pub fn view() -> GraphView {
        let mut event = node("Meta裁员", "event:meta裁员", EntityType::Event, &["Meta裁员"], 3);
        event.attributes.insert("year".into(), "2023".into());
        // An attribute whose name clashes with a fixed field.
        event.attributes.insert("name".into(), "clash".into());
        let mut view = GraphView {
            nodes: vec![
                node(
                    "OpenAI",
                    "company:openai",
                    EntityType::Company,
                    &["OpenAI", "Open;AI"],
                    23,
                ),
                node(
                    HOSTILE,
                    &format!("company:{HOSTILE}"),
                    EntityType::Company,
                    &[HOSTILE, "a;b", "x | y"],
                    2,
                ),
                node(
                    "Sam Altman",
                    "person:samaltman",
                    EntityType::Person,
                    &["Sam Altman", "阿尔特曼"],
                    5,
                ),
                event,
                node("Bare", "product:bare", EntityType::Product, &[], 0),
            ],
            edges: vec![
                GraphEdge {
                    source: 0,
                    target: 1,
                    rtype: RelationType::CompetesWith,
                    weight: 2,
                    attributes: BTreeMap::new(),
                    evidence: vec![
                        ev(
                            "corpus/a.txt",
                            "OpenAI 与 \"对手\" 竞争;\r\n\t'quoted', comma\\back\u{1}ctl",
                            "竞争",
                        ),
                        ev("corpus/b.txt", "第二句。", "对手"),
                    ],
                },
                GraphEdge {
                    source: 0,
                    target: 1,
                    rtype: RelationType::InvestsIn,
                    weight: 1,
                    attributes: [("amount".to_string(), "130亿美元".to_string())].into(),
                    evidence: vec![ev(HOSTILE, HOSTILE, "注资")],
                },
                GraphEdge {
                    source: 2,
                    target: 0,
                    rtype: RelationType::Leads,
                    weight: 1,
                    attributes: [("year".to_string(), "2019".to_string())].into(),
                    evidence: vec![ev("corpus/c.txt", "Sam Altman 是 OpenAI 的 CEO。", "CEO")],
                },
                GraphEdge {
                    source: 1,
                    target: 3,
                    rtype: RelationType::InvolvedIn,
                    weight: 0,
                    attributes: BTreeMap::new(),
                    evidence: vec![],
                },
            ],
        };
        view.normalise();
        view
    }

    /// A minimal XML well-formedness check for what the writers produce: the declaration,
    /// balanced tags, quoted attributes with no `<` in them, no `>`/`<` in text, only the five
    /// entities and character references, and only XML 1.0 characters.
    pub fn check_xml(xml: &str) -> Result<(), String> {
        let body = xml
            .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .ok_or("no XML declaration")?;
        if let Some(c) = xml.chars().find(|&c| !super::is_xml_char(c)) {
            return Err(format!("character U+{:04X} not allowed in XML 1.0", c as u32));
        }
        if xml.contains('\r') {
            return Err("raw carriage return".into());
        }
        let check_refs = |s: &str| -> Result<(), String> {
            for (i, _) in s.match_indices('&') {
                let rest = &s[i + 1..];
                let end = rest
                    .find(';')
                    .ok_or_else(|| format!("unterminated reference at {rest:.20}"))?;
                let name = &rest[..end];
                let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
                    || name
                        .strip_prefix('#')
                        .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
                if !ok {
                    return Err(format!("bad reference &{name};"));
                }
            }
            Ok(())
        };
        let mut stack: Vec<String> = Vec::new();
        let mut rest = body;
        let mut roots = 0;
        while !rest.is_empty() {
            let lt = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..lt];
            if text.contains('>') {
                return Err(format!("raw > in text {text:?}"));
            }
            if stack.is_empty() && !text.trim().is_empty() {
                return Err(format!("text outside the root: {text:?}"));
            }
            check_refs(text)?;
            rest = &rest[lt..];
            if rest.is_empty() {
                break;
            }
            let gt = rest.find('>').ok_or("unterminated tag")?;
            let tag = &rest[1..gt];
            rest = &rest[gt + 1..];
            if tag.contains('<') {
                return Err(format!("< inside tag {tag:?}"));
            }
            if let Some(name) = tag.strip_prefix('/') {
                let open = stack.pop().ok_or_else(|| format!("close {name} without open"))?;
                if open != name {
                    return Err(format!("close {name} for open {open}"));
                }
                continue;
            }
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
            if name.is_empty() {
                return Err("empty tag name".into());
            }
            let mut seen = BTreeSet::new();
            loop {
                attrs = attrs.trim_start();
                if attrs.is_empty() {
                    break;
                }
                let eq = attrs
                    .find("=\"")
                    .ok_or_else(|| format!("unquoted attribute in {tag:?}"))?;
                let aname = &attrs[..eq];
                if aname.contains(|c: char| c.is_whitespace() || c == '"') || !seen.insert(aname.to_string()) {
                    return Err(format!("bad or repeated attribute name {aname:?}"));
                }
                let after = &attrs[eq + 2..];
                let close = after.find('"').ok_or("unterminated attribute value")?;
                let value = &after[..close];
                if value.contains(['\n', '\t']) {
                    return Err(format!("raw whitespace control in attribute {value:?}"));
                }
                check_refs(value)?;
                attrs = &after[close + 1..];
            }
            if stack.is_empty() {
                roots += 1;
            }
            if !self_closing {
                stack.push(name.to_string());
            }
        }
        match (stack.is_empty(), roots) {
            (true, 1) => Ok(()),
            (false, _) => Err(format!("unclosed {stack:?}")),
            (true, n) => Err(format!("{n} root elements")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::{HOSTILE, check_xml, view};
    use super::*;
    use crate::graph::GraphView;

    #[test]
    fn escape_covers_markup_controls_and_invalid_characters() {
        assert_eq!(escape("<b>&amp;</b>"), "&lt;b&gt;&amp;amp;&lt;/b&gt;");
        assert_eq!(escape("'\"\t\r\n"), "&apos;&quot;&#9;&#13;&#10;");
        assert_eq!(
            escape("\u{0}\u{8}\u{B}\u{C}\u{1F}\u{FFFE}\u{FFFF}"),
            "\u{FFFD}".repeat(7)
        );
        assert_eq!(escape("\u{85}\u{7F}"), "&#133;&#127;");
        assert_eq!(escape("😀 \u{200B}\u{202E}《书》"), "😀 \u{200B}\u{202E}《书》");
    }

    #[test]
    fn graphml_is_well_formed_and_counts_match() {
        let v = view();
        let xml = to_graphml(&v);
        check_xml(&xml).unwrap();
        assert_eq!(xml.matches("<node ").count(), v.nodes.len());
        assert_eq!(xml.matches("<edge ").count(), v.edges.len());
        assert_eq!(xml.matches("<graph ").count(), 1);
        assert!(xml.contains("edgedefault=\"directed\""));
        for i in 1..=v.edges.len() {
            assert!(xml.contains(&format!("<edge id=\"e{i}\" ")), "edge e{i}");
        }
        assert!(!xml.contains(&format!("e{}\"", v.edges.len() + 1)));
    }

    #[test]
    fn every_used_key_is_declared_once_with_its_type() {
        let xml = to_graphml(&view());
        let mut declared = std::collections::BTreeMap::new();
        for line in xml.lines().filter(|l| l.trim_start().starts_with("<key ")) {
            let id = line.split("id=\"").nth(1).unwrap().split('"').next().unwrap();
            assert!(
                declared.insert(id.to_string(), line.to_string()).is_none(),
                "key {id} twice"
            );
        }
        for line in xml.lines().filter(|l| l.contains("<data key=")) {
            let id = line.split("key=\"").nth(1).unwrap().split('"').next().unwrap();
            assert!(declared.contains_key(id), "undeclared key {id}");
        }
        let decl = |name: &str, domain: &str, ty: &str| {
            declared
                .values()
                .any(|l| l.contains(&format!("for=\"{domain}\" attr.name=\"{name}\" attr.type=\"{ty}\"")))
        };
        for (name, ty) in [
            ("name", "string"),
            ("type", "string"),
            ("aliases", "string"),
            ("mentions", "int"),
        ] {
            assert!(decl(name, "node", ty), "node key {name}");
        }
        for (name, ty) in [
            ("relation", "string"),
            ("weight", "int"),
            ("evidence_count", "int"),
            ("first_sentence", "string"),
            ("amount", "string"),
            ("year", "string"),
        ] {
            assert!(decl(name, "edge", ty), "edge key {name}");
        }
        // Node attributes: `year`, and `name` renamed so it does not clash with the canonical name.
        assert!(decl("year", "node", "string"));
        assert!(decl("attr_name", "node", "string"));
        assert_eq!(
            declared.values().filter(|l| l.contains("attr.name=\"name\"")).count(),
            1
        );
    }

    #[test]
    fn hostile_name_is_escaped_exactly() {
        let xml = to_graphml(&view());
        let escaped = "He said &quot;hi&quot; \\ &lt;b&gt;&amp;amp;&lt;/b&gt; {x} 《书》 node edge graph 😀 \
                       \u{200B}zero-width \u{202E}rtl&#10;newline";
        assert_eq!(escape(HOSTILE), escaped);
        assert!(xml.contains(&format!(">{escaped}</data>")));
        assert!(!xml.contains("<b>"));
        // Aliases joined with " | ", each escaped.
        assert!(xml.contains(&format!(">{escaped} | a;b | x | y</data>")));
        // The evidence sentence with CR, LF, tab, quote and a C0 control.
        assert!(xml.contains("&quot;对手&quot; 竞争;&#13;&#10;&#9;&apos;quoted&apos;, comma\\back\u{FFFD}ctl</data>"));
    }

    #[test]
    fn empty_view_is_valid() {
        let xml = to_graphml(&GraphView::default());
        check_xml(&xml).unwrap();
        assert!(!xml.contains("<node"));
        let mut buf = Vec::new();
        write(&GraphView::default(), &mut buf).unwrap();
        assert_eq!(buf, xml.as_bytes());
    }

    #[test]
    fn the_xml_checker_rejects_broken_documents() {
        let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        assert!(check_xml(&format!("{decl}<a><b></b></a>\n")).is_ok());
        for bad in [
            "<a><b></a></b>",
            "<a>x < y</a>",
            "<a>x > y</a>",
            "<a>&nbsp;</a>",
            "<a t=\"x\ny\"/>",
            "<a t=x/>",
            "<a/><b/>",
            "<a>\u{1}</a>",
            "<a>",
            "<a t=\"1\" t=\"2\"/>",
        ] {
            assert!(check_xml(&format!("{decl}{bad}\n")).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(to_graphml(&view()), to_graphml(&view()));
    }

    #[test]
    fn attribute_names_avoid_clashes() {
        let keys = ["name".to_string(), "attr_name".to_string(), "year".to_string()];
        let names = attribute_names(&["name", "weight"], keys.iter());
        assert_eq!(
            names,
            vec![
                ("attr_name".to_string(), "attr_name".to_string()),
                ("name".to_string(), "attr_attr_name".to_string()),
                ("year".to_string(), "year".to_string()),
            ]
        );
    }
}
