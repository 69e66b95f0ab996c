//! Unit tests of the event frames, on sentences of our own.

use crate::model::{EntityType, Extraction, RelationType};
use crate::pipeline::Extractor;
use crate::source::make_document;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::embedded().expect("embedded data loads"))
}

fn extract(text: &str) -> Extraction {
    extractor().extract(make_document("t".into(), text.into(), None, None, None))
}

fn events(x: &Extraction) -> Vec<String> {
    x.entities
        .iter()
        .filter(|e| e.etype == EntityType::Event)
        .map(|e| e.name.clone())
        .collect()
}

/// The names of the entities `involved_in` an event whose name contains `event`.
fn involved(x: &Extraction, event: &str) -> Vec<String> {
    let mut v: Vec<String> = x
        .relations
        .iter()
        .filter(|r| r.rtype == RelationType::InvolvedIn && x.entities[r.tail].name.contains(event))
        .map(|r| x.entities[r.head].name.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn has(x: &Extraction, h: &str, r: RelationType, t: &str) -> bool {
    x.relations
        .iter()
        .any(|rel| rel.rtype == r && x.entities[rel.head].name == h && x.entities[rel.tail].name == t)
}

#[test]
fn layoffs_are_named_by_the_company_and_the_head_count() {
    let x = extract("谷歌宣布裁员1.2万人，涉及多个部门。");
    assert_eq!(events(&x), vec!["Google裁员1.2万人"], "{:?}", events(&x));
    assert_eq!(involved(&x, "裁员"), vec!["Google"]);
    let x = extract("Microsoft is laying off 1,900 employees in its gaming division.");
    assert!(
        events(&x).iter().any(|e| e.starts_with("Microsoft layoffs")),
        "{:?}",
        events(&x)
    );
}

#[test]
fn a_planned_layoff_is_news_but_a_planned_acquisition_is_not() {
    let x = extract("亚马逊计划裁减约1.6万个职位。");
    assert!(
        events(&x).iter().any(|e| e.starts_with("Amazon裁员")),
        "{:?}",
        events(&x)
    );
    let x = extract("苹果正在考虑收购Perplexity。");
    assert!(events(&x).is_empty(), "{:?}", events(&x));
    assert!(!x.relations.iter().any(|r| r.rtype == RelationType::Acquires));
}

#[test]
fn each_company_of_a_list_has_its_own_listing() {
    let x = extract("两家大模型公司智谱与MiniMax相继登陆港股。");
    let ev = events(&x);
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert!(ev.iter().all(|e| e.ends_with("上市")), "{ev:?}");
}

#[test]
fn a_round_names_its_raiser_and_its_investors_take_part() {
    let x = extract("月之暗面完成新一轮融资，由阿里巴巴领投，腾讯跟投。");
    let ev = events(&x);
    assert_eq!(ev.len(), 1, "{ev:?}");
    let parts = involved(&x, "融资");
    for p in ["阿里巴巴", "腾讯"] {
        assert!(parts.iter().any(|n| n.contains(p)), "{p} not in {parts:?}");
    }
    let x = extract("Anthropic raised $4 billion in a funding round led by Amazon.");
    assert!(
        events(&x)
            .iter()
            .any(|e| e.starts_with("Anthropic") && e.contains("funding round")),
        "{:?}",
        events(&x)
    );
    assert!(has(&x, "Amazon", RelationType::InvestsIn, "Anthropic"));
}

#[test]
fn an_acquisition_is_an_event_and_a_relation() {
    let x = extract("美团以20亿美元收购光年之外。");
    assert!(
        events(&x).iter().any(|e| e.contains("收购光年之外")),
        "{:?}",
        events(&x)
    );
    assert!(x.relations.iter().any(|r| r.rtype == RelationType::Acquires));
}

#[test]
fn parties_named_later_join_the_lawsuit_told_before() {
    let x = extract("马斯克起诉OpenAI。新的诉状将微软列为被告。");
    let ev = events(&x);
    assert_eq!(ev.len(), 1, "{ev:?}");
    let parts = involved(&x, "起诉");
    assert!(parts.contains(&"Microsoft".to_string()), "{parts:?}");
    // With no suit told before, a trailing mention makes no event.
    assert!(events(&extract("新的诉状将微软列为被告。")).is_empty());
}

#[test]
fn one_investigation_into_several_companies_is_one_event() {
    let x = extract("The FTC opened antitrust investigations into Microsoft, OpenAI and Nvidia.");
    let ev = events(&x);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(
        involved(&x, "investigation").len(),
        4,
        "{:?}",
        involved(&x, "investigation")
    );
}

#[test]
fn a_denied_layoff_is_no_event() {
    assert!(events(&extract("谷歌否认将裁员。")).is_empty());
}

#[test]
fn a_launch_is_the_verb_used_as_a_noun() {
    let x = extract("GPT-4发布后，百度推出了文心一言。");
    let ev = events(&x);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert!(ev[0].contains("GPT-4") && ev[0].ends_with("发布"), "{ev:?}");
}

#[test]
fn a_sentence_without_a_subject_carries_the_one_before() {
    let x = extract("腾讯近期完成了一次组织调整。随后又宣布裁员。");
    let ev = events(&x);
    assert!(
        ev.contains(&"Tencent重组".to_string()) || ev.contains(&"腾讯重组".to_string()),
        "{ev:?}"
    );
    assert!(ev.iter().any(|e| e.contains("裁员")), "{ev:?}");
    // A new paragraph does not carry it.
    let x = extract("腾讯近期完成了一次组织调整。\n随后又宣布裁员。");
    assert!(!events(&x).iter().any(|e| e.contains("裁员")), "{:?}", events(&x));
}

#[test]
fn investors_named_in_a_later_sentence_join_the_round_told_before() {
    let x = extract("小马智行宣布完成新一轮融资。跟投的有腾讯、阿里和美团等老股东。");
    assert_eq!(events(&x).len(), 1, "{:?}", events(&x));
    for p in ["腾讯", "美团"] {
        assert!(
            involved(&x, "融资").iter().any(|n| n.contains(p)),
            "{p}: {:?}",
            involved(&x, "融资")
        );
        assert!(
            x.relations.iter().any(|r| r.rtype == RelationType::InvestsIn
                && x.entities[r.head].name.contains(p)
                && x.entities[r.tail].name == "小马智行"),
            "{p} invests in 小马智行"
        );
    }
    let x = extract(
        "OpenAI closed a new round. The round was led by Thrive Capital; Microsoft and SoftBank also participated.",
    );
    for p in ["Thrive Capital", "Microsoft", "SoftBank"] {
        assert!(has(&x, p, RelationType::InvestsIn, "OpenAI"), "{p}");
    }
}

#[test]
fn english_rounds_take_their_lead_and_their_followers() {
    let x = extract(
        "Nimbus Robotics raised $50 million in a Series B round led by Sequoia Capital, with participation from Accel and Index Ventures.",
    );
    let ev = events(&x);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert!(ev[0].contains("$50 million") && ev[0].contains("Series B"), "{ev:?}");
    for p in ["Sequoia Capital", "Accel", "Index Ventures"] {
        assert!(has(&x, p, RelationType::InvestsIn, "Nimbus Robotics"), "{p}");
    }
}

#[test]
fn investors_named_by_their_role() {
    let x = extract("Alphabet and Amazon are both investors in Anthropic.");
    assert!(has(&x, "Alphabet", RelationType::InvestsIn, "Anthropic"));
    assert!(has(&x, "Amazon", RelationType::InvestsIn, "Anthropic"));
    let x = extract("The regulator will look into OpenAI and its largest investor, Microsoft.");
    assert!(has(&x, "Microsoft", RelationType::InvestsIn, "OpenAI"));
}

#[test]
fn an_english_release_told_with_its_day_is_a_launch() {
    let x = extract("Meta unveiled Llama 3.1, a new AI model, on Tuesday.");
    assert!(
        events(&x)
            .iter()
            .any(|e| e.starts_with("Llama 3.1") && e.ends_with("launch")),
        "{:?}",
        events(&x)
    );
    assert!(has(&x, "Meta", RelationType::Develops, "Llama 3.1"));
    // Without a day it is the maker's catalogue, not news of a launch.
    assert!(events(&extract("Meta released Llama 3.1 and other models.")).is_empty());
}

#[test]
fn a_company_named_by_description_raises_its_own_round() {
    let x = extract(
        "Nimbus Labs was founded in May. In June, the young French AI company made a splash by raising €105 million.",
    );
    assert!(
        events(&x)
            .iter()
            .any(|e| e.starts_with("Nimbus Labs") && e.contains("105")),
        "{:?}",
        events(&x)
    );
}

#[test]
fn layoffs_in_a_unit_are_its_company_s_layoffs() {
    let x = extract("Google confirmed job cuts. Hundreds of members of the Google Assistant division were laid off.");
    let ev = events(&x);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert!(ev[0].starts_with("Google layoffs"), "{ev:?}");
    let parts = involved(&x, "layoffs");
    assert!(parts.contains(&"Google Assistant division".to_string()), "{parts:?}");
}

#[test]
fn english_appointments_and_departures() {
    let x = extract(
        "Quorvine AI has appointed Marek Novak as CTO. Its chief technology officer, Elise Fontaine, is leaving to join Google.",
    );
    let ev = events(&x);
    assert!(ev.iter().any(|e| e.starts_with("Marek Novak appointment")), "{ev:?}");
    assert!(ev.iter().any(|e| e == "Elise Fontaine departure"), "{ev:?}");
}

#[test]
fn one_sum_written_two_ways_is_one_amount() {
    assert!(super::same_amount("€1.7B", "€1.7 billion"));
    assert!(super::same_amount("5亿美元", "50000万美元"));
    assert!(!super::same_amount("€1.3 billion", "€1.7 billion"));
}

#[test]
fn a_move_to_a_named_company_is_named_by_it_and_a_resignation_by_the_person() {
    let x = extract("许望舒正式加盟星河科技，负责基础研究。");
    assert!(events(&x).iter().any(|e| e == "许望舒加盟星河科技"), "{:?}", events(&x));
    let x = extract("星河科技公告称，创始人林书禾因健康原因，已辞去在星河科技的职务。");
    assert!(events(&x).iter().any(|e| e == "林书禾辞职"), "{:?}", events(&x));
}
