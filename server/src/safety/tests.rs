use std::path::PathBuf;

use proptest::prelude::*;

use super::normalize::{MERGES, TRIGGERS, is_trigger, may_contain_trigger, squeeze_eq, tokens};
use super::*;

const CRISIS: &str = include_str!("testdata/crisis.txt");
const ORDINARY: &str = include_str!("testdata/ordinary.txt");
const CRISIS_HOLDOUT: &str = include_str!("testdata/crisis-holdout.txt");
const ORDINARY_HOLDOUT: &str = include_str!("testdata/ordinary-holdout.txt");
const CRISIS_FRESH: &str = include_str!("testdata/crisis-fresh.txt");
const ORDINARY_FRESH: &str = include_str!("testdata/ordinary-fresh.txt");

/// Crisis lines that the phrase list knowingly misses: indirect wording with no phrase of its
/// own. Listed in docs/safety.md; the recall figure counts them as misses.
const KNOWN_MISSES: &[&str] = &[
    "I'm not going to make it through the night",
    "I'm done. I can't keep living like this",
];

fn lines(corpus: &str) -> Vec<&str> {
    corpus
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// The negatives of the shared contact-filter development set, when it is beside the project
/// (it is in development and CI; the measurement says so when it is not).
fn contact_dev_negatives() -> Option<Vec<String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/contact-dev.jsonl");
    let text = std::fs::read_to_string(path).ok()?;
    let lines = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|v| v["contact"] == serde_json::Value::Bool(false))
        .filter_map(|v| v["text"].as_str().map(str::to_owned))
        .collect();
    Some(lines)
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        #[allow(clippy::cast_precision_loss)]
        let ratio = part as f64 / whole as f64;
        100.0 * ratio
    }
}

