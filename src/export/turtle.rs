//! RDF: Turtle and N-Triples, the same triples in the same order.
//!
//! The vocabulary (namespace `https://guanxi.dev/ns#`, prefix `guanxi:`):
//!
//! - Classes, one per entity type, the type capitalised: `guanxi:Company`, `guanxi:Person`,
//!   `guanxi:Book`, `guanxi:Model`, `guanxi:Event`, `guanxi:Organization`, `guanxi:Product`,
//!   `guanxi:Media`, `guanxi:Place`, `guanxi:Show`.
//! - Entities: `<https://guanxi.dev/entity/KEY>` where KEY is
//!   [`GraphNode::key`](crate::graph::GraphNode::key) with every byte outside unreserved ASCII
//!   percent-encoded ([`entity_iri`]). Each has `rdf:type` its class, `rdfs:label` and
//!   `guanxi:name` (the canonical name), one `guanxi:alias` per surface form,
//!   `guanxi:mentions` (`xsd:integer`), and one string property per attribute (`guanxi:year`).
//! - Relations: one property per relation type, the type in camel case
//!   (`guanxi:competesWith`, `guanxi:investsIn`, …; [`property_of`]), from entity to entity.
//! - Evidence: each evidence sentence of a relation is a reified statement, a blank node
//!   `a rdf:Statement` with `rdf:subject`, `rdf:predicate`, `rdf:object`, `guanxi:weight`
//!   (the relation's number of evidence sentences), `guanxi:cue`, `guanxi:sentence`,
//!   `guanxi:doc`, `guanxi:date` when known, and the relation's attributes as strings
//!   (`guanxi:amount`, `guanxi:year`). A relation without evidence has one statement with
//!   its weight and attributes only.
//!
//! An attribute whose name is a term of the vocabulary is written as `guanxi:attr_NAME`.
//! Literals are escaped by [`literal`].

use super::csv::label_of;
use super::graphml::attribute_names;
use crate::graph::GraphView;
use crate::model::{EntityType, RelationType};
use std::fmt::Write as _;
use std::io::Write;

/// The guanxi vocabulary namespace.
pub const NS: &str = "https://guanxi.dev/ns#";
/// Where entity IRIs live.
pub const ENTITY_BASE: &str = "https://guanxi.dev/entity/";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";

/// Percent-encodes every byte of `s` outside unreserved ASCII (`A–Z a–z 0–9 - . _ ~`).
///
/// ```
/// use guanxi::export::turtle::percent_encode;
/// assert_eq!(percent_encode("company:a b/书"), "company%3Aa%20b%2F%E4%B9%A6");
/// ```
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The IRI of an entity key.
pub fn entity_iri(key: &str) -> String {
    format!("{ENTITY_BASE}{}", percent_encode(key))
}

/// The class name of a type (`Company`).
pub fn class_of(t: EntityType) -> String {
    label_of(t)
}

/// The property name of a relation type, in camel case (`competesWith`).
pub fn property_of(r: RelationType) -> String {
    let mut out = String::new();
    for (i, part) in r.as_str().split('_').enumerate() {
        let mut c = part.chars();
        if i > 0
            && let Some(f) = c.next()
        {
            out.push(f.to_ascii_uppercase());
        }
        out.push_str(c.as_str());
    }
    out
}

/// A Turtle / N-Triples double-quoted string literal holding `s` exactly: `\\`, `\"`, `\n`,
/// `\r`, `\t` escaped, other control characters as `\uXXXX`.
///
/// ```
/// use guanxi::export::turtle::literal;
/// assert_eq!(literal("say \"hi\"\\\n"), r#""say \"hi\"\\\n""#);
/// assert_eq!(literal("\u{7}"), r#""\u0007""#);
/// ```
pub fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One RDF term.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    Iri(String),
    Blank(String),
    Str(String),
    Int(usize),
}

type Triple = (Term, Term, Term);

fn ns(local: &str) -> Term {
    Term::Iri(format!("{NS}{}", percent_encode(local)))
}

