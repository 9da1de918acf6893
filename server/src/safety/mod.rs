//! Crisis support: recognizing crisis language (suicide, self-harm, overdose, farewells,
//! hopelessness) in a chat message, and the crisis resources to offer by locale.
//!
//! Nothing is censored. When [`detect`] returns a [`CrisisSignal`], the message is still
//! delivered as sent; the room privately gives the member the group's [`Resources`] and quietly
//! alerts the facilitators, who decide what to do. The signal names a *category* and the
//! *phrase-list entry* that matched, never the member's words, so an alert or an audit event
//! built from it carries no message text.
//!
//! Detection is a documented phrase list (`phrases`), not a model: every alert can be explained
//! by pointing at a line of it, and `docs/safety.md` lists what alerts and what does not. It errs
//! toward alerting, because a needless alert costs a private message and a glance from a
//! facilitator, while a missed one can cost much more. It guards against the ordinary talk of a
//! support group that uses the same words: negation ("I'm not suicidal"), past and recovery
//! ("I used to cut, 2 years free now"), someone else ("my brother died by suicide", "if you feel
//! suicidal, call 988") and idioms ("this traffic is killing me", "dead tired").
//!
//! Pure: depends on `text`, serde / serde_json and unicode-normalization only. No I/O, no clock;
//! must not depend on tokio, axum or sqlx (an operator's resources file is read by the shell and
//! handed in as a string). English only for now; `docs/safety.md` has the phrase list, the
//! guards, the measured recall and false-alert rate, and the resources table with its sources.

mod normalize;
mod phrases;
mod resources;

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

pub use resources::{
    Contact, DEFAULT_LOCALE, FALLBACK_LOCALE, LocaleResources, Resource, Resources, ResourcesError,
};

use normalize::{PAUSE, STOP, squeeze_eq};
use phrases::{FILLERS, FIRST_PERSON, NEGATIONS, OTHER_PERSON, PAST, PRESENT, RULES, Rule};

/// What kind of crisis a message signals. Ordered from most to least severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrisisCategory {
    /// A wish or intent to die, or a method ("I want to kill myself", "I'm suicidal").
    Suicide,
    /// An intentional overdose, or having taken a dangerous amount ("took all my pills").
    Overdose,
    /// Self-harm now or intended ("I'm cutting again", "I want to hurt myself").
    SelfHarm,
    /// A farewell from life ("saying goodbye to everyone", "wrote my suicide note").
    Farewell,
    /// No reason to live, a burden, wanting it all to stop ("better off without me").
    Hopelessness,
}

impl CrisisCategory {
    /// The category's code, as shown to facilitators in an alert.
    pub fn code(self) -> &'static str {
        match self {
            CrisisCategory::Suicide => "suicide",
            CrisisCategory::Overdose => "overdose",
            CrisisCategory::SelfHarm => "self_harm",
            CrisisCategory::Farewell => "farewell",
            CrisisCategory::Hopelessness => "hopelessness",
        }
    }
}

/// A crisis signal: which category, and which entry of the phrase list matched. Carries no text
/// of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CrisisSignal {
    /// What kind of crisis.
    pub category: CrisisCategory,
    /// The phrase-list entry, in its documented form ("kill myself", "want to die").
    pub phrase: &'static str,
}

/// Looks for crisis language in one message.
///
/// Returns the most severe signal found, or `None`. Messages without any word that can start a
/// crisis phrase take a fast path that allocates nothing; the rest are normalized (case,
/// apostrophes, contractions, misspellings, lookalike and invisible characters) and matched
/// against the phrase list with its guards.
pub fn detect(text: &str) -> Option<CrisisSignal> {
    if !normalize::may_contain_trigger(text) {
        return None;
    }
    detect_in(&normalize::tokens(text))
}

