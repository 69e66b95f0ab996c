//! Names to entities: the canonical name, any surface form seen in the text, any alias the lexicon
//! knows, in any script (`阿尔特曼`, `Altman` and `奥特曼` are all Sam Altman when the lexicon says
//! so), with `TYPE:NAME` to choose between entities of one name.

use super::QueryError;
use crate::lexicon::Lexicon;
use crate::model::EntityType;
use crate::normalize::match_key;
use crate::script::simplify_char;
use crate::store::{EntityRow, Store};

/// Resolves names against a store and, when given, a lexicon.
#[derive(Clone, Copy)]
pub struct Resolver<'a> {
    store: &'a Store,
    lexicon: Option<&'a Lexicon>,
}

impl<'a> Resolver<'a> {
    /// A resolver over the names stored (and those of `lexicon`, when given).
    pub fn new(store: &'a Store, lexicon: Option<&'a Lexicon>) -> Self {
        Resolver { store, lexicon }
    }

    /// The store.
    pub fn store(&self) -> &'a Store {
        self.store
    }

    /// The one entity `name` stands for. The canonical name is tried first, then the surface forms
    /// seen, then the lexicon's aliases; the first of these that finds anything decides.
    ///
    /// ```
    /// # let ex = guanxi::pipeline::Extractor::embedded().unwrap();
    /// let mut store = guanxi::store::Store::open_in_memory().unwrap();
    /// let doc = guanxi::source::make_document("a.txt".into(), "谷歌与微软竞争。".into(), None, None, None);
    /// store.write(&ex.extract(doc)).unwrap();
    /// let r = guanxi::query::Resolver::new(&store, Some(ex.lexicon()));
    /// assert_eq!(r.resolve("Google").unwrap().name, "Google");
    /// assert_eq!(r.resolve("company:谷歌").unwrap().name, "Google");
    /// assert!(matches!(r.resolve("Gogle"), Err(guanxi::query::QueryError::NotFound { .. })));
    /// // A name in Traditional script finds what Simplified text named.
    /// assert_eq!(r.resolve("微軟").unwrap().name, "Microsoft");
    /// ```
    pub fn resolve(&self, name: &str) -> Result<EntityRow, QueryError> {
        let (etype, bare) = match name.split_once(':') {
            Some((t, rest)) if !rest.trim().is_empty() => match t.parse::<EntityType>() {
                Ok(t) => (Some(t), rest),
                Err(_) => (None, name),
            },
            _ => (None, name),
        };
        let key = match_key(bare.trim());
        if !key.is_empty() {
            if let Some(e) = self.find(name, etype, bare, &key)? {
                return Ok(e);
            }
            // Text in Traditional script is matched through its Simplified form, so a name typed in
            // Traditional (微軟, 輝達) finds what Simplified text named, as the same name in the
            // text would: the query is converted the way the text is, character for character.
            let simplified: String = bare.chars().map(simplify_char).collect();
            if simplified != bare
                && let Some(e) = self.find(name, etype, &simplified, &match_key(simplified.trim()))?
            {
                return Ok(e);
            }
        }
        Err(QueryError::NotFound {
            name: name.to_string(),
            suggestions: self.suggestions(&key, etype)?,
        })
    }

    /// The entity `bare` (normalised to `key`) stands for, by the tiers of [`Resolver::resolve`]:
    /// `None` when no tier finds anything.
    fn find(
        &self,
        name: &str,
        etype: Option<EntityType>,
        bare: &str,
        key: &str,
    ) -> Result<Option<EntityRow>, QueryError> {
        let keep = |v: Vec<EntityRow>| -> Vec<EntityRow> {
            let mut v: Vec<EntityRow> = v.into_iter().filter(|e| etype.is_none_or(|t| e.etype == t)).collect();
            v.sort_by(|a, b| (a.etype, &a.name, a.id).cmp(&(b.etype, &b.name, b.id)));
            v.dedup_by_key(|e| e.id);
            v
        };
        let tiers = [
            keep(self.store.entities_named(key)?),
            keep(self.store.entities_aliased(key)?),
            keep(self.lexicon_entities(bare)?),
        ];
        for tier in tiers {
            match tier.len() {
                0 => continue,
                1 => return Ok(tier.into_iter().next()),
                _ => {
                    return Err(QueryError::Ambiguous {
                        name: name.to_string(),
                        candidates: tier,
                    });
                }
            }
        }
        Ok(None)
    }

    /// Stored entities that a lexicon entry of this name stands for, under any of the entry's names.
    fn lexicon_entities(&self, name: &str) -> Result<Vec<EntityRow>, QueryError> {
        let Some(lex) = self.lexicon else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for entry in lex.lookup(name) {
            for n in entry.names() {
                let k = match_key(n);
                for e in self
                    .store
                    .entities_named(&k)?
                    .into_iter()
                    .chain(self.store.entities_aliased(&k)?)
                {
                    if e.etype == entry.etype {
                        out.push(e);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Up to five stored names closest to `key`: names that contain it or that it contains first,
    /// then by edit distance.
    fn suggestions(&self, key: &str, etype: Option<EntityType>) -> Result<Vec<String>, QueryError> {
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let mut scored: Vec<(f64, String)> = Vec::new();
        let len = key.chars().count();
        for (surface, e) in self.store.all_names()? {
            if etype.is_some_and(|t| t != e.etype) {
                continue;
            }
            // Names of a very different length are neither close nor containing: skipped cheaply.
            let n = surface.chars().count();
            if n + 3 < len / 2 || n > 3 * len + 10 {
                continue;
            }
            let k = match_key(&surface);
            if k.is_empty() {
                continue;
            }
            let contains = (k.contains(key) || key.contains(&k)) && k.chars().count().min(key.chars().count()) >= 2;
            let score = if contains {
                1.0 + strsim::normalized_levenshtein(key, &k)
            } else {
                strsim::normalized_levenshtein(key, &k)
            };
            if score >= 0.5 {
                scored.push((score, e.name));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut out: Vec<String> = Vec::new();
        for (_, n) in scored {
            if !out.contains(&n) {
                out.push(n);
            }
            if out.len() == 5 {
                break;
            }
        }
        Ok(out)
    }
}
