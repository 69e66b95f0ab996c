//! One self-contained HTML page to explore the graph in a browser: the graph JSON of the
//! ontology and cytoscape.js (vendored in `vendor/cytoscape/`, MIT licence) are embedded, so
//! the file opens from disk with no network.
//!
//! The page lays the graph out with cose, colours nodes by type, and offers a search over
//! every alias, filters by type, relation and evidence, node cards, evidence of an edge and
//! a focus on a neighbourhood (see `html/page.js`). It reports what it draws in
//! `#status` (`data-nodes`, `data-edges`, `data-focus`), which the browser test reads.
//!
//! Names are data, never markup: the embedded JSON goes through [`common::ScriptSafe`], so no
//! name can close its `<script>` element, and the page puts names into the document with
//! `textContent` only.

use super::{DrawOptions, common};
use crate::graph::GraphView;
use crate::model::{Lang, RelationType};
use serde_json::{Map, Value, json};
use std::io::{self, Write};

/// cytoscape.js, minified, from its npm package (version in `vendor/cytoscape/README.md`).
pub const CYTOSCAPE_JS: &str = include_str!("../../vendor/cytoscape/cytoscape.min.js");
const PAGE_CSS: &str = include_str!("html/page.css");
const PAGE_JS: &str = include_str!("html/page.js");

/// What the page needs besides the graph JSON: the language, labels of nodes, types and
/// relations in that language, and type colours.
pub fn meta(view: &GraphView, opts: &DrawOptions) -> Value {
    let labels: Map<String, Value> = view
        .nodes
        .iter()
        .map(|n| (n.id.clone(), Value::from(common::node_label(n, opts.lang))))
        .collect();
    let types: Vec<Value> = common::types_present(view)
        .into_iter()
        .map(|t| json!({"type": t.as_str(), "label": t.label(opts.lang), "colour": common::colour_of(t)}))
        .collect();
    let relations: Vec<Value> = RelationType::ALL
        .into_iter()
        .filter(|r| view.edges.iter().any(|e| e.rtype == *r))
        .map(|r| json!({"type": r.as_str(), "label": r.label(opts.lang), "symmetric": r.is_symmetric()}))
        .collect();
    json!({
        "lang": match opts.lang { Lang::Zh => "zh", Lang::En => "en" },
        "labels": labels,
        "types": types,
        "relations": relations,
    })
}

/// Writes JSON into a `<script type="application/json">` element, escaped so that it cannot
/// end the element.
fn write_json_script(out: &mut dyn Write, id: &str, value: &Value) -> io::Result<()> {
    write!(out, r#"<script id="{id}" type="application/json">"#)?;
    let mut safe = common::ScriptSafe::new(&mut *out);
    serde_json::to_writer(&mut safe, value)?;
    safe.finish()?;
    out.write_all(b"</script>\n")
}

/// Writes the page.
pub fn write(view: &GraphView, opts: &DrawOptions, out: &mut dyn Write) -> io::Result<()> {
    let (lang, title) = match opts.lang {
        Lang::Zh => ("zh-Hans", "关系图 · guanxi"),
        Lang::En => ("en", "guanxi graph"),
    };
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{PAGE_CSS}</style>\n</head>\n<body>\n"
    )?;
    out.write_all(BODY.as_bytes())?;
    write_json_script(out, "graph-data", &super::json::to_value(view))?;
    write_json_script(out, "graph-meta", &meta(view, opts))?;
    // The library and the page script are our own files, checked for `</script` in the tests.
    out.write_all(b"<script>\n")?;
    out.write_all(CYTOSCAPE_JS.as_bytes())?;
    out.write_all(b"\n</script>\n<script>\n")?;
    out.write_all(PAGE_JS.as_bytes())?;
    out.write_all(b"</script>\n</body>\n</html>\n")
}

/// The page's elements; page.js fills them in the page's language.
const BODY: &str = r#"<div id="side">
<h1 id="title"></h1>
<input id="search" type="search" autocomplete="off">
<ul id="hits"></ul>
<div id="status" data-nodes="" data-edges="" data-focus=""></div>
<div id="buttons"><button id="show-all" type="button"></button><button id="fit" type="button"></button></div>
<h2 id="types-title"></h2>
<ul id="types"></ul>
<h2 id="relations-title"></h2>
<ul id="relations"></ul>
<label id="min-evidence-label"><span></span> <input id="min-evidence" type="number" min="1" value="1"></label>
<div id="edge-legend"></div>
</div>
<div id="cy"></div>
<div id="card" hidden></div>
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeEvidence, GraphEdge, GraphNode};
    use crate::model::EntityType;

    fn node(id: &str, name: &str) -> GraphNode {
        GraphNode {
            id: id.into(),
            key: format!("company:{name}"),
            name: name.into(),
            etype: EntityType::Company,
            aliases: vec![name.into()],
            mentions: 1,
            attributes: Default::default(),
        }
    }

    #[test]
    fn names_that_look_like_markup_stay_inside_the_data() {
        let names = [
            "</script><script>alert(1)</script>",
            "<!--x",
            "a\u{2028}b\u{2029}c",
            "</SCRIPT >",
        ];
        let view = GraphView {
            nodes: names
                .iter()
                .enumerate()
                .map(|(i, n)| node(&format!("n{}", i + 1), n))
                .collect(),
            edges: vec![GraphEdge {
                source: 0,
                target: 1,
                rtype: RelationType::CompetesWith,
                weight: 1,
                attributes: Default::default(),
                evidence: vec![EdgeEvidence {
                    doc: "</script>.txt".into(),
                    sentence: "<!-- </script> \u{2028}".into(),
                    cue: "<b>".into(),
                    date: None,
                }],
            }],
        };
        let mut out = Vec::new();
        write(&view, &DrawOptions::default(), &mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert_eq!(page.to_ascii_lowercase().matches("</script").count(), 4);
        assert_eq!(page.matches("<script").count(), 4);
        assert!(!page.contains("<!--") && !page.contains('\u{2028}') && !page.contains('\u{2029}'));
        let open = r#"<script id="graph-data" type="application/json">"#;
        let start = page.find(open).unwrap() + open.len();
        let data: Value = serde_json::from_str(&page[start..start + page[start..].find("</script>").unwrap()]).unwrap();
        assert_eq!(data, super::super::json::to_value(&view));
    }

    #[test]
    fn the_embedded_scripts_cannot_end_their_element_early() {
        for (name, text) in [("cytoscape.min.js", CYTOSCAPE_JS), ("page.js", PAGE_JS)] {
            let lower = text.to_ascii_lowercase();
            assert!(!lower.contains("</script"), "{name} holds </script");
            assert!(!lower.contains("<!--"), "{name} holds <!--");
        }
    }
}
