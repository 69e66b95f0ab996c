//! Query speed on a large database: generates a synthetic one (by default 100,000 entities and
//! 1,000,000 relations, each with its evidence sentence, written through `Store::write` as ingest
//! writes) and prints the median (p50) time of each question, with the database size per relation.
//!
//! Run with `cargo run --release --example query_bench` (about five minutes on two cores), or
//! `cargo run --release --example query_bench -- --entities 10000 --relations 100000` for a quick
//! look. `--db FILE` keeps the database (and reuses it when it exists).
//!
//! The names and sentences are made up from word lists; hubs are more likely ends than others
//! (a squared uniform draw), so a few entities gather thousands of relations, as in real news.

use guanxi::model::{
    Document, Entity, EntityKey, EntityType, Evidence, Extraction, Mention, MentionSource, Relation, RelationType,
    Sentence,
};
use guanxi::query::{self, PathOptions, RankBy, Resolver};
use guanxi::store::Store;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

/// A small, fixed pseudo-random generator (xorshift), so every run builds the same database.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Skewed towards 0: index `n·u²` for a uniform `u`.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64) * u * u) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

const WORDS: [&str; 60] = [
    "人工智能",
    "芯片",
    "算力",
    "开源",
    "融资",
    "市场",
    "裁员",
    "云计算",
    "自动驾驶",
    "机器人",
    "数据中心",
    "监管",
    "生态",
    "用户",
    "增长",
    "估值",
    "上市",
    "战略",
    "研发",
    "推理",
    "训练",
    "大模型",
    "搜索",
    "广告",
    "电商",
    "游戏",
    "社交",
    "医疗",
    "教育",
    "金融",
    "安全",
    "隐私",
    "能源",
    "半导体",
    "手机",
    "操作系统",
    "浏览器",
    "智能体",
    "多模态",
    "语音",
    "翻译",
    "编程",
    "硬件",
    "软件",
    "存储",
    "网络",
    "通信",
    "卫星",
    "无人机",
    "电池",
    "汽车",
    "物流",
    "零售",
    "支付",
    "视频",
    "音乐",
    "新闻",
    "地图",
    "办公",
    "设计",
];
const FIRST: [&str; 24] = [
    "星河", "天工", "云图", "深蓝", "极光", "北斗", "青岚", "赤霄", "玄武", "昆仑", "长风", "远景", "灵枢", "衡图",
    "鲸跃", "火山", "银河", "曙光", "海纳", "山海", "流形", "量子", "矩阵", "蓝湖",
];
const SECOND: [&str; 8] = ["科技", "智能", "资本", "数据", "机器人", "半导体", "创投", "实验室"];
const SURNAMES: [&str; 16] = [
    "陈", "林", "周", "赵", "王", "李", "张", "刘", "杨", "黄", "吴", "徐", "孙", "马", "朱", "胡",
];
const GIVEN: [&str; 16] = [
    "启航", "思远", "若楠", "敏", "子涵", "浩然", "雨桐", "一鸣", "嘉怡", "天佑", "明轩", "书瑶", "志强", "晓峰",
    "静怡", "宇航",
];

struct Kinds {
    /// Entities of each type: (name, type), indexed by type then position.
    by_type: HashMap<EntityType, Vec<String>>,
}

fn entity_names(n: usize, rng: &mut Rng) -> Kinds {
    let shares = [
        (EntityType::Company, 40),
        (EntityType::Person, 35),
        (EntityType::Model, 15),
        (EntityType::Event, 5),
        (EntityType::Book, 5),
    ];
    let mut by_type = HashMap::new();
    for (t, share) in shares {
        let count = n * share / 100;
        let names: Vec<String> = (0..count)
            .map(|i| match t {
                EntityType::Company => format!("{}{}{i}", rng.pick(&FIRST), rng.pick(&SECOND)),
                EntityType::Person => format!("{}{}{i}", rng.pick(&SURNAMES), rng.pick(&GIVEN)),
                EntityType::Model => format!("{}-{i}", ["Nova", "Atlas", "Orion", "Lumen", "Qilin"][i % 5]),
                EntityType::Event => format!("{}年{}大会{i}", 2010 + i % 15, rng.pick(&WORDS)),
                _ => format!("《{}之路{i}》", rng.pick(&WORDS)),
            })
            .collect();
        by_type.insert(t, names);
    }
    Kinds { by_type }
}