/// The matcher without the fast path, over normalized tokens.
fn detect_in(tokens: &[String]) -> Option<CrisisSignal> {
    RULES
        .iter()
        .zip(PATTERNS.iter())
        .find_map(|(rule, pattern)| {
            (0..tokens.len()).find_map(|start| {
                let end = match_sequence(pattern, tokens, start)?;
                alerts(rule, tokens, start, end).then_some(CrisisSignal {
                    category: rule.category,
                    phrase: rule.phrase,
                })
            })
        })
}

/// The phrase list as `(category, phrase)` pairs, in matching order (for documentation and the
/// measurement tool).
pub fn phrase_list() -> impl Iterator<Item = (CrisisCategory, &'static str)> {
    RULES.iter().map(|rule| (rule.category, rule.phrase))
}

fn is_marker(token: &str) -> bool {
    token == STOP || token == PAUSE
}

/// One position of a rule's pattern, split once: its alternatives, each a run of consecutive
/// words.
struct Position {
    alternatives: Vec<Vec<&'static str>>,
    optional: bool,
}

/// Every rule's pattern, parsed once (in `RULES` order). The matcher tries every rule at every
/// word of a message; splitting the pattern strings each time was half its work.
static PATTERNS: LazyLock<Vec<Vec<Position>>> = LazyLock::new(|| {
    RULES
        .iter()
        .map(|rule| {
            rule.pattern
                .split(' ')
                .map(|position| {
                    let (alternatives, optional) = match position.strip_suffix('?') {
                        Some(alternatives) => (alternatives, true),
                        None => (position, false),
                    };
                    Position {
                        alternatives: alternatives
                            .split('|')
                            .map(|words| words.split('+').collect())
                            .collect(),
                        optional,
                    }
                })
                .collect()
        })
        .collect()
});

/// Matches the positions of a pattern at `at`; returns where the match ends. Tries each
/// alternative in order and backtracks over optional positions.
fn match_sequence(positions: &[Position], tokens: &[String], at: usize) -> Option<usize> {
    let Some((position, rest)) = positions.split_first() else {
        return Some(at);
    };
    for words in &position.alternatives {
        if let Some(next) = match_run(words.iter().copied(), tokens, at)
            && let Some(end) = match_sequence(rest, tokens, next)
        {
            return Some(end);
        }
    }
    if position.optional {
        return match_sequence(rest, tokens, at);
    }
    None
}

/// Matches consecutive words at `at`: a pattern's parsed run, or `a+b+c` split on the spot (the
/// guards, which run only on a match).
fn match_run<'w>(
    words: impl IntoIterator<Item = &'w str>,
    tokens: &[String],
    mut at: usize,
) -> Option<usize> {
    for word in words {
        let token = tokens.get(at)?;
        if !word_matches(word, token) {
            return None;
        }
        at += 1;
    }
    Some(at)
}

/// Matches `a+b+c` (consecutive words) at `at`.
fn match_words(words: &str, tokens: &[String], at: usize) -> Option<usize> {
    match_run(words.split('+'), tokens, at)
}

fn word_matches(word: &str, token: &str) -> bool {
    match word {
        "_" => !is_marker(token),
        "#" => !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()),
        "#year" => {
            token.len() == 4
                && (token.starts_with("19") || token.starts_with("20"))
                && token.bytes().all(|b| b.is_ascii_digit())
        }
        _ => squeeze_eq(word, token),
    }
}

fn in_list(list: &[&str], token: &str) -> bool {
    list.iter().any(|word| squeeze_eq(word, token))
}

/// Whether any of `markers` occurs anywhere in `tokens`.
fn has_any(tokens: &[String], markers: &[&str]) -> bool {
    (0..tokens.len()).any(|at| {
        markers
            .iter()
            .any(|marker| match_words(marker, tokens, at).is_some())
    })
}

