//! A long randomized run from input bytes through reading and extraction (cargo-fuzz needs a
//! nightly compiler; this runs on stable): random bytes, and random article-like text in random
//! encodings and shapes (plain, Markdown, HTML, JSON Lines, JSON) with random bytes flipped.
//!
//! Usage: cargo run --release --example fuzz -- [SECONDS] [SEED]
//! A panic stops the run, prints the seed and case and writes the input to fuzz-crash-SEED-CASE.bin.

use guanxi::pipeline::Extractor;
use guanxi::source::{Input, ReadOptions, read_input_with};
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "谷歌",
    "收购",
    "投资",
    "創始人",
    "微軟",
    "收購",
    "輝達",
    "CEO",
    "表示",
    "《",
    "》",
    "·",
    "，",
    "。",
    "与",
    "的",
    "被",
    "发布",
    "大模型",
    "GPT-4o",
    "OpenAI",
    "Meta",
    "萨姆·阿尔特曼",
    "有限公司",
    "（简称“",
    "”）",
    "2024年",
    "融资",
    "B轮",
    "领投",
    "Inc.",
    " Labs",
    "acquired",
    " by ",
    "the company",
    ", ",
    ". ",
    "\n",
    "\r\n",
    " ",
    "\"",
    "'s",
    "Ｇｏｏｇｌｅ",
    "😀",
    "\u{200b}",
    "\u{202e}",
    "\t",
    "$4 billion",
    "4亿美元",
    "<",
    ">",
    "&",
    "\\",
    "'",
    "```",
    "# ",
    "- ",
    "[",
    "](",
    ")",
    "<p>",
    "</p>",
    "<div hidden>",
    "</div>",
    "<script>",
    "</script>",
    "{",
    "}",
    "\"text\":",
    "\"date\":",
    "\"id\":",
    "2024-02-30",
    "not-a-date",
    "2024/3/5",
];

fn article(rng: &mut Rng) -> String {
    let n = rng.below(120);
    (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect()
}

fn encode(rng: &mut Rng, text: &str) -> Vec<u8> {
    let encs = [
        encoding_rs::UTF_8,
        encoding_rs::GBK,
        encoding_rs::GB18030,
        encoding_rs::BIG5,
        encoding_rs::WINDOWS_1252,
    ];
    let mut bytes = match rng.below(8) {
        6 => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        7 => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        i => encs[i % encs.len()].encode(text).0.into_owned(),
    };
    if rng.below(3) == 0 {
        let bom: &[u8] = [&[0xef, 0xbb, 0xbf][..], &[0xff, 0xfe], &[0xfe, 0xff]][rng.below(3)];
        bytes.splice(0..0, bom.iter().copied());
    }
    for _ in 0..rng.below(4) {
        if !bytes.is_empty() {
            let i = rng.below(bytes.len());
            bytes[i] = rng.next() as u8;
        }
    }
    bytes
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1
    });
    let ex = Extractor::embedded().expect("embedded data loads");
    let dir = tempfile::tempdir().expect("temp dir");
    let exts = ["txt", "md", "html", "jsonl", "json"];
    let mut rng = Rng(seed);
    let start = Instant::now();
    let (mut cases, mut documents, mut refused) = (0u64, 0u64, 0u64);
    while start.elapsed() < Duration::from_secs(seconds) {
        let bytes: Vec<u8> = if rng.below(4) == 0 {
            (0..rng.below(2000)).map(|_| rng.next() as u8).collect()
        } else {
            let text = article(&mut rng);
            encode(&mut rng, &text)
        };
        let path = dir.path().join(format!("case.{}", exts[rng.below(exts.len())]));
        std::fs::write(&path, &bytes).expect("write the case");
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut n = 0;
            match read_input_with(&Input::File(path.clone()), &ReadOptions::default()) {
                Ok((docs, _)) => {
                    for d in docs {
                        let text = d.text.clone();
                        let x = ex.extract(d);
                        assert_eq!(x.document.text, text);
                        n += 1;
                    }
                    (n, false)
                }
                Err(_) => (0, true),
            }
        }));
        match run {
            Ok((n, was_refused)) => {
                documents += n;
                refused += u64::from(was_refused);
            }
            Err(_) => {
                let name = format!("fuzz-crash-{seed}-{cases}.bin");
                std::fs::write(&name, &bytes).expect("write the crash");
                eprintln!(
                    "panic on case {cases} (seed {seed}, {}); input in {name}",
                    path.display()
                );
                std::process::exit(1);
            }
        }
        cases += 1;
    }
    println!(
        "{cases} cases in {:.0} s (seed {seed}): {documents} documents extracted, {refused} inputs refused, no panic",
        start.elapsed().as_secs_f64()
    );
}
