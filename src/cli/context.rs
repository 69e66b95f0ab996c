//! What every command shares: the configuration file, the database path, the lexicon directories.

use crate::lexicon::Lexicon;
use crate::pipeline::Extractor;
use crate::store::Store;
use anyhow::{Context as _, Result, bail};
use clap::Args;
use std::path::{Path, PathBuf};

/// The database option of the commands that use one.
#[derive(Debug, Clone, Args, Default)]
pub struct DbArg {
    /// The database file (default: `db` in guanxi.toml, else guanxi.db).
    #[arg(long, value_name = "FILE", global = true)]
    pub db: Option<PathBuf>,
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

/// The settings of one run.
pub struct Context {
    default_db: Option<PathBuf>,
    lexicon_dirs: Vec<PathBuf>,
}

impl Context {
    /// Reads the configuration and gathers the lexicon directories (configuration, options,
    /// `GUANXI_LEXICON`).
    pub fn new(config: Option<&Path>, lexicon: &[PathBuf]) -> Result<Context> {
        let config = Config::load(config)?;
        let mut dirs = config.lexicon;
        dirs.extend(lexicon.iter().cloned());
        if let Ok(env) = std::env::var("GUANXI_LEXICON") {
            dirs.extend(env.split(':').filter(|s| !s.is_empty()).map(PathBuf::from));
        }
        Ok(Context {
            default_db: config.db,
            lexicon_dirs: dirs,
        })
    }

    /// The database: the option, else the configuration's, else `guanxi.db`.
    pub fn db(&self, arg: &DbArg) -> PathBuf {
        arg.db
            .clone()
            .or_else(|| self.default_db.clone())
            .unwrap_or_else(|| PathBuf::from("guanxi.db"))
    }

    /// The extractor with the user's lexicon and rules.
    pub fn extractor(&self) -> Result<Extractor> {
        Extractor::with_extensions(&self.lexicon_dirs).context("loading the lexicon and rules")
    }

    /// The lexicon alone (for resolving names), with the user's entries.
    pub fn lexicon(&self) -> Result<Lexicon> {
        let mut lex = Lexicon::embedded().context("loading the lexicon")?;
        for d in &self.lexicon_dirs {
            if !d.is_dir() {
                bail!("{}: not a directory", d.display());
            }
            lex.load_dir(d).context("loading the lexicon")?;
        }
        Ok(lex)
    }
}

/// Opens (creating when needed) a database.
pub fn open(db: &Path) -> Result<Store> {
    Store::open(db).with_context(|| format!("opening {}", db.display()))
}

/// Opens a database that must exist.
pub fn open_existing(db: &Path) -> Result<Store> {
    if !db.exists() {
        bail!(
            "{}: no such database (run `guanxi ingest PATH --db {}` first)",
            db.display(),
            db.display()
        );
    }
    open(db)
}