/// The guards: a phrase found at `start..end` raises an alert only if none of them holds.
fn alerts(rule: &Rule, tokens: &[String], start: usize, end: usize) -> bool {
    if let Some(cues) = rule.needs_cue
        && !cue_before(cues, tokens, start)
    {
        return false;
    }
    if start > 0 && in_list(rule.not_preceded_by, &tokens[start - 1]) {
        return false;
    }
    if rule
        .not_followed_by
        .iter()
        .any(|tail| match_words(tail, tokens, end).is_some())
    {
        return false;
    }
    if let Some(allowed) = rule.only_followed_by {
        let clause_ends = tokens.get(end).is_none_or(|t| is_marker(t));
        if !clause_ends
            && !allowed
                .iter()
                .any(|tail| match_words(tail, tokens, end).is_some())
        {
            return false;
        }
    }
    if negated(tokens, start) {
        return false;
    }
    if !rule.names_speaker && about_someone_else(tokens, start) {
        return false;
    }
    if let Some(context) = rule.needs_message_context
        && !has_any(tokens, context)
    {
        return false;
    }
    let sentence_from = sentence_start(tokens, start);
    let sentence = sentence_around(tokens, start, end);
    if reported_question(&tokens[sentence_from..start]) {
        return false;
    }
    if has_any(sentence, rule.unless_sentence_has) {
        return false;
    }
    // Past or recovery talk keeps quiet, unless the same sentence comes back to now.
    !has_any(sentence, PAST) || has_any(sentence, PRESENT)
}

/// An intent word within the six words before the phrase, in the same clause.
fn cue_before(cues: &[&str], tokens: &[String], start: usize) -> bool {
    tokens[..start]
        .iter()
        .rev()
        .take(6)
        .take_while(|t| !is_marker(t))
        .any(|t| in_list(cues, t))
}

/// A negation just before the phrase, with at most a few filler words between ("not *really*
/// suicidal", "never *going to* kill myself"), or "no longer".
fn negated(tokens: &[String], start: usize) -> bool {
    let mut at = start;
    for _ in 0..5 {
        let Some(previous) = at.checked_sub(1) else {
            return false;
        };
        at = previous;
        let token = &tokens[at];
        if in_list(NEGATIONS, token)
            || (squeeze_eq("longer", token) && at > 0 && squeeze_eq("no", &tokens[at - 1]))
        {
            return true;
        }
        if !in_list(FILLERS, token) {
            return false;
        }
    }
    false
}

/// The nearest subject before the phrase in its clause is someone other than the speaker.
/// "anyone else" / "someone else" count as the speaker.
fn about_someone_else(tokens: &[String], start: usize) -> bool {
    for at in (0..start).rev() {
        let token = &tokens[at];
        if is_marker(token) {
            return false;
        }
        if in_list(FIRST_PERSON, token) {
            return false;
        }
        if in_list(OTHER_PERSON, token) {
            let includes_speaker = ["anyone", "anybody", "someone", "somebody", "everyone"]
                .iter()
                .any(|w| squeeze_eq(w, token))
                && tokens.get(at + 1).is_some_and(|n| squeeze_eq("else", n));
            return !includes_speaker;
        }
    }
    false
}

/// Whether the phrase sits in a reported question ("my therapist asked if I'm suicidal", "she
/// asks every visit whether I want to hurt myself"): an ask-word followed within four words by
/// "if" or "whether", in the part of the sentence before the phrase (`head`).
fn reported_question(head: &[String]) -> bool {
    head.iter().enumerate().any(|(at, token)| {
        in_list(&["ask", "asks", "asked", "asking"], token)
            && head[at + 1..]
                .iter()
                .take(4)
                .any(|t| in_list(&["if", "whether"], t))
    })
}

/// Index of the first token of the sentence that holds `start`.
fn sentence_start(tokens: &[String], start: usize) -> usize {
    tokens[..start]
        .iter()
        .rposition(|t| t == STOP)
        .map_or(0, |i| i + 1)
}

/// The sentence (between `STOP` markers) that holds `start..end`.
fn sentence_around(tokens: &[String], start: usize, end: usize) -> &[String] {
    let from = sentence_start(tokens, start);
    let to = tokens[end..]
        .iter()
        .position(|t| t == STOP)
        .map_or(tokens.len(), |i| end + i);
    &tokens[from..to]
}

#[cfg(test)]
mod tests;