/// The measurement reported in docs/safety.md. Run with
/// `cargo test --lib safety::tests::measurement -- --nocapture` to print the table.
#[test]
fn measurement() {
    let crisis = lines(CRISIS);
    let ordinary = lines(ORDINARY);
    let missed: Vec<&str> = crisis
        .iter()
        .copied()
        .filter(|l| detect(l).is_none())
        .collect();
    let false_alerts: Vec<(&str, CrisisSignal)> = ordinary
        .iter()
        .filter_map(|l| detect(l).map(|s| (*l, s)))
        .collect();
    let dev = contact_dev_negatives();
    let dev_alerts: Vec<String> = dev
        .iter()
        .flatten()
        .filter(|l| detect(l).is_some())
        .cloned()
        .collect();

    println!();
    println!("| corpus | messages | alerts | rate |");
    println!("|---|---:|---:|---:|");
    let recalled = crisis.len() - missed.len();
    println!(
        "| crisis messages (recall) | {} | {recalled} | {:.1}% |",
        crisis.len(),
        percent(recalled, crisis.len())
    );
    println!(
        "| ordinary support-group talk (false alerts) | {} | {} | {:.1}% |",
        ordinary.len(),
        false_alerts.len(),
        percent(false_alerts.len(), ordinary.len())
    );
    match &dev {
        Some(dev) => println!(
            "| contact-dev.jsonl negatives (false alerts) | {} | {} | {:.1}% |",
            dev.len(),
            dev_alerts.len(),
            percent(dev_alerts.len(), dev.len())
        ),
        None => println!("| contact-dev.jsonl negatives | not found beside the project | | |"),
    }
    let crisis_holdout = lines(CRISIS_HOLDOUT);
    let ordinary_holdout = lines(ORDINARY_HOLDOUT);
    let holdout_missed: Vec<&str> = crisis_holdout
        .iter()
        .copied()
        .filter(|l| detect(l).is_none())
        .collect();
    let holdout_alerts: Vec<(&str, CrisisSignal)> = ordinary_holdout
        .iter()
        .filter_map(|l| detect(l).map(|s| (*l, s)))
        .collect();
    let holdout_recalled = crisis_holdout.len() - holdout_missed.len();
    println!(
        "| held-out crisis messages (recall) | {} | {holdout_recalled} | {:.1}% |",
        crisis_holdout.len(),
        percent(holdout_recalled, crisis_holdout.len())
    );
    println!(
        "| held-out ordinary talk (false alerts) | {} | {} | {:.1}% |",
        ordinary_holdout.len(),
        holdout_alerts.len(),
        percent(holdout_alerts.len(), ordinary_holdout.len())
    );
    let crisis_fresh = lines(CRISIS_FRESH);
    let ordinary_fresh = lines(ORDINARY_FRESH);
    let fresh_missed: Vec<&str> = crisis_fresh
        .iter()
        .copied()
        .filter(|l| detect(l).is_none())
        .collect();
    let fresh_alerts: Vec<(&str, CrisisSignal)> = ordinary_fresh
        .iter()
        .filter_map(|l| detect(l).map(|s| (*l, s)))
        .collect();
    let fresh_recalled = crisis_fresh.len() - fresh_missed.len();
    println!(
        "| fresh crisis messages (recall) | {} | {fresh_recalled} | {:.1}% |",
        crisis_fresh.len(),
        percent(fresh_recalled, crisis_fresh.len())
    );
    println!(
        "| fresh ordinary talk (false alerts) | {} | {} | {:.1}% |",
        ordinary_fresh.len(),
        fresh_alerts.len(),
        percent(fresh_alerts.len(), ordinary_fresh.len())
    );
    let everyday: Vec<&str> = ordinary
        .iter()
        .chain(&ordinary_holdout)
        .chain(&ordinary_fresh)
        .copied()
        .collect();
    let fast = everyday.iter().filter(|l| !may_contain_trigger(l)).count();
    println!(
        "fast path (no allocation) taken by {fast} of {} ordinary messages ({:.1}%); most of \
         these corpora use crisis words on purpose",
        everyday.len(),
        percent(fast, everyday.len())
    );
    for line in &fresh_missed {
        println!("missed (fresh): {line}");
    }
    for (line, signal) in &fresh_alerts {
        println!("false alert (fresh): {line} ({signal:?})");
    }
    for line in &missed {
        println!("missed: {line}");
    }
    for (line, signal) in &false_alerts {
        println!("false alert: {line} ({signal:?})");
    }
    for line in &dev_alerts {
        println!("false alert (contact-dev): {line}");
    }
    for line in &holdout_missed {
        println!("missed (held-out): {line}");
    }
    for (line, signal) in &holdout_alerts {
        println!("false alert (held-out): {line} ({signal:?})");
    }

    assert!(crisis.len() >= 80 && ordinary.len() >= 150);
    let unexpected_misses: Vec<&&str> = missed
        .iter()
        .filter(|l| !KNOWN_MISSES.contains(l))
        .collect();
    assert!(
        unexpected_misses.is_empty(),
        "missed: {unexpected_misses:#?}"
    );
    assert!(false_alerts.is_empty(), "false alerts: {false_alerts:#?}");
    assert!(
        dev_alerts.is_empty(),
        "contact-dev false alerts: {dev_alerts:#?}"
    );
    // Regression guards for the held-out and fresh sets: never worse than docs/safety.md says.
    assert!(
        holdout_alerts.is_empty(),
        "held-out false alerts: {holdout_alerts:#?}"
    );
    assert!(
        fresh_alerts.is_empty(),
        "fresh false alerts: {fresh_alerts:#?}"
    );
    assert!(
        holdout_recalled >= 38,
        "held-out recall fell to {holdout_recalled}"
    );
    assert!(
        fresh_recalled >= 26,
        "fresh recall fell to {fresh_recalled}"
    );
}

#[test]
fn each_category_is_recognised_with_its_phrase() {
    let cases = [
        (
            "I want to kill myself",
            CrisisCategory::Suicide,
            "kill myself",
        ),
        ("i just want to die", CrisisCategory::Suicide, "want to die"),
        ("I'm suicidal", CrisisCategory::Suicide, "suicidal"),
        (
            "I took all my pills",
            CrisisCategory::Overdose,
            "took all my pills",
        ),
        (
            "I'm cutting again",
            CrisisCategory::SelfHarm,
            "cutting again",
        ),
        (
            "I want to say goodbye to everyone",
            CrisisCategory::Farewell,
            "say goodbye to everyone",
        ),
        (
            "everyone would be better off without me",
            CrisisCategory::Hopelessness,
            "better off without me",
        ),
    ];
    for (text, category, phrase) in cases {
        assert_eq!(
            detect(text),
            Some(CrisisSignal { category, phrase }),
            "{text}"
        );
    }
}

