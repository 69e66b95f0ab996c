//! The visible text of an HTML page, through a real HTML parser (html5ever via scraper):
//! scripts, styles, markup and hidden elements (`hidden`, `aria-hidden`, `display:none`,
//! `visibility:hidden`, hidden inputs) dropped, block elements on lines of their own.

use scraper::{ElementRef, Html};

/// A page's title and visible text.
pub struct Page {
    pub title: Option<String>,
    pub text: String,
}

const SKIPPED: [&str; 9] = [
    "script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas",
];
const BLOCKS: [&str; 24] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "title",
    "figcaption",
];

/// Extracts the title and the visible text of `html`.
pub fn visible_text(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let title = scraper::Selector::parse("title")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(|t| t.text().collect::<String>().trim().to_string())
        .filter(|t| !t.is_empty());
    let mut text = String::new();
    if let Some(t) = &title {
        text.push_str(t);
        text.push('\n');
    }
    walk(doc.root_element(), &mut text);
    // Collapse runs of blank lines and trailing spaces left by markup.
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        out.push_str(&line);
        out.push('\n');
    }
    Page { title, text: out }
}

/// Walks the tree without recursion (a page nested thousands of tags deep must not overflow the stack).
fn walk(root: ElementRef, out: &mut String) {
    use scraper::node::Node as N;
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in root.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    N::Text(t) => out.push_str(t),
                    N::Element(e) => {
                        if SKIPPED.contains(&e.name()) || hidden(e) {
                            skipping = Some(node.id());
                        } else if BLOCKS.contains(&e.name()) {
                            out.push('\n');
                        }
                    }
                    _ => {}
                }
            }
            ego_tree::iter::Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                } else if skipping.is_none()
                    && let N::Element(e) = node.value()
                    && BLOCKS.contains(&e.name())
                {
                    out.push('\n');
                }
            }
        }
    }
}

/// An element the reader does not see.
fn hidden(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some()
        || e.attr("aria-hidden")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || (e.name() == "input" && e.attr("type").is_some_and(|t| t.eq_ignore_ascii_case("hidden")))
    {
        return true;
    }
    e.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.split(';').any(|d| {
            let d = d.trim_end_matches("!important");
            d == "display:none" || d == "visibility:hidden"
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_and_tags_are_dropped() {
        let page = visible_text(
            "<html><head><title>标题</title><style>p{color:red}</style></head>\
             <body><script>var x = '<p>no</p>';</script><p>百度<b>发布</b>了文心一言。</p><div>第二段</div></body></html>",
        );
        assert_eq!(page.title.as_deref(), Some("标题"));
        assert_eq!(page.text, "标题\n百度发布了文心一言。\n第二段\n");
    }

    #[test]
    fn hidden_elements_are_not_visible_text() {
        let page = visible_text(
            "<body><p>谷歌发布了Gemini。</p><div style=\"color: red; DISPLAY : none\">Meta收购了谷歌。</div>\
             <span hidden>苹果收购了Meta。</span><p aria-hidden=\"true\">特斯拉</p>\
             <p style=\"visibility:hidden !important\">亚马逊</p><template><p>微软</p></template>\
             <p aria-hidden=\"false\">百度</p></body>",
        );
        assert_eq!(page.text, "谷歌发布了Gemini。\n百度\n");
    }
}
