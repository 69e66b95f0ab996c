//! Cypher statements (Neo4j `cypher-shell`, Memgraph `mgconsole`), one per line:
//!
//! ```text
//! MERGE (n:Company {key: 'company:openai'}) SET n.name = 'OpenAI', n.aliases = ['OpenAI'], n.mentions = 23;
//! MATCH (a:Person {key: 'person:samaltman'}), (b:Company {key: 'company:openai'}) MERGE (a)-[r:LEADS]->(b) SET r.weight = 1, r.evidence = ['…'], r.cues = ['CEO'], r.docs = ['corpus/a.txt'];
//! ```
//!
//! Nodes are merged on `key` ([`GraphNode::key`](crate::graph::GraphNode::key): type and
//! normalised name) and relationships on their ends and type, so loading the file twice adds
//! nothing. The label is the type capitalised (`Company`), the relationship type the relation
//! in upper snake case (`COMPETES_WITH`). `evidence`, `cues` and `docs` are parallel lists,
//! one element per evidence sentence. Node and edge attributes (`year`, `amount`) are string
//! properties written as `` n.`year` ``; one whose name is taken by a fixed property is
//! written as `attr_NAME`. Every string is a single-quoted literal escaped by [`quote`].

use super::csv::label_of;
use super::graphml::attribute_names;
use crate::graph::GraphView;
use std::fmt::Write as _;
use std::io::Write;

/// A Cypher single-quoted string literal holding `s` exactly: backslash, quote, line feed,
/// carriage return and tab escaped, other control characters as `\uXXXX`.
///
/// ```
/// use guanxi::export::cypher::quote;
/// assert_eq!(quote("it's a\\b\n"), r"'it\'s a\\b\n'");
/// assert_eq!(quote("\u{1}"), r"'\u0001'");
/// ```
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A property name in backticks, backticks inside doubled.
pub fn quote_name(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(quote).collect();
    format!("[{}]", items.join(", "))
}

const NODE_PROPS: [&str; 4] = ["key", "name", "aliases", "mentions"];
const EDGE_PROPS: [&str; 4] = ["weight", "evidence", "cues", "docs"];

/// The Cypher text of a view.
pub fn to_cypher(view: &GraphView) -> String {
    let node_attrs = attribute_names(&NODE_PROPS, view.nodes.iter().flat_map(|n| n.attributes.keys()));
    let edge_attrs = attribute_names(&EDGE_PROPS, view.edges.iter().flat_map(|e| e.attributes.keys()));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// guanxi graph: {} nodes, {} relationships. Nodes are merged on `key`, so loading twice adds nothing.",
        view.nodes.len(),
        view.edges.len()
    );
    out.push_str("// On a large graph, create a unique constraint on `key` for each label first, e.g. in Neo4j 5:\n");
    out.push_str("//   CREATE CONSTRAINT IF NOT EXISTS FOR (n:Company) REQUIRE n.key IS UNIQUE;\n");
    for n in &view.nodes {
        let _ = write!(
            out,
            "MERGE (n:{} {{key: {}}}) SET n.name = {}, n.aliases = {}, n.mentions = {}",
            label_of(n.etype),
            quote(&n.key),
            quote(&n.name),
            list(n.aliases.iter().map(String::as_str)),
            n.mentions
        );
        for (k, name) in &node_attrs {
            if let Some(v) = n.attributes.get(k) {
                let _ = write!(out, ", n.{} = {}", quote_name(name), quote(v));
            }
        }
        out.push_str(";\n");
    }
    for e in &view.edges {
        let (a, b) = (&view.nodes[e.source], &view.nodes[e.target]);
        let _ = write!(
            out,
            "MATCH (a:{} {{key: {}}}), (b:{} {{key: {}}}) MERGE (a)-[r:{}]->(b) SET r.weight = {}, r.evidence = {}, r.cues = {}, r.docs = {}",
            label_of(a.etype),
            quote(&a.key),
            label_of(b.etype),
            quote(&b.key),
            e.rtype.as_str().to_ascii_uppercase(),
            e.weight,
            list(e.evidence.iter().map(|ev| ev.sentence.as_str())),
            list(e.evidence.iter().map(|ev| ev.cue.as_str())),
            list(e.evidence.iter().map(|ev| ev.doc.as_str())),
        );
        for (k, name) in &edge_attrs {
            if let Some(v) = e.attributes.get(k) {
                let _ = write!(out, ", r.{} = {}", quote_name(name), quote(v));
            }
        }
        out.push_str(";\n");
    }
    out
}