/// A relation type, the types of its ends, its cue, and its sentence.
fn template(rtype: RelationType) -> (EntityType, EntityType, &'static str, &'static str) {
    use EntityType::*;
    use RelationType::*;
    match rtype {
        CompetesWith => (Company, Company, "竞争", "{h}与{t}在{w}领域展开激烈竞争，{v}成为焦点。"),
        PartnersWith => (Company, Company, "合作", "{h}宣布与{t}达成战略合作，共同推进{w}与{v}。"),
        InvestsIn => (Company, Company, "投资", "{h}向{t}投资{n}亿美元，押注{w}赛道。"),
        Acquires => (Company, Company, "收购", "{h}以{n}亿美元收购{t}，补强{w}业务。"),
        Develops => (Company, Model, "发布", "{h}发布了{t}，主打{w}和{v}。"),
        Founded => (Person, Company, "创立", "{h}于{y}年创立{t}，专注{w}。"),
        Leads => (Person, Company, "首席执行官", "{h}出任{t}首席执行官，负责{w}业务。"),
        WorksAt => (Person, Company, "研究员", "{h}此前在{t}担任研究员，研究{w}。"),
        InvolvedIn => (Company, Event, "参加", "{h}参加了{t}，讨论{w}问题。"),
        Describes => (Book, Company, "讲述", "{h}一书讲述了{t}在{w}领域的崛起。"),
        Authored => (Person, Book, "撰写", "{h}撰写了{t}，记录{w}的历史。"),
        SuccessorOf => (Model, Model, "后继", "{h}是{t}的后继版本，改进了{w}。"),
        PartOf => (Company, Company, "旗下", "{h}是{t}旗下的{w}部门。"),
    }
}

const MIX: [(RelationType, usize); 13] = [
    (RelationType::CompetesWith, 18),
    (RelationType::PartnersWith, 10),
    (RelationType::InvestsIn, 14),
    (RelationType::Acquires, 3),
    (RelationType::Develops, 12),
    (RelationType::Founded, 7),
    (RelationType::Leads, 5),
    (RelationType::WorksAt, 15),
    (RelationType::InvolvedIn, 8),
    (RelationType::Describes, 2),
    (RelationType::Authored, 2),
    (RelationType::SuccessorOf, 2),
    (RelationType::PartOf, 2),
];

