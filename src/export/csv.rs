//! `nodes.csv` and `relationships.csv` for `neo4j-admin database import full`.
//!
//! ```text
//! id:ID,name,type,aliases:string[],mentions:int,:LABEL
//! n1,OpenAI,company,OpenAI;开放人工智能,23,Company
//!
//! :START_ID,:END_ID,:TYPE,weight:int,cue,sentence
//! n1,n2,COMPETES_WITH,3,竞争,OpenAI 与谷歌竞争。
//! ```
//!
//! - `id` is [`GraphNode::id`](crate::graph::GraphNode::id); `:LABEL` is the type capitalised
//!   (`Company`, `Person`, …); `:TYPE` is the relation in upper snake case (`COMPETES_WITH`).
//! - `aliases` is an array separated by `;`, neo4j-admin's default array delimiter. A `;`
//!   inside an alias would split it, so it is written as `,` (`Open;AI` becomes `Open,AI`).
//! - One row per edge: `weight` is the number of evidence sentences, `cue` and `sentence` are
//!   those of the first evidence item (empty when there is none). Edge and node attributes
//!   (amount, year) are not in these files; the graph JSON, GraphML and Cypher carry them.
//! - Fields are quoted as RFC 4180 says (when they hold `,`, `"`, CR or LF; quotes doubled);
//!   rows end with LF. A sentence may hold a line break, so import with
//!   `--multiline-fields=true`.

use crate::graph::GraphView;
use crate::model::EntityType;
use std::io::{BufWriter, Write};
use std::path::Path;

/// The header of `nodes.csv`.
pub const NODES_HEADER: &str = "id:ID,name,type,aliases:string[],mentions:int,:LABEL";
/// The header of `relationships.csv`.
pub const RELATIONSHIPS_HEADER: &str = ":START_ID,:END_ID,:TYPE,weight:int,cue,sentence";

/// A type's name capitalised, as a Neo4j label or an RDF class name (`Company`).
pub fn label_of(t: EntityType) -> String {
    let s = t.as_str();
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// One CSV field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma,
/// a quote, a CR or a LF; as is otherwise.
///
/// ```
/// use guanxi::export::csv::field;
/// assert_eq!(field("plain"), "plain");
/// assert_eq!(field("say \"hi\", ok"), "\"say \"\"hi\"\", ok\"");
/// ```
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn row(out: &mut dyn Write, fields: &[&str]) -> std::io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
    out.write_all(line.join(",").as_bytes())?;
    out.write_all(b"\n")
}

/// Writes `nodes.csv`.
pub fn write_nodes(view: &GraphView, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{NODES_HEADER}")?;
    for n in &view.nodes {
        let aliases: Vec<String> = n.aliases.iter().map(|a| a.replace(';', ",")).collect();
        row(
            out,
            &[
                &n.id,
                &n.name,
                n.etype.as_str(),
                &aliases.join(";"),
                &n.mentions.to_string(),
                &label_of(n.etype),
            ],
        )?;
    }
    Ok(())
}

/// Writes `relationships.csv`.
pub fn write_relationships(view: &GraphView, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{RELATIONSHIPS_HEADER}")?;
    for e in &view.edges {
        let first = e.evidence.first();
        row(
            out,
            &[
                &view.nodes[e.source].id,
                &view.nodes[e.target].id,
                &e.rtype.as_str().to_ascii_uppercase(),
                &e.weight.to_string(),
                first.map_or("", |ev| ev.cue.as_str()),
                first.map_or("", |ev| ev.sentence.as_str()),
            ],
        )?;
    }
    Ok(())
}

