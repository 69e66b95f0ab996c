//! The read side: per-entity and per-relation questions answered in SQL through indexes
//! (`entities.name_key`, aliases by `match_key`, relations by head and by tail), so that an answer
//! costs what its rows cost, not what the database holds. Whole-graph algorithms get bare edge
//! lists ([`Store::edges`]) without names or evidence.

use super::{Store, StoreError};
use crate::model::{EntityType, RelationType};
use rusqlite::{OptionalExtension, params, params_from_iter};
use std::collections::{BTreeMap, HashMap};

/// An entity as answers name it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct EntityRow {
    /// Row id (stable within one database).
    #[serde(skip)]
    pub id: i64,
    /// Canonical name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub etype: EntityType,
}

/// What the store knows of one entity itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityInfo {
    /// The entity.
    pub entity: EntityRow,
    /// Every surface form seen, sorted (the name included when it was seen).
    pub aliases: Vec<String>,
    /// Number of mentions.
    pub mentions: usize,
    /// Attributes (an event's year).
    pub attributes: BTreeMap<String, String>,
}

/// Where an entity stands in a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The entity is the head (it invests, it develops).
    Out,
    /// The entity is the tail (it is invested in, it is developed).
    In,
}

/// One relation of an entity, seen from the entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    /// The relation's row id.
    pub relation_id: i64,
    /// Its type.
    pub rtype: RelationType,
    /// Where the entity stands.
    pub direction: Direction,
    /// The entity at the other end.
    pub other: EntityRow,
    /// Number of evidence sentences.
    pub sentences: usize,
}

/// One sentence that states a relation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EvidenceRow {
    /// The document's source.
    pub doc: String,
    /// The document's date, when known.
    pub date: Option<String>,
    /// The sentence.
    pub sentence: String,
    /// The cue that fired.
    pub cue: String,
    /// Values the sentence gives (amount, year).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

/// A dated relation: the year the sentence gives (or the event's year), else the document's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// The relation's row id.
    pub relation_id: i64,
    /// Its type.
    pub rtype: RelationType,
    /// Head.
    pub head: EntityRow,
    /// Tail.
    pub tail: EntityRow,
    /// The dated sentence.
    pub evidence: EvidenceRow,
}

/// Entities by type and relations by type.
pub type TypeCounts = (BTreeMap<EntityType, usize>, BTreeMap<RelationType, usize>);

pub(super) fn relation_type(s: &str) -> Result<RelationType, StoreError> {
    s.parse()
        .map_err(|e: crate::model::UnknownName| StoreError::Corrupt(e.to_string()))
}

fn entity_type(s: &str) -> Result<EntityType, StoreError> {
    s.parse()
        .map_err(|e: crate::model::UnknownName| StoreError::Corrupt(e.to_string()))
}

fn attributes(json: &str) -> Result<BTreeMap<String, String>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("attributes `{json}`: {e}")))
}

/// `IN (?, ?, …)` with one placeholder per relation type, numbered from `first`; empty for none.
fn type_filter(column: &str, types: &[RelationType], first: usize) -> String {
    if types.is_empty() {
        return String::new();
    }
    let marks: Vec<String> = (0..types.len()).map(|i| format!("?{}", first + i)).collect();
    format!(" AND {column} IN ({})", marks.join(", "))
}

fn entity_rows(
    st: &mut rusqlite::CachedStatement,
    params: impl rusqlite::Params,
) -> Result<Vec<EntityRow>, StoreError> {
    let rows: Vec<(i64, String, String)> = st
        .query_map(params, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(id, name, t)| {
            Ok(EntityRow {
                id,
                name,
                etype: entity_type(&t)?,
            })
        })
        .collect()
}

