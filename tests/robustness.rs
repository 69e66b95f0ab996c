//! Extraction never panics, whatever the text: random mixtures of the characters news pages
//! hold (Chinese, Latin, digits, full-width forms, quotes, `·`, `《》`, emoji, control characters).

use guanxi::pipeline::Extractor;
use guanxi::source::make_document;

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

const PIECES: &[&str] = &[
    "谷歌",
    "收购",
    "投资",
    "创始人",
    "CEO",
    "表示",
    "《",
    "》",
    "·",
    "•",
    "，",
    "。",
    "、",
    "和",
    "与",
    "的",
    "被",
    "发布",
    "大模型",
    "GPT-4o",
    "Llama 3.1",
    "Qwen2-72B",
    "OpenAI",
    "Meta",
    "萨姆·阿尔特曼",
    "阿尔特曼",
    "王",
    "小川",
    "科技",
    "有限公司",
    "（简称“",
    "”）",
    "大会",
    "2024年",
    "融资",
    "B轮",
    "由",
    "领投",
    "Inc.",
    " Labs",
    " AI",
    "acquired",
    " by ",
    "the company",
    "its",
    "it",
    ", ",
    ". ",
    "\n",
    "\r\n",
    " ",
    "“",
    "”",
    "\"",
    "'s",
    "’s",
    "Ｇｏｏｇｌｅ",
    "１２３",
    "😀",
    "\u{200b}",
    "\u{202e}",
    "\u{0}",
    "\t",
    "–",
    "—",
    "(",
    ")",
    "（",
    "）",
    "$4 billion",
    "4亿美元",
    "Sam",
    "Altman",
    "Wang Xiaochuan",
    "Wang",
    "Lord",
    "Byron",
    "co-founder",
    "led by",
    "round",
    "否认",
    "这家公司",
    "其",
    "它",
    "书中",
    "一书中",
    "a16z",
    "Run:ai",
    "会议室",
    "三家的角逐",
    "between",
    "among",
];

#[test]
fn random_texts_never_panic() {
    let ex = Extractor::embedded().expect("embedded data loads");
    let mut rng = Lcg(0x5eed);
    for case in 0..400 {
        let n = 1 + (rng.next() % 60) as usize;
        let mut text = String::new();
        for _ in 0..n {
            let p = PIECES[(rng.next() as usize) % PIECES.len()];
            // Now and then a single character of a piece, to cut words and names anywhere.
            if rng.next().is_multiple_of(5) {
                if let Some(c) = p.chars().nth((rng.next() as usize) % p.chars().count()) {
                    text.push(c);
                }
            } else {
                text.push_str(p);
            }
        }
        let doc = make_document(format!("case-{case}"), text.clone(), None, None, None);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ex.extract(doc)));
        assert!(result.is_ok(), "extraction panicked on case {case}: {text:?}");
        let x = result.unwrap();
        for (_, m) in &x.mentions {
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end) && m.start <= m.end);
        }
    }
}
