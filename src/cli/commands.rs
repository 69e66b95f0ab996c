//! The commands behind the command line. Library calls in, text out.

use super::{Cli, Command, DrawArgs, Output, QueryCommand, ViewArgs};
use crate::export::{DrawOptions, Format};
use crate::graph::{GraphView, ViewOptions, apply_view};
use crate::model::Lang;
use crate::pipeline::Extractor;
use crate::source::{Input, collect_inputs, read_input};
use crate::store::Store;
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

pub(super) fn run(cli: Cli) -> Result<u8> {
    let config = Config::load(cli.config.as_deref())?;
    let mut dirs = config.lexicon.clone();
    dirs.extend(cli.lexicon.iter().cloned());
    if let Ok(env) = std::env::var("GUANXI_LEXICON") {
        dirs.extend(env.split(':').filter(|s| !s.is_empty()).map(PathBuf::from));
    }
    let db = cli
        .db
        .clone()
        .or(config.db.clone())
        .unwrap_or_else(|| PathBuf::from("guanxi.db"));
    let cli = Cli {
        db: Some(db.clone()),
        ..cli
    };
    let extractor = || Extractor::with_extensions(&dirs).context("loading the lexicon and rules");
    match cli.command {
        Command::Ingest { paths } => {
            let mut store = open(&db)?;
            let report = ingest(&extractor()?, &mut store, &paths)?;
            writeln!(std::io::stdout(), "{}", summary(&report, &store)?)?;
            Ok(if report.failed > 0 { 2 } else { 0 })
        }
        Command::Extract { paths, format } => {
            let ex = extractor()?;
            let (extractions, failed) = extract_all(&ex, &paths)?;
            let g = crate::graph::from_extractions(&extractions);
            let mut out = std::io::stdout().lock();
            match format {
                Output::Json => crate::export::json::write(&g, &mut out)?,
                Output::Table => print_graph_table(&g, &mut out)?,
            }
            Ok(if failed > 0 { 2 } else { 0 })
        }
        Command::Query { query } => {
            let g = open_existing(&db)?.graph()?;
            let mut out = std::io::stdout().lock();
            match query {
                QueryCommand::Competes { format } => {
                    let pairs = crate::query::competing_pairs(&g);
                    match format {
                        Output::Json => writeln!(out, "{}", serde_json::to_string_pretty(&pairs)?)?,
                        Output::Table => {
                            let rows: Vec<Vec<String>> = pairs
                                .iter()
                                .map(|p| vec![p.a.clone(), p.b.clone(), p.sentences.to_string()])
                                .collect();
                            table(&mut out, &["entity", "entity", "sentences"], &rows)?;
                        }
                    }
                    Ok(if pairs.is_empty() { 1 } else { 0 })
                }
                QueryCommand::Competitors { name, format } => {
                    let rivals = crate::query::competitors(&g, &name)?;
                    match format {
                        Output::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rivals)?)?,
                        Output::Table => {
                            let rows: Vec<Vec<String>> = rivals
                                .iter()
                                .map(|r| vec![r.name.clone(), r.etype.to_string(), r.sentences.to_string()])
                                .collect();
                            table(&mut out, &["competitor", "type", "sentences"], &rows)?;
                        }
                    }
                    Ok(if rivals.is_empty() { 1 } else { 0 })
                }
            }
        }
        Command::Show { name, format } => {
            let g = open_existing(&db)?.graph()?;
            let card = crate::query::card(&g, &name)?;
            let mut out = std::io::stdout().lock();
            match format {
                Output::Json => writeln!(out, "{}", serde_json::to_string_pretty(&card)?)?,
                Output::Table => {
                    writeln!(out, "{} ({}), {} mentions", card.name, card.etype, card.mentions)?;
                    writeln!(out, "aliases: {}", card.aliases.join(", "))?;
                    for r in &card.relations {
                        let arrow = match r.direction {
                            "out" => format!("{} → {}", r.relation, r.other),
                            "in" => format!("{} ← {}", r.relation, r.other),
                            _ => format!("{} ↔ {}", r.relation, r.other),
                        };
                        let attrs: Vec<String> = r.attributes.iter().map(|(k, v)| format!("{k}={v}")).collect();
                        writeln!(
                            out,
                            "\n{arrow} ({}){}",
                            r.other_type,
                            if attrs.is_empty() {
                                String::new()
                            } else {
                                format!(" [{}]", attrs.join(", "))
                            }
                        )?;
                        for ev in &r.evidence {
                            writeln!(out, "    {} [{}]: {}", ev.doc, ev.cue, ev.sentence)?;
                        }
                    }
                }
            }
            Ok(0)
        }
        Command::Export {
            format,
            format_flag,
            out,
            view,
            draw,
        } => {
            let format = format.or(format_flag);
            let format = match (&format, &out) {
                (Some(f), _) => Format::from_name(f)?,
                (None, Some(p)) => Format::from_path(p)?,
                (None, None) => {
                    bail!("give a format (dot, json, graphml, gexf, csv, cypher, turtle, ntriples) or --out FILE")
                }
            };
            let g = apply_view(&open_existing(&db)?.graph()?, &view_options(&view)?)?;
            let draw = draw_options(&draw)?;
            if format == Format::Csv {
                let dir = out.ok_or_else(|| anyhow!("csv writes two files: give --out DIR"))?;
                crate::export::csv::write_dir(&g, &dir).with_context(|| format!("writing {}", dir.display()))?;
                return Ok(0);
            }
            write_to(out.as_deref(), |w| crate::export::write(format, &g, &draw, w))?;
            Ok(0)
        }
        Command::Render {
            format,
            out,
            view,
            draw,
        } => {
            let format = format
                .or_else(|| {
                    out.as_ref()
                        .and_then(|p| p.extension())
                        .map(|e| e.to_string_lossy().into_owned())
                })
                .unwrap_or_else(|| "svg".into());
            let out = out.unwrap_or_else(|| PathBuf::from(format!("graph.{format}")));
            let g = apply_view(&open_existing(&db)?.graph()?, &view_options(&view)?)?;
            let dot = crate::export::dot::to_dot(&g, &draw_options(&draw)?);
            render(&dot, &format, &out)?;
            eprintln!("wrote {}", out.display());
            Ok(0)
        }
        Command::Build { corpus, out } => {
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            let db = out.join("guanxi.db");
            let mut store = open(&db)?;
            let report = ingest(&extractor()?, &mut store, &corpus)?;
            // Every file is written before anything is printed, so a closed pipe cannot leave them out.
            let g = store.graph()?;
            let draw = DrawOptions::default();
            let json = out.join("graph.json");
            write_to(Some(&json), |w| crate::export::json::write(&g, w))?;
            let dot_path = out.join("graph.dot");
            let dot = crate::export::dot::to_dot(&g, &draw);
            std::fs::write(&dot_path, &dot).with_context(|| format!("writing {}", dot_path.display()))?;
            let svg = out.join("graph.svg");
            let rendered = graphviz_available();
            if rendered {
                render(&dot, "svg", &svg)?;
            }
            let mut o = std::io::stdout().lock();
            writeln!(o, "{}", summary(&report, &store)?)?;
            writeln!(o, "wrote {}, {}, {}", db.display(), json.display(), dot_path.display())?;
            if rendered {
                writeln!(o, "wrote {}", svg.display())?;
            } else {
                writeln!(
                    o,
                    "Graphviz's `dot` is not installed: no graph.svg (install it with `apt-get install graphviz` or `brew install graphviz`)"
                )?;
            }
            Ok(if report.failed > 0 { 2 } else { 0 })
        }
        Command::Eval {
            gold,
            text_root,
            format,
            quiet,
            by_type,
        } => eval(&extractor()?, &gold, &text_root, format, quiet, by_type),
        Command::Stats { format } => {
            let store = open_existing(&db)?;
            let c = store.counts()?;
            let g = store.graph()?;
            let (nodes, edges) = g.counts();
            let mut out = std::io::stdout().lock();
            match format {
                Output::Json => {
                    let v = serde_json::json!({
                        "documents": c.documents, "entities": c.entities, "mentions": c.mentions,
                        "relations": c.relations, "evidence": c.evidence,
                        "entities_by_type": nodes.iter().map(|(k, v)| (k.as_str(), *v)).collect::<std::collections::BTreeMap<_, _>>(),
                        "relations_by_type": edges.iter().map(|(k, v)| (k.as_str(), *v)).collect::<std::collections::BTreeMap<_, _>>(),
                    });
                    writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
                }
                Output::Table => {
                    writeln!(
                        out,
                        "documents {}  entities {}  mentions {}  relations {}  evidence {}",
                        c.documents, c.entities, c.mentions, c.relations, c.evidence
                    )?;
                    let mut rows: Vec<Vec<String>> = nodes
                        .iter()
                        .map(|(k, v)| vec!["entity".into(), k.to_string(), v.to_string()])
                        .collect();
                    rows.extend(
                        edges
                            .iter()
                            .map(|(k, v)| vec!["relation".into(), k.to_string(), v.to_string()]),
                    );
                    table(&mut out, &["kind", "type", "count"], &rows)?;
                }
            }
            Ok(0)
        }
        Command::Candidates {
            paths,
            min_count,
            format,
        } => {
            let ex = extractor()?;
            let mut failed = 0;
            let docs: Vec<crate::model::Document> = if paths.is_empty() {
                open_existing(&db)?
                    .documents()?
                    .into_iter()
                    .map(|(source, text)| crate::source::make_document(source, text, None, None, None))
                    .collect()
            } else {
                let mut docs = Vec::new();
                for input in collect_inputs(&paths)? {
                    let (d, errors) = read_reporting(&input);
                    failed += errors;
                    docs.extend(d);
                }
                docs
            };
            let cands = crate::candidates::find(&ex, &docs, min_count);
            let mut out = std::io::stdout().lock();
            match format {
                Output::Json => writeln!(out, "{}", serde_json::to_string_pretty(&cands)?)?,
                Output::Table => {
                    let rows: Vec<Vec<String>> = cands
                        .iter()
                        .map(|c| {
                            vec![
                                c.text.clone(),
                                c.kind.clone(),
                                c.count.to_string(),
                                c.example.chars().take(60).collect(),
                            ]
                        })
                        .collect();
                    table(&mut out, &["candidate", "looks like", "count", "example"], &rows)?;
                }
            }
            Ok(if failed > 0 {
                2
            } else if cands.is_empty() {
                1
            } else {
                0
            })
        }
    }
}

