//! Every answer's output: an aligned table for people (column widths counted in terminal cells,
//! so Chinese text lines up), JSON for programs, CSV for spreadsheets. Commands build a [`Table`]
//! and hand over a serialisable value; this module alone decides how they look.

use clap::ValueEnum;
use serde::Serialize;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// Output shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    /// JSON for programs.
    Json,
    /// CSV with a header row (evidence in a last column).
    Csv,
}

/// One row, with lines printed beneath it (its evidence).
#[derive(Debug, Clone, Default)]
pub struct Row {
    cells: Vec<String>,
    details: Vec<String>,
}

/// A table: a header and rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Row>,
}

impl Table {
    /// A table with these column names.
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; its detail lines follow with [`Table::details`].
    pub fn row(&mut self, cells: Vec<String>) -> &mut Table {
        self.rows.push(Row {
            cells,
            details: Vec::new(),
        });
        self
    }

    /// Lines printed under the last row (evidence sentences).
    pub fn details(&mut self, lines: impl IntoIterator<Item = String>) -> &mut Table {
        if let Some(r) = self.rows.last_mut() {
            r.details.extend(lines);
        }
        self
    }

    /// Writes the table aligned; a column's width is the widest cell's in terminal cells.
    pub fn write_aligned(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut w: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for r in &self.rows {
            for (i, c) in r.cells.iter().enumerate() {
                if i < w.len() {
                    w[i] = w[i].max(c.width());
                }
            }
        }
        let line = |out: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                s.push_str(c);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(w[i].saturating_sub(c.width()) + 2));
                }
            }
            writeln!(out, "{}", s.trim_end())
        };
        line(out, &self.header)?;
        for r in &self.rows {
            line(out, &r.cells)?;
            for d in &r.details {
                writeln!(out, "    {d}")?;
            }
        }
        Ok(())
    }

    /// Writes the table as CSV (RFC 4180 quoting); detail lines go in a last `evidence` column,
    /// separated by newlines, when any row has them.
    pub fn write_csv(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let with_details = self.rows.iter().any(|r| !r.details.is_empty());
        let mut header = self.header.clone();
        if with_details {
            header.push("evidence".into());
        }
        writeln!(out, "{}", csv_line(&header))?;
        for r in &self.rows {
            let mut cells = r.cells.clone();
            if with_details {
                cells.push(r.details.join("\n"));
            }
            writeln!(out, "{}", csv_line(&cells))?;
        }
        Ok(())
    }
}

fn csv_line(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Writes an answer: `value` as JSON, or the table `table` builds as a table or CSV.
pub fn emit<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    format: Format,
    value: &T,
    table: impl FnOnce() -> Table,
) -> anyhow::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, value)?;
            writeln!(out)?;
        }
        Format::Table => table().write_aligned(out)?,
        Format::Csv => table().write_csv(out)?,
    }
    Ok(())
}

/// An evidence line for people: where it was said, then the sentence.
pub fn evidence_line(ev: &crate::store::EvidenceRow) -> String {
    format!("{}: {}", ev.doc, ev.sentence.trim())
}

/// `1 mention`, `3 mentions`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Attributes as `amount 130亿美元, year 2023`.
pub fn attributes(a: &std::collections::BTreeMap<String, String>) -> String {
    a.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_cells_are_two_columns_wide() {
        let mut t = Table::new(&["name", "n"]);
        t.row(vec!["谷歌".into(), "1".into()]);
        t.row(vec!["Meta".into(), "2".into()]);
        let mut out = Vec::new();
        t.write_aligned(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // 谷歌 is four cells wide, like `name`: the counts line up in one column.
        assert_eq!(lines[1], "谷歌  1");
        assert_eq!(lines[2], "Meta  2");
    }

    #[test]
    fn csv_quotes_commas_quotes_and_newlines() {
        let mut t = Table::new(&["a", "b"]);
        t.row(vec!["x,y".into(), "say \"hi\"".into()])
            .details(["one".into(), "two".into()]);
        let mut out = Vec::new();
        t.write_csv(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b,evidence\n\"x,y\",\"say \"\"hi\"\"\",\"one\ntwo\"\n"
        );
    }
}
