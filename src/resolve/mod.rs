//! Entity resolution within a document: mentions with the same type and canonical
//! name are one entity, whatever alias or script they were written in.
//!
//! In: mentions. Out: entities (in order of first mention) and each mention's entity.
//! Across documents, entities meet again by their [`EntityKey`](crate::model::EntityKey) in the store.

use crate::model::{Entity, EntityKey, Mention, MentionSource};
use rustc_hash::FxHashMap;

/// Groups mentions into entities.
///
/// ```
/// use guanxi::model::*;
/// use std::collections::BTreeMap;
/// let m = |s: &str, c: &str| Mention { start: 0, end: 0, surface: s.into(), etype: EntityType::Company,
///     canonical: c.into(), source: MentionSource::Lexicon, participants: vec![], attributes: BTreeMap::new() };
/// let (entities, mentions) = guanxi::resolve::resolve(vec![m("谷歌", "Google"), m("Google", "Google")]);
/// assert_eq!(entities.len(), 1);
/// assert_eq!(entities[0].aliases, vec!["Google", "谷歌"]);
/// assert_eq!(mentions[1].0, 0);
/// ```
pub fn resolve(mentions: Vec<Mention>) -> (Vec<Entity>, Vec<(usize, Mention)>) {
    let mut index: FxHashMap<EntityKey, usize> = FxHashMap::default();
    let mut entities: Vec<Entity> = Vec::new();
    let mut out = Vec::with_capacity(mentions.len());
    for m in mentions {
        let key = m.key();
        let i = *index.entry(key.clone()).or_insert_with(|| {
            entities.push(Entity {
                key,
                name: m.canonical.clone(),
                etype: m.etype,
                aliases: vec![m.canonical.clone()],
                mentions: 0,
                attributes: Default::default(),
            });
            entities.len() - 1
        });
        let e = &mut entities[i];
        e.mentions += 1;
        let alias = clean_alias(&m.surface);
        if (m.source != MentionSource::ShortForm || !alias.is_empty())
            && !alias.is_empty()
            && !e.aliases.contains(&alias)
        {
            e.aliases.push(alias);
        }
        for (k, v) in &m.attributes {
            e.attributes.entry(k.clone()).or_insert_with(|| v.clone());
        }
        out.push((i, m));
    }
    for e in &mut entities {
        e.aliases.sort();
        e.aliases.dedup();
    }
    (entities, out)
}

/// A surface form as an alias: quotes dropped, spaces collapsed.
fn clean_alias(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, '“' | '”' | '"' | '「' | '」'))
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