/// Settings from `guanxi.toml`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    db: Option<PathBuf>,
    #[serde(default)]
    lexicon: Vec<PathBuf>,
}

impl Config {
    /// The given file, else `guanxi.toml` in the working directory when present; paths in it are
    /// relative to the file.
    fn load(path: Option<&Path>) -> Result<Config> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None if Path::new("guanxi.toml").exists() => PathBuf::from("guanxi.toml"),
            None => return Ok(Config::default()),
        };
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut c: Config =
            toml::from_str(&text).with_context(|| format!("{}: not a guanxi configuration", path.display()))?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        c.db = c.db.map(|d| base.join(d));
        c.lexicon = c.lexicon.into_iter().map(|d| base.join(d)).collect();
        Ok(c)
    }
}

fn open(db: &Path) -> Result<Store> {
    Store::open(db).with_context(|| format!("opening {}", db.display()))
}

fn open_existing(db: &Path) -> Result<Store> {
    if !db.exists() {
        bail!(
            "{}: no such database (run `guanxi ingest PATH --db {}` first)",
            db.display(),
            db.display()
        );
    }
    open(db)
}

fn summary(r: &crate::ingest::IngestReport, store: &Store) -> Result<String> {
    let c = store.counts()?;
    Ok(format!(
        "documents: {} new, {} unchanged, {} replaced, {} failed\nentities: {}  relations: {}  evidence: {}",
        r.new, r.unchanged, r.replaced, r.failed, c.entities, c.relations, c.evidence
    ))
}

