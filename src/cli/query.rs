//! Questions: `query …`, `show`, `stats`. Arguments in, library calls, answers out through
//! [`super::output`]; an unknown name is an empty answer (exit 1) with suggestions, an ambiguous
//! one an error (exit 2) that lists the candidates.

use super::context::{Context, DbArg, open_existing};
use super::output::{Format, Table, attributes, count, emit, evidence_line};
use crate::model::{EntityType, RelationType};
use crate::query::{self, Evidence, PathOptions, QueryError, RankBy, Resolver};
use crate::store::{EntityRow, Store};
use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;

/// How answers are printed and how many.
#[derive(Debug, Clone, Args)]
pub struct Shape {
    /// Output shape: table (aligned, for people), json or csv.
    #[arg(long, value_enum, default_value_t = Format::Table, global = true)]
    format: Format,
    /// Print the sentences that support each answer.
    #[arg(long, global = true)]
    evidence: bool,
    /// At most this many answers (default: 50; 20 for show, rank, communities and search).
    #[arg(long, global = true, value_name = "N")]
    limit: Option<usize>,
    /// Every answer (for path: every shortest path; for show: every relation and sentence).
    #[arg(long, global = true, conflicts_with = "limit")]
    all: bool,
}

impl Shape {
    fn limit(&self, default: usize) -> Option<usize> {
        if self.all {
            None
        } else {
            Some(self.limit.unwrap_or(default))
        }
    }

    fn evidence(&self) -> Evidence {
        if self.evidence { Evidence::All } else { Evidence::None }
    }
}

/// `guanxi query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The question.
    #[command(subcommand)]
    query: QueryCommand,
    #[command(flatten)]
    shape: Shape,
    #[command(flatten)]
    db: DbArg,
}

/// `guanxi show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Name or alias (any script), or TYPE:NAME.
    name: String,
    #[command(flatten)]
    shape: Shape,
    #[command(flatten)]
    db: DbArg,
}

/// `guanxi stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output shape.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    db: DbArg,
}

/// What makes an entity central.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum RankArg {
    /// The number of relations.
    #[default]
    Degree,
    /// PageRank over the relations taken both ways.
    Pagerank,
    /// Betweenness centrality (slow on large graphs).
    Betweenness,
}

