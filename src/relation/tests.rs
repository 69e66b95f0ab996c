//! Unit tests of the relation rules, on sentences of our own.

use crate::model::{Extraction, RelationType};
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

fn relations(text: &str) -> Vec<(String, RelationType, String)> {
    let x = extract(text);
    x.relations
        .iter()
        .map(|r| {
            (
                x.entities[r.head].name.clone(),
                r.rtype,
                x.entities[r.tail].name.clone(),
            )
        })
        .collect()
}

fn has(rels: &[(String, RelationType, String)], h: &str, r: RelationType, t: &str) -> bool {
    rels.iter().any(|(a, x, b)| a == h && *x == r && b == t)
}

#[test]
fn passive_acquisition_keeps_the_buyer_as_head() {
    let r = relations("DeepMind于2014年被谷歌收购。");
    assert!(
        has(&r, "Google", RelationType::Acquires, "Google DeepMind")
            || has(&r, "Google", RelationType::Acquires, "DeepMind"),
        "{r:?}"
    );
}

#[test]
fn negated_cues_give_no_relation() {
    let r = relations("百度否认将收购小米。Apple denied plans to acquire Perplexity.");
    assert!(!r.iter().any(|x| x.1 == RelationType::Acquires), "{r:?}");
}

#[test]
fn lists_distribute_over_a_slot() {
    let r = relations("特斯拉和SpaceX的创始人埃隆·马斯克宣布了新计划。");
    assert!(
        has(&r, "Elon Musk", RelationType::Founded, "特斯拉") || has(&r, "Elon Musk", RelationType::Founded, "Tesla"),
        "{r:?}"
    );
    assert!(has(&r, "Elon Musk", RelationType::Founded, "SpaceX"), "{r:?}");
}

#[test]
fn a_group_named_by_its_size_competes_pairwise() {
    let r = relations("微软加码投入。谷歌紧随其后。亚马逊也不甘示弱。这三家巨头的角逐愈发激烈。");
    let competes = r.iter().filter(|x| x.1 == RelationType::CompetesWith).count();
    assert_eq!(competes, 3, "{r:?}");
}

#[test]
fn english_frames_read_roles_and_investments() {
    let r = relations("Sundar Pichai, CEO of Google, spoke. Amazon invested $4 billion in Anthropic.");
    assert!(has(&r, "Sundar Pichai", RelationType::Leads, "Google"), "{r:?}");
    assert!(has(&r, "Amazon", RelationType::InvestsIn, "Anthropic"), "{r:?}");
}

#[test]
fn possessive_gives_the_maker_of_a_model() {
    let r = relations("OpenAI的GPT-4o和谷歌的Gemini 1.5 Pro都支持语音。");
    assert!(has(&r, "OpenAI", RelationType::Develops, "GPT-4o"), "{r:?}");
    assert!(
        r.iter().any(|x| x.0 == "Google" && x.1 == RelationType::Develops),
        "{r:?}"
    );
}

#[test]
fn versions_of_one_family_are_successors() {
    let r = relations("Qwen2.5在多项测试中超过了Qwen2。");
    assert!(has(&r, "Qwen2.5", RelationType::SuccessorOf, "Qwen2"), "{r:?}");
}

#[test]
fn layoffs_are_events_their_company_is_involved_in() {
    let x = extract("2023年，Meta大规模裁员超过一万人。");
    let ev = x.entities.iter().position(|e| e.name == "Meta裁员").expect("an event");
    assert_eq!(x.entities[ev].attributes.get("year").map(String::as_str), Some("2023"));
    assert!(
        x.relations
            .iter()
            .any(|r| r.tail == ev && r.rtype == RelationType::InvolvedIn)
    );
}

#[test]
fn an_author_in_his_book() {
    let r = relations("吴军在《浪潮之巅》一书中写道。");
    assert!(has(&r, "吴军", RelationType::Authored, "浪潮之巅"), "{r:?}");
}

#[test]
fn a_vice_president_does_not_lead() {
    let r = relations("前微软全球副总裁姜大昕于2023年创立了阶跃星辰。");
    assert!(!has(&r, "姜大昕", RelationType::Leads, "Microsoft"), "{r:?}");
    assert!(has(&r, "姜大昕", RelationType::Founded, "阶跃星辰"), "{r:?}");
}

#[test]
fn investors_of_a_round_named_later_join_it() {
    let r = relations("芯跃科技近日完成数亿元B轮融资，由红杉中国领投，启明创投跟投。");
    assert!(
        r.iter()
            .any(|x| x.1 == RelationType::InvestsIn && x.2 == "芯跃科技" && x.0.contains("红杉")),
        "{r:?}"
    );
    assert!(has(&r, "启明创投", RelationType::InvestsIn, "芯跃科技"), "{r:?}");
    assert!(
        r.iter()
            .any(|x| x.1 == RelationType::InvolvedIn && x.2 == "芯跃科技B轮融资"),
        "{r:?}"
    );
}

#[test]
fn units_a_company_sets_up_or_names_are_part_of_it() {
    let r = relations("星河科技新成立AI Infra部、数据计算平台部。");
    assert!(has(&r, "AI Infra部", RelationType::PartOf, "星河科技"), "{r:?}");
    assert!(has(&r, "数据计算平台部", RelationType::PartOf, "星河科技"), "{r:?}");
    let r = relations("苹果的基础模型团队由新负责人接管。");
    assert!(has(&r, "基础模型团队", RelationType::PartOf, "Apple"), "{r:?}");
    let r =
        relations("Google cut jobs in Google's Devices and Services division and in the Google Assistant division.");
    assert!(
        has(&r, "Devices and Services division", RelationType::PartOf, "Google"),
        "{r:?}"
    );
    assert!(
        has(&r, "Google Assistant division", RelationType::PartOf, "Google"),
        "{r:?}"
    );
}

