//! Graphviz DOT, built as a graphviz-rust AST. graphviz-rust prints identifiers as given,
//! so every name goes through [`quote`], which makes a valid DOT string of anything.

use super::DrawOptions;
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
    match t {
        EntityType::Company => ("box", "#AED6F1"),
        EntityType::Person => ("ellipse", "#F9E79F"),
        EntityType::Book => ("note", "#D7BDE2"),
        EntityType::Model => ("component", "#A9DFBF"),
        EntityType::Event => ("hexagon", "#F5B7B1"),
        EntityType::Organization => ("box3d", "#D5DBDB"),
        EntityType::Product => ("tab", "#FAD7A0"),
        EntityType::Media => ("folder", "#E5E8E8"),
        EntityType::Place => ("house", "#E8DAEF"),
        EntityType::Show => ("cds", "#FDEBD0"),
    }
}

/// The DOT text of a view.
pub fn to_dot(view: &GraphView, opts: &DrawOptions) -> String {
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("layout", &opts.engine),
            attr("rankdir", &opts.rankdir),
            attr("fontname", &opts.font),
            attr("overlap", "false"),
            attr("splines", "true"),
        ])),
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
                attr("label", &n.name),
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
            attr("penwidth", &format!("{:.1}", 1.0 + (e.weight as f64).ln().max(0.0))),
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
    if opts.legend && !view.nodes.is_empty() {
        let mut present: Vec<EntityType> = view.nodes.iter().map(|n| n.etype).collect();
        present.sort();
        present.dedup();
        let title = match opts.lang {
            Lang::Zh => "图例",
            Lang::En => "legend",
        };
        let mut sub = vec![
            Stmt::Attribute(attr("label", title)),
            Stmt::Attribute(attr("style", "dashed")),
        ];
        for t in present {
            let (shape, color) = style_of(t);
            sub.push(Stmt::Node(Node::new(
                NodeId(id(&format!("legend_{}", t.as_str())), None),
                vec![
                    attr("label", t.label(opts.lang)),
                    attr("shape", shape),
                    attr("fillcolor", color),
                ],
            )));
        }
        stmts.push(Stmt::Subgraph(Subgraph {
            id: id("cluster_legend"),
            stmts: sub,
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