/// The questions.
#[derive(Debug, Subcommand)]
pub enum QueryCommand {
    /// Every competing pair, most attested first.
    ///
    /// Example: guanxi query competes --limit 10
    Competes,
    /// The rivals of one entity; with --indirect also the rivals of its rivals, by shared rivals.
    ///
    /// Example: guanxi query competitors 谷歌 --indirect
    Competitors {
        /// Name or alias (any script), or TYPE:NAME.
        name: String,
        /// Also rivals of rivals, with the rivals they share.
        #[arg(long)]
        indirect: bool,
    },
    /// Who invested in a company, with amounts and rounds.
    ///
    /// Example: guanxi query investors OpenAI --evidence
    Investors {
        /// Name or alias.
        name: String,
    },
    /// Where an investor put money.
    ///
    /// Example: guanxi query portfolio 微软
    Portfolio {
        /// Name or alias.
        name: String,
    },
    /// Acquisitions: what a company bought and who bought it, or every acquisition.
    ///
    /// Example: guanxi query acquisitions Google
    Acquisitions {
        /// Name or alias (every acquisition when absent).
        name: Option<String>,
    },
    /// Who founded a company.
    ///
    /// Example: guanxi query founders OpenAI
    Founders {
        /// Name or alias.
        name: String,
    },
    /// Who leads a company or organisation.
    ///
    /// Example: guanxi query leaders Meta
    Leaders {
        /// Name or alias.
        name: String,
    },
    /// Who works or worked at a company (leaders and founders included, with their role).
    ///
    /// Example: guanxi query people 谷歌
    People {
        /// Name or alias.
        name: String,
    },
    /// The models a company develops.
    ///
    /// Example: guanxi query models Meta
    Models {
        /// Name or alias.
        name: String,
    },
    /// Who develops a model.
    ///
    /// Example: guanxi query makers GPT-4
    Makers {
        /// The model's name.
        model: String,
    },
    /// Entities within N relations of one, nearest first.
    ///
    /// Example: guanxi query neighbors OpenAI --depth 2 --relations invests_in,partners_with
    Neighbors {
        /// Name or alias.
        name: String,
        /// How many relations away.
        #[arg(long, default_value_t = 1)]
        depth: usize,
        /// Only these relation types, comma-separated.
        #[arg(long, value_delimiter = ',')]
        relations: Vec<String>,
    },
    /// The shortest connections between two entities, each hop with its relation and evidence.
    ///
    /// Example: guanxi query path 杰弗里·辛顿 Meta --max-hops 4 --all
    Path {
        /// Where the path starts.
        from: String,
        /// Where it ends.
        to: String,
        /// The longest path worth reporting.
        #[arg(long, default_value_t = 6)]
        max_hops: usize,
        /// Only these relation types, comma-separated.
        #[arg(long, value_delimiter = ',')]
        relations: Vec<String>,
    },
    /// Central players: by number of relations, PageRank or betweenness.
    ///
    /// Example: guanxi query rank --by pagerank --type company
    Rank {
        /// The measure.
        #[arg(long, value_enum, default_value_t = RankArg::Degree)]
        by: RankArg,
        /// Only entities of this type in the answer (the whole graph is ranked).
        #[arg(long = "type", value_name = "TYPE")]
        etype: Option<String>,
        /// Rank over these relation types only, comma-separated.
        #[arg(long, value_delimiter = ',')]
        relations: Vec<String>,
    },
    /// Groups of closely linked players (Louvain communities over competition, partnership and
    /// investment, or --relations).
    ///
    /// Example: guanxi query communities --min-size 3
    Communities {
        /// The relations that link players, comma-separated.
        #[arg(long, value_delimiter = ',')]
        relations: Vec<String>,
        /// Leave out smaller groups.
        #[arg(long, default_value_t = 3)]
        min_size: usize,
    },
    /// Events and dated relations in order: one entity's, or every relation whose sentence gives a year.
    ///
    /// Example: guanxi query timeline Meta
    Timeline {
        /// Name or alias.
        name: Option<String>,
    },
    /// Full-text search over evidence sentences (Chinese words found whole: 裁员, 开源).
    ///
    /// Example: guanxi query search 裁员
    Search {
        /// Words to find (all of them).
        #[arg(required = true)]
        text: Vec<String>,
    },
    /// List and find entity names, most mentioned first.
    ///
    /// Example: guanxi query entities --type person 阿尔特
    Entities {
        /// Only this type.
        #[arg(long = "type", value_name = "TYPE")]
        etype: Option<String>,
        /// Part of a name or alias (case, width and separators ignored).
        pattern: Option<String>,
    },
    /// An entity's card: aliases and relations both ways with evidence (same as `guanxi show`).
    ///
    /// Example: guanxi query show 萨姆·阿尔特曼 --limit 5
    Show {
        /// Name or alias.
        name: String,
    },
    /// Read-only SQL on the database (tables documented in schema/README.md).
    ///
    /// Example: guanxi query sql "SELECT type, count(*) FROM relations GROUP BY type"
    Sql {
        /// One SQL statement.
        query: String,
    },
}

fn relation_types(names: &[String]) -> Result<Vec<RelationType>> {
    Ok(names.iter().map(|t| t.parse()).collect::<Result<_, _>>()?)
}

fn entity_type(name: &Option<String>) -> Result<Option<EntityType>> {
    Ok(name.as_deref().map(str::parse).transpose()?)
}