#[test]
fn generic_teams_and_words_ending_in_a_unit_word_are_no_units() {
    let x = extract("公司的研发团队和销售部门都受到影响，总部位于北京，内部人士称七人高管团队未变。");
    assert!(
        x.entities.iter().all(|e| e.etype != crate::model::EntityType::Company),
        "{:?}",
        x.entities
    );
}

#[test]
fn a_parent_company_is_the_tail_whichever_side_it_stands() {
    let r = relations("Alphabet, the parent company of Google, reported earnings.");
    assert!(has(&r, "Google", RelationType::PartOf, "Alphabet"), "{r:?}");
    let r = relations("Google's parent company, Alphabet, reported earnings.");
    assert!(has(&r, "Google", RelationType::PartOf, "Alphabet"), "{r:?}");
}

#[test]
fn people_listed_with_their_titles_work_where_the_list_says() {
    let r = relations("原英伟达高级销售经理宋立新、GPU架构师周文杰也相继加入。");
    assert!(has(&r, "宋立新", RelationType::WorksAt, "NVIDIA"), "{r:?}");
    assert!(
        r.iter().any(|x| x.0 == "周文杰")
            || relations_names("原英伟达高级销售经理宋立新、GPU架构师周文杰也相继加入。")
                .contains(&"周文杰".to_string())
    );
    let r = relations("陈启航与联合创始人贠明远均来自商汤。");
    assert!(
        has(&r, "陈启航", RelationType::WorksAt, "商汤") || has(&r, "陈启航", RelationType::WorksAt, "SenseTime"),
        "{r:?}"
    );
    assert!(!r.iter().any(|x| x.1 == RelationType::Founded), "{r:?}");
}

#[test]
fn a_later_clause_and_a_pronoun_keep_the_person() {
    let r = relations("张伟曾任百度副总裁，现任阿里巴巴首席技术官。");
    assert!(has(&r, "张伟", RelationType::WorksAt, "百度"), "{r:?}");
    assert!(
        r.iter()
            .any(|x| x.0 == "张伟" && x.1 == RelationType::WorksAt && x.2.contains("阿里")),
        "{r:?}"
    );
    let r = relations("刘明远入职腾讯。他毕业于清华，曾任OpenAI研究员。");
    assert!(has(&r, "刘明远", RelationType::WorksAt, "OpenAI"), "{r:?}");
}

#[test]
fn english_appositions_and_alumni_give_employers() {
    let r = relations("The startup was co-founded by veteran Apple designer Jane Morrow.");
    assert!(has(&r, "Jane Morrow", RelationType::WorksAt, "Apple"), "{r:?}");
    let r = relations("Dana Whitfield, former CTO of OpenAI, founded Quillmark Labs.");
    assert!(has(&r, "Dana Whitfield", RelationType::WorksAt, "OpenAI"), "{r:?}");
    assert!(
        has(&r, "Dana Whitfield", RelationType::Founded, "Quillmark Labs"),
        "{r:?}"
    );
    let r =
        relations("She co-founded Quillmark Labs alongside fellow Google alumni Omar Reyes, Lena Park, and Tom Baird.");
    for p in ["Omar Reyes", "Lena Park", "Tom Baird"] {
        assert!(has(&r, p, RelationType::WorksAt, "Google"), "{p}: {r:?}");
        assert!(has(&r, p, RelationType::Founded, "Quillmark Labs"), "{p}: {r:?}");
    }
}

fn relations_names(text: &str) -> Vec<String> {
    extract(text).entities.into_iter().map(|e| e.name).collect()
}

#[test]
fn a_book_about_something_describes_it() {
    let r = relations("《芯片战争》是一本关于半导体和台积电的书。");
    assert!(has(&r, "芯片战争", RelationType::Describes, "TSMC"), "{r:?}");
    let r = relations("《硅谷往事》出版了。这本关于英特尔崛起的著作很畅销。");
    assert!(
        r.iter()
            .any(|x| x.0 == "硅谷往事" && x.1 == RelationType::Describes && x.2 == "Intel"),
        "{r:?}"
    );
}

#[test]
fn a_founding_takes_only_its_own_clause_s_year() {
    let x = extract("2023年3月，Meta创始人马克·扎克伯格宣布裁员。马斯克在2015年与阿尔特曼共同创办了OpenAI。");
    let year = |h: &str| {
        x.relations
            .iter()
            .find(|r| r.rtype == RelationType::Founded && x.entities[r.head].name == h)
            .map(|r| r.attributes.get("year").cloned())
    };
    assert_eq!(year("Mark Zuckerberg"), Some(None));
    assert_eq!(year("Elon Musk"), Some(Some("2015".to_string())));
}

#[test]
fn english_org_charts_and_backers() {
    let r = relations(
        "Quorvine AI split into two divisions: Quorvine Research, which Marek Novak will oversee, and a sales unit.",
    );
    assert!(
        has(&r, "Marek Novak", RelationType::Leads, "Quorvine Research"),
        "{r:?}"
    );
    let r = relations("Backers of Tamsin Automation include Sequoia Capital and Eastfold Ventures.");
    assert!(
        has(&r, "Sequoia Capital", RelationType::InvestsIn, "Tamsin Automation"),
        "{r:?}"
    );
    assert!(
        has(&r, "Eastfold Ventures", RelationType::InvestsIn, "Tamsin Automation"),
        "{r:?}"
    );
    let r = relations("Pleadwise Labs grew fast. Chief executive Dana Whitlock said the company would hire.");
    assert!(has(&r, "Dana Whitlock", RelationType::Leads, "Pleadwise Labs"), "{r:?}");
}

#[test]
fn the_company_is_the_one_the_text_is_about() {
    let r = relations(
        "Quorvine AI named a new chief. Quorvine AI grew. Novak spent six years at Microsoft Research. Hugo Laurent, who co-founded the company in 2021, stayed.",
    );
    assert!(has(&r, "Hugo Laurent", RelationType::Founded, "Quorvine AI"), "{r:?}");
    assert!(
        !has(&r, "Hugo Laurent", RelationType::Founded, "Microsoft Research"),
        "{r:?}"
    );
}

