//! What the export formats share: the table of formats, names in a language, type colours,
//! escaping for embedding JSON in HTML, and evidence as flat records.
//!
//! A new format is one module plus one row of [`FORMATS`].

use super::{DrawOptions, Format};
use crate::graph::{GraphEdge, GraphNode, GraphView};
use crate::model::{EntityType, Lang};
use std::io::{self, Write};

/// Writes a view in one format to any output.
pub type Writer = fn(&GraphView, &DrawOptions, &mut dyn Write) -> io::Result<()>;

/// One row of the table of formats.
#[derive(Debug, Clone, Copy)]
pub struct FormatSpec {
    /// The format.
    pub format: Format,
    /// Its name on the command line.
    pub name: &'static str,
    /// Other names and extensions that mean it.
    pub aliases: &'static [&'static str],
    /// The usual file extension.
    pub extension: &'static str,
    /// The writer of its single file (for CSV, the nodes file; [`super::csv::write_dir`] writes both).
    pub write: Writer,
    /// Whether `guanxi build` writes `OUT/graph.EXTENSION`.
    pub in_build: bool,
    /// Whether it is a diagram, which leaves out nodes without edges unless asked to keep them.
    pub is_drawing: bool,
}

/// Every format, in the order they are listed to people.
pub const FORMATS: [FormatSpec; 9] = [
    FormatSpec {
        format: Format::Dot,
        name: "dot",
        aliases: &["gv"],
        extension: "dot",
        write: |v, d, w| super::dot::write(v, d, w),
        in_build: true,
        is_drawing: true,
    },
    FormatSpec {
        format: Format::Json,
        name: "json",
        aliases: &[],
        extension: "json",
        write: |v, _, w| super::json::write(v, w),
        in_build: true,
        is_drawing: false,
    },
    FormatSpec {
        format: Format::Html,
        name: "html",
        aliases: &["htm"],
        extension: "html",
        write: |v, d, w| super::html::write(v, d, w),
        in_build: true,
        is_drawing: true,
    },
    FormatSpec {
        format: Format::Graphml,
        name: "graphml",
        aliases: &[],
        extension: "graphml",
        write: |v, _, w| super::graphml::write(v, w),
        in_build: false,
        is_drawing: false,
    },
    FormatSpec {
        format: Format::Gexf,
        name: "gexf",
        aliases: &[],
        extension: "gexf",
        write: |v, _, w| super::gexf::write(v, w),
        in_build: false,
        is_drawing: false,
    },
    FormatSpec {
        format: Format::Csv,
        name: "csv",
        aliases: &["neo4j"],
        extension: "csv",
        write: |v, _, w| super::csv::write_nodes(v, w),
        in_build: false,
        is_drawing: false,
    },
    FormatSpec {
        format: Format::Cypher,
        name: "cypher",
        aliases: &["cql"],
        extension: "cypher",
        write: |v, _, w| super::cypher::write(v, w),
        in_build: false,
        is_drawing: false,
    },
    FormatSpec {
        format: Format::Turtle,
        name: "turtle",
        aliases: &["ttl"],
        extension: "ttl",
        write: |v, _, w| super::turtle::write_turtle(v, w),
        in_build: false,
        is_drawing: false,
    },
    FormatSpec {
        format: Format::Ntriples,
        name: "ntriples",
        aliases: &["nt", "n-triples"],
        extension: "nt",
        write: |v, _, w| super::turtle::write_ntriples(v, w),
        in_build: false,
        is_drawing: false,
    },
];

/// The row of a format.
pub fn spec(format: Format) -> &'static FormatSpec {
    FORMATS
        .iter()
        .find(|s| s.format == format)
        .expect("every format has a row in FORMATS")
}

/// The known format names, comma-separated.
pub fn known_names() -> String {
    FORMATS.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
}

/// True when the text holds a Han character (a Chinese name).
pub fn has_han(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F))
}

/// A node's name in a language: its canonical name when that is written in the language,
/// else its first alias that is (Google → 谷歌 in Chinese), else the canonical name.
///
/// ```
/// use guanxi::export::common::name_in;
/// use guanxi::model::Lang;
/// let aliases = vec!["Google".to_string(), "谷歌".to_string()];
/// assert_eq!(name_in("Google", &aliases, Lang::Zh), "谷歌");
/// assert_eq!(name_in("谷歌", &aliases, Lang::En), "Google");
/// assert_eq!(name_in("Meta", &["Meta".to_string()], Lang::Zh), "Meta");
/// ```
pub fn name_in<'a>(name: &'a str, aliases: &'a [String], lang: Lang) -> &'a str {
    let fits = |s: &str| match lang {
        Lang::Zh => has_han(s),
        // An English name is one without Han characters that has a Latin letter.
        Lang::En => !has_han(s) && s.chars().any(|c| c.is_ascii_alphabetic()),
    };
    if fits(name) {
        return name;
    }
    aliases.iter().map(String::as_str).find(|a| fits(a)).unwrap_or(name)
}

