//! The plain data that flows between the stages: documents and sentences in,
//! mentions, entities and relations with their evidence out.
//!
//! Every stage takes and gives these types, so a stage can run anywhere (a
//! thread pool, a cluster worker) without sharing state with the others.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// What kind of thing an entity is.
///
/// The first five are the core types that are scored; the others help keep
/// universities, media and places from being mistaken for companies or books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    /// Companies, their labs and divisions, investors that are firms.
    Company,
    /// People, in any script.
    Person,
    /// Published books.
    Book,
    /// AI models and model products, version included.
    Model,
    /// Named happenings: layoffs, restructurings, conferences, funding rounds.
    Event,
    /// Universities, research institutes, public bodies, parties.
    Organization,
    /// Hardware, chips, platforms and apps that are not AI models.
    Product,
    /// Newspapers, magazines, news sites, columns.
    Media,
    /// Places.
    Place,
    /// Podcasts and TV shows.
    Show,
}

impl EntityType {
    /// Every type, core types first.
    pub const ALL: [EntityType; 10] = [
        EntityType::Company,
        EntityType::Person,
        EntityType::Book,
        EntityType::Model,
        EntityType::Event,
        EntityType::Organization,
        EntityType::Product,
        EntityType::Media,
        EntityType::Place,
        EntityType::Show,
    ];

    /// The name used in files, the database and the graph JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Company => "company",
            EntityType::Person => "person",
            EntityType::Book => "book",
            EntityType::Model => "model",
            EntityType::Event => "event",
            EntityType::Organization => "organization",
            EntityType::Product => "product",
            EntityType::Media => "media",
            EntityType::Place => "place",
            EntityType::Show => "show",
        }
    }

    /// True for the five types the ontology scores.
    pub fn is_core(self) -> bool {
        matches!(
            self,
            EntityType::Company | EntityType::Person | EntityType::Book | EntityType::Model | EntityType::Event
        )
    }

    /// A label for people, in Chinese or English.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (EntityType::Company, Lang::Zh) => "公司",
            (EntityType::Person, Lang::Zh) => "人物",
            (EntityType::Book, Lang::Zh) => "书籍",
            (EntityType::Model, Lang::Zh) => "模型",
            (EntityType::Event, Lang::Zh) => "事件",
            (EntityType::Organization, Lang::Zh) => "机构",
            (EntityType::Product, Lang::Zh) => "产品",
            (EntityType::Media, Lang::Zh) => "媒体",
            (EntityType::Place, Lang::Zh) => "地点",
            (EntityType::Show, Lang::Zh) => "节目",
            (t, Lang::En) => t.as_str(),
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a type or relation name that is not in the ontology.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{name}` (known: {known})")]
pub struct UnknownName {
    /// `entity type` or `relation type`.
    pub kind: &'static str,
    /// What was given.
    pub name: String,
    /// The names that would have been accepted.
    pub known: String,
}

impl FromStr for EntityType {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        EntityType::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownName {
                kind: "entity type",
                name: s.clone(),
                known: EntityType::ALL.map(|t| t.as_str()).join(", "),
            })
    }
}

/// Labels in Chinese or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese labels.
    #[default]
    Zh,
    /// English labels.
    En,
}

/// The thirteen relation types of the ontology.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationType {
    /// Rivals in a market or race (symmetric).
    CompetesWith,
    /// Cooperation, alliance (symmetric).
    PartnersWith,
    /// Investor → investee.
    InvestsIn,
    /// Buyer → bought.
    Acquires,
    /// Maker → model.
    Develops,
    /// Founder → company.
    Founded,
    /// Chief → company or organization.
    Leads,
    /// Employee → company or organization.
    WorksAt,
    /// Entity → event.
    InvolvedIn,
    /// Book → subject.
    Describes,
    /// Author → book.
    Authored,
    /// Newer model → older model of one family.
    SuccessorOf,
    /// Unit → parent.
    PartOf,
}

impl RelationType {
    /// Every relation type.
    pub const ALL: [RelationType; 13] = [
        RelationType::CompetesWith,
        RelationType::PartnersWith,
        RelationType::InvestsIn,
        RelationType::Acquires,
        RelationType::Develops,
        RelationType::Founded,
        RelationType::Leads,
        RelationType::WorksAt,
        RelationType::InvolvedIn,
        RelationType::Describes,
        RelationType::Authored,
        RelationType::SuccessorOf,
        RelationType::PartOf,
    ];

    /// The name used in files, the database and the graph JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationType::CompetesWith => "competes_with",
            RelationType::PartnersWith => "partners_with",
            RelationType::InvestsIn => "invests_in",
            RelationType::Acquires => "acquires",
            RelationType::Develops => "develops",
            RelationType::Founded => "founded",
            RelationType::Leads => "leads",
            RelationType::WorksAt => "works_at",
            RelationType::InvolvedIn => "involved_in",
            RelationType::Describes => "describes",
            RelationType::Authored => "authored",
            RelationType::SuccessorOf => "successor_of",
            RelationType::PartOf => "part_of",
        }
    }

    /// Symmetric relations ignore direction: they are stored with the ends in a fixed order.
    pub fn is_symmetric(self) -> bool {
        matches!(self, RelationType::CompetesWith | RelationType::PartnersWith)
    }

    /// An edge label for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RelationType::CompetesWith, Lang::Zh) => "竞争",
            (RelationType::PartnersWith, Lang::Zh) => "合作",
            (RelationType::InvestsIn, Lang::Zh) => "投资",
            (RelationType::Acquires, Lang::Zh) => "收购",
            (RelationType::Develops, Lang::Zh) => "研发",
            (RelationType::Founded, Lang::Zh) => "创立",
            (RelationType::Leads, Lang::Zh) => "领导",
            (RelationType::WorksAt, Lang::Zh) => "任职",
            (RelationType::InvolvedIn, Lang::Zh) => "参与",
            (RelationType::Describes, Lang::Zh) => "描述",
            (RelationType::Authored, Lang::Zh) => "著",
            (RelationType::SuccessorOf, Lang::Zh) => "后继",
            (RelationType::PartOf, Lang::Zh) => "隶属",
            (RelationType::CompetesWith, Lang::En) => "competes with",
            (RelationType::PartnersWith, Lang::En) => "partners with",
            (RelationType::InvestsIn, Lang::En) => "invests in",
            (RelationType::Acquires, Lang::En) => "acquires",
            (RelationType::Develops, Lang::En) => "develops",
            (RelationType::Founded, Lang::En) => "founded",
            (RelationType::Leads, Lang::En) => "leads",
            (RelationType::WorksAt, Lang::En) => "works at",
            (RelationType::InvolvedIn, Lang::En) => "involved in",
            (RelationType::Describes, Lang::En) => "describes",
            (RelationType::Authored, Lang::En) => "authored",
            (RelationType::SuccessorOf, Lang::En) => "successor of",
            (RelationType::PartOf, Lang::En) => "part of",
        }
    }
}

impl fmt::Display for RelationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RelationType {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        RelationType::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownName {
                kind: "relation type",
                name: s.clone(),
                known: RelationType::ALL.map(|t| t.as_str()).join(", "),
            })
    }
}

/// One sentence of a document, as byte offsets into the document's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Position in the document, from 0.
    pub index: usize,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

/// One article: its text exactly as read, and where its sentences are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: the hex SHA-256 of the text (and of the title, address and date an input gives).
    pub id: String,
    /// Where it came from (a path, `<stdin>`, or `path#line` for JSON Lines).
    pub source: String,
    /// Title, when the input gives one.
    pub title: Option<String>,
    /// Address, when the input gives one.
    pub url: Option<String>,
    /// Publication date, when the input gives one.
    pub date: Option<String>,
    /// The text as read (markup removed for HTML).
    pub text: String,
    /// Sentences in order.
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// The text of one sentence.
    pub fn sentence_text(&self, s: &Sentence) -> &str {
        &self.text[s.start..s.end]
    }

    /// Character offset of a byte offset (offsets stored and shown to people are in characters).
    pub fn char_offset(&self, byte: usize) -> usize {
        self.text[..byte].chars().count()
    }
}

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionSource {
    /// A lexicon name or alias.
    Lexicon,
    /// A pattern for names the lexicon lacks.
    Pattern,
    /// A short form of a name seen earlier in the same document.
    ShortForm,
}