#[test]
fn an_unknown_name_in_the_object_s_place_takes_no_known_one_s_relation() {
    let r =
        relations("Arm recalled its $1.4 billion purchase of Nuvoria, a start-up founded by former Apple engineers.");
    assert!(
        !r.iter().any(|x| x.1 == RelationType::Acquires && x.2 == "Apple"),
        "{r:?}"
    );
    let r = relations("Google agreed to acquire New York-based cybersecurity startup Wiz for $32 billion.");
    assert!(has(&r, "Google", RelationType::Acquires, "Wiz"), "{r:?}");
    let r = relations("Its attempt to buy Arm from SoftBank collapsed in 2022.");
    assert!(!r.iter().any(|x| x.1 == RelationType::Acquires), "{r:?}");
}

#[test]
fn a_lead_investor_is_not_the_company_that_raised() {
    let r = relations("初创公司固极新能源宣布完成8亿元B轮融资。本轮由宁德时代（CATL）领投，红杉中国跟投。");
    assert!(
        r.iter()
            .any(|x| x.1 == RelationType::InvestsIn && x.0.contains("宁德") && x.2 == "固极新能源"),
        "{r:?}"
    );
    assert!(
        !r.iter().any(|x| x.1 == RelationType::InvestsIn && x.2.contains("宁德")),
        "{r:?}"
    );
}

#[test]
fn a_clause_without_its_own_subject_takes_the_sentence_s() {
    let r = relations("星澜智能成立于2022年，由CEO贺知远与林书禾共同创办，两人均毕业于浙江大学。");
    assert!(has(&r, "贺知远", RelationType::Founded, "星澜智能"), "{r:?}");
    assert!(has(&r, "林书禾", RelationType::Founded, "星澜智能"), "{r:?}");
    let r = relations("杨植麟博士毕业于卡内基梅隆大学，先后在谷歌和百度工作过。");
    assert!(has(&r, "杨植麟", RelationType::WorksAt, "Google"), "{r:?}");
    assert!(has(&r, "杨植麟", RelationType::WorksAt, "百度"), "{r:?}");
}

#[test]
fn hiring_leaving_and_resigning_say_where_people_worked() {
    let r = relations("过去一年，腾讯先后从阿里挖来了通义前技术负责人周畅。");
    assert!(has(&r, "周畅", RelationType::WorksAt, "腾讯"), "{r:?}");
    assert!(
        r.iter()
            .any(|x| x.0 == "周畅" && x.1 == RelationType::WorksAt && x.2.contains("阿里")),
        "{r:?}"
    );
    assert!(
        !r.iter()
            .any(|x| x.1 == RelationType::WorksAt && x.2.contains("阿里") && x.0 != "周畅"),
        "{r:?}"
    );
    let r = relations("工程师许望舒离开谷歌，转投百度出任首席科学家。");
    assert!(has(&r, "许望舒", RelationType::WorksAt, "Google"), "{r:?}");
    assert!(has(&r, "许望舒", RelationType::WorksAt, "百度"), "{r:?}");
    let r = relations("美团公告称，王慧文因健康原因，已辞去在美团的职务。");
    assert!(has(&r, "王慧文", RelationType::WorksAt, "美团"), "{r:?}");
}

#[test]
fn english_roles_stated_as_now_and_serves_as() {
    let r = relations(
        "Tamsin Labs was started in 2023 by Ada Whitlock and Omar Reyes. Omar Reyes is now Tamsin Labs's chief scientist.",
    );
    assert!(has(&r, "Omar Reyes", RelationType::WorksAt, "Tamsin Labs"), "{r:?}");
    let r = relations("Google co-founder and CEO Larry Page spoke first.");
    assert!(has(&r, "Larry Page", RelationType::Founded, "Google"), "{r:?}");
}

#[test]
fn an_owner_before_的_is_stepped_over_in_a_list_of_rivals() {
    let r = relations("在C端，Kimi需要与字节跳动的豆包、百度的文心一言正面交锋。");
    assert!(
        has(&r, "Kimi", RelationType::CompetesWith, "豆包") || has(&r, "豆包", RelationType::CompetesWith, "Kimi"),
        "{r:?}"
    );
    assert!(
        r.iter().any(|x| x.1 == RelationType::CompetesWith
            && (x.0 == "文心一言" || x.2 == "文心一言")
            && (x.0 == "Kimi" || x.2 == "Kimi")),
        "{r:?}"
    );
    assert!(
        !r.iter()
            .any(|x| x.1 == RelationType::CompetesWith && (x.0 == "百度" || x.2 == "百度")),
        "{r:?}"
    );
}

#[test]
fn models_compared_on_benchmarks_are_rivals() {
    let r = relations("在多项基准上，Qwen3-235B的成绩超过了DeepSeek-R1和OpenAI的o1。");
    for m in ["DeepSeek-R1", "o1"] {
        assert!(
            r.iter().any(|x| x.1 == RelationType::CompetesWith
                && (x.0 == m || x.2 == m)
                && (x.0.starts_with("Qwen3") || x.2.starts_with("Qwen3"))),
            "{m}: {r:?}"
        );
    }
    // Companies compared on revenue are not raced by this rule.
    let r = relations("腾讯的营收超过了百度。");
    assert!(!r.iter().any(|x| x.1 == RelationType::CompetesWith), "{r:?}");
}

