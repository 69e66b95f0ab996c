//! The prose of a Markdown file, through a real CommonMark parser (pulldown-cmark): code blocks,
//! raw HTML, image descriptions and link targets are not prose; a link's words are.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A Markdown file's title (its first top-level heading) and prose.
pub struct Prose {
    /// The first `# heading`.
    pub title: Option<String>,
    /// Paragraphs, headings, list items and table cells, one block a line.
    pub text: String,
}

/// Extracts the title and the prose of `markdown`.
pub fn prose(markdown: &str) -> Prose {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let mut text = String::new();
    let mut title: Option<String> = None;
    let mut in_title = false;
    // Depth of the code blocks, images and metadata being skipped.
    let mut skip = 0usize;
    // The text of the link being read: a link written as its own address is no prose.
    let mut link: Option<(String, String)> = None;
    for event in parser {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. } | Tag::MetadataBlock(_)) => skip += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Image | TagEnd::MetadataBlock(_)) => skip = skip.saturating_sub(1),
            _ if skip > 0 => {}
            Event::Start(Tag::Heading { level, .. }) => {
                in_title = level == HeadingLevel::H1 && title.is_none();
                if in_title {
                    title = Some(String::new());
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => link = Some((dest_url.to_string(), String::new())),
            Event::End(TagEnd::Link) => {
                if let Some((dest, words)) = link.take() {
                    let bare = words.trim();
                    let is_address = bare == dest.as_ref() as &str
                        || dest.strip_prefix("mailto:") == Some(bare)
                        || bare.starts_with("http://")
                        || bare.starts_with("https://");
                    if !is_address {
                        push(&mut text, &mut title, in_title, &words);
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => match &mut link {
                Some((_, words)) => words.push_str(&t),
                None => push(&mut text, &mut title, in_title, &t),
            },
            // A wrapped English line goes on after a space; Chinese runs on.
            Event::SoftBreak if text.chars().last().is_some_and(|c| c.is_ascii() && !c.is_whitespace()) => {
                text.push(' ')
            }
            Event::HardBreak => text.push('\n'),
            Event::End(TagEnd::Heading(_)) => {
                in_title = false;
                text.push('\n');
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::TableCell | TagEnd::TableRow,
            ) => text.push('\n'),
            _ => {}
        }
    }
    let title = title.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    Prose { title, text }
}

fn push(text: &mut String, title: &mut Option<String>, in_title: bool, words: &str) {
    text.push_str(words);
    if in_title && let Some(t) = title {
        t.push_str(words);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_and_link_targets_are_not_prose() {
        let md = "# 谷歌的新闻\n\n谷歌发布了[Gemini](https://amazon.com/gemini)模型。\n\n```\nMeta acquires Google\n```\n\n    Apple acquires Meta\n\n见 <https://amazon.com>。\n\n![Tesla acquires Apple](x.png)\n";
        let p = prose(md);
        assert_eq!(p.title.as_deref(), Some("谷歌的新闻"));
        assert_eq!(p.text, "谷歌的新闻\n谷歌发布了Gemini模型。\n见 。\n\n");
    }

    #[test]
    fn wrapped_english_lines_join_with_a_space() {
        let p = prose("OpenAI released\nGPT-4o in May.\n\n- 百度\n- 腾讯\n");
        assert_eq!(p.text, "OpenAI released GPT-4o in May.\n百度\n腾讯\n");
    }
}