/// Writes the view as Cypher `MERGE` statements.
pub fn write(view: &GraphView, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(to_cypher(view).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::graphml::fixture::{HOSTILE, view};

    /// Reads one single-quoted Cypher literal at the start of `s`: its value and the rest.
    fn unquote(s: &str) -> (String, &str) {
        let mut chars = s.char_indices();
        assert_eq!(chars.next().map(|c| c.1), Some('\''));
        let mut out = String::new();
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => return (out, &s[i + 1..]),
                '\\' => match chars.next().unwrap().1 {
                    '\\' => out.push('\\'),
                    '\'' => out.push('\''),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let hex: String = (0..4).map(|_| chars.next().unwrap().1).collect();
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                    }
                    c => panic!("unknown escape \\{c}"),
                },
                c => {
                    assert!(!c.is_control(), "raw control character in a literal");
                    out.push(c);
                }
            }
        }
        panic!("unterminated literal");
    }

    /// Every literal of a statement, in order, checking that quotes balance.
    fn literals(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = line;
        while let Some(i) = rest.find('\'') {
            let (v, r) = unquote(&rest[i..]);
            out.push(v);
            rest = r;
        }
        out
    }

    #[test]
    fn one_statement_per_line_with_counts() {
        let v = view();
        let text = to_cypher(&v);
        let statements: Vec<&str> = text.lines().filter(|l| !l.starts_with("//")).collect();
        assert_eq!(statements.len(), v.nodes.len() + v.edges.len());
        assert!(statements.iter().all(|s| s.ends_with(';')));
        assert_eq!(
            statements.iter().filter(|s| s.starts_with("MERGE (n:")).count(),
            v.nodes.len()
        );
        assert_eq!(
            statements.iter().filter(|s| s.starts_with("MATCH (a:")).count(),
            v.edges.len()
        );
        // Every node precedes every edge.
        let first_match = text.find("MATCH").unwrap();
        assert!(text.rfind("MERGE (n:").unwrap() < first_match);
    }

    #[test]
    fn hostile_strings_are_escaped_and_read_back() {
        let v = view();
        let text = to_cypher(&v);
        let hostile = v.nodes.iter().find(|n| n.name == HOSTILE).unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with("MERGE") && l.contains("He said"))
            .unwrap();
        assert!(line.starts_with("MERGE (n:Company {key: 'company:He said \"hi\" \\\\ <b>&amp;</b>"));
        let lits = literals(line);
        assert_eq!(lits[0], hostile.key);
        assert_eq!(lits[1], HOSTILE);
        assert_eq!(&lits[2..], hostile.aliases.as_slice());
        assert!(line.contains("rtl\\nnewline'"));
        // The evidence sentence with CR LF, tab, quote and a C0 control.
        assert!(text.contains("'OpenAI 与 \"对手\" 竞争;\\r\\n\\t\\'quoted\\', comma\\\\back\\u0001ctl'"));
        // No raw control characters anywhere but the line ends.
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn edges_match_by_key_and_label_and_carry_evidence() {
        let v = view();
        let text = to_cypher(&v);
        let edges: Vec<&str> = text.lines().filter(|l| l.starts_with("MATCH")).collect();
        for (line, e) in edges.iter().zip(&v.edges) {
            let lits = literals(line);
            assert_eq!(lits[0], v.nodes[e.source].key);
            assert_eq!(lits[1], v.nodes[e.target].key);
            let sentences: Vec<String> = e.evidence.iter().map(|x| x.sentence.clone()).collect();
            assert_eq!(&lits[2..2 + sentences.len()], sentences.as_slice());
            assert!(line.contains(&format!("-[r:{}]->", e.rtype.as_str().to_uppercase())));
            assert!(line.contains(&format!("SET r.weight = {}, ", e.weight)));
        }
        assert!(text.contains("MERGE (a)-[r:COMPETES_WITH]->(b)"));
        assert!(text.contains("r.evidence = [], r.cues = [], r.docs = [];"));
        assert!(text.contains(", r.`amount` = '130亿美元';"));
        assert!(text.contains(", n.`attr_name` = 'clash', n.`year` = '2023';"));
        assert!(
            text.contains(
                "MERGE (n:Product {key: 'product:bare'}) SET n.name = 'Bare', n.aliases = [], n.mentions = 0;"
            )
        );
    }

    #[test]
    fn quoting_rules() {
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a'b"), r"'a\'b'");
        assert_eq!(quote("\t\r\u{7F}\u{85}"), r"'\t\r\u007F\u0085'");
        assert_eq!(quote("😀《书》"), "'😀《书》'");
        assert_eq!(quote_name("a`b"), "`a``b`");
    }

    #[test]
    fn empty_and_deterministic() {
        let text = to_cypher(&GraphView::default());
        assert!(text.lines().all(|l| l.starts_with("//")));
        assert_eq!(to_cypher(&view()), to_cypher(&view()));
        let mut buf = Vec::new();
        write(&view(), &mut buf).unwrap();
        assert_eq!(buf, to_cypher(&view()).as_bytes());
    }
}