#[test]
fn followers_named_sentences_later_join_the_round_not_its_lead() {
    let r = relations(
        "Loomfield AI has closed a $90 million Series B round. Harrow Capital led the round with a $60 million check. \
         Existing backers also came back for more. Quill Ventures and Norrow Partners all participated, according to a person familiar with the deal.",
    );
    for inv in ["Harrow Capital", "Quill Ventures", "Norrow Partners"] {
        assert!(has(&r, inv, RelationType::InvestsIn, "Loomfield AI"), "{inv}: {r:?}");
    }
    assert!(
        !r.iter()
            .any(|x| x.1 == RelationType::InvestsIn && x.2 == "Harrow Capital"),
        "{r:?}"
    );
    let r = relations("Loomfield AI is Europe's best-funded challenger to OpenAI.");
    assert!(!r.iter().any(|x| x.1 == RelationType::InvestsIn), "{r:?}");
}

#[test]
fn english_hires_listed_with_where_they_came_from() {
    let r = relations(
        "New hires include Jiahui Yu and Hongyu Ren, all from OpenAI; Jack Rae from Google DeepMind; and Ruoming Pang, who ran Apple's foundation models team.",
    );
    for (p, c) in [
        ("Jiahui Yu", "OpenAI"),
        ("Hongyu Ren", "OpenAI"),
        ("Jack Rae", "Google DeepMind"),
    ] {
        assert!(has(&r, p, RelationType::WorksAt, c), "{p}: {r:?}");
    }
    assert!(
        r.iter().any(|x| x.1 == RelationType::WorksAt && x.2 == "Apple"),
        "{r:?}"
    );
}

#[test]
fn a_bare_公司_opening_a_clause_is_the_company_the_text_is_about() {
    let r = relations("月之暗面成立于2023年。成立仅半年，公司就推出了首款产品——智能助手Kimi。");
    assert!(has(&r, "月之暗面", RelationType::Develops, "Kimi"), "{r:?}");
}

#[test]
fn the_latter_is_the_name_just_before() {
    let r = relations("云栈科技最直接的对手是同样成立于去年的「石榴账本」，后者刚拿到远澜资本领投的天使轮融资。");
    assert!(has(&r, "远澜资本", RelationType::InvestsIn, "石榴账本"), "{r:?}");
    assert!(!has(&r, "远澜资本", RelationType::InvestsIn, "云栈科技"), "{r:?}");
}

#[test]
fn a_second_predicate_joined_by_and_has_the_sentences_subject() {
    let r = relations(
        "Tessel Labs has raised a $48 million seed round. Tessel enters a crowded field. Its closest rival, Basalt Labs, was founded by former researchers from OpenAI and Google and raised a $90 million seed round led by Andreessen Horowitz.",
    );
    assert!(
        has(&r, "Andreessen Horowitz", RelationType::InvestsIn, "Basalt Labs"),
        "{r:?}"
    );
    assert!(
        !has(&r, "Andreessen Horowitz", RelationType::InvestsIn, "Google"),
        "{r:?}"
    );
    assert!(
        !has(&r, "Andreessen Horowitz", RelationType::InvestsIn, "Tessel Labs"),
        "{r:?}"
    );
    assert!(
        !has(&r, "Andreessen Horowitz", RelationType::InvestsIn, "OpenAI"),
        "{r:?}"
    );
}

#[test]
fn officers_named_without_a_company_belong_to_the_sentences_company() {
    let r = relations("另一家公司岱山智能也宣布，联合创始人、总裁焦明远卸任，由CTO陆行川暂代其职责。");
    assert!(has(&r, "焦明远", RelationType::Leads, "岱山智能"), "{r:?}");
    assert!(has(&r, "焦明远", RelationType::Founded, "岱山智能"), "{r:?}");
    assert!(has(&r, "陆行川", RelationType::WorksAt, "岱山智能"), "{r:?}");
}

#[test]
fn partners_after_yu_are_the_subjects_not_each_others() {
    let r = relations("过去一年，岱山智能先后与招商银行、小米达成合作。");
    for p in ["小米", "招商银行"] {
        assert!(
            has(&r, "岱山智能", RelationType::PartnersWith, p) || has(&r, p, RelationType::PartnersWith, "岱山智能"),
            "{p}: {r:?}"
        );
    }
    assert!(
        !has(&r, "小米", RelationType::PartnersWith, "招商银行")
            && !has(&r, "招商银行", RelationType::PartnersWith, "小米"),
        "{r:?}"
    );
}

#[test]
fn investors_of_the_subject_and_gai_gongsi_at_a_sentence_start() {
    let r = relations(
        "岱衡科技成立于2023年，总部位于杭州，早期获得过源码资本和高榕创投的投资。该公司自研的视频生成模型衡影-2擅长长镜头。",
    );
    assert!(has(&r, "源码资本", RelationType::InvestsIn, "岱衡科技"), "{r:?}");
    assert!(
        r.iter()
            .any(|x| x.1 == RelationType::InvestsIn && x.0.starts_with("高榕") && x.2 == "岱衡科技"),
        "{r:?}"
    );
    assert!(has(&r, "岱衡科技", RelationType::Develops, "衡影-2"), "{r:?}");
}

#[test]
fn its_first_model_names_the_companys_model() {
    let r = relations("Brindle Labs raised money. Its first model, Brindle-1, is due out later this year.");
    assert!(has(&r, "Brindle Labs", RelationType::Develops, "Brindle-1"), "{r:?}");
}

#[test]
fn a_writer_authors_and_a_book_tells() {
    let r = relations("由财经作家岑晚舟撰写的《算力暗战》近日由中信出版社出版。这是第一本系统讲述英伟达的非虚构作品。");
    assert!(has(&r, "岑晚舟", RelationType::Authored, "算力暗战"), "{r:?}");
    assert!(has(&r, "算力暗战", RelationType::Describes, "NVIDIA"), "{r:?}");
    let x = extract("她著有《芯片之战》一书。");
    assert!(
        !x.entities.iter().any(|e| e.etype == crate::model::EntityType::Event),
        "{:?}",
        x.entities
    );
}

