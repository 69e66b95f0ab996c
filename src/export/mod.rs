//! Export formats: one module per format, each writing a [`GraphView`] to any `io::Write`.
//!
//! ```
//! use guanxi::export::Format;
//! assert_eq!(Format::from_name("graphml").unwrap(), Format::Graphml);
//! assert_eq!(Format::from_path(std::path::Path::new("g.ttl")).unwrap(), Format::Turtle);
//! assert!(Format::from_name("xls").unwrap_err().to_string().contains("dot"));
//! ```

pub mod common;
pub mod csv;
pub mod cypher;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod html;
pub mod json;
pub mod turtle;

use crate::graph::GraphView;
use std::io::Write;
use std::path::Path;

/// A graph file format. Names, extensions and writers are in [`common::FORMATS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Graphviz DOT.
    Dot,
    /// The graph JSON of the ontology.
    Json,
    /// One self-contained HTML page to explore the graph in a browser.
    Html,
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
#[error("unknown format `{0}` (known: {known})", known = common::known_names())]
pub struct UnknownFormat(pub String);

impl Format {
    /// Every format.
    pub const ALL: [Format; 9] = [
        Format::Dot,
        Format::Json,
        Format::Html,
        Format::Graphml,
        Format::Gexf,
        Format::Csv,
        Format::Cypher,
        Format::Turtle,
        Format::Ntriples,
    ];

    /// The format's name.
    pub fn name(self) -> &'static str {
        common::spec(self).name
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        common::spec(self).extension
    }

    /// Whether the format is a diagram (DOT, HTML), which leaves out nodes without edges.
    pub fn is_drawing(self) -> bool {
        common::spec(self).is_drawing
    }

    /// A format by name (`dot`, `graphml`, `ttl`, …).
    pub fn from_name(name: &str) -> Result<Format, UnknownFormat> {
        let n = name.trim().trim_start_matches('.').to_ascii_lowercase();
        common::FORMATS
            .iter()
            .find(|s| s.name == n || s.aliases.contains(&n.as_str()))
            .map(|s| s.format)
            .ok_or_else(|| UnknownFormat(name.to_string()))
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
    /// Layout engine (`dot`, `neato`, `fdp`, `sfdp`, `circo`); by size when absent (see
    /// [`DrawOptions::engine_for`]).
    pub engine: Option<String>,
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
            engine: None,
            rankdir: "LR".into(),
            font: "Noto Sans CJK SC".into(),
            legend: true,
        }
    }
}

impl DrawOptions {
    /// Graphs up to this many nodes are laid out by `dot`, larger ones by `sfdp`.
    pub const DOT_MAX_NODES: usize = 60;

    /// The layout engine for a graph of `nodes` nodes: the one asked for, else `dot` for a
    /// small graph (ranked, readable edges) and `sfdp` for a large one (which `dot` would
    /// draw as a long column).
    ///
    /// ```
    /// use guanxi::export::DrawOptions;
    /// let d = DrawOptions::default();
    /// assert_eq!(d.engine_for(10), "dot");
    /// assert_eq!(d.engine_for(500), "sfdp");
    /// let neato = DrawOptions { engine: Some("neato".into()), ..DrawOptions::default() };
    /// assert_eq!(neato.engine_for(500), "neato");
    /// ```
    pub fn engine_for(&self, nodes: usize) -> &str {
        match &self.engine {
            Some(e) => e,
            None if nodes <= Self::DOT_MAX_NODES => "dot",
            None => "sfdp",
        }
    }
}

/// Writes a view in a single-file format. CSV, which writes two files, goes through [`csv::write_dir`].
pub fn write(format: Format, view: &GraphView, draw: &DrawOptions, out: &mut dyn Write) -> std::io::Result<()> {
    (common::spec(format).write)(view, draw, out)
}