impl Store {
    /// Entities whose canonical name has this normalised form ([`crate::normalize::match_key`]).
    pub fn entities_named(&self, key: &str) -> Result<Vec<EntityRow>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, name, type FROM entities WHERE name_key = ?1 ORDER BY type, name")?;
        entity_rows(&mut st, [key])
    }

    /// Entities with a surface form of this normalised form.
    pub fn entities_aliased(&self, key: &str) -> Result<Vec<EntityRow>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT DISTINCT e.id, e.name, e.type FROM aliases a JOIN entities e ON e.id = a.entity_id
             WHERE a.match_key = ?1 ORDER BY e.type, e.name",
        )?;
        entity_rows(&mut st, [key])
    }

    /// The entity of a type whose canonical name has this normalised form.
    pub fn entity_of_type(&self, etype: EntityType, key: &str) -> Result<Option<EntityRow>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, name, type FROM entities WHERE key = ?1")?;
        Ok(entity_rows(&mut st, [format!("{}:{key}", etype.as_str())])?.pop())
    }

    /// Every canonical name and surface form with its entity (for suggesting names close to an unknown one).
    pub fn all_names(&self) -> Result<Vec<(String, EntityRow)>, StoreError> {
        let mut out = Vec::new();
        let mut st = self.conn.prepare(
            "SELECT e.name, e.id, e.name, e.type FROM entities e
             UNION SELECT a.alias, e.id, e.name, e.type FROM aliases a JOIN entities e ON e.id = a.entity_id",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?)))?;
        for row in rows {
            let (surface, id, name, t): (String, i64, String, String) = row?;
            out.push((
                surface,
                EntityRow {
                    id,
                    name,
                    etype: entity_type(&t)?,
                },
            ));
        }
        Ok(out)
    }

    /// One entity: aliases, mention count, attributes.
    pub fn entity(&self, id: i64) -> Result<Option<EntityInfo>, StoreError> {
        let row: Option<(String, String, String)> = self
            .conn
            .prepare_cached("SELECT name, type, attributes FROM entities WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((name, t, attrs)) = row else {
            return Ok(None);
        };
        let aliases: Vec<String> = self
            .conn
            .prepare_cached("SELECT alias FROM aliases WHERE entity_id = ?1 ORDER BY alias")?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mentions: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM mentions WHERE entity_id = ?1")?
            .query_row([id], |r| r.get(0))?;
        Ok(Some(EntityInfo {
            entity: EntityRow {
                id,
                name,
                etype: entity_type(&t)?,
            },
            aliases,
            mentions: mentions as usize,
            attributes: attributes(&attrs)?,
        }))
    }

    /// The relations of an entity of the given types (all when empty), both ways unless `direction`
    /// says which end the entity must be, most attested first.
    pub fn links(
        &self,
        id: i64,
        types: &[RelationType],
        direction: Option<Direction>,
    ) -> Result<Vec<LinkRow>, StoreError> {
        let side = |end: &str, other: &str, dir: i64| {
            format!(
                "SELECT r.id, r.type, {dir}, e.id, e.name, e.type,
                        (SELECT count(*) FROM evidence v WHERE v.relation_id = r.id)
                 FROM relations r JOIN entities e ON e.id = r.{other}
                 WHERE r.{end} = ?1{}",
                type_filter("r.type", types, 2)
            )
        };
        let sql = match direction {
            Some(Direction::Out) => side("head_id", "tail_id", 0),
            Some(Direction::In) => side("tail_id", "head_id", 1),
            None => format!(
                "{} UNION ALL {}",
                side("head_id", "tail_id", 0),
                side("tail_id", "head_id", 1)
            ),
        };
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut values: Vec<rusqlite::types::Value> = vec![id.into()];
        values.extend(types.iter().map(|t| t.as_str().to_string().into()));
        let rows: Vec<(i64, String, i64, i64, String, String, i64)> = st
            .query_map(params_from_iter(values), |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let mut out = rows
            .into_iter()
            .map(|(rid, rt, dir, oid, name, t, n)| {
                Ok(LinkRow {
                    relation_id: rid,
                    rtype: relation_type(&rt)?,
                    direction: if dir == 0 { Direction::Out } else { Direction::In },
                    other: EntityRow {
                        id: oid,
                        name,
                        etype: entity_type(&t)?,
                    },
                    sentences: n as usize,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.sort_by(|a, b| {
            b.sentences
                .cmp(&a.sentences)
                .then_with(|| (a.rtype, &a.other.name, a.relation_id).cmp(&(b.rtype, &b.other.name, b.relation_id)))
        });
        Ok(out)
    }

    /// The entities one relation away (of the given types, all when empty), both ways, with the
    /// relation's row id: what a breadth-first walk needs and nothing more.
    pub fn neighbour_ids(&self, id: i64, types: &[RelationType]) -> Result<Vec<(i64, i64)>, StoreError> {
        let f = type_filter("type", types, 2);
        let sql = format!(
            "SELECT tail_id, id FROM relations WHERE head_id = ?1{f}
             UNION ALL SELECT head_id, id FROM relations WHERE tail_id = ?1{f}"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut values: Vec<rusqlite::types::Value> = vec![id.into()];
        values.extend(types.iter().map(|t| t.as_str().to_string().into()));
        let rows = st.query_map(params_from_iter(values), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One relation: type, head and tail.
    pub fn relation(&self, relation_id: i64) -> Result<Option<(RelationType, EntityRow, EntityRow)>, StoreError> {
        let row: Option<(String, i64, String, String, i64, String, String)> = self
            .conn
            .prepare_cached(
                "SELECT r.type, h.id, h.name, h.type, t.id, t.name, t.type FROM relations r
                 JOIN entities h ON h.id = r.head_id JOIN entities t ON t.id = r.tail_id WHERE r.id = ?1",
            )?
            .query_row([relation_id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .optional()?;
        let Some((rt, hid, hname, ht, tid, tname, tt)) = row else {
            return Ok(None);
        };
        Ok(Some((
            relation_type(&rt)?,
            EntityRow {
                id: hid,
                name: hname,
                etype: entity_type(&ht)?,
            },
            EntityRow {
                id: tid,
                name: tname,
                etype: entity_type(&tt)?,
            },
        )))
    }

    /// The sentences that state a relation, in document order (at most `limit`).
    pub fn evidence(&self, relation_id: i64, limit: Option<usize>) -> Result<Vec<EvidenceRow>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT d.source, d.date, s.text, v.cue, v.attributes FROM evidence v
             JOIN documents d ON d.id = v.document_id
             JOIN sentences s ON s.document_id = v.document_id AND s.idx = v.sentence
             WHERE v.relation_id = ?1 ORDER BY d.source, v.sentence, v.id LIMIT ?2",
        )?;
        let limit = limit.map_or(-1, |l| l as i64);
        let rows: Vec<(String, Option<String>, String, String, String)> = st
            .query_map(params![relation_id, limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(doc, date, sentence, cue, attrs)| {
                Ok(EvidenceRow {
                    doc,
                    date,
                    sentence,
                    cue,
                    attributes: attributes(&attrs)?,
                })
            })
            .collect()
    }

    /// A relation's attributes (amount, year), merged over its evidence: the first sentence to
    /// give a value keeps it.
    pub fn relation_attributes(&self, relation_id: i64) -> Result<BTreeMap<String, String>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT attributes FROM evidence WHERE relation_id = ?1 AND attributes <> '{}' ORDER BY id",
        )?;
        let rows: Vec<String> = st.query_map([relation_id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let mut out = BTreeMap::new();
        for json in rows {
            for (k, v) in attributes(&json)? {
                out.entry(k).or_insert(v);
            }
        }
        Ok(out)
    }

    /// Every relation of a type with its ends and evidence count, most attested first (at most `limit`).
    pub fn relations_of_type(
        &self,
        rtype: RelationType,
        limit: Option<usize>,
    ) -> Result<Vec<(i64, EntityRow, EntityRow, usize)>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT r.id, h.id, h.name, h.type, t.id, t.name, t.type, c.n FROM
               (SELECT r.id AS id, count(v.id) AS n FROM relations r JOIN evidence v ON v.relation_id = r.id
                WHERE r.type = ?1 GROUP BY r.id) c
             JOIN relations r ON r.id = c.id
             JOIN entities h ON h.id = r.head_id JOIN entities t ON t.id = r.tail_id
             ORDER BY c.n DESC, h.name, t.name LIMIT ?2",
        )?;
        let limit = limit.map_or(-1, |l| l as i64);
        type Row = (i64, i64, String, String, i64, String, String, i64);
        let rows: Vec<Row> = st
            .query_map(params![rtype.as_str(), limit], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(rid, hid, hn, ht, tid, tn, tt, n)| {
                Ok((
                    rid,
                    EntityRow {
                        id: hid,
                        name: hn,
                        etype: entity_type(&ht)?,
                    },
                    EntityRow {
                        id: tid,
                        name: tn,
                        etype: entity_type(&tt)?,
                    },
                    n as usize,
                ))
            })
            .collect()
    }

    /// Every relation of the given types (all when empty) as a bare `(head, tail)` pair of entity
    /// ids: what whole-graph algorithms need, without names or evidence.
    pub fn edges(&self, types: &[RelationType]) -> Result<Vec<(i64, i64)>, StoreError> {
        let sql = format!(
            "SELECT head_id, tail_id FROM relations WHERE 1{}",
            type_filter("type", types, 1)
        );
        let mut st = self.conn.prepare(&sql)?;
        let values: Vec<String> = types.iter().map(|t| t.as_str().to_string()).collect();
        let rows = st.query_map(params_from_iter(values), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The entities of these ids.
    pub fn entity_rows(&self, ids: &[i64]) -> Result<HashMap<i64, EntityRow>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, name, type FROM entities WHERE id = ?1")?;
        let mut out = HashMap::with_capacity(ids.len());
        for &id in ids {
            if let Some(row) = entity_rows(&mut st, [id])?.pop() {
                out.insert(id, row);
            }
        }
        Ok(out)
    }

    /// The ids of the entities of a type.
    pub fn entity_ids_of_type(&self, etype: EntityType) -> Result<std::collections::HashSet<i64>, StoreError> {
        let mut st = self.conn.prepare("SELECT id FROM entities WHERE type = ?1")?;
        let rows = st.query_map([etype.as_str()], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Entities of a type (any when `None`) whose name or a surface form contains `pattern` once
    /// both are normalised (any when `None`), most mentioned first, with their mention counts.
    pub fn find_entities(
        &self,
        etype: Option<EntityType>,
        pattern: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<(EntityRow, usize)>, StoreError> {
        let escape = |s: &str| s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        // Names are compared by their keys; a pattern of separators alone (`_`, `-`) has no key
        // and is looked for as written, never as matching every name.
        let (like, raw) = match pattern.map(|p| (p, crate::normalize::match_key(p))) {
            None => (None, None),
            Some((p, key)) if key.is_empty() && !p.is_empty() => (None, Some(format!("%{}%", escape(p)))),
            Some((_, key)) => (Some(format!("%{}%", escape(&key))), None),
        };
        let mut st = self.conn.prepare_cached(
            "SELECT e.id, e.name, e.type, (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) AS n
             FROM entities e
             WHERE (?1 IS NULL OR e.type = ?1)
               AND ((?2 IS NULL AND ?4 IS NULL) OR e.name_key LIKE ?2 ESCAPE '\\'
                    OR EXISTS (SELECT 1 FROM aliases a WHERE a.entity_id = e.id AND a.match_key LIKE ?2 ESCAPE '\\')
                    OR e.name LIKE ?4 ESCAPE '\\'
                    OR EXISTS (SELECT 1 FROM aliases a WHERE a.entity_id = e.id AND a.alias LIKE ?4 ESCAPE '\\'))
             ORDER BY n DESC, e.name LIMIT ?3",
        )?;
        let limit = limit.map_or(-1, |l| l as i64);
        let rows: Vec<(i64, String, String, i64)> = st
            .query_map(params![etype.map(|t| t.as_str()), like, limit, raw], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(id, name, t, n)| {
                Ok((
                    EntityRow {
                        id,
                        name,
                        etype: entity_type(&t)?,
                    },
                    n as usize,
                ))
            })
            .collect()
    }

    /// Entities by type and relations by type, counted in SQL.
    pub fn type_counts(&self) -> Result<TypeCounts, StoreError> {
        let mut entities = BTreeMap::new();
        let mut st = self.conn.prepare("SELECT type, count(*) FROM entities GROUP BY type")?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (t, n) = row?;
            entities.insert(entity_type(&t)?, n as usize);
        }
        let mut relations = BTreeMap::new();
        let mut st = self
            .conn
            .prepare("SELECT type, count(*) FROM relations GROUP BY type")?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (t, n) = row?;
            relations.insert(relation_type(&t)?, n as usize);
        }
        Ok((entities, relations))
    }

    /// Dated relations in date order: those of one entity (both ways), or, without one, those whose
    /// sentence gives a year. A relation's date is the year its sentence gives, else its event's
    /// year, else (for one entity) its document's date; each relation once, at its earliest date.
    pub fn timeline(&self, entity: Option<i64>, limit: Option<usize>) -> Result<Vec<TimelineRow>, StoreError> {
        let sql = format!(
            "SELECT r.id, r.type, h.id, h.name, h.type, t.id, t.name, t.type, d.source, d.date, s.text, v.cue, v.attributes,
                    COALESCE(json_extract(v.attributes, '$.year'),
                             CASE WHEN t.type = 'event' THEN json_extract(t.attributes, '$.year') END{}) AS day
             FROM relations r JOIN evidence v ON v.relation_id = r.id
             JOIN entities h ON h.id = r.head_id JOIN entities t ON t.id = r.tail_id
             JOIN documents d ON d.id = v.document_id
             JOIN sentences s ON s.document_id = v.document_id AND s.idx = v.sentence
             WHERE {} AND day IS NOT NULL
             ORDER BY day, r.id, v.id",
            if entity.is_some() { ", d.date" } else { "" },
            if entity.is_some() {
                "(r.head_id = ?1 OR r.tail_id = ?1)"
            } else {
                "?1 IS NULL"
            },
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st.query([entity])?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let rid: i64 = r.get(0)?;
            if !seen.insert(rid) {
                continue;
            }
            let date: rusqlite::types::Value = r.get(13)?;
            let date = match date {
                rusqlite::types::Value::Text(s) => s,
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Real(f) => f.to_string(),
                _ => continue,
            };
            out.push(TimelineRow {
                date,
                relation_id: rid,
                rtype: relation_type(&r.get::<_, String>(1)?)?,
                head: EntityRow {
                    id: r.get(2)?,
                    name: r.get(3)?,
                    etype: entity_type(&r.get::<_, String>(4)?)?,
                },
                tail: EntityRow {
                    id: r.get(5)?,
                    name: r.get(6)?,
                    etype: entity_type(&r.get::<_, String>(7)?)?,
                },
                evidence: EvidenceRow {
                    doc: r.get(8)?,
                    date: r.get(9)?,
                    sentence: r.get(10)?,
                    cue: r.get(11)?,
                    attributes: attributes(&r.get::<_, String>(12)?)?,
                },
            });
            if limit.is_some_and(|l| out.len() >= l) {
                break;
            }
        }
        Ok(out)
    }
}

/// The result of a read-only SQL query: column names and rows of JSON values.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlRows {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, one value per column (text, number or null; blobs as hex).
    pub rows: Vec<Vec<serde_json::Value>>,
}

/// Runs one SQL query on a database opened read-only: nothing it says can change the file.
pub fn query_read_only(path: &std::path::Path, sql: &str) -> Result<SqlRows, StoreError> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
    )?;
    conn.pragma_update(None, "query_only", "ON")?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == 0 {
        return Err(StoreError::Corrupt(
            "not a guanxi database (no guanxi schema version)".into(),
        ));
    }
    let mut st = conn.prepare(sql)?;
    let columns: Vec<String> = st.column_names().map(String::from).collect();
    let n = columns.len();
    let mut rows = Vec::new();
    let mut q = st.query([])?;
    while let Some(r) = q.next()? {
        let mut row = Vec::with_capacity(n);
        for i in 0..n {
            use rusqlite::types::ValueRef;
            row.push(match r.get_ref(i)? {
                ValueRef::Null => serde_json::Value::Null,
                ValueRef::Integer(i) => i.into(),
                ValueRef::Real(f) => f.into(),
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                ValueRef::Blob(b) => b.iter().map(|x| format!("{x:02x}")).collect::<String>().into(),
            });
        }
        rows.push(row);
    }
    Ok(SqlRows { columns, rows })
}