#[test]
fn a_listings_proceeds_are_no_funding_round_and_a_title_no_company() {
    let x = extract("招股书显示，岱衡纪元本次募资约38亿元。他带走了两位前同事，如今分别担任公司CTO和首席架构师。");
    assert!(!x.entities.iter().any(|e| e.name.contains("融资")), "{:?}", x.entities);
    assert!(!x.entities.iter().any(|e| e.name == "CTO"), "{:?}", x.entities);
}

#[test]
fn a_companys_arm_or_research_group_is_part_of_it() {
    let r = relations(
        "Index Ventures led the round, with participation from Quarry Ventures, Nvidia's venture capital arm.",
    );
    assert!(has(&r, "Quarry Ventures", RelationType::PartOf, "NVIDIA"), "{r:?}");
    let r = relations("She worked on protein models at Meta's FAIR research group.");
    assert!(r.iter().any(|x| x.1 == RelationType::PartOf && x.2 == "Meta"), "{r:?}");
}

#[test]
fn a_stem_names_the_company_introduced_first_not_its_later_unit() {
    let r = relations(
        "Veldran AI raised money in March. Veldran launched the Corvid-2 model in May. Veldran Research, a new unit, will be run by Tomasz Wójcik. Wójcik spent five years at Microsoft Research.",
    );
    assert!(has(&r, "Veldran AI", RelationType::Develops, "Corvid-2"), "{r:?}");
    assert!(
        !has(&r, "Veldran Research", RelationType::Develops, "Corvid-2"),
        "{r:?}"
    );
    // An accented surname alone is the person named in full before.
    assert!(
        has(&r, "Tomasz Wójcik", RelationType::WorksAt, "Microsoft Research"),
        "{r:?}"
    );
}

#[test]
fn rivals_named_after_a_linking_word_or_as_a_list_in_competition() {
    let r = relations(
        "Brightkeel Robotics builds arms. Its main competitor is Harlow Dynamics, which sells to the same warehouses.",
    );
    assert!(
        has(&r, "Brightkeel Robotics", RelationType::CompetesWith, "Harlow Dynamics")
            || has(&r, "Harlow Dynamics", RelationType::CompetesWith, "Brightkeel Robotics"),
        "{r:?}"
    );
    let r = relations("The order sharpens competition among chipmakers Nvidia, AMD and Intel.");
    let competes = r.iter().filter(|x| x.1 == RelationType::CompetesWith).count();
    assert_eq!(competes, 3, "{r:?}");
}

#[test]
fn chinese_rivals_a_company_faces_and_the_challenger_of_another() {
    let r = relations("在政务市场，云衡科技面对的是阿里云、华为云和腾讯云的围堵。");
    for rival in ["阿里云", "华为云", "腾讯云"] {
        assert!(
            r.iter()
                .any(|(a, x, b)| *x == RelationType::CompetesWith && (a == rival || b == rival)),
            "{rival}: {r:?}"
        );
    }
    let r = relations("百度推出文心一言后，文心一言一度被视为ChatGPT在国内最有力的挑战者。");
    assert!(
        r.iter()
            .any(|(a, x, b)| *x == RelationType::CompetesWith && [a.as_str(), b.as_str()].contains(&"ChatGPT")),
        "{r:?}"
    );
}

#[test]
fn a_reorganisation_announced_by_a_chief_is_the_company_s() {
    let r = relations(
        "Veldran AI grew fast this year. Chief executive Mara Quist, who founded the company, also announced a reorganisation.",
    );
    assert!(
        r.iter()
            .any(|(a, x, b)| a == "Veldran AI" && *x == RelationType::InvolvedIn && b.contains("restructuring")),
        "{r:?}"
    );
}

#[test]
fn a_co_investor_after_the_lead_is_no_company_that_raised() {
    let r = relations("澜起智能今年2月完成1亿元A轮融资，由青屿资本领投、北辰创投参投。");
    assert!(has(&r, "青屿资本", RelationType::InvestsIn, "澜起智能"), "{r:?}");
    assert!(has(&r, "北辰创投", RelationType::InvestsIn, "澜起智能"), "{r:?}");
    assert!(!has(&r, "青屿资本", RelationType::InvestsIn, "北辰创投"), "{r:?}");
}

#[test]
fn cornerstone_investors_invest_in_the_company_listing() {
    let r = relations("澜起智能今日在港交所挂牌上市。青屿资本和北辰创投作为基石投资者，合计认购约2亿港元股份。");
    assert!(has(&r, "青屿资本", RelationType::InvestsIn, "澜起智能"), "{r:?}");
    assert!(has(&r, "北辰创投", RelationType::InvestsIn, "澜起智能"), "{r:?}");
}

#[test]
fn a_bare_company_word_is_the_company_the_text_is_about() {
    let r = relations(
        "澜起智能成立于2020年，澜起智能的创始人许知远曾任商汤科技研究总监。他与同在商汤工作的韩述共同创办了公司，韩述目前担任首席执行官。公司主要为零售客户提供视觉系统，自研的视觉大模型澜瞳-2于去年上线。",
    );
    assert!(has(&r, "韩述", RelationType::Founded, "澜起智能"), "{r:?}");
    assert!(!has(&r, "韩述", RelationType::Founded, "商汤"), "{r:?}");
    assert!(has(&r, "韩述", RelationType::Leads, "澜起智能"), "{r:?}");
    assert!(has(&r, "澜起智能", RelationType::Develops, "澜瞳-2"), "{r:?}");
    assert!(!has(&r, "商汤", RelationType::Develops, "澜瞳-2"), "{r:?}");
}

#[test]
fn a_space_in_a_chinese_headline_ends_a_clause() {
    let r = relations("澜起智能登陆港交所首日破发 上市前一年裁员近三百人");
    assert!(
        r.iter()
            .any(|(a, x, b)| a == "澜起智能" && *x == RelationType::InvolvedIn && b.contains("裁员")),
        "{r:?}"
    );
    assert!(
        !r.iter()
            .any(|(a, x, b)| a == "香港交易所" && *x == RelationType::InvolvedIn && b.contains("裁员")),
        "{r:?}"
    );
}

