//! Graphviz DOT, built as a graphviz-rust AST. graphviz-rust prints identifiers as given,
//! so every name goes through [`quote`], which makes a valid DOT string of anything.

use super::{DrawOptions, common};
use crate::graph::GraphView;
use crate::model::{EntityType, Lang};
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

/// A DOT double-quoted string holding `s` exactly: quotes and backslashes escaped,
/// line breaks as `\n`, other control characters dropped.
///
/// ```
/// use guanxi::export::dot::quote;
/// assert_eq!(quote("say \"hi\"\\"), r#""say \"hi\"\\""#);
/// assert_eq!(quote("a\nb"), r#""a\nb""#);
/// ```
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn id(s: &str) -> Id {
    Id::Escaped(quote(s))
}

fn attr(k: &str, v: &str) -> Attribute {
    Attribute(Id::Plain(k.to_string()), id(v))
}

/// Shape and fill colour of a type.
pub fn style_of(t: EntityType) -> (&'static str, &'static str) {
    common::style_of(t)
}

/// Text safe inside a Graphviz HTML-like label (`&`, `<`, `>`, quotes as entities).
fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The legend as an HTML-like table in the graph's label: every engine draws a graph label
/// where it belongs, while legend nodes would be laid out among the entities by
/// `sfdp`, `neato` and `fdp`. It names the types present and the edge styles.
fn legend_label(view: &GraphView, opts: &DrawOptions) -> String {
    let zh = opts.lang == Lang::Zh;
    let mut rows = String::new();
    let title = if zh { "图例" } else { "Legend" };
    rows.push_str(&format!(r#"<tr><td colspan="2"><b>{title}</b></td></tr>"#));
    for t in common::types_present(view) {
        let colour = common::colour_of(t);
        rows.push_str(&format!(
            r#"<tr><td bgcolor="{colour}" width="24"> </td><td align="left">{}</td></tr>"#,
            html_text(t.label(opts.lang))
        ));
    }
    let styles: [(&str, &str); 3] = if zh {
        [
            ("──→", "有方向的关系（投资、收购、创立……）"),
            ("- - -", "虚线无箭头：对称关系（竞争、合作）"),
            ("━━→", "线越粗，陈述它的句子越多"),
        ]
    } else {
        [
            ("──→", "directed relation (invests in, acquires, founded, …)"),
            (
                "- - -",
                "dashed, no arrow: symmetric relation (competes with, partners with)",
            ),
            ("━━→", "thicker: stated by more sentences"),
        ]
    };
    for (sample, meaning) in styles {
        rows.push_str(&format!(
            r#"<tr><td>{}</td><td align="left">{}</td></tr>"#,
            html_text(sample),
            html_text(meaning)
        ));
    }
    format!(r#"<<table border="1" cellborder="0" cellspacing="2" cellpadding="3" bgcolor="white">{rows}</table>>"#)
}

/// Writes the DOT text of a view.
pub fn write(view: &GraphView, opts: &DrawOptions, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(to_dot(view, opts).as_bytes())
}

/// The DOT text of a view.
pub fn to_dot(view: &GraphView, opts: &DrawOptions) -> String {
    let engine = opts.engine_for(view.nodes.len());
    let mut graph_attrs = vec![
        attr("layout", engine),
        attr("rankdir", &opts.rankdir),
        attr("fontname", &opts.font),
        attr("overlap", "false"),
        attr("splines", if engine == "sfdp" { "false" } else { "true" }),
    ];
    if engine == "sfdp" {
        // Room between nodes after overlap removal, so labels do not touch.
        graph_attrs.push(attr("sep", "+8"));
    }
    if opts.legend && !view.nodes.is_empty() {
        graph_attrs.push(Attribute(Id::Plain("label".into()), Id::Html(legend_label(view, opts))));
        graph_attrs.push(attr("labelloc", "b"));
        graph_attrs.push(attr("labeljust", "l"));
    }
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(graph_attrs)),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", &opts.font),
            attr("style", "filled"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", &opts.font),
            attr("fontsize", "10"),
        ])),
    ];
    let node_stmt = |i: usize| {
        let n = &view.nodes[i];
        let (shape, color) = style_of(n.etype);
        let tooltip = format!("{} ({})", n.aliases.join(" / "), n.etype.label(opts.lang));
        Stmt::Node(Node::new(
            NodeId(id(&n.id), None),
            vec![
                attr("label", common::node_label(n, opts.lang)),
                attr("shape", shape),
                attr("fillcolor", color),
                attr("tooltip", &tooltip),
            ],
        ))
    };
    if opts.cluster_by_type {
        for t in EntityType::ALL {
            let members: Vec<usize> = (0..view.nodes.len()).filter(|&i| view.nodes[i].etype == t).collect();
            if members.is_empty() {
                continue;
            }
            let mut sub = vec![Stmt::Attribute(attr("label", t.label(opts.lang)))];
            sub.extend(members.into_iter().map(node_stmt));
            stmts.push(Stmt::Subgraph(Subgraph {
                id: id(&format!("cluster_{}", t.as_str())),
                stmts: sub,
            }));
        }
    } else {
        stmts.extend((0..view.nodes.len()).map(node_stmt));
    }
    for e in &view.edges {
        let mut attrs = vec![
            attr("label", e.rtype.label(opts.lang)),
            attr("penwidth", &format!("{:.1}", common::pen_width(e.weight))),
        ];
        if e.rtype.is_symmetric() {
            attrs.push(attr("dir", "none"));
            attrs.push(attr("style", "dashed"));
        }
        if let Some(amount) = e.attributes.get("amount") {
            attrs[0] = attr("label", &format!("{} {}", e.rtype.label(opts.lang), amount));
        }
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(
                Vertex::N(NodeId(id(&view.nodes[e.source].id), None)),
                Vertex::N(NodeId(id(&view.nodes[e.target].id), None)),
            ),
            attributes: attrs,
        }));
    }
    let graph = Graph::DiGraph {
        id: id("guanxi"),
        strict: false,
        stmts,
    };
    let mut ctx = PrinterContext::default();
    let mut s = graph.print(&mut ctx);
    s.push('\n');
    s
}
