//! Export formats: one module per format, each writing a [`GraphView`] to any `io::Write`.
//!
//! ```
//! use guanxi::export::Format;
//! assert_eq!(Format::from_name("graphml").unwrap(), Format::Graphml);
//! assert_eq!(Format::from_path(std::path::Path::new("g.ttl")).unwrap(), Format::Turtle);
//! assert!(Format::from_name("xls").unwrap_err().to_string().contains("dot"));
//! ```

pub mod csv;
pub mod cypher;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod json;
pub mod turtle;

use crate::graph::GraphView;
use std::io::Write;
use std::path::Path;

/// A graph file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Graphviz DOT.
    Dot,
    /// The graph JSON of the ontology.
    Json,
    /// GraphML (Gephi, yEd, NetworkX).
    Graphml,
    /// GEXF (Gephi).
    Gexf,
    /// `nodes.csv` and `relationships.csv` for `neo4j-admin database import`.
    Csv,
    /// Cypher `MERGE` statements (Neo4j, Memgraph).
    Cypher,
    /// RDF Turtle.
    Turtle,
    /// RDF N-Triples.
    Ntriples,
}

/// An unknown format name or extension.
#[derive(Debug, thiserror::Error)]
#[error("unknown format `{0}` (known: dot, json, graphml, gexf, csv, cypher, turtle, ntriples)")]
pub struct UnknownFormat(pub String);

impl Format {
    /// Every format.
    pub const ALL: [Format; 8] = [
        Format::Dot,
        Format::Json,
        Format::Graphml,
        Format::Gexf,
        Format::Csv,
        Format::Cypher,
        Format::Turtle,
        Format::Ntriples,
    ];

    /// The format's name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Dot => "dot",
            Format::Json => "json",
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Csv => "csv",
            Format::Cypher => "cypher",
            Format::Turtle => "turtle",
            Format::Ntriples => "ntriples",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Dot => "dot",
            Format::Json => "json",
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Csv => "csv",
            Format::Cypher => "cypher",
            Format::Turtle => "ttl",
            Format::Ntriples => "nt",
        }
    }

    /// A format by name (`dot`, `graphml`, `ttl`, …).
    pub fn from_name(name: &str) -> Result<Format, UnknownFormat> {
        let n = name.trim().trim_start_matches('.').to_ascii_lowercase();
        match n.as_str() {
            "dot" | "gv" => Ok(Format::Dot),
            "json" => Ok(Format::Json),
            "graphml" => Ok(Format::Graphml),
            "gexf" => Ok(Format::Gexf),
            "csv" | "neo4j" => Ok(Format::Csv),
            "cypher" | "cql" => Ok(Format::Cypher),
            "turtle" | "ttl" => Ok(Format::Turtle),
            "ntriples" | "nt" | "n-triples" => Ok(Format::Ntriples),
            _ => Err(UnknownFormat(name.to_string())),
        }
    }

    /// A format from a file's extension.
    pub fn from_path(path: &Path) -> Result<Format, UnknownFormat> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        Format::from_name(ext).map_err(|_| UnknownFormat(path.display().to_string()))
    }
}

/// Options that change how a graph is drawn (DOT and rendering).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawOptions {
    /// Labels in Chinese or English.
    pub lang: crate::model::Lang,
    /// Group nodes into clusters by type.
    pub cluster_by_type: bool,
    /// Layout engine (`dot`, `neato`, `fdp`, `sfdp`, `circo`).
    pub engine: String,
    /// Direction (`LR`, `TB`, …).
    pub rankdir: String,
    /// Font for labels (a CJK-capable one by default).
    pub font: String,
    /// Draw a legend of the types present.
    pub legend: bool,
}

impl Default for DrawOptions {
    fn default() -> Self {
        DrawOptions {
            lang: crate::model::Lang::Zh,
            cluster_by_type: false,
            engine: "dot".into(),
            rankdir: "LR".into(),
            font: "Noto Sans CJK SC".into(),
            legend: true,
        }
    }
}

/// Writes a view in a single-file format. CSV, which writes two files, goes through [`csv::write_dir`].
pub fn write(format: Format, view: &GraphView, draw: &DrawOptions, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Dot => out.write_all(dot::to_dot(view, draw).as_bytes()),
        Format::Json => json::write(view, out),
        Format::Graphml => graphml::write(view, out),
        Format::Gexf => gexf::write(view, out),
        Format::Csv => csv::write_nodes(view, out),
        Format::Cypher => cypher::write(view, out),
        Format::Turtle => turtle::write_turtle(view, out),
        Format::Ntriples => turtle::write_ntriples(view, out),
    }
}