/// One document of `per_doc` sentences, each stating one relation.
fn document(
    i: usize,
    kinds: &Kinds,
    per_doc: usize,
    rng: &mut Rng,
    seen: &mut HashSet<(String, String, RelationType)>,
) -> Extraction {
    let source = format!("synthetic/{i:06}.txt");
    let mut text = String::new();
    let mut sentences = Vec::new();
    let mut entities: Vec<Entity> = Vec::new();
    let mut local: HashMap<(EntityType, String), usize> = HashMap::new();
    let mut mentions = Vec::new();
    let mut relations = Vec::new();
    let total: usize = MIX.iter().map(|m| m.1).sum();
    for s in 0..per_doc {
        let mut r = rng.below(total);
        let rtype = MIX
            .iter()
            .find(|m| {
                if r < m.1 {
                    true
                } else {
                    r -= m.1;
                    false
                }
            })
            .expect("a type")
            .0;
        let (ht, tt, cue, pattern) = template(rtype);
        let heads = &kinds.by_type[&ht];
        let tails = &kinds.by_type[&tt];
        let h = heads[rng.skewed(heads.len())].clone();
        let mut t = tails[rng.skewed(tails.len())].clone();
        if t == h {
            t = tails[rng.below(tails.len())].clone();
        }
        if t == h {
            continue;
        }
        // Nine sentences in ten state a new relation, the tenth more evidence for a known one.
        let fresh = seen.insert((h.clone(), t.clone(), rtype));
        if !fresh && rng.below(10) != 0 {
            continue;
        }
        let year = 2010 + rng.below(15);
        let sentence = pattern
            .replace("{h}", &h)
            .replace("{t}", &t)
            .replace("{w}", rng.pick(&WORDS))
            .replace("{v}", rng.pick(&WORDS))
            .replace("{n}", &(1 + rng.below(99)).to_string())
            .replace("{y}", &year.to_string());
        let start = text.len();
        text.push_str(&sentence);
        let end = text.len();
        let index = sentences.len();
        sentences.push(Sentence { index, start, end });
        let mut end_of = |name: &str, etype: EntityType| -> usize {
            let at = start + sentence.find(name).unwrap_or(0);
            *local.entry((etype, name.to_string())).or_insert_with(|| {
                entities.push(Entity {
                    key: EntityKey::new(etype, name),
                    name: name.to_string(),
                    etype,
                    aliases: vec![name.to_string()],
                    mentions: 1,
                    attributes: BTreeMap::new(),
                });
                mentions.push((
                    entities.len() - 1,
                    Mention {
                        start: at,
                        end: at + name.len(),
                        surface: name.to_string(),
                        etype,
                        canonical: name.to_string(),
                        source: MentionSource::Lexicon,
                        participants: Vec::new(),
                        attributes: BTreeMap::new(),
                    },
                ));
                entities.len() - 1
            })
        };
        let (head, tail) = (end_of(&h, ht), end_of(&t, tt));
        let mut attributes = BTreeMap::new();
        if matches!(
            rtype,
            RelationType::InvestsIn | RelationType::Acquires | RelationType::Founded
        ) {
            attributes.insert("year".to_string(), year.to_string());
        }
        relations.push(Relation {
            head,
            tail,
            rtype,
            attributes,
            evidence: Evidence {
                doc: source.clone(),
                sentence_index: index,
                sentence: sentence.clone(),
                cue: cue.to_string(),
                cue_start: start + sentence.find(cue).unwrap_or(0),
            },
        });
        let _ = s;
    }
    Extraction {
        document: Document {
            id: format!("synthetic-{i}"),
            source,
            title: None,
            url: None,
            date: Some(format!("{}-{:02}-{:02}", 2015 + i % 10, 1 + i % 12, 1 + i % 28)),
            text,
            sentences,
        },
        entities,
        mentions,
        relations,
    }
}