#[test]
fn the_most_severe_signal_wins() {
    let signal = detect("no reason to live, I want to kill myself").unwrap();
    assert_eq!(signal.category, CrisisCategory::Suicide);
}

#[test]
fn negation_keeps_quiet_but_only_close_to_the_phrase() {
    assert_eq!(detect("I'm not suicidal"), None);
    assert_eq!(detect("I am not really feeling suicidal"), None);
    assert_eq!(detect("I'm not going to kill myself"), None);
    assert_eq!(detect("I don't want to die"), None);
    // A negation elsewhere in the sentence does not cancel the phrase.
    assert!(detect("I don't know why I want to die").is_some());
    assert!(detect("I'm not okay, I want to die").is_some());
    assert!(detect("I'm not suicidal but I want to die").is_some());
    // "don't want to live" is itself a phrase.
    assert!(detect("I don't want to live anymore").is_some());
}

#[test]
fn past_and_recovery_keep_quiet_unless_the_sentence_comes_back_to_now() {
    assert_eq!(detect("I used to cut myself"), None);
    assert_eq!(detect("I was suicidal years ago"), None);
    assert_eq!(detect("I attempted suicide in 2015"), None);
    assert!(detect("I used to cut myself and I did it again last night").is_some());
    assert!(detect("I was suicidal years ago and I am again now").is_some());
    // Time words in another sentence do not reach.
    assert!(detect("I used to drink every day. Now I just want to die.").is_some());
}

#[test]
fn talk_about_someone_else_keeps_quiet_but_anyone_else_is_a_disclosure() {
    assert_eq!(detect("my son is suicidal"), None);
    assert_eq!(detect("If you feel suicidal, call 988"), None);
    assert!(detect("does anyone else feel suicidal at night").is_some());
    assert!(detect("my son thinks I'm suicidal").is_some());
}

#[test]
fn disguised_crisis_language_is_still_recognised() {
    let base = [
        "I want to kill myself",
        "i just want to die",
        "I'm suicidal",
        "I don't want to be alive anymore",
        "I took all my pills",
        "I'm cutting again",
    ];
    let disguises: [fn(&str) -> String; 8] = [
        |s| s.to_uppercase(),
        |s| s.replace('i', "і"),                   // Cyrillic і
        |s| s.replace('o', "о").replace('a', "а"), // Cyrillic о, а
        |s| {
            s.replace("ll", "l\u{200B}l")
                .replace("ui", "u\u{200D}i")
                .replace("ie", "i\u{2060}e")
        },
        |s| s.replace('\'', "’"),
        |s| s.replace("ll", "llll").replace('e', "ee"),
        |s| {
            s.chars()
                .map(|c| match c {
                    'a'..='z' => char::from_u32(c as u32 - 'a' as u32 + 'ａ' as u32).unwrap_or(c),
                    other => other,
                })
                .collect()
        },
        |s| s.replace('i', "1").replace("I'm", "Im"),
    ];
    for text in base {
        for (n, disguise) in disguises.iter().enumerate() {
            let disguised = disguise(text);
            assert!(
                detect(&disguised).is_some(),
                "disguise {n} of {text:?}: {disguised:?} → {:?}",
                tokens(&disguised)
            );
        }
    }
}

#[test]
fn chat_spellings_and_misspellings_are_recognised() {
    for text in [
        "kms",
        "i wanna die",
        "i want 2 die",
        "im gonna kill myslef",
        "so sucidal rn",
        "I dont wanna be alive anymore",
        "i want to unalive myself",
        "thinking about selfharm again",
        "i want to k i l l myself",
        "i want to kill my self",
        "i want to over dose",
        "I don't feel safe tonight",
        "im not safe right now",
    ] {
        assert!(detect(text).is_some(), "{text:?} → {:?}", tokens(text));
    }
}