/// Writes `nodes.csv` and `relationships.csv` into a directory, creating it if needed.
pub fn write_dir(view: &GraphView, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut nodes = BufWriter::new(std::fs::File::create(dir.join("nodes.csv"))?);
    write_nodes(view, &mut nodes)?;
    nodes.flush()?;
    let mut rels = BufWriter::new(std::fs::File::create(dir.join("relationships.csv"))?);
    write_relationships(view, &mut rels)?;
    rels.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::graphml::fixture::{HOSTILE, view};

    /// An RFC 4180 reader: records of fields, quotes undone.
    fn parse(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut fieldbuf = String::new();
        let mut chars = text.chars().peekable();
        let mut quoted = false;
        let mut at_start = true;
        while let Some(c) = chars.next() {
            if quoted {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        fieldbuf.push('"');
                    } else {
                        quoted = false;
                        assert!(
                            matches!(chars.peek(), None | Some(',') | Some('\n')),
                            "text after closing quote"
                        );
                    }
                } else {
                    fieldbuf.push(c);
                }
                continue;
            }
            match c {
                '"' if at_start => {
                    quoted = true;
                    at_start = false;
                }
                '"' => panic!("quote inside an unquoted field"),
                ',' => {
                    record.push(std::mem::take(&mut fieldbuf));
                    at_start = true;
                }
                '\n' => {
                    record.push(std::mem::take(&mut fieldbuf));
                    records.push(std::mem::take(&mut record));
                    at_start = true;
                }
                '\r' => panic!("bare CR outside quotes"),
                c => {
                    fieldbuf.push(c);
                    at_start = false;
                }
            }
        }
        assert!(!quoted, "unterminated quote");
        assert!(fieldbuf.is_empty() && record.is_empty(), "last row without newline");
        records
    }

    fn nodes_text() -> String {
        let mut buf = Vec::new();
        write_nodes(&view(), &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    fn rels_text() -> String {
        let mut buf = Vec::new();
        write_relationships(&view(), &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn headers_are_exactly_neo4j_admin_ones() {
        assert!(nodes_text().starts_with("id:ID,name,type,aliases:string[],mentions:int,:LABEL\n"));
        assert!(rels_text().starts_with(":START_ID,:END_ID,:TYPE,weight:int,cue,sentence\n"));
    }

    #[test]
    fn nodes_round_trip_through_an_rfc4180_reader() {
        let v = view();
        let records = parse(&nodes_text());
        assert_eq!(records.len(), v.nodes.len() + 1);
        for (r, n) in records[1..].iter().zip(&v.nodes) {
            assert_eq!(r.len(), 6);
            assert_eq!(r[0], n.id);
            assert_eq!(r[1], n.name);
            assert_eq!(r[2], n.etype.as_str());
            let aliases: Vec<&str> = if r[3].is_empty() {
                vec![]
            } else {
                r[3].split(';').collect()
            };
            assert_eq!(aliases.len(), n.aliases.len(), "one array element per alias");
            assert_eq!(r[4], n.mentions.to_string());
            assert_eq!(r[5], label_of(n.etype));
        }
        let hostile = records.iter().find(|r| r[1] == HOSTILE).expect("hostile name survives");
        // `&amp;` holds a `;`, which becomes `,` inside the array; the name keeps it.
        assert_eq!(hostile[3], format!("{};a,b;x | y", HOSTILE.replace(';', ",")));
        assert!(hostile[3].contains("&amp,"));
        assert_eq!(hostile[5], "Company");
        let openai = records.iter().find(|r| r[1] == "OpenAI").unwrap();
        assert_eq!(openai[3], "Open,AI;OpenAI");
        assert_eq!(openai[4], "23");
        let bare = records.iter().find(|r| r[1] == "Bare").unwrap();
        assert_eq!(bare[3], "");
        assert_eq!(bare[5], "Product");
    }

    #[test]
    fn relationships_round_trip_and_refer_to_nodes() {
        let v = view();
        let records = parse(&rels_text());
        assert_eq!(records.len(), v.edges.len() + 1);
        let ids: Vec<&str> = v.nodes.iter().map(|n| n.id.as_str()).collect();
        for (r, e) in records[1..].iter().zip(&v.edges) {
            assert_eq!(r.len(), 6);
            assert!(ids.contains(&r[0].as_str()) && ids.contains(&r[1].as_str()));
            assert_eq!(r[2], e.rtype.as_str().to_uppercase());
            assert_eq!(r[3], e.weight.to_string());
            assert_eq!(r[4], e.evidence.first().map(|x| x.cue.clone()).unwrap_or_default());
            assert_eq!(r[5], e.evidence.first().map(|x| x.sentence.clone()).unwrap_or_default());
        }
        let types: Vec<&str> = records[1..].iter().map(|r| r[2].as_str()).collect();
        assert!(types.contains(&"COMPETES_WITH") && types.contains(&"INVOLVED_IN"));
        // The sentence with CR LF, tab, quotes and commas is one quoted field.
        assert!(rels_text().contains("\"OpenAI 与 \"\"对手\"\" 竞争;\r\n\t'quoted', comma\\back\u{1}ctl\""));
    }

    #[test]
    fn labels_and_fields() {
        assert_eq!(label_of(EntityType::Company), "Company");
        assert_eq!(label_of(EntityType::Organization), "Organization");
        assert_eq!(field(""), "");
        assert_eq!(field("a\rb"), "\"a\rb\"");
        assert_eq!(field("\""), "\"\"\"\"");
        assert_eq!(field("semi;colon"), "semi;colon");
    }

    #[test]
    fn write_dir_writes_both_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("new").join("csv");
        write_dir(&view(), &dir).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("nodes.csv")).unwrap(), nodes_text());
        assert_eq!(
            std::fs::read_to_string(dir.join("relationships.csv")).unwrap(),
            rels_text()
        );
        // Writing again over existing files gives the same bytes.
        write_dir(&view(), &dir).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("nodes.csv")).unwrap(), nodes_text());
    }

    #[test]
    fn empty_view_has_headers_only() {
        let mut buf = Vec::new();
        write_nodes(&GraphView::default(), &mut buf).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), format!("{NODES_HEADER}\n"));
    }
}
