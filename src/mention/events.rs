//! Named events: gatherings (`2023华为开发者大会`, `ImageNet图像识别挑战赛`, `Nobel Prize in
//! Physics`), with the year where the sentence gives one. Happenings told by a trigger (`Meta裁员`,
//! `收购`) are frames of the event stage ([`crate::event`]), not names.

use super::patterns::{Patterns, mention};
use super::{Context, NameIndex, at_boundaries};
use crate::lexicon::Lexicon;
use crate::model::{EntityType, Mention, MentionSource};
use crate::normalize::is_cjk;
use regex::Regex;
use std::sync::LazyLock;

static YEAR_IN_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:19|20)\d{2}").unwrap());
static FIELD_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s(?:in|for|of)\s[A-Z][a-z]+(?:\s[A-Z][a-z]+)?").unwrap());
static YEAR_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s?年").unwrap());

/// Word tags that may make up an event's name (nouns, names, foreign words, numbers).
const NAME_TAGS: [&str; 14] = [
    "n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "x", "eng", "m", "vn", "j", "an", "l",
];

/// Adds event mentions to `out`, given the names already found (`index` is their index).
pub(crate) fn find(
    ctx: &Context,
    p: &Patterns,
    lex: &Lexicon,
    names: &[Mention],
    index: &NameIndex,
    out: &mut Vec<Mention>,
) {
    gatherings(ctx, p, lex, names, index, out);
    for m in out.iter_mut() {
        if m.etype == EntityType::Event
            && !m.attributes.contains_key("year")
            && let Some(y) = year_for(ctx.text, m)
        {
            m.attributes.insert("year".into(), y);
        }
    }
}

/// The year of an event: in its name, or the nearest `YYYY年` before it in the same line.
fn year_for(text: &str, m: &Mention) -> Option<String> {
    if let Some(y) = YEAR_IN_NAME.find(&m.surface) {
        return Some(y.as_str().to_string());
    }
    let line_start = text[..m.start]
        .rfind(['\n', '。'])
        .map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
    let line_end = text[m.end..].find(['\n', '。']).map_or(text.len(), |i| m.end + i);
    let before = &text[line_start..m.start];
    if let Some(c) = YEAR_IN_TEXT.captures_iter(before).last() {
        return Some(c[1].to_string());
    }
    YEAR_IN_TEXT.captures(&text[m.end..line_end]).map(|c| c[1].to_string())
}

/// The names (not events) that lie within `s..e`, as an event's participants.
pub(super) fn participants_in(names: &[Mention], index: &NameIndex, s: usize, e: usize) -> Vec<(EntityType, String)> {
    index
        .starting_in(s, e)
        .into_iter()
        .map(|i| &names[i])
        .filter(|n| n.start >= s && n.end <= e && n.etype != EntityType::Event)
        .map(|n| (n.etype, n.canonical.clone()))
        .collect()
}

fn gatherings(
    ctx: &Context,
    p: &Patterns,
    lex: &Lexicon,
    names: &[Mention],
    index: &NameIndex,
    out: &mut Vec<Mention>,
) {
    let text = ctx.text;
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (t, starts) in p.gathering_triggers(text) {
        for at in starts {
            let end = at + t.len();
            if taken.iter().any(|&(s, e)| at < e && s < end) {
                continue;
            }
            if t.is_ascii() && (text[end..].starts_with(|c: char| c.is_ascii_alphanumeric())) {
                continue;
            }
            // `《算力之战》`: the title of a book or show, not a gathering.
            if text[end..].starts_with('》') {
                continue;
            }
            let Some(start) = name_start(ctx, p, names, index, at) else {
                continue;
            };
            let mut e = end;
            // `Nobel Prize in Chemistry`: a field after the trigger belongs to the name.
            if t.is_ascii()
                && let Some(m) = FIELD_AFTER.find(&text[e..])
            {
                e += m.end();
            }
            // `World Governments Summit 2025峰会`: a trailing year belongs to the name.
            if t.is_ascii() {
                let rest = &text[e..];
                let trimmed = rest.trim_start_matches(' ');
                if trimmed.get(..4).is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit())) {
                    e += rest.len() - trimmed.len() + 4;
                }
            }
            if !at_boundaries(ctx, start, e) && !t.chars().all(is_cjk) {
                continue;
            }
            // `会议室` is a room, not a meeting: the trigger must end where a word ends.
            let i = ctx.words.partition_point(|w| w.end <= e);
            let inside = ctx.words.get(i).is_some_and(|w| w.start < e && e < w.end);
            if t.chars().all(is_cjk) && inside {
                continue;
            }
            taken.push((start, e));
            let surface = &text[start..e];
            // An award's name holds its sponsors, not its participants.
            let award = ["Award", "Awards", "Prize"].contains(&t);
            let parts = if award {
                Vec::new()
            } else {
                participants_in(names, index, start, e)
            };
            let canonical = event_canonical(surface, t, &parts, lex, names, index, start, e);
            let mut m = mention(text, start, e, EntityType::Event, canonical, MentionSource::Pattern);
            m.participants = parts;
            out.push(m);
        }
    }
}