fn ingest(ex: &Extractor, store: &mut Store, paths: &[PathBuf]) -> Result<crate::ingest::IngestReport> {
    let inputs = collect_inputs(paths)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let progress = inputs.len() >= 20;
    let report = crate::ingest::ingest(ex, store, &inputs, threads, |p| match p {
        crate::ingest::Progress::Failed(e) => eprintln!("error: {e}"),
        crate::ingest::Progress::Input { done, total, name } => {
            if progress && (done % 50 == 0 || done == total) {
                eprintln!("[{done}/{total}] {name}");
            }
        }
    })?;
    Ok(report)
}

fn extract_all(ex: &Extractor, paths: &[PathBuf]) -> Result<(Vec<crate::model::Extraction>, usize)> {
    let mut out = Vec::new();
    let mut failed = 0;
    for input in collect_inputs(paths)? {
        let (docs, errors) = read_reporting(&input);
        failed += errors;
        out.extend(docs.into_iter().map(|d| ex.extract(d)));
    }
    Ok((out, failed))
}

/// Reads an input, reporting what could not be read (the whole input, or bad JSON Lines records)
/// and going on with the rest; gives the documents and the number of errors.
fn read_reporting(input: &Input) -> (Vec<crate::model::Document>, usize) {
    match crate::source::read_input_lenient(input) {
        Ok((docs, errors)) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            (docs, errors.len())
        }
        Err(e) => {
            eprintln!("error: {e}");
            (Vec::new(), 1)
        }
    }
}