fn p50(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn timed<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed().as_secs_f64() * 1e3, out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut entities = 100_000usize;
    let mut relations = 1_000_000usize;
    let mut db: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--entities" => entities = args.next().ok_or("--entities N")?.parse()?,
            "--relations" => relations = args.next().ok_or("--relations N")?.parse()?,
            "--db" => db = Some(args.next().ok_or("--db FILE")?.into()),
            other => {
                return Err(
                    format!("unknown argument `{other}` (known: --entities N, --relations N, --db FILE)").into(),
                );
            }
        }
    }
    let temp = std::env::temp_dir().join(format!("guanxi-query-bench-{}", std::process::id()));
    let path = match &db {
        Some(p) => p.clone(),
        None => {
            std::fs::create_dir_all(&temp)?;
            temp.join("bench.db")
        }
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let kinds = entity_names(entities, &mut rng);
    let reuse = path.exists();
    let mut store = Store::open(&path)?;
    if reuse {
        println!("reusing {}", path.display());
    } else {
        let t = Instant::now();
        let per_doc = 200;
        let mut seen = HashSet::new();
        let mut i = 0;
        while seen.len() < relations {
            let x = document(
                i,
                &kinds,
                per_doc.min(relations - seen.len()).max(1),
                &mut rng,
                &mut seen,
            );
            store.write(&x)?;
            i += 1;
            if i % 2000 == 0 {
                eprintln!("  {i} documents, {} relations", seen.len());
            }
        }
        println!(
            "generated: {i} documents in {:.0} s (Store::write, one transaction each, search index included)",
            t.elapsed().as_secs_f64()
        );
    }
    let c = store.counts()?;
    println!(
        "database: {} entities, {} relations, {} evidence sentences, {} mentions",
        c.entities, c.relations, c.evidence, c.mentions
    );
    let size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "size: {:.0} MiB, {:.0} bytes per relation",
        size as f64 / (1024.0 * 1024.0),
        size as f64 / c.relations.max(1) as f64
    );

    let resolver = Resolver::new(&store, None);
    // Names drawn from what was stored (a rarely drawn generated name may be in no document).
    let stored = |t: Option<EntityType>| -> Result<Vec<String>, Box<dyn std::error::Error>> {
        Ok(query::entities(&store, t, None, None)?
            .into_iter()
            .map(|e| e.name)
            .collect())
    };
    let companies = stored(Some(EntityType::Company))?;
    let all = stored(None)?;
    let runs = 200;
    let picks: Vec<String> = (0..runs)
        .map(|_| companies[rng.below(companies.len())].clone())
        .collect();
    let any: Vec<String> = (0..runs).map(|_| all[rng.below(all.len())].clone()).collect();

    let ev = query::Evidence::None;
    let mut times = Vec::new();
    let mut answers = 0;
    for name in &picks {
        let (ms, n) = timed(|| -> Result<usize, Box<dyn std::error::Error>> {
            let e = resolver.resolve(name)?;
            Ok(query::competitors(&store, &e, false, ev, Some(50))?.len())
        });
        times.push(ms);
        answers += n?;
    }
    println!(
        "competitors: p50 {:.2} ms ({runs} random companies, {:.1} rivals on average, name resolution included)",
        p50(times),
        answers as f64 / runs as f64
    );

    let mut times = Vec::new();
    let mut answers = 0;
    for name in &picks {
        let (ms, n) = timed(|| -> Result<usize, Box<dyn std::error::Error>> {
            let e = resolver.resolve(name)?;
            Ok(query::investors(&store, &e, ev, Some(50))?.len())
        });
        times.push(ms);
        answers += n?;
    }
    println!(
        "investors: p50 {:.2} ms ({:.1} investors on average)",
        p50(times),
        answers as f64 / runs as f64
    );

    let mut times = Vec::new();
    for name in &any {
        let (ms, r) = timed(|| -> Result<usize, Box<dyn std::error::Error>> {
            let e = resolver.resolve(name)?;
            Ok(query::card(&store, &e, Some(20), query::Evidence::Some(2))?
                .relations
                .len())
        });
        times.push(ms);
        r?;
    }
    println!(
        "show (card of 20 relations, 2 sentences each): p50 {:.2} ms ({runs} random entities)",
        p50(times)
    );

    // Path ends: two entities drawn at random; the pairs that turn out connected (within the
    // default six hops) count, the others are reported apart.
    let mut times = Vec::new();
    let mut apart = Vec::new();
    let mut hops = Vec::new();
    while times.len() < 100 {
        let a = resolver.resolve(&all[rng.below(all.len())])?;
        let b = resolver.resolve(&all[rng.below(all.len())])?;
        if a.id == b.id {
            continue;
        }
        let (ms, p) = timed(|| query::path(&store, &a, &b, &PathOptions::default()));
        match p?.first() {
            Some(p) => {
                times.push(ms);
                hops.push(p.hops.len());
            }
            None => apart.push(ms),
        }
    }
    println!(
        "path: p50 {:.2} ms (100 random connected pairs, {:.1} hops on average; {} random pairs not connected took p50 {:.2} ms)",
        p50(times),
        hops.iter().sum::<usize>() as f64 / hops.len() as f64,
        apart.len(),
        if apart.is_empty() { 0.0 } else { p50(apart) }
    );

    let (ms, ranked) = timed(|| query::rank(&store, RankBy::Pagerank, Some(EntityType::Company), &[], 20));
    let ranked = ranked?;
    println!(
        "rank --by pagerank --type company: {:.0} ms (top: {})",
        ms,
        ranked.first().map_or("-", |r| r.name.as_str())
    );

    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..runs {
        let q = format!("{} {}", WORDS[rng.below(WORDS.len())], FIRST[rng.below(FIRST.len())]);
        let (ms, hits) = timed(|| store.search(&q, 20));
        times.push(ms);
        found += hits?.len();
    }
    println!(
        "search (two words, 20 best): p50 {:.2} ms ({:.1} hits on average)",
        p50(times),
        found as f64 / runs as f64
    );

    let mut times = Vec::new();
    for _ in 0..5 {
        let (ms, s) = timed(|| query::stats(&store));
        s?;
        times.push(ms);
    }
    println!("stats: p50 {:.0} ms", p50(times));

    let (ms, groups) = timed(|| query::communities(&store, &query::COMMUNITY_RELATIONS, 3, Some(20)));
    println!(
        "communities (competition, partnership, investment): {:.0} ms ({} groups shown)",
        ms,
        groups?.len()
    );

    drop(store);
    if db.is_none() {
        std::fs::remove_dir_all(&temp)?;
    }
    Ok(())
}