#[test]
fn the_documented_weaknesses_behave_as_documented() {
    // Hyperbole, quoted speech and subject-less general statements alert (docs/safety.md).
    for text in [
        "I'd kill myself if I had to sit through that again",
        "I want to die, that was so embarrassing",
        "my friend said 'I want to die'",
        "Suicidal ideation makes people feel alone",
    ] {
        assert!(detect(text).is_some(), "{text}");
    }
    // A past marker without a present word hides a recent event.
    assert_eq!(detect("I was suicidal years ago and last month"), None);
    assert!(detect("I was suicidal years ago and recently").is_some());
}

#[test]
fn the_signal_never_carries_the_message_text() {
    let text = "I want to kill myself, canary-7f3a";
    let signal = detect(text).unwrap();
    let json = serde_json::to_string(&signal).unwrap();
    assert_eq!(json, r#"{"category":"suicide","phrase":"kill myself"}"#);
    assert!(!json.contains("canary"));
}

#[test]
fn every_rule_has_an_anchor_word_for_the_fast_path() {
    let is_trigger = |word: &str| TRIGGERS.iter().any(|t| squeeze_eq(t, word));
    for rule in RULES {
        let anchored = rule.pattern.split(' ').any(|position| {
            !position.ends_with('?')
                && position.split('|').all(|alternative| {
                    alternative
                        .split('+')
                        .any(|w| w != "_" && !w.starts_with('#') && is_trigger(w))
                })
        });
        assert!(
            anchored,
            "rule {:?} has no position made of trigger words",
            rule.phrase
        );
    }
    for (first, second, merged) in MERGES {
        assert!(
            !is_trigger(merged) || is_trigger(first) || is_trigger(second),
            "merge {first}+{second}"
        );
    }
}

#[test]
fn the_fast_path_passes_every_message_the_matcher_would_flag() {
    for text in lines(CRISIS).into_iter().chain(lines(ORDINARY)) {
        if detect_in(&tokens(text)).is_some() {
            assert!(may_contain_trigger(text), "{text:?}");
        }
    }
}

#[test]
fn the_phrase_list_is_exposed_for_documentation() {
    let list: Vec<_> = phrase_list().collect();
    assert!(list.len() >= 60);
    assert!(list.contains(&(CrisisCategory::Suicide, "kill myself")));
}

proptest! {
    #[test]
    fn detection_never_panics_and_the_fast_path_agrees_with_the_matcher(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("i".to_owned()), Just("want".to_owned()), Just("to".to_owned()),
                Just("die".to_owned()), Just("kill".to_owned()), Just("myself".to_owned()),
                Just("not".to_owned()), Just("don't".to_owned()), Just("used to".to_owned()),
                Just("suicidal".to_owned()), Just("my".to_owned()), Just("self".to_owned()),
                Just("good".to_owned()), Just("bye".to_owned()), Just("k!ll".to_owned()),
                Just(",".to_owned()), Just(".".to_owned()), Just("\u{200B}".to_owned()),
                Just("again".to_owned()), Just("he".to_owned()), Just("cut".to_owned()),
                "\\PC{0,8}",
            ],
            0..16,
        ),
        separator in prop_oneof![Just(" "), Just(""), Just("  "), Just("\n")],
    ) {
        let text = parts.join(separator);
        let full = detect_in(&tokens(&text));
        prop_assert_eq!(detect(&text), full);
        if full.is_some() {
            prop_assert!(may_contain_trigger(&text), "{:?}", text);
        }
    }

    /// The trigger lookup is a hash of squeezed words; it must answer exactly as comparing the
    /// word with every trigger would, for doubled letters, non-ASCII and over-long words too.
    #[test]
    fn the_trigger_lookup_agrees_with_comparing_every_trigger(
        word in prop_oneof![
            proptest::sample::select(TRIGGERS).prop_flat_map(|t| {
                let t = t.to_owned();
                (Just(t.clone()), 0..t.len().max(1)).prop_map(|(t, at)| {
                    let mut doubled = t.clone();
                    if let Some(c) = t[at..].chars().next() {
                        doubled.insert(at, c);
                    }
                    doubled
                })
            }),
            "[a-z]{1,40}",
            "\\PC{1,12}",
        ],
    ) {
        let compared = TRIGGERS.iter().any(|t| squeeze_eq(t, &word));
        prop_assert_eq!(is_trigger(&word), compared, "{:?}", word);
    }
}