#[test]
fn a_bare_company_word_is_the_subject_before_it_not_the_most_named_company() {
    let r = relations(
        "美团宣布收购栖澜机器人。美团表示，这笔交易将加快美团的无人配送。栖澜机器人成立于2022年，由前大疆工程师付川创办。公司此前累计融资超过6亿元，投资方包括青屿资本和北辰创投。",
    );
    assert!(has(&r, "青屿资本", RelationType::InvestsIn, "栖澜机器人"), "{r:?}");
    assert!(!has(&r, "青屿资本", RelationType::InvestsIn, "美团"), "{r:?}");
}

#[test]
fn chinese_rivals_after_a_colon_or_faced_in_competition() {
    let r = relations("目前，国内视频模型的竞争已经白热化：可灵、即梦和Vidu几乎每个月都有新版本。");
    let competes = r.iter().filter(|x| x.1 == RelationType::CompetesWith).count();
    assert_eq!(competes, 3, "{r:?}");
    let r = relations("在公有云市场，华为云也面临阿里云和火山引擎的强势竞争。");
    assert!(
        has(&r, "华为云", RelationType::CompetesWith, "阿里云")
            || has(&r, "阿里云", RelationType::CompetesWith, "华为云"),
        "{r:?}"
    );
    // The list is the rivals of the one facing them, not of each other.
    assert!(
        !has(&r, "阿里云", RelationType::CompetesWith, "火山引擎")
            && !has(&r, "火山引擎", RelationType::CompetesWith, "阿里云"),
        "{r:?}"
    );
}

#[test]
fn the_head_of_a_part_of_a_company_works_there_and_does_not_lead_it() {
    let r = relations("澜起智能成立于2022年。创始人兼CEO许知远此前是百度自动驾驶事业部的技术负责人。");
    assert!(has(&r, "许知远", RelationType::Leads, "澜起智能"), "{r:?}");
    assert!(!has(&r, "许知远", RelationType::Leads, "百度"), "{r:?}");
    assert!(has(&r, "许知远", RelationType::WorksAt, "百度"), "{r:?}");
    let r =
        relations("Hale Optics was founded in 2020 by Ines Varga, who previously led photonics research at Philips.");
    assert!(!has(&r, "Ines Varga", RelationType::Leads, "Philips"), "{r:?}");
    // The company's own chief, with titles between, still leads it.
    let r = relations("月之暗面创始人兼CEO杨植麟表示，公司将继续投入。");
    assert!(has(&r, "杨植麟", RelationType::Leads, "月之暗面"), "{r:?}");
}

#[test]
fn a_company_that_qualifies_a_founder_is_no_company_founded() {
    let r = relations("栖澜机器人成立于2022年，由前大疆工程师付川与同济大学教授卢允安共同创办。");
    assert!(!has(&r, "付川", RelationType::Founded, "大疆"), "{r:?}");
    assert!(!has(&r, "卢允安", RelationType::Founded, "大疆"), "{r:?}");
    assert!(has(&r, "卢允安", RelationType::Founded, "栖澜机器人"), "{r:?}");
}

#[test]
fn investments_from_named_after_the_company_that_took_them() {
    let r =
        relations("Halvard Labs grew fast. Halvard Labs negotiated back-to-back investments from Google and Amazon.");
    assert!(has(&r, "Google", RelationType::InvestsIn, "Halvard Labs"), "{r:?}");
    assert!(has(&r, "Amazon", RelationType::InvestsIn, "Halvard Labs"), "{r:?}");
}

#[test]
fn an_appointment_whose_person_closes_the_clause_before() {
    let r = relations("3月2日，澜起智能创始人、北辰科技董事长韩述，正式出任栖澜机器人董事长。");
    assert!(
        r.iter()
            .any(|(a, x, b)| a == "韩述" && *x == RelationType::InvolvedIn && b.contains("出任")),
        "{r:?}"
    );
}

#[test]
fn a_largest_backer_is_an_investor_and_a_merger_with_one_named() {
    let r = relations(
        "Corvale AI raised $95 million to date; its largest backer is Harrow Peak Capital, which led a round in 2024.",
    );
    assert!(
        has(&r, "Harrow Peak Capital", RelationType::InvestsIn, "Corvale AI"),
        "{r:?}"
    );
    let r = relations(
        "Corvale AI sells agents. Corvale AI grew quickly after last year's merger with Tidewell Systems, a smaller rival.",
    );
    assert!(
        r.iter()
            .any(|(a, x, b)| a == "Tidewell Systems" && *x == RelationType::InvolvedIn && b.contains("merger")),
        "{r:?}"
    );
}

#[test]
fn a_company_named_with_the_parent_the_lexicon_gives_it_is_part_of_it() {
    let r = relations("在云市场上，亚马逊旗下的AWS仍然领先。");
    assert!(has(&r, "AWS", RelationType::PartOf, "Amazon"), "{r:?}");
    // A company bought is told as the purchase.
    let r = relations("Microsoft acquired LinkedIn in 2016.");
    assert!(!r.iter().any(|x| x.1 == RelationType::PartOf), "{r:?}");
}

#[test]
fn a_model_named_before_its_maker_in_one_sentence_is_the_maker_s() {
    let r = relations("Gemini 3在多项测试中领先，这让谷歌重新占据主动。");
    assert!(has(&r, "Google", RelationType::Develops, "Gemini 3"), "{r:?}");
}

#[test]
fn a_person_who_was_in_charge_of_something_at_a_company_worked_there() {
    let r = relations("The lab hired John Reyes, who was in charge of special projects at OpenAI.");
    assert!(has(&r, "John Reyes", RelationType::WorksAt, "OpenAI"), "{r:?}");
}

