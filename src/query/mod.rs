//! Questions asked of the store: who competes with whom, who invested in or founded what, how two
//! entities are connected, who is central, what happened when, where a word is said.
//!
//! In: a [`Store`] and names as people write them. Out: plain answer types (serde-serialisable)
//! for the command line to print as tables, JSON or CSV. Names resolve through [`Resolver`]: every
//! alias the lexicon knows and every surface form seen in the text, in any script. Per-entity
//! questions read only the rows of their answer; whole-graph ones ([`rank`], [`communities`]) load
//! bare edge lists; [`path`] walks the relations through their indexes.

mod answers;
mod path;
mod rank;
mod resolve;

pub use answers::*;
pub use path::{Hop, Path, PathOptions, path};
pub use rank::{COMMUNITY_RELATIONS, Community, Member, RankBy, Ranked, communities, rank};
pub use resolve::Resolver;

use crate::model::RelationType;
use crate::store::{Direction, EntityRow, StoreError};

/// Why a question has no answer.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// No entity has this name or alias: an empty answer, with the closest names known.
    #[error("no entity named `{name}`{}", suggest(.suggestions))]
    NotFound {
        /// The name asked for.
        name: String,
        /// The closest names in the database.
        suggestions: Vec<String>,
    },
    /// The name is that of several entities.
    #[error("`{name}` names {} entities: {}; write TYPE:NAME (for example `{}:{name}`) to choose", .candidates.len(), list(.candidates), .candidates[0].etype)]
    Ambiguous {
        /// The name asked for.
        name: String,
        /// The entities it names.
        candidates: Vec<EntityRow>,
    },
    /// An argument out of range.
    #[error("{0}")]
    Invalid(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        " (list names with `guanxi query entities PATTERN`)".into()
    } else {
        format!("; did you mean {}?", s.join(", "))
    }
}

fn list(c: &[EntityRow]) -> String {
    c.iter()
        .map(|e| format!("{} ({})", e.name, e.etype))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A relation in words, read from the entity at the given end: `invests in` from the investor,
/// `invested in by` from the company that got the money.
pub fn relation_words(rtype: RelationType, direction: Direction) -> &'static str {
    use RelationType::*;
    match (rtype, direction) {
        (CompetesWith, _) => "competes with",
        (PartnersWith, _) => "partners with",
        (InvestsIn, Direction::Out) => "invests in",
        (InvestsIn, Direction::In) => "invested in by",
        (Acquires, Direction::Out) => "acquired",
        (Acquires, Direction::In) => "acquired by",
        (Develops, Direction::Out) => "develops",
        (Develops, Direction::In) => "developed by",
        (Founded, Direction::Out) => "founded",
        (Founded, Direction::In) => "founded by",
        (Leads, Direction::Out) => "leads",
        (Leads, Direction::In) => "led by",
        (WorksAt, Direction::Out) => "works at",
        (WorksAt, Direction::In) => "employs",
        (InvolvedIn, Direction::Out) => "involved in",
        (InvolvedIn, Direction::In) => "involves",
        (Describes, Direction::Out) => "describes",
        (Describes, Direction::In) => "described in",
        (Authored, Direction::Out) => "wrote",
        (Authored, Direction::In) => "written by",
        (SuccessorOf, Direction::Out) => "succeeds",
        (SuccessorOf, Direction::In) => "succeeded by",
        (PartOf, Direction::Out) => "part of",
        (PartOf, Direction::In) => "has part",
    }
}

/// How much evidence an answer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Evidence {
    /// None.
    #[default]
    None,
    /// At most this many sentences per relation.
    Some(usize),
    /// Every sentence.
    All,
}

impl Evidence {
    fn limit(self) -> Option<Option<usize>> {
        match self {
            Evidence::None => None,
            Evidence::Some(n) => Some(Some(n)),
            Evidence::All => Some(None),
        }
    }
}