/// Resolves a name: the stored names first, the lexicon's aliases only when they fail (loading the
/// lexicon costs more than most answers). An unknown name is reported and gives `None`.
fn resolve(ctx: &Context, store: &Store, name: &str) -> Result<Option<EntityRow>> {
    match Resolver::new(store, None).resolve(name) {
        Err(QueryError::NotFound { .. }) => {}
        other => return Ok(Some(other?)),
    }
    let lexicon = ctx.lexicon()?;
    match Resolver::new(store, Some(&lexicon)).resolve(name) {
        Ok(e) => Ok(Some(e)),
        Err(e @ QueryError::NotFound { .. }) => {
            eprintln!("{e}");
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

fn code(empty: bool) -> u8 {
    if empty { 1 } else { 0 }
}

/// Runs one question.
pub fn run(ctx: &Context, a: QueryArgs) -> Result<u8> {
    let db = ctx.db(&a.db);
    if let QueryCommand::Sql { query } = &a.query {
        return sql(&db, query, a.shape.format);
    }
    let store = open_existing(&db)?;
    let s = &a.shape;
    let out = &mut std::io::stdout().lock();
    macro_rules! entity {
        ($name:expr) => {
            match resolve(ctx, &store, $name)? {
                Some(e) => e,
                None => return Ok(1),
            }
        };
    }
    match &a.query {
        QueryCommand::Competes => {
            let pairs = query::pairs(&store, RelationType::CompetesWith, s.evidence(), s.limit(50))?;
            emit(out, s.format, &pairs, || pair_table(&pairs, ["entity", "entity"]))?;
            Ok(code(pairs.is_empty()))
        }
        QueryCommand::Competitors { name, indirect } => {
            let e = entity!(name);
            let rivals = query::competitors(&store, &e, *indirect, s.evidence(), s.limit(50))?;
            emit(out, s.format, &rivals, || {
                let mut t = Table::new(&["competitor", "type", "sentences", "shared rivals"]);
                for r in &rivals {
                    t.row(vec![
                        r.name.clone(),
                        r.etype.to_string(),
                        r.sentences.to_string(),
                        r.via.join(", "),
                    ])
                    .details(r.evidence.iter().map(evidence_line));
                }
                t
            })?;
            Ok(code(rivals.is_empty()))
        }
        QueryCommand::Investors { name } => related(
            out,
            s,
            "investor",
            query::investors(&store, &entity!(name), s.evidence(), s.limit(50))?,
        ),
        QueryCommand::Portfolio { name } => related(
            out,
            s,
            "investee",
            query::portfolio(&store, &entity!(name), s.evidence(), s.limit(50))?,
        ),
        QueryCommand::Founders { name } => related(
            out,
            s,
            "founder",
            query::founders(&store, &entity!(name), s.evidence(), s.limit(50))?,
        ),
        QueryCommand::Leaders { name } => related(
            out,
            s,
            "leader",
            query::leaders(&store, &entity!(name), s.evidence(), s.limit(50))?,
        ),
        QueryCommand::People { name } => related(
            out,
            s,
            "person",
            query::people(&store, &entity!(name), s.evidence(), s.limit(50))?,
        ),
        QueryCommand::Models { name } => related(
            out,
            s,
            "model",
            query::models(&store, &entity!(name), s.evidence(), s.limit(50))?,
        ),
        QueryCommand::Makers { model } => related(
            out,
            s,
            "maker",
            query::makers(&store, &entity!(model), s.evidence(), s.limit(50))?,
        ),
        QueryCommand::Acquisitions { name: Some(name) } => related(
            out,
            s,
            "company",
            query::acquisitions_of(&store, &entity!(name), s.evidence(), s.limit(50))?,
        ),
        QueryCommand::Acquisitions { name: None } => {
            let deals = query::pairs(&store, RelationType::Acquires, s.evidence(), s.limit(50))?;
            emit(out, s.format, &deals, || pair_table(&deals, ["buyer", "bought"]))?;
            Ok(code(deals.is_empty()))
        }
        QueryCommand::Neighbors { name, depth, relations } => {
            let e = entity!(name);
            let found = query::neighbours(
                &store,
                &e,
                *depth,
                &relation_types(relations)?,
                s.evidence(),
                s.limit(50),
            )?;
            emit(out, s.format, &found, || {
                let mut t = Table::new(&["entity", "type", "hops", "reached by"]);
                for n in &found {
                    t.row(vec![
                        n.name.clone(),
                        n.etype.to_string(),
                        n.distance.to_string(),
                        format!("{} {} {}", n.from, n.role, n.name),
                    ])
                    .details(n.evidence.iter().map(evidence_line));
                }
                t
            })?;
            Ok(code(found.is_empty()))
        }
        QueryCommand::Path {
            from,
            to,
            max_hops,
            relations,
        } => {
            let (a_, b_) = (entity!(from), entity!(to));
            let opts = PathOptions {
                max_hops: *max_hops,
                all: s.all || s.limit.is_some(),
                limit: s.limit.unwrap_or(if s.all { 1000 } else { 1 }),
                relations: relation_types(relations)?,
                evidence: if s.evidence { Evidence::All } else { Evidence::Some(1) },
            };
            let paths = query::path(&store, &a_, &b_, &opts)?;
            if paths.is_empty() {
                eprintln!("no path of at most {max_hops} hops between {} and {}", a_.name, b_.name);
                return Ok(1);
            }
            emit(out, s.format, &paths, || {
                let mut t = Table::new(&["path", "hop", "from", "relation", "to"]);
                for (i, p) in paths.iter().enumerate() {
                    for (j, h) in p.hops.iter().enumerate() {
                        t.row(vec![
                            (i + 1).to_string(),
                            (j + 1).to_string(),
                            h.from.clone(),
                            h.role.to_string(),
                            h.to.clone(),
                        ])
                        .details(h.evidence.iter().map(evidence_line));
                    }
                }
                t
            })?;
            Ok(0)
        }
        QueryCommand::Rank { by, etype, relations } => {
            let by = match by {
                RankArg::Degree => RankBy::Degree,
                RankArg::Pagerank => RankBy::Pagerank,
                RankArg::Betweenness => RankBy::Betweenness,
            };
            let limit = s.limit(20).unwrap_or(usize::MAX);
            let ranked = query::rank(&store, by, entity_type(etype)?, &relation_types(relations)?, limit)?;
            emit(out, s.format, &ranked, || {
                let mut t = Table::new(&["rank", "entity", "type", "score", "relations"]);
                for (i, r) in ranked.iter().enumerate() {
                    let score = if by == RankBy::Degree {
                        format!("{}", r.score)
                    } else {
                        format!("{:.6}", r.score)
                    };
                    t.row(vec![
                        (i + 1).to_string(),
                        r.name.clone(),
                        r.etype.to_string(),
                        score,
                        r.degree.to_string(),
                    ]);
                }
                t
            })?;
            Ok(code(ranked.is_empty()))
        }
        QueryCommand::Communities { relations, min_size } => {
            let mut types = relation_types(relations)?;
            if types.is_empty() {
                types = query::COMMUNITY_RELATIONS.to_vec();
            }
            let groups = query::communities(&store, &types, *min_size, s.limit(20))?;
            emit(out, s.format, &groups, || {
                let mut t = Table::new(&["group", "size", "links", "members (most linked first)"]);
                for (i, g) in groups.iter().enumerate() {
                    let mut names: Vec<String> = g.members.iter().take(12).map(|m| m.name.clone()).collect();
                    if g.members.len() > 12 {
                        names.push("…".into());
                    }
                    t.row(vec![
                        (i + 1).to_string(),
                        g.size.to_string(),
                        g.links.to_string(),
                        names.join(", "),
                    ]);
                }
                t
            })?;
            Ok(code(groups.is_empty()))
        }
        QueryCommand::Timeline { name } => {
            let e = match name {
                Some(n) => Some(entity!(n)),
                None => None,
            };
            let rows = query::timeline(&store, e.as_ref(), s.limit(50))?;
            emit(out, s.format, &rows, || {
                let mut t = Table::new(&["date", "head", "relation", "tail"]);
                for r in &rows {
                    t.row(vec![r.date.clone(), r.head.clone(), r.role.to_string(), r.tail.clone()]);
                    if s.evidence {
                        t.details([evidence_line(&r.evidence)]);
                    }
                }
                t
            })?;
            Ok(code(rows.is_empty()))
        }
        QueryCommand::Search { text } => {
            let hits = store.search(&text.join(" "), s.limit(20).unwrap_or(usize::MAX))?;
            emit(out, s.format, &hits, || {
                let mut t = Table::new(&["document", "states"]);
                for h in &hits {
                    let states: Vec<String> = h
                        .relations
                        .iter()
                        .map(|(a, r, b)| format!("{a} {} {b}", query::relation_words(*r, crate::store::Direction::Out)))
                        .collect();
                    t.row(vec![h.doc.clone(), states.join("; ")])
                        .details([h.sentence.trim().to_string()]);
                }
                t
            })?;
            Ok(code(hits.is_empty()))
        }
        QueryCommand::Entities { etype, pattern } => {
            let list = query::entities(&store, entity_type(etype)?, pattern.as_deref(), s.limit(50))?;
            emit(out, s.format, &list, || {
                let mut t = Table::new(&["entity", "type", "mentions"]);
                for e in &list {
                    t.row(vec![e.name.clone(), e.etype.to_string(), e.mentions.to_string()]);
                }
                t
            })?;
            Ok(code(list.is_empty()))
        }
        QueryCommand::Show { name } => card(ctx, &store, name, s, out),
        QueryCommand::Sql { .. } => unreachable!("answered above"),
    }
}

fn related(out: &mut dyn Write, s: &Shape, first: &str, rows: Vec<query::Related>) -> Result<u8> {
    emit(out, s.format, &rows, || {
        let mut t = Table::new(&[first, "type", "relation", "sentences", "details"]);
        for r in &rows {
            t.row(vec![
                r.name.clone(),
                r.etype.to_string(),
                r.role.to_string(),
                r.sentences.to_string(),
                attributes(&r.attributes),
            ])
            .details(r.evidence.iter().map(evidence_line));
        }
        t
    })?;
    Ok(code(rows.is_empty()))
}

fn pair_table(pairs: &[query::Pair], names: [&str; 2]) -> Table {
    let mut t = Table::new(&[names[0], names[1], "sentences", "details"]);
    for p in pairs {
        t.row(vec![
            p.a.clone(),
            p.b.clone(),
            p.sentences.to_string(),
            attributes(&p.attributes),
        ])
        .details(p.evidence.iter().map(evidence_line));
    }
    t
}

/// `guanxi show NAME`.
pub fn show(ctx: &Context, a: ShowArgs) -> Result<u8> {
    let store = open_existing(&ctx.db(&a.db))?;
    card(ctx, &store, &a.name, &a.shape, &mut std::io::stdout().lock())
}

fn card(ctx: &Context, store: &Store, name: &str, s: &Shape, out: &mut dyn Write) -> Result<u8> {
    let Some(e) = resolve(ctx, store, name)? else {
        return Ok(1);
    };
    // By default a card is short: the best attested relations, two sentences each.
    let evidence = if s.all || s.evidence {
        Evidence::All
    } else {
        Evidence::Some(2)
    };
    let card = query::card(store, &e, s.limit(20), evidence)?;
    match s.format {
        Format::Table => {
            writeln!(
                out,
                "{} ({}) · {} · {}",
                card.name,
                card.etype,
                count(card.mentions, "mention", "mentions"),
                count(card.total_relations, "relation", "relations")
            )?;
            writeln!(out, "aliases: {}", card.aliases.join(", "))?;
            if !card.attributes.is_empty() {
                writeln!(out, "{}", attributes(&card.attributes))?;
            }
            for r in &card.relations {
                let mut line = format!("\n{} {} ({})", r.role, r.other, r.other_type);
                if !r.attributes.is_empty() {
                    line.push_str(&format!(" · {}", attributes(&r.attributes)));
                }
                line.push_str(&format!(" · {}", count(r.sentences, "sentence", "sentences")));
                writeln!(out, "{line}")?;
                for ev in &r.evidence {
                    writeln!(out, "    {}", evidence_line(ev))?;
                }
                if r.evidence.len() < r.sentences {
                    writeln!(out, "    … {} more (--all)", r.sentences - r.evidence.len())?;
                }
            }
            if card.relations.len() < card.total_relations {
                writeln!(
                    out,
                    "\n… {} more relations (--limit N or --all)",
                    card.total_relations - card.relations.len()
                )?;
            }
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &card)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut t = Table::new(&["entity", "relation", "other", "other type", "sentences", "details"]);
            for r in &card.relations {
                t.row(vec![
                    card.name.clone(),
                    r.role.to_string(),
                    r.other.clone(),
                    r.other_type.to_string(),
                    r.sentences.to_string(),
                    attributes(&r.attributes),
                ])
                .details(r.evidence.iter().map(evidence_line));
            }
            t.write_csv(out)?;
        }
    }
    Ok(0)
}

/// `guanxi stats`.
pub fn stats(ctx: &Context, a: StatsArgs) -> Result<u8> {
    let store = open_existing(&ctx.db(&a.db))?;
    let st = query::stats(&store)?;
    let out = &mut std::io::stdout().lock();
    if a.format == Format::Table {
        writeln!(
            out,
            "documents {}  entities {}  mentions {}  relations {}  evidence {}",
            st.documents, st.entities, st.mentions, st.relations, st.evidence
        )?;
    }
    emit(out, a.format, &st, || {
        let mut t = Table::new(&["kind", "type", "count"]);
        for (k, v) in &st.entities_by_type {
            t.row(vec!["entity".into(), k.to_string(), v.to_string()]);
        }
        for (k, v) in &st.relations_by_type {
            t.row(vec!["relation".into(), k.to_string(), v.to_string()]);
        }
        t
    })?;
    Ok(0)
}

fn sql(db: &std::path::Path, query: &str, format: Format) -> Result<u8> {
    if !db.exists() {
        anyhow::bail!("{}: no such database", db.display());
    }
    let rows = crate::store::query_read_only(db, query).map_err(|e| anyhow::anyhow!("{}: {e}", db.display()))?;
    let out = &mut std::io::stdout().lock();
    let objects: Vec<serde_json::Map<String, serde_json::Value>> = rows
        .rows
        .iter()
        .map(|r| rows.columns.iter().cloned().zip(r.iter().cloned()).collect())
        .collect();
    emit(out, format, &objects, || {
        let header: Vec<&str> = rows.columns.iter().map(String::as_str).collect();
        let mut t = Table::new(&header);
        for r in &rows.rows {
            t.row(
                r.iter()
                    .map(|v| match v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    })
                    .collect(),
            );
        }
        t
    })?;
    Ok(code(rows.rows.is_empty()))
}