/// A stretch of text that names an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// Byte offset in the document text.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// The text as written.
    pub surface: String,
    /// The entity type.
    pub etype: EntityType,
    /// The canonical name this mention points to (the lexicon name, or the surface for new names).
    pub canonical: String,
    /// How it was found.
    pub source: MentionSource,
    /// For events: the canonical names of the participants named inside the event name.
    pub participants: Vec<(EntityType, String)>,
    /// Attributes the mention carries (an event's year).
    pub attributes: BTreeMap<String, String>,
}

impl Mention {
    /// The key that makes two mentions one entity: type and canonical name.
    pub fn key(&self) -> EntityKey {
        EntityKey::new(self.etype, &self.canonical)
    }
}

/// The identity of an entity across documents: its type and normalised canonical name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EntityKey(pub String);

impl EntityKey {
    /// Builds the key of a canonical name of a type.
    pub fn new(etype: EntityType, canonical: &str) -> Self {
        EntityKey(format!("{}:{}", etype.as_str(), crate::normalize::match_key(canonical)))
    }
}

/// An entity as one document sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Identity across documents.
    pub key: EntityKey,
    /// Canonical name.
    pub name: String,
    /// Type.
    pub etype: EntityType,
    /// Every surface form seen, the name included.
    pub aliases: Vec<String>,
    /// How often it is mentioned.
    pub mentions: usize,
    /// Attributes (an event's year).
    pub attributes: BTreeMap<String, String>,
}

/// Where a relation was read: the sentence and the cue that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The document's source (path).
    pub doc: String,
    /// Index of the sentence in the document.
    pub sentence_index: usize,
    /// The sentence's text.
    pub sentence: String,
    /// The cue word or pattern that fired.
    pub cue: String,
    /// Byte offset of the cue in the document.
    pub cue_start: usize,
}

/// A typed link between two entities of one document, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// Index of the head entity in the document's entity list.
    pub head: usize,
    /// Index of the tail entity.
    pub tail: usize,
    /// The relation type.
    pub rtype: RelationType,
    /// Values the sentence gives (amount, year).
    pub attributes: BTreeMap<String, String>,
    /// The sentence that states it.
    pub evidence: Evidence,
}

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    /// The document.
    pub document: Document,
    /// Its entities (each once).
    pub entities: Vec<Entity>,
    /// Its mentions, each with the index of its entity.
    pub mentions: Vec<(usize, Mention)>,
    /// Its relations.
    pub relations: Vec<Relation>,
}