/// Where an event's name begins, walking back from its trigger over name-like words.
fn name_start(ctx: &Context, p: &Patterns, names: &[Mention], index: &NameIndex, trigger: usize) -> Option<usize> {
    let text = ctx.text;
    let mut start = trigger;
    let mut words = 0;
    let mut generic = 0;
    loop {
        let before = &text[..start];
        // Skip quotes and spaces between the parts of a name (`“文心一言”新闻发布会`).
        let trimmed = before.trim_end_matches([' ', '“', '”', '"', '「', '」']);
        let probe = trimmed.len();
        if probe == 0 {
            break;
        }
        // A name that ends here joins whole.
        if let Some(n) = index
            .ending_at(probe)
            .map(|i| &names[i])
            .find(|n| n.etype != EntityType::Event)
        {
            start = n.start;
            words += 1;
        } else if let Some(wi) = ctx.word_ending_at(probe) {
            let w = &ctx.words[wi];
            let s = &text[w.start..w.end];
            let latin = s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
            if !(latin || NAME_TAGS.contains(&w.tag)) || !s.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.')
            {
                break;
            }
            // Generic words (`新闻` in `“文心一言”新闻发布会`) are walked over but do not make a name.
            if p.event_generic.contains(s) {
                generic += s.chars().count();
            }
            if s.chars().all(|c| c.is_ascii_digit()) && s.len() != 4 {
                break;
            }
            // Latin words are only name parts when capitalised or acronyms, or small words
            // between capitalised ones (`Book of the Year`).
            let connector = ["of", "the", "and", "for", "in", "on", "de"].contains(&s);
            if latin && s.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !connector {
                break;
            }
            start = w.start;
            words += 1;
        } else {
            break;
        }
        if words >= 10 {
            break;
        }
    }
    // Small words cannot begin a name: `the 2024 Nobel Prize` starts at `2024`.
    loop {
        let rest = text[start..trigger].trim_start_matches([' ', '“', '”', '"']);
        let skip = text[start..trigger].len() - rest.len();
        match ["of ", "the ", "and ", "for ", "in ", "on ", "de "]
            .iter()
            .find(|w| rest.starts_with(**w))
        {
            Some(w) => start += skip + w.len(),
            None => break,
        }
    }
    let mut start =
        start + (text[start..trigger].len() - text[start..trigger].trim_start_matches([' ', '“', '”', '"']).len());
    // Generic words cannot begin a name either (`这次新闻发布会` is no name).
    while let Some(w) = ctx.word_starting_at(start) {
        let s = &text[w.start..w.end];
        if w.end <= trigger && p.event_generic.contains(s) {
            start = w.end;
            generic = generic.saturating_sub(s.chars().count());
        } else {
            break;
        }
    }
    let name = &text[start..trigger];
    let meaningful = name
        .trim_matches([' ', '“', '”', '"'])
        .chars()
        .filter(|c| !c.is_ascii_digit() && *c != ' ' && !matches!(c, '“' | '”' | '"'))
        .count()
        .saturating_sub(generic);
    (meaningful >= 2).then_some(start)
}

/// The canonical name of a gathering: the lexicon's when it is known, the model's launch for a
/// model's press event, else the name without a leading year or quotes.
#[allow(clippy::too_many_arguments)]
fn event_canonical(
    surface: &str,
    trigger: &str,
    parts: &[(EntityType, String)],
    lex: &Lexicon,
    names: &[Mention],
    index: &NameIndex,
    s: usize,
    e: usize,
) -> String {
    let clean: String = surface
        .chars()
        .filter(|c| !matches!(c, '“' | '”' | '"' | '「' | '」'))
        .collect();
    if let Some(x) = lex.lookup(&clean).into_iter().find(|x| x.etype == EntityType::Event) {
        return x.name.clone();
    }
    if let Some(n) = index
        .starting_in(s, e)
        .into_iter()
        .map(|i| &names[i])
        .find(|n| n.etype == EntityType::Event && n.start >= s && n.end <= e)
    {
        return n.canonical.clone();
    }
    if trigger == "发布会"
        && let Some((_, model)) = parts
            .iter()
            .find(|(t, _)| matches!(t, EntityType::Model | EntityType::Product))
    {
        return format!("{model}发布");
    }
    let no_year = YEAR_IN_NAME.replace(&clean, "");
    let no_year = no_year.trim().trim_start_matches(['年', ' ']).trim();
    let stem = no_year.strip_suffix(trigger).unwrap_or(no_year);
    if let Some(x) = lex
        .lookup(stem.trim())
        .into_iter()
        .find(|x| x.etype == EntityType::Event)
    {
        return x.name.clone();
    }
    no_year.to_string()
}