fn eval(ex: &Extractor, gold: &[PathBuf], root: &Path, format: Output, quiet: bool, by_type: bool) -> Result<u8> {
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
        Output::Json => {
            let v = serde_json::json!({
                "files": scores,
                "entities": {"precision": ents.precision(), "recall": ents.recall(), "f1": ents.f1(), "counts": ents},
                "relations": {"precision": rels.precision(), "recall": rels.recall(), "f1": rels.f1(), "counts": rels},
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        Output::Table => {
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
                table(&mut out, &["kind", "type", "P", "R", "F1", "tp/fp/fn"], &rows)?;
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

fn view_options(v: &ViewArgs) -> Result<ViewOptions> {
    let date = regex::Regex::new(r"^\d{4}(-\d{2}(-\d{2})?)?$").expect("date pattern");
    for (flag, d) in [("--since", &v.since), ("--until", &v.until)] {
        if let Some(d) = d {
            let ok = date.is_match(d);
            if !ok {
                bail!("{flag} `{d}`: write dates as YYYY, YYYY-MM or YYYY-MM-DD");
            }
        }
    }
    Ok(ViewOptions {
        focus: v.focus.clone(),
        depth: Some(v.depth),
        types: v.types.iter().map(|t| t.parse()).collect::<Result<_, _>>()?,
        relations: v.relations.iter().map(|t| t.parse()).collect::<Result<_, _>>()?,
        min_evidence: v.min_evidence,
        since: v.since.clone(),
        until: v.until.clone(),
    })
}

fn draw_options(d: &DrawArgs) -> Result<DrawOptions> {
    let lang = match d.lang.as_str() {
        "zh" => Lang::Zh,
        "en" => Lang::En,
        other => bail!("unknown --lang `{other}` (known: zh, en)"),
    };
    if !["dot", "neato", "fdp", "sfdp", "circo", "twopi"].contains(&d.engine.as_str()) {
        bail!(
            "unknown --engine `{}` (known: dot, neato, fdp, sfdp, circo, twopi)",
            d.engine
        );
    }
    if !["LR", "TB", "RL", "BT"].contains(&d.rankdir.as_str()) {
        bail!("unknown --rankdir `{}` (known: LR, TB, RL, BT)", d.rankdir);
    }
    let cluster_by_type = match d.cluster.as_deref() {
        None => false,
        Some("type") => true,
        Some(other) => bail!("unknown --cluster `{other}` (known: type)"),
    };
    Ok(DrawOptions {
        lang,
        cluster_by_type,
        engine: d.engine.clone(),
        rankdir: d.rankdir.clone(),
        font: d.font.clone(),
        legend: true,
    })
}

fn write_to(path: Option<&Path>, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    match path {
        Some(p) => {
            let file = std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?;
            let mut w = std::io::BufWriter::new(file);
            f(&mut w).with_context(|| format!("writing {}", p.display()))?;
            w.flush().with_context(|| format!("writing {}", p.display()))?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            f(&mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

fn graphviz_available() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn render(dot: &str, format: &str, out: &Path) -> Result<()> {
    use graphviz_rust::cmd::{CommandArg, Format as GvFormat};
    let f = match format {
        "svg" => GvFormat::Svg,
        "png" => GvFormat::Png,
        "pdf" => GvFormat::Pdf,
        other => bail!("unknown render format `{other}` (known: svg, png, pdf)"),
    };
    if !graphviz_available() {
        bail!(
            "Graphviz's `dot` program is not installed: install it (`apt-get install graphviz`, `brew install graphviz`) or use `guanxi export dot`"
        );
    }
    let bytes = graphviz_rust::exec_dot(dot.to_string(), vec![CommandArg::Format(f)]).context("running Graphviz")?;
    std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))?;
    Ok(())
}

fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    let width = |s: &str| {
        s.chars()
            .map(|c| if crate::normalize::is_cjk(c) { 2 } else { 1 })
            .sum::<usize>()
    };
    let mut w: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(width(c));
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i + 1 == cells.len() {
                    c.to_string()
                } else {
                    format!("{c}{}", " ".repeat(w[i] - width(c) + 2))
                }
            })
            .collect::<String>()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for r in rows {
        writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

fn print_graph_table(g: &GraphView, out: &mut dyn Write) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = g
        .nodes
        .iter()
        .map(|n| {
            vec![
                n.name.clone(),
                n.etype.to_string(),
                n.mentions.to_string(),
                n.aliases.join(" | "),
            ]
        })
        .collect();
    table(out, &["entity", "type", "mentions", "aliases"], &rows)?;
    writeln!(out)?;
    let rows: Vec<Vec<String>> = g
        .edges
        .iter()
        .map(|e| {
            vec![
                g.nodes[e.source].name.clone(),
                e.rtype.to_string(),
                g.nodes[e.target].name.clone(),
                e.weight.to_string(),
            ]
        })
        .collect();
    table(out, &["head", "relation", "tail", "sentences"], &rows)
}
