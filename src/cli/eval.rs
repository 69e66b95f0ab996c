//! `guanxi eval`: extraction scored against hand annotations.

use super::context::Context;
use super::output::{Format, Table};
use crate::source::{Input, read_input};
use anyhow::{Context as _, Result};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// `guanxi eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold annotation files.
    #[arg(long, required = true, num_args = 1..)]
    gold: Vec<PathBuf>,
    /// Where gold `doc` paths start.
    #[arg(long, default_value = ".")]
    text_root: PathBuf,
    /// Output shape (csv prints the table).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Only the totals.
    #[arg(long, short)]
    quiet: bool,
    /// Also a table of precision, recall and F1 by entity and relation type.
    #[arg(long)]
    by_type: bool,
}

pub fn eval(ctx: &Context, a: EvalArgs) -> Result<u8> {
    let ex = ctx.extractor()?;
    let (gold, root, format, quiet, by_type) = (&a.gold, a.text_root.as_path(), a.format, a.quiet, a.by_type);
    let mut ents = crate::eval::Counts::default();
    let mut rels = crate::eval::Counts::default();
    let mut scores = Vec::new();
    for g in gold {
        let text = std::fs::read_to_string(g).with_context(|| format!("reading {}", g.display()))?;
        let gf: crate::eval::Gold =
            serde_json::from_str(&text).with_context(|| format!("{}: not a gold annotation file", g.display()))?;
        let doc_path = root.join(&gf.doc);
        let docs = read_input(&Input::File(doc_path.clone())).with_context(|| format!("{}: its doc", g.display()))?;
        let docs: Vec<_> = docs
            .into_iter()
            .map(|mut d| {
                d.source = gf.doc.clone();
                ex.extract(d)
            })
            .collect();
        let graph = crate::graph::from_extractions(&docs);
        let s = crate::eval::score(&gf, &graph);
        ents.add(s.entities);
        rels.add(s.relations);
        scores.push(s);
    }
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let v = serde_json::json!({
                "files": scores,
                "entities": {"precision": ents.precision(), "recall": ents.recall(), "f1": ents.f1(), "counts": ents},
                "relations": {"precision": rels.precision(), "recall": rels.recall(), "f1": rels.f1(), "counts": rels},
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        Format::Table | Format::Csv => {
            if !quiet {
                for s in &scores {
                    writeln!(
                        out,
                        "== {}  entities F1 {:.3}  relations F1 {:.3}",
                        s.doc,
                        s.entities.f1(),
                        s.relations.f1()
                    )?;
                    for m in &s.missed_entities {
                        writeln!(out, "  missed entity    {m}")?;
                    }
                    for m in &s.false_entities {
                        writeln!(out, "  false entity     {m}")?;
                    }
                    for m in &s.missed_relations {
                        writeln!(out, "  missed relation  {m}")?;
                    }
                    for m in &s.false_relations {
                        writeln!(out, "  false relation   {m}")?;
                    }
                }
            }
            if by_type {
                let mut ent: std::collections::BTreeMap<String, crate::eval::Counts> = Default::default();
                let mut rel: std::collections::BTreeMap<String, crate::eval::Counts> = Default::default();
                for sc in &scores {
                    for (k, c) in &sc.entities_by_type {
                        ent.entry(k.clone()).or_default().add(*c);
                    }
                    for (k, c) in &sc.relations_by_type {
                        rel.entry(k.clone()).or_default().add(*c);
                    }
                }
                let rows: Vec<Vec<String>> = ent
                    .iter()
                    .map(|(k, c)| ("entity", k, c))
                    .chain(rel.iter().map(|(k, c)| ("relation", k, c)))
                    .map(|(kind, k, c)| {
                        vec![
                            kind.to_string(),
                            k.clone(),
                            format!("{:.3}", c.precision()),
                            format!("{:.3}", c.recall()),
                            format!("{:.3}", c.f1()),
                            format!("{}/{}/{}", c.tp, c.fp, c.r#fn),
                        ]
                    })
                    .collect();
                let mut t = Table::new(&["kind", "type", "P", "R", "F1", "tp/fp/fn"]);
                for r in rows {
                    t.row(r);
                }
                t.write_aligned(&mut out)?;
            }
            writeln!(out, "files: {}", scores.len())?;
            let line = |name: &str, c: &crate::eval::Counts| {
                format!(
                    "{name}: P {:.3}  R {:.3}  F1 {:.3}  (tp {} fp {} fn {})",
                    c.precision(),
                    c.recall(),
                    c.f1(),
                    c.tp,
                    c.fp,
                    c.r#fn
                )
            };
            writeln!(out, "{}", line("entities", &ents))?;
            writeln!(out, "{}", line("relations", &rels))?;
        }
    }
    Ok(0)
}