fn rdf(local: &str) -> Term {
    Term::Iri(format!("{RDF}{local}"))
}

/// Every local name of the vocabulary, which attributes must not take.
fn vocabulary() -> Vec<String> {
    let mut v: Vec<String> = ["name", "alias", "mentions", "weight", "cue", "sentence", "doc", "date"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    v.extend(EntityType::ALL.iter().map(|&t| class_of(t)));
    v.extend(RelationType::ALL.iter().map(|&r| property_of(r)));
    v
}

/// The triples of a view, in output order.
fn triples(view: &GraphView) -> Vec<Triple> {
    let vocab = vocabulary();
    let reserved: Vec<&str> = vocab.iter().map(String::as_str).collect();
    let node_attrs = attribute_names(&reserved, view.nodes.iter().flat_map(|n| n.attributes.keys()));
    let edge_attrs = attribute_names(&reserved, view.edges.iter().flat_map(|e| e.attributes.keys()));
    let iris: Vec<Term> = view.nodes.iter().map(|n| Term::Iri(entity_iri(&n.key))).collect();
    let mut out = Vec::new();
    for (n, iri) in view.nodes.iter().zip(&iris) {
        out.push((iri.clone(), rdf("type"), ns(&class_of(n.etype))));
        out.push((
            iri.clone(),
            Term::Iri(format!("{RDFS}label")),
            Term::Str(n.name.clone()),
        ));
        out.push((iri.clone(), ns("name"), Term::Str(n.name.clone())));
        for a in &n.aliases {
            out.push((iri.clone(), ns("alias"), Term::Str(a.clone())));
        }
        out.push((iri.clone(), ns("mentions"), Term::Int(n.mentions)));
        for (k, name) in &node_attrs {
            if let Some(v) = n.attributes.get(k) {
                out.push((iri.clone(), ns(name), Term::Str(v.clone())));
            }
        }
    }
    for e in &view.edges {
        out.push((
            iris[e.source].clone(),
            ns(&property_of(e.rtype)),
            iris[e.target].clone(),
        ));
    }
    for (i, e) in view.edges.iter().enumerate() {
        let count = e.evidence.len().max(1);
        for k in 0..count {
            let b = Term::Blank(format!("e{}s{}", i + 1, k + 1));
            out.push((b.clone(), rdf("type"), rdf("Statement")));
            out.push((b.clone(), rdf("subject"), iris[e.source].clone()));
            out.push((b.clone(), rdf("predicate"), ns(&property_of(e.rtype))));
            out.push((b.clone(), rdf("object"), iris[e.target].clone()));
            out.push((b.clone(), ns("weight"), Term::Int(e.weight)));
            if let Some(ev) = e.evidence.get(k) {
                out.push((b.clone(), ns("cue"), Term::Str(ev.cue.clone())));
                out.push((b.clone(), ns("sentence"), Term::Str(ev.sentence.clone())));
                out.push((b.clone(), ns("doc"), Term::Str(ev.doc.clone())));
                if let Some(d) = &ev.date {
                    out.push((b.clone(), ns("date"), Term::Str(d.clone())));
                }
            }
            for (k, name) in &edge_attrs {
                if let Some(v) = e.attributes.get(k) {
                    out.push((b.clone(), ns(name), Term::Str(v.clone())));
                }
            }
        }
    }
    out
}

fn ntriples_term(t: &Term) -> String {
    match t {
        Term::Iri(i) => format!("<{i}>"),
        Term::Blank(b) => format!("_:{b}"),
        Term::Str(s) => literal(s),
        Term::Int(n) => format!("\"{n}\"^^<{XSD_INTEGER}>"),
    }
}

/// True when `local` can follow a prefix as is (a subset of Turtle's PN_LOCAL).
fn simple_local(local: &str) -> bool {
    let mut c = local.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic()) && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

fn turtle_term(t: &Term, predicate: bool) -> String {
    match t {
        Term::Iri(i) if predicate && i == &format!("{RDF}type") => "a".to_string(),
        Term::Iri(i) => {
            for (prefix, base) in [("guanxi", NS), ("rdf", RDF), ("rdfs", RDFS)] {
                if let Some(local) = i.strip_prefix(base)
                    && simple_local(local)
                {
                    return format!("{prefix}:{local}");
                }
            }
            format!("<{i}>")
        }
        Term::Int(n) => n.to_string(),
        t => ntriples_term(t),
    }
}

/// The comment block at the top of the Turtle output.
fn header(view: &GraphView) -> String {
    let classes: Vec<String> = EntityType::ALL
        .iter()
        .map(|&t| format!("guanxi:{}", class_of(t)))
        .collect();
    let props: Vec<String> = RelationType::ALL
        .iter()
        .map(|&r| format!("guanxi:{}", property_of(r)))
        .collect();
    let mut h = String::new();
    let _ = writeln!(
        h,
        "# guanxi knowledge graph: {} entities, {} relations.",
        view.nodes.len(),
        view.edges.len()
    );
    h.push_str(
        "#\n\
         # Vocabulary (guanxi: = https://guanxi.dev/ns#)\n\
         #   Classes, one per entity type:\n",
    );
    let _ = writeln!(h, "#     {}", classes[..5].join(", "));
    let _ = writeln!(h, "#     {}", classes[5..].join(", "));
    h.push_str(
        "#   Entities: <https://guanxi.dev/entity/KEY>, KEY = type:normalised name, percent-encoded\n\
         #     outside unreserved ASCII. Each has rdfs:label and guanxi:name (canonical name),\n\
         #     guanxi:alias (each surface form), guanxi:mentions (integer), and one string\n\
         #     property per attribute (guanxi:year; guanxi:attr_NAME when NAME is a vocabulary term).\n\
         #   Relations, one property per relation type, entity -> entity:\n",
    );
    for chunk in props.chunks(5) {
        let _ = writeln!(h, "#     {}", chunk.join(", "));
    }
    h.push_str(
        "#   Evidence: each sentence stating a relation is an rdf:Statement (blank node) with\n\
         #     rdf:subject, rdf:predicate, rdf:object, guanxi:weight (the relation's evidence count),\n\
         #     guanxi:cue, guanxi:sentence, guanxi:doc, guanxi:date when known, and the relation's\n\
         #     attributes (guanxi:amount, guanxi:year). A relation without evidence has one\n\
         #     statement with its weight and attributes only.\n\
         \n\
         @prefix guanxi: <https://guanxi.dev/ns#> .\n\
         @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n\
         @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n",
    );
    h
}

/// The Turtle text of a view: the vocabulary comment, prefixes, then one block per subject
/// run, with `;` between predicates and `,` between objects of one predicate.
pub fn to_turtle(view: &GraphView) -> String {
    let mut out = header(view);
    let ts = triples(view);
    let mut i = 0;
    while i < ts.len() {
        let subject = &ts[i].0;
        let _ = write!(out, "\n{}", turtle_term(subject, false));
        let mut first_predicate = true;
        while i < ts.len() && &ts[i].0 == subject {
            let predicate = &ts[i].1;
            out.push_str(if first_predicate { " " } else { " ;\n    " });
            first_predicate = false;
            let _ = write!(out, "{} ", turtle_term(predicate, true));
            let mut first_object = true;
            while i < ts.len() && &ts[i].0 == subject && &ts[i].1 == predicate {
                if !first_object {
                    out.push_str(", ");
                }
                first_object = false;
                out.push_str(&turtle_term(&ts[i].2, false));
                i += 1;
            }
        }
        out.push_str(" .\n");
    }
    out
}

/// The N-Triples text of a view: one triple a line, no comments.
pub fn to_ntriples(view: &GraphView) -> String {
    let mut out = String::new();
    for (s, p, o) in triples(view) {
        let _ = writeln!(
            out,
            "{} {} {} .",
            ntriples_term(&s),
            ntriples_term(&p),
            ntriples_term(&o)
        );
    }
    out
}

/// Writes Turtle.
pub fn write_turtle(view: &GraphView, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(to_turtle(view).as_bytes())
}

/// Writes N-Triples.
pub fn write_ntriples(view: &GraphView, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(to_ntriples(view).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::graphml::fixture::{HOSTILE, view};

    /// Reads one N-Triples term at the start of `s`: the term and the rest.
    fn read_term(s: &str) -> (Term, &str) {
        let s = s.trim_start_matches(' ');
        if let Some(r) = s.strip_prefix('<') {
            let end = r.find('>').unwrap();
            let iri = &r[..end];
            assert!(
                !iri.chars().any(|c| c <= ' ' || "<>\"{}|^`\\".contains(c)),
                "character not allowed in an IRI: {iri:?}"
            );
            return (Term::Iri(iri.to_string()), &r[end + 1..]);
        }
        if let Some(r) = s.strip_prefix("_:") {
            let end = r.find(' ').unwrap();
            return (Term::Blank(r[..end].to_string()), &r[end..]);
        }
        let r = s.strip_prefix('"').expect("a term");
        let mut out = String::new();
        let mut chars = r.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    let rest = &r[i + 1..];
                    let typed = format!("^^<{XSD_INTEGER}>");
                    if let Some(rest) = rest.strip_prefix(typed.as_str()) {
                        return (Term::Int(out.parse().unwrap()), rest);
                    }
                    return (Term::Str(out), rest);
                }
                '\\' => match chars.next().unwrap().1 {
                    '\\' => out.push('\\'),
                    '"' => out.push('"'),
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
                    assert!(!matches!(c, '\n' | '\r') && !c.is_control(), "raw control character");
                    out.push(c);
                }
            }
        }
        panic!("unterminated literal");
    }

    fn parse_ntriples(text: &str) -> Vec<Triple> {
        text.lines()
            .map(|line| {
                let (s, r) = read_term(line);
                let (p, r) = read_term(r);
                let (o, r) = read_term(r);
                assert_eq!(r, " .", "line end of {line:?}");
                assert!(matches!(s, Term::Iri(_) | Term::Blank(_)) && matches!(p, Term::Iri(_)));
                (s, p, o)
            })
            .collect()
    }

    #[test]
    fn ntriples_read_back_exactly() {
        let v = view();
        let nt = to_ntriples(&v);
        assert_eq!(parse_ntriples(&nt), triples(&v));
        assert_eq!(nt.lines().count(), triples(&v).len());
        assert!(!nt.contains('\r') && !nt.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn one_typed_subject_per_node_and_one_triple_per_edge() {
        let v = view();
        let ts = triples(&v);
        let typed: Vec<&Term> = ts
            .iter()
            .filter(|(_, p, o)| *p == rdf("type") && matches!(o, Term::Iri(i) if i.starts_with(NS)))
            .map(|t| &t.0)
            .collect();
        assert_eq!(typed.len(), v.nodes.len());
        let props: Vec<Term> = RelationType::ALL.iter().map(|&r| ns(&property_of(r))).collect();
        let edges = ts
            .iter()
            .filter(|(s, p, _)| matches!(s, Term::Iri(_)) && props.contains(p))
            .count();
        assert_eq!(edges, v.edges.len());
        // One statement per evidence sentence, one for the edge without evidence.
        let statements = ts.iter().filter(|(_, _, o)| *o == rdf("Statement")).count();
        let expected: usize = v.edges.iter().map(|e| e.evidence.len().max(1)).sum();
        assert_eq!(statements, expected);
        assert_eq!(statements, 5);
    }

    #[test]
    fn hostile_key_gives_a_valid_iri_and_escaped_literals() {
        let v = view();
        let hostile = v.nodes.iter().find(|n| n.name == HOSTILE).unwrap();
        let iri = entity_iri(&hostile.key);
        assert!(iri.starts_with("https://guanxi.dev/entity/company%3AHe%20said%20%22hi%22%20%5C%20%3Cb%3E%26amp%3B"));
        assert!(iri.contains("%F0%9F%98%80")); // 😀
        assert!(iri.contains("%E2%80%8Bzero-width")); // U+200B
        assert!(iri.contains("%0Anewline"));
        assert!(
            iri[8..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%/:".contains(&b))
        );
        let lit = literal(HOSTILE);
        assert_eq!(
            lit,
            "\"He said \\\"hi\\\" \\\\ <b>&amp;</b> {x} 《书》 node edge graph 😀 \u{200B}zero-width \u{202E}rtl\\nnewline\""
        );
        let ttl = to_turtle(&v);
        assert!(ttl.contains(&format!(
            "<{iri}> a guanxi:Company ;\n    rdfs:label {lit} ;\n    guanxi:name {lit} ;"
        )));
        assert!(ttl.contains("\"OpenAI 与 \\\"对手\\\" 竞争;\\r\\n\\t'quoted', comma\\\\back\\u0001ctl\""));
    }

    #[test]
    fn turtle_has_vocabulary_comment_prefixes_and_balanced_blocks() {
        let v = view();
        let ttl = to_turtle(&v);
        assert!(ttl.starts_with("# guanxi knowledge graph: 5 entities, 4 relations.\n"));
        for term in [
            "guanxi:Organization",
            "guanxi:Show",
            "guanxi:competesWith",
            "guanxi:partOf",
            "rdf:Statement",
            "guanxi:sentence",
        ] {
            assert!(
                ttl.lines()
                    .take_while(|l| l.starts_with('#') || l.is_empty())
                    .any(|l| l.contains(term)),
                "{term}"
            );
        }
        assert!(ttl.contains("@prefix guanxi: <https://guanxi.dev/ns#> .\n"));
        assert!(ttl.contains("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"));
        assert!(ttl.contains("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"));
        // One block per subject run: nodes, edge sources, statements.
        let blocks = ttl
            .lines()
            .filter(|l| l.ends_with(" .") && !l.starts_with('@') && !l.starts_with('#'))
            .count();
        let ts = triples(&v);
        let runs = 1 + ts.windows(2).filter(|w| w[0].0 != w[1].0).count();
        assert_eq!(blocks, runs);
        assert!(ttl.contains("guanxi:alias \"Open;AI\", \"OpenAI\" ;"));
        assert!(ttl.contains("guanxi:mentions 23 ."));
        assert!(ttl.contains("guanxi:weight 0 ."));
        assert!(ttl.contains("guanxi:attr_name \"clash\" ;\n    guanxi:year \"2023\" ."));
        assert!(ttl.contains("guanxi:amount \"130亿美元\" ."));
        assert!(ttl.contains("\n_:e1s1 a rdf:Statement ;\n    rdf:subject <"));
    }

    #[test]
    fn names_and_encoding() {
        assert_eq!(property_of(RelationType::CompetesWith), "competesWith");
        assert_eq!(property_of(RelationType::SuccessorOf), "successorOf");
        assert_eq!(property_of(RelationType::Acquires), "acquires");
        assert_eq!(class_of(EntityType::Organization), "Organization");
        assert_eq!(percent_encode("Az09-._~ %<>\"'"), "Az09-._~%20%25%3C%3E%22%27");
        assert_eq!(literal("\u{0}\u{1F}\u{7F}"), "\"\\u0000\\u001F\\u007F\"");
        assert_eq!(
            turtle_term(&ns("not simple"), false),
            "<https://guanxi.dev/ns#not%20simple>"
        );
    }

    #[test]
    fn empty_and_deterministic() {
        let ttl = to_turtle(&GraphView::default());
        assert!(ttl.ends_with("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"));
        assert_eq!(to_ntriples(&GraphView::default()), "");
        assert_eq!(to_turtle(&view()), to_turtle(&view()));
        let mut a = Vec::new();
        write_turtle(&view(), &mut a).unwrap();
        assert_eq!(a, to_turtle(&view()).as_bytes());
        let mut b = Vec::new();
        write_ntriples(&view(), &mut b).unwrap();
        assert_eq!(b, to_ntriples(&view()).as_bytes());
    }
}