#[test]
fn it_after_a_company_that_speaks_is_that_company() {
    let r = relations(
        "Halvard Materials, a maker in Sweden, tests the model, and Corvale AI said it has a partnership with Samsung SDI.",
    );
    assert!(
        has(&r, "Corvale AI", RelationType::PartnersWith, "Samsung SDI")
            || has(&r, "Samsung SDI", RelationType::PartnersWith, "Corvale AI"),
        "{r:?}"
    );
    assert!(
        !r.iter().any(|(a, x, b)| *x == RelationType::PartnersWith && (a == "Halvard Materials" || b == "Halvard Materials")),
        "{r:?}"
    );
}

#[test]
fn raising_concerns_is_no_funding_round_and_a_press_is_no_person() {
    let r = relations("Broadcom and Marvell Technology raised concerns with the Commission during its review.");
    assert!(!r.iter().any(|(_, _, b)| b.contains("funding")), "{r:?}");
    let r = relations("\"The Quiet Ledger,\" a new book by Mara Quist, was published this week by Larkspur Press.");
    assert!(
        !has(&r, "Larkspur Press", RelationType::Authored, "The Quiet Ledger"),
        "{r:?}"
    );
    assert!(
        has(&r, "Mara Quist", RelationType::Authored, "The Quiet Ledger"),
        "{r:?}"
    );
}

#[test]
fn a_pronoun_joined_to_a_name_is_that_name() {
    let r = relations("星弧科技宣布收购初创公司「岩雀智能」及其旗舰模型Quill-2。");
    assert!(has(&r, "岩雀智能", RelationType::Develops, "Quill-2"), "{r:?}");
    assert!(!has(&r, "星弧科技", RelationType::Develops, "Quill-2"), "{r:?}");
}

#[test]
fn a_clause_that_opens_with_buying_buys_for_the_subject() {
    let r = relations("星弧科技创始人林峤在周一的发布会上，宣布收购成立不到两年的深圳机器人公司岩雀智能。");
    assert!(has(&r, "星弧科技", RelationType::Acquires, "岩雀智能"), "{r:?}");
    assert!(!has(&r, "林峤", RelationType::Acquires, "岩雀智能"), "{r:?}");
}

#[test]
fn a_departure_is_named_with_its_verb_as_written() {
    let x = extract("岚穹智算联合创始人上官琰卸任首席执行官，转任公司顾问。");
    assert!(x.entities.iter().any(|e| e.name == "上官琰卸任"), "{:?}", x.entities);
}

#[test]
fn english_posts_stated_with_is_and_appositions_with_a_former_post() {
    let r = relations(
        "Velt Labs was founded by Mara Quist and Tomas Brandt. Quist is the company's CEO; Brandt is CTO. \
         Anna Brenner, a former Google DeepMind research scientist, advises Velt Labs. \
         Priya Lanza, the former chief information security officer of Stripe, invested.",
    );
    assert!(has(&r, "Mara Quist", RelationType::Leads, "Velt Labs"), "{r:?}");
    assert!(has(&r, "Tomas Brandt", RelationType::WorksAt, "Velt Labs"), "{r:?}");
    assert!(
        has(&r, "Anna Brenner", RelationType::WorksAt, "Google DeepMind"),
        "{r:?}"
    );
    assert!(has(&r, "Priya Lanza", RelationType::WorksAt, "Stripe"), "{r:?}");
    let r = relations("Orrin Labs makes chips in Austin. Dana Holt is chief executive.");
    assert!(has(&r, "Dana Holt", RelationType::Leads, "Orrin Labs"), "{r:?}");
}

#[test]
fn a_company_that_counts_others_as_its_rivals() {
    let r = relations("Velt Labs counts Mistral AI and Aleph Alpha as its main competitors.");
    assert!(
        has(&r, "Velt Labs", RelationType::CompetesWith, "Mistral AI")
            || has(&r, "Mistral AI", RelationType::CompetesWith, "Velt Labs"),
        "{r:?}"
    );
    assert!(
        has(&r, "Velt Labs", RelationType::CompetesWith, "Aleph Alpha")
            || has(&r, "Aleph Alpha", RelationType::CompetesWith, "Velt Labs"),
        "{r:?}"
    );
}

#[test]
fn a_book_describes_all_its_sentence_names_after_the_verb_up_to_a_stop() {
    let r = relations("《晶核十年》近日出版。书中相当篇幅聚焦两个人：星弧科技董事长林峤，以及岩雀智能总裁庞述。");
    for t in ["林峤", "庞述"] {
        assert!(has(&r, "晶核十年", RelationType::Describes, t), "{t}: {r:?}");
    }
    let r = relations(
        "\"The Wafer Kings,\" a new book by Colm Reddy, is out this week. The book tells the parallel stories of \
         Nvidia, the company Jensen Huang co-founded, and TSMC, which Samsung once tried to match.",
    );
    for t in ["NVIDIA", "Jensen Huang", "TSMC"] {
        assert!(has(&r, "The Wafer Kings", RelationType::Describes, t), "{t}: {r:?}");
    }
    // A relative clause ends what the book is said to tell.
    assert!(!has(&r, "The Wafer Kings", RelationType::Describes, "Samsung"), "{r:?}");
}

#[test]
fn a_team_that_includes_people_and_a_founder_in_apposition() {
    let r = relations(
        "Velt Labs launched this week, and it included Mara Quist, an OpenAI co-founder, Tomas Brandt, who ran \
         special projects at Anthropic, and Dana Holt, a former researcher.",
    );
    for p in ["Mara Quist", "Tomas Brandt", "Dana Holt"] {
        assert!(has(&r, p, RelationType::WorksAt, "Velt Labs"), "{p}: {r:?}");
    }
    assert!(has(&r, "Mara Quist", RelationType::Founded, "OpenAI"), "{r:?}");
    assert!(!has(&r, "Tomas Brandt", RelationType::Founded, "OpenAI"), "{r:?}");
}

