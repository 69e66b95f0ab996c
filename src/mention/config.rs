//! The word lists behind the name patterns (`data/rules/patterns.toml`).

use serde::Deserialize;

/// The embedded pattern word lists.
pub const EMBEDDED_PATTERNS: &str = include_str!("../../data/rules/patterns.toml");

/// Word lists for recognising names the lexicon lacks. Every field may be absent
/// in a user file; lists from several files are concatenated.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[allow(missing_docs)]
pub struct PatternConfig {
    pub surnames: Vec<String>,
    pub person_roles: Vec<String>,
    pub speech_verbs: Vec<String>,
    pub person_stopwords: Vec<String>,
    pub translit_chars: String,
    pub media_suffixes: Vec<String>,
    pub media_context_before: Vec<String>,
    pub media_context_after: Vec<String>,
    pub not_book_words: Vec<String>,
    pub company_suffixes: Vec<String>,
    pub company_industry_suffixes: Vec<String>,
    pub company_generic: Vec<String>,
    pub company_cues: Vec<String>,
    pub company_verbs_after: Vec<String>,
    pub company_suffixes_en: Vec<String>,
    pub company_cues_en: Vec<String>,
    pub company_cue_links_en: Vec<String>,
    pub first_names_en: Vec<String>,
    pub person_roles_en: Vec<String>,
    pub name_stopwords_en: Vec<String>,
    pub model_families: Vec<String>,
    pub model_suffix_words: Vec<String>,
    pub model_context: Vec<String>,
    pub event_gatherings: Vec<String>,
    pub event_generic: Vec<String>,
    pub unit_suffixes: Vec<String>,
    pub unit_generic: Vec<String>,
    pub unit_suffixes_en: Vec<String>,
    pub titles_en: Vec<String>,
    pub honorifics_en: Vec<String>,
    pub person_nouns_en: Vec<String>,
    pub pinyin_surnames: Vec<String>,
    pub model_words_before: Vec<String>,
    pub model_words_after: Vec<String>,
    pub company_short_suffixes_en: Vec<String>,
    pub list_separators: Vec<String>,
    pub unit_possessives: Vec<String>,
    pub company_cues_before: Vec<String>,
    pub company_apposition_heads_en: Vec<String>,
    pub company_legal_suffixes_en: Vec<String>,
    pub common_words_en: Vec<String>,
    pub company_cues_han: Vec<String>,
    pub company_name_stops: Vec<String>,
    /// Labels of a byline (`文｜`, `编辑：`): the names after one, listed with `、` or spaces, are people.
    pub byline_labels_zh: Vec<String>,
    /// More words near a versioned name in its sentence that make it a model.
    pub versioned_model_context: Vec<String>,
    /// Capitalised words that make no model's name on their own.
    pub model_generic: Vec<String>,
    /// Words before a name that say when (`原`, former; `现`, current), no part of the name.
    pub time_prefixes_zh: Vec<String>,
}

impl PatternConfig {
    /// The lists shipped with guanxi.
    pub fn embedded() -> Self {
        toml::from_str(EMBEDDED_PATTERNS).expect("embedded patterns.toml is valid")
    }

    /// Parses a user file; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| format!("{origin}: {e}"))
    }

    /// Appends another file's lists to these.
    pub fn extend(&mut self, other: PatternConfig) {
        macro_rules! ext {
            ($($f:ident),*) => { $( self.$f.extend(other.$f); )* };
        }
        ext!(
            surnames,
            person_roles,
            speech_verbs,
            person_stopwords,
            media_suffixes,
            media_context_before,
            media_context_after,
            not_book_words,
            company_suffixes,
            company_industry_suffixes,
            company_generic,
            company_cues,
            company_verbs_after,
            company_suffixes_en,
            company_cues_en,
            company_cue_links_en,
            first_names_en,
            person_roles_en,
            name_stopwords_en,
            model_families,
            model_suffix_words,
            model_context,
            event_gatherings,
            event_generic,
            unit_suffixes,
            unit_generic,
            unit_suffixes_en,
            titles_en,
            honorifics_en,
            person_nouns_en,
            pinyin_surnames,
            model_words_before,
            model_words_after,
            company_short_suffixes_en,
            list_separators,
            unit_possessives,
            company_cues_before,
            company_apposition_heads_en,
            company_legal_suffixes_en,
            common_words_en,
            company_cues_han,
            company_name_stops,
            byline_labels_zh,
            versioned_model_context,
            model_generic,
            time_prefixes_zh
        );
        self.translit_chars.push_str(&other.translit_chars);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_parse_and_are_filled() {
        let c = PatternConfig::embedded();
        assert!(c.surnames.len() > 300);
        assert!(c.model_families.iter().any(|f| f == "Qwen"));
        assert!(c.unit_suffixes.iter().any(|u| u == "事业群"));
    }

    #[test]
    fn unknown_keys_are_errors_that_name_the_file() {
        let err = PatternConfig::parse("surnamez = []", "mine.toml").unwrap_err();
        assert!(err.starts_with("mine.toml"), "{err}");
    }
}