/// A node's label in a language (see [`name_in`]).
pub fn node_label(n: &GraphNode, lang: Lang) -> &str {
    name_in(&n.name, &n.aliases, lang)
}

/// Shape (Graphviz) and fill colour of a type.
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

/// The fill colour of a type.
pub fn colour_of(t: EntityType) -> &'static str {
    style_of(t).1
}

/// The types present in a view, in the order of [`EntityType::ALL`].
pub fn types_present(view: &GraphView) -> Vec<EntityType> {
    EntityType::ALL
        .into_iter()
        .filter(|t| view.nodes.iter().any(|n| n.etype == *t))
        .collect()
}

/// The line width that shows how many sentences state an edge: 1 for one, thicker for more.
pub fn pen_width(weight: usize) -> f64 {
    1.0 + (weight as f64).ln().max(0.0)
}

/// One evidence sentence of an edge as a flat record, for tables and pages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FlatEvidence<'a> {
    /// The document's source.
    pub doc: &'a str,
    /// The sentence.
    pub sentence: &'a str,
    /// The cue that fired.
    pub cue: &'a str,
    /// The document's date, when known.
    pub date: Option<&'a str>,
}

/// An edge's evidence as flat records, in the edge's stable order.
pub fn flatten_evidence(e: &GraphEdge) -> Vec<FlatEvidence<'_>> {
    e.evidence
        .iter()
        .map(|ev| FlatEvidence {
            doc: &ev.doc,
            sentence: &ev.sentence,
            cue: &ev.cue,
            date: ev.date.as_deref(),
        })
        .collect()
}

/// A writer that makes JSON safe inside an HTML `<script>` element: `<`, `>` and `&` become
/// `\u003c`, `\u003e`, `\u0026` (so no `</script>` or `<!--` can appear), and U+2028/U+2029
/// become `\u2028`/`\u2029`. Those characters only occur inside JSON strings, where the
/// escapes mean the same characters, so the text still parses to the same value.
///
/// ```
/// use guanxi::export::common::ScriptSafe;
/// use std::io::Write;
/// let mut out = Vec::new();
/// let mut w = ScriptSafe::new(&mut out);
/// serde_json::to_writer(&mut w, &"</script><!--\u{2028}").unwrap();
/// w.finish().unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert_eq!(text, r#""\u003c/script\u003e\u003c!--\u2028""#);
/// assert_eq!(serde_json::from_str::<String>(&text).unwrap(), "</script><!--\u{2028}");
/// ```
pub struct ScriptSafe<W: Write> {
    inner: W,
    /// The first bytes of a possible U+2028/U+2029 (E2 80) cut off at the end of a write.
    pending: Vec<u8>,
}

impl<W: Write> ScriptSafe<W> {
    /// Wraps an output.
    pub fn new(inner: W) -> Self {
        ScriptSafe {
            inner,
            pending: Vec::new(),
        }
    }

    /// Writes what is held back and gives the output back.
    pub fn finish(mut self) -> io::Result<W> {
        let pending = std::mem::take(&mut self.pending);
        self.inner.write_all(&pending)?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        let mut out = Vec::with_capacity(bytes.len() + 16);
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'<' => out.extend_from_slice(b"\\u003c"),
                b'>' => out.extend_from_slice(b"\\u003e"),
                b'&' => out.extend_from_slice(b"\\u0026"),
                0xE2 if i + 2 >= bytes.len() && bytes[i + 1..].iter().all(|&b| b == 0x80) => {
                    // Maybe the start of U+2028/U+2029: wait for the next bytes.
                    self.pending.extend_from_slice(&bytes[i..]);
                    break;
                }
                0xE2 if i + 2 < bytes.len()
                    && bytes[i + 1] == 0x80
                    && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9) =>
                {
                    out.extend_from_slice(if bytes[i + 2] == 0xA8 { b"\\u2028" } else { b"\\u2029" });
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_row_and_distinct_names() {
        for f in Format::ALL {
            assert_eq!(FORMATS.iter().filter(|s| s.format == f).count(), 1, "{f:?}");
        }
        let mut names: Vec<&str> = FORMATS
            .iter()
            .flat_map(|s| s.aliases.iter().copied().chain([s.name]))
            .collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n, "a name means two formats");
    }

    #[test]
    fn a_line_separator_split_between_writes_is_still_escaped() {
        let text = "a\u{2028}b\u{2029}<c";
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            let mut out = Vec::new();
            let mut w = ScriptSafe::new(&mut out);
            w.write_all(&bytes[..cut]).unwrap();
            w.write_all(&bytes[cut..]).unwrap();
            w.finish().unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                r"a\u2028b\u2029\u003cc",
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn other_characters_starting_with_e2_pass_unchanged() {
        let text = "—…€“”\u{2027}\u{202A}";
        let mut out = Vec::new();
        let mut w = ScriptSafe::new(&mut out);
        for b in text.as_bytes() {
            w.write_all(&[*b]).unwrap();
        }
        w.finish().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), text);
    }
}
