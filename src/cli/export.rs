//! Graph files and diagrams: `export` (every format) and `render` (Graphviz).

use super::context::{Context, DbArg, open_existing};
use crate::export::{DrawOptions, Format};
use crate::graph::{Isolated, ViewOptions, apply_view};
use crate::model::Lang;
use anyhow::{Context as _, Result, anyhow, bail};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `guanxi export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format (optional when --out has a known extension).
    format: Option<String>,
    /// The format, as an option (same as the argument).
    #[arg(long = "format", value_name = "FORMAT", conflicts_with = "format")]
    format_flag: Option<String>,
    /// Output file (directory for csv); standard output when absent.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Which part of the graph.
    #[command(flatten)]
    view: ViewArgs,
    /// How to draw it (DOT, HTML).
    #[command(flatten)]
    draw: DrawArgs,
    #[command(flatten)]
    db: DbArg,
}

/// `guanxi render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// svg, png or pdf (default: from --out, else svg).
    #[arg(long)]
    format: Option<String>,
    /// Output file (default graph.FORMAT).
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Which part of the graph.
    #[command(flatten)]
    view: ViewArgs,
    /// How to draw it.
    #[command(flatten)]
    draw: DrawArgs,
    #[command(flatten)]
    db: DbArg,
}

/// Which part of the graph to show.
#[derive(Debug, Clone, Args, Default)]
pub struct ViewArgs {
    /// Only the neighbourhood of this entity.
    #[arg(long)]
    pub focus: Option<String>,
    /// Hops from the focus.
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    /// Entity types to keep, comma-separated (company,person,book,model,event,…).
    #[arg(long, value_delimiter = ',')]
    pub types: Vec<String>,
    /// Relation types to keep, comma-separated (competes_with,invests_in,…).
    #[arg(long, value_delimiter = ',')]
    pub relations: Vec<String>,
    /// Keep edges stated by at least this many sentences.
    #[arg(long, default_value_t = 1)]
    pub min_evidence: usize,
    /// Keep evidence from documents dated on or after this (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Keep evidence from documents dated on or before this.
    #[arg(long)]
    pub until: Option<String>,
    /// Keep nodes without edges: those the filters above left alone, and, in diagrams (dot,
    /// html, render), those that never had one.
    #[arg(long)]
    pub isolated: bool,
}

/// How to draw.
#[derive(Debug, Clone, Args)]
pub struct DrawArgs {
    /// Language of node names (an alias in that language where there is one), relation and
    /// type labels: zh or en.
    #[arg(long, default_value = "zh")]
    pub lang: String,
    /// Group nodes: `type` puts each type in a cluster.
    #[arg(long)]
    pub cluster: Option<String>,
    /// Layout engine: dot, neato, fdp, sfdp, circo, twopi (default: dot up to 60 nodes, sfdp
    /// with overlap removal above).
    #[arg(long)]
    pub engine: Option<String>,
    /// Direction: LR, TB, RL, BT.
    #[arg(long, default_value = "LR")]
    pub rankdir: String,
    /// Label font (a CJK-capable one, so Chinese labels are not boxes).
    #[arg(long, default_value = "Noto Sans CJK SC")]
    pub font: String,
}

pub fn export(ctx: &Context, a: ExportArgs) -> Result<u8> {
    let format = a.format.or(a.format_flag);
    let format = match (&format, &a.out) {
        (Some(f), _) => Format::from_name(f)?,
        (None, Some(p)) => Format::from_path(p)?,
        (None, None) => {
            bail!("give a format ({}) or --out FILE", crate::export::common::known_names())
        }
    };
    let g = apply_view(
        &open_existing(&ctx.db(&a.db))?.graph()?,
        &view_options(&a.view, format.is_drawing())?,
    )?;
    let draw = draw_options(&a.draw)?;
    if format == Format::Csv {
        let dir = a.out.ok_or_else(|| anyhow!("csv writes two files: give --out DIR"))?;
        crate::export::csv::write_dir(&g, &dir).with_context(|| format!("writing {}", dir.display()))?;
        return Ok(0);
    }
    write_to(a.out.as_deref(), |w| crate::export::write(format, &g, &draw, w))?;
    Ok(0)
}

pub fn render(ctx: &Context, a: RenderArgs) -> Result<u8> {
    let format = a
        .format
        .or_else(|| {
            a.out
                .as_ref()
                .and_then(|p| p.extension())
                .map(|e| e.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "svg".into());
    let out = a.out.unwrap_or_else(|| PathBuf::from(format!("graph.{format}")));
    let g = apply_view(&open_existing(&ctx.db(&a.db))?.graph()?, &view_options(&a.view, true)?)?;
    let dot = crate::export::dot::to_dot(&g, &draw_options(&a.draw)?);
    render_dot(&dot, &format, &out)?;
    eprintln!("wrote {}", out.display());
    Ok(0)
}

/// The view of the command-line options; a diagram leaves out every node without an edge,
/// other formats only those the filters left without one (unless `--isolated`).
fn view_options(v: &ViewArgs, drawing: bool) -> Result<ViewOptions> {
    use crate::dates::{Bound, parse_bound};
    let bound = |flag: &str, d: &Option<String>, b: Bound| -> Result<Option<String>> {
        d.as_deref()
            .map(|d| parse_bound(d, b).map_err(|e| anyhow::anyhow!("{flag} {e}")))
            .transpose()
    };
    let since = bound("--since", &v.since, Bound::Since)?;
    let until = bound("--until", &v.until, Bound::Until)?;
    Ok(ViewOptions {
        focus: v.focus.clone(),
        depth: Some(v.depth),
        types: v.types.iter().map(|t| t.parse()).collect::<Result<_, _>>()?,
        relations: v.relations.iter().map(|t| t.parse()).collect::<Result<_, _>>()?,
        min_evidence: v.min_evidence,
        since,
        until,
        isolated: match (v.isolated, drawing) {
            (true, _) => Isolated::Keep,
            (false, true) => Isolated::DropAll,
            (false, false) => Isolated::DropFiltered,
        },
    })
}

fn draw_options(d: &DrawArgs) -> Result<DrawOptions> {
    let lang = match d.lang.as_str() {
        "zh" => Lang::Zh,
        "en" => Lang::En,
        other => bail!("unknown --lang `{other}` (known: zh, en)"),
    };
    if let Some(engine) = &d.engine
        && !["dot", "neato", "fdp", "sfdp", "circo", "twopi"].contains(&engine.as_str())
    {
        bail!("unknown --engine `{engine}` (known: dot, neato, fdp, sfdp, circo, twopi)");
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

/// Writes to a file (buffered) or to standard output.
pub fn write_to(path: Option<&Path>, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    match path {
        Some(p) => {
            let file = std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?;
            let mut w = std::io::BufWriter::new(file);
            f(&mut w).with_context(|| format!("writing {}", p.display()))?;
            w.flush().with_context(|| format!("writing {}", p.display()))?;
        }
        None => {
            // Buffered too: standard output flushes at every newline, a system call a line.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            f(&mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

/// True when Graphviz's `dot` runs.
pub fn graphviz_available() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Draws DOT text to a file with Graphviz.
pub fn render_dot(dot: &str, format: &str, out: &Path) -> Result<()> {
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