#[test]
fn joiners_with_no_object_join_the_company_named_last_not_the_one_they_left() {
    let r = relations(
        "星弧科技是一家老牌芯片公司，星弧科技的市场份额很高。林峤离开星弧科技后创办了岩雀智能。\
         随后，原星弧科技销售总监王东、架构师杨上山也相继加入。",
    );
    assert!(has(&r, "王东", RelationType::WorksAt, "岩雀智能"), "{r:?}");
    assert!(has(&r, "杨上山", RelationType::WorksAt, "岩雀智能"), "{r:?}");
    // `原` (former) is no part of the company's name.
    assert!(has(&r, "王东", RelationType::WorksAt, "星弧科技"), "{r:?}");
    assert!(!r.iter().any(|(_, _, b)| b.starts_with('原')), "{r:?}");
}

#[test]
fn investors_that_joined_a_round_run_to_the_end_of_the_sentence_but_not_into_brackets() {
    let r = relations(
        "Velt Labs raised 90 million euros. Harrow Peak Capital led the new round of funding. They were joined by \
         Salesforce and Nvidia, plus first-round shareholders such as Bpifrance and Eric Schmidt (former CEO of Google).",
    );
    for i in ["Salesforce", "NVIDIA", "Bpifrance", "Eric Schmidt"] {
        assert!(has(&r, i, RelationType::InvestsIn, "Velt Labs"), "{i}: {r:?}");
    }
    assert!(!has(&r, "Google", RelationType::InvestsIn, "Velt Labs"), "{r:?}");
}

#[test]
fn founders_after_by_run_through_relative_clauses_and_appositions() {
    let r = relations(
        "Velt Labs was founded in 2024 by Mara Quist, who previously led engineering at Stripe, and Dana Holt, a \
         former researcher at Google.",
    );
    assert!(has(&r, "Mara Quist", RelationType::Founded, "Velt Labs"), "{r:?}");
    assert!(has(&r, "Dana Holt", RelationType::Founded, "Velt Labs"), "{r:?}");
    assert!(!has(&r, "Mara Quist", RelationType::Founded, "Google"), "{r:?}");
    assert!(!has(&r, "Dana Holt", RelationType::Founded, "Stripe"), "{r:?}");
}

#[test]
fn people_in_charge_of_a_company_s_work_and_a_founding_team() {
    let r = relations("星弧科技的芯片项目由总裁林峤与架构师庞述共同主导，研究工作则由科学家杨上山负责。");
    for p in ["林峤", "庞述", "杨上山"] {
        assert!(has(&r, p, RelationType::WorksAt, "星弧科技"), "{p}: {r:?}");
    }
    let r = relations("岩雀智能成立于2021年，创始团队以总裁王东、架构师杨上山等为核心。");
    assert!(has(&r, "王东", RelationType::Founded, "岩雀智能"), "{r:?}");
    assert!(has(&r, "杨上山", RelationType::Founded, "岩雀智能"), "{r:?}");
}

#[test]
fn a_unit_under_one_name_of_a_list_belongs_to_that_name_only() {
    let r = relations("本次上市引入四家基石投资者：阿里巴巴、宁德时代、高瓴旗下的澄湖基金以及云锋基金。");
    assert!(has(&r, "澄湖基金", RelationType::PartOf, "高瓴"), "{r:?}");
    assert!(
        !r.iter()
            .any(|(_, x, b)| *x == RelationType::PartOf && (b == "阿里巴巴" || b == "宁德时代")),
        "{r:?}"
    );
    assert!(!has(&r, "云锋基金", RelationType::PartOf, "高瓴"), "{r:?}");
}

#[test]
fn this_company_opening_a_sentence_is_no_company_named_after_a_preposition() {
    let r = relations(
        "岩雀智能成立于2023年。联合创始人林峤毕业于清华大学，曾任职于百度。该公司去年发布了首个模型岩雀-VLA。",
    );
    assert!(has(&r, "岩雀智能", RelationType::Develops, "岩雀-VLA"), "{r:?}");
    assert!(!has(&r, "百度", RelationType::Develops, "岩雀-VLA"), "{r:?}");
}

#[test]
fn a_company_named_with_its_city_first_is_the_company_named_without_it() {
    let x = extract("珠海岚湾集团战略投资了智谱。岚湾集团称，这是一笔长期投资。");
    let companies: Vec<&str> = x
        .entities
        .iter()
        .filter(|e| e.name.contains("岚湾"))
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(companies, vec!["岚湾集团"], "{:?}", x.entities);
    assert!(
        x.entities.iter().any(|e| e.aliases.iter().any(|a| a == "珠海岚湾集团")),
        "{:?}",
        x.entities
    );
}

#[test]
fn a_known_company_s_unit_named_without_the_company_is_that_unit() {
    let x = extract(
        "Alphabet 整合 DeepMind 和 Brain 两大研究队伍\n谷歌宣布，Google Brain 将与 DeepMind 合并。Brain 负责人将向皮蔡汇报。",
    );
    let brain: Vec<&str> = x
        .entities
        .iter()
        .filter(|e| e.etype == crate::model::EntityType::Company && e.name.contains("Brain"))
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(brain, vec!["Google Brain"], "{:?}", x.entities);
}

#[test]
fn rfind_is_memchr_s_rfind() {
    let pieces: [&[u8]; 8] = [
        b"a",
        b"b",
        "收".as_bytes(),
        "购".as_bytes(),
        "’".as_bytes(),
        b" ",
        b"ab",
        b"",
    ];
    let mut x: u64 = 7;
    let mut next = || {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) as usize
    };
    for _ in 0..3000 {
        let hay: Vec<u8> = (0..next() % 12)
            .flat_map(|_| pieces[next() % pieces.len()].to_vec())
            .collect();
        let needle: Vec<u8> = (0..next() % 3)
            .flat_map(|_| pieces[next() % pieces.len()].to_vec())
            .collect();
        assert_eq!(
            super::rfind(&hay, &needle),
            memchr::memmem::rfind(&hay, &needle),
            "{hay:?} {needle:?}"
        );
    }
}
