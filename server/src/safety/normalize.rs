//! Text → word tokens for phrase matching, and the allocation-free fast path that decides
//! whether a message needs matching at all.
//!
//! Both paths apply the same word rules, so that the fast path never waves through a message
//! the full matcher would flag (a test checks this on every crisis sentence):
//! - lower case; invisible characters and combining marks dropped; Cyrillic/Greek lookalikes
//!   folded to Latin (`text::latin_lookalike`); full-width and other compatibility forms folded
//!   by NFKD (slow path only: the fast path sends any non-ASCII letter there);
//! - apostrophes removed, so "don't", "don’t" and "dont" are one word;
//! - inside a word that has letters, digits and `@ $ ! |` read as letters ("k1ll", "d!e");
//! - runs of a repeated letter squeezed to one ("killl" → "kil", "sooo" → "so"); phrase words
//!   are compared squeezed too (`squeeze_eq`), so spelling out doubles never matters;
//! - contractions, chat spellings and common misspellings expanded to plain words
//!   (`expand`: "wanna" → "want to", "kms" → "kill myself", "sucidal" → "suicidal").
//!
//! The slow path also keeps clause structure: `.` stands for a sentence break (`.!?;:` and line
//! breaks) and `,` for a pause (`,()"` and dashes), which limit how far negation and context
//! words reach.

use std::collections::HashSet;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::text;

/// Marker token for a sentence break.
pub(super) const STOP: &str = ".";
/// Marker token for a pause inside a sentence.
pub(super) const PAUSE: &str = ",";

/// Longest word the fast path inspects; a longer one sends the message to the slow path.
const FAST_WORD_MAX: usize = 32;

/// Words that can anchor a crisis phrase (squeezed spelling does not matter; see `squeeze_eq`).
/// The fast path sends a message to the matcher only if one of its words, after expansion, is
/// in this list. A test checks that every phrase rule has a required position whose words are
/// all here, so the list cannot fall behind the rules.
pub(super) const TRIGGERS: &[&str] = &[
    "myself",
    "self",
    "life",
    "die",
    "dying",
    "dead",
    "suicidal",
    "suicide",
    "alive",
    "live",
    "living",
    "exist",
    "existing",
    "wake",
    "harm",
    "harmed",
    "harming",
    "hurting",
    "cutting",
    "cut",
    "overdose",
    "overdosed",
    "overdosing",
    "pills",
    "tablets",
    "bottle",
    "goodbye",
    "bye",
    "dose",
    "born",
    "disappear",
    "reason",
    "reasons",
    "point",
    "purpose",
    "worth",
    "better",
    "wrists",
    "wrist",
    "throat",
    "bridge",
    "building",
    "roof",
    "cliff",
    "balcony",
    "train",
    "around",
    "end",
    "belongings",
    "possessions",
    "things",
    "stuff",
    "note",
    "letter",
    "notes",
    "letters",
    "anymore",
    "more",
    "longer",
    "stop",
    "over",
    "go",
    "ending",
    "died",
    "gone",
    "disappeared",
    "car",
    "bus",
    "truck",
    "pack",
    "packet",
    "box",
    "death",
    "forever",
    "meds",
    "message",
    "post",
    "words",
    "survive",
    "keep",
    "long",
    "pill",
    "tablet",
    "safe",
    "happier",
    "easier",
];

/// True when `c` is used as an apostrophe (straight, curly, modifier letter, backtick, accents).
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´' | '′')
}

/// Symbols read as letters inside a word ("k!ll", "$uicidal", "a|ive").
fn leet_symbol(c: char) -> Option<char> {
    match c {
        '@' => Some('a'),
        '$' => Some('s'),
        '!' => Some('i'),
        '|' => Some('l'),
        _ => None,
    }
}

/// Whether a leet symbol is part of a word: inside one ("k!ll", next is a letter or digit), or
/// starting one ("$uicidal", next is a letter). Otherwise it is punctuation ("die!", "$90").
fn leet_inside_word(word_is_empty: bool, next: Option<char>) -> bool {
    next.is_some_and(|n| {
        if word_is_empty {
            n.is_alphabetic()
        } else {
            n.is_alphanumeric()
        }
    })
}

/// Digits read as letters inside a word that also has letters ("k1ll", "d13").
fn leet_digit(c: char) -> char {
    match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        other => other,
    }
}

/// The characters of a raw word (lower case, already folded) with digits read as letters when
/// the word has letters, and runs of one letter squeezed to one.
fn squeezed_chars(raw: &str) -> impl Iterator<Item = char> + '_ {
    let has_letters = raw.chars().any(char::is_alphabetic);
    let mut previous = None;
    raw.chars()
        .map(move |c| if has_letters { leet_digit(c) } else { c })
        .filter(move |c| {
            let repeat = c.is_alphabetic() && previous == Some(*c);
            previous = Some(*c);
            !repeat
        })
}

/// Squeezes runs of a repeated letter (not digit: 988 stays 988), as both paths do to every
/// word.
fn squeeze(word: &str) -> impl Iterator<Item = char> + '_ {
    let mut previous = None;
    word.chars().filter(move |c| {
        let repeat = c.is_alphabetic() && previous == Some(*c);
        previous = Some(*c);
        !repeat
    })
}

/// Whether a phrase word and a token are the same word once both are squeezed.
pub(super) fn squeeze_eq(phrase_word: &str, token: &str) -> bool {
    // Squeezing keeps a word's first character, so a different first byte settles it: the
    // matcher asks this for every rule at every word, and nearly every answer is no.
    if phrase_word.as_bytes().first() != token.as_bytes().first() {
        return false;
    }
    squeeze(phrase_word).eq(squeeze(token))
}

/// Plain words for contractions, chat spellings and misspellings. Keyed on the squeezed
/// spelling ("wanna" arrives as "wana"); `raw` is checked first for the few words whose squeezed
/// form collides with a key ("odd" squeezes to "od", which means overdose).
pub(super) fn expand(raw: &str, squeezed: &str) -> Option<&'static [&'static str]> {
    if raw == "odd" {
        return None;
    }
    let words: &'static [&'static str] = match squeezed {
        "dont" | "dnt" | "doesnt" => &["do", "not"],
        "didnt" => &["did", "not"],
        "isnt" => &["is", "not"],
        "arent" => &["are", "not"],
        "wasnt" => &["was", "not"],
        "werent" => &["were", "not"],
        "wont" => &["will", "not"],
        "wouldnt" => &["would", "not"],
        "cant" | "canot" => &["can", "not"],
        "couldnt" => &["could", "not"],
        "shouldnt" => &["should", "not"],
        "havent" => &["have", "not"],
        "hasnt" => &["has", "not"],
        "hadnt" => &["had", "not"],
        "aint" => &["am", "not"],
        "im" => &["i", "am"],
        "ive" => &["i", "have"],
        "id" => &["i", "would"],
        "ima" => &["i", "am", "going", "to"],
        "youre" => &["you", "are"],
        "u" => &["you"],
        "ur" => &["your"],
        "hes" => &["he", "is"],
        "shes" => &["she", "is"],
        "theyre" => &["they", "are"],
        "wana" | "wanta" => &["want", "to"],
        "gona" => &["going", "to"],
        "gota" => &["got", "to"],
        "tryna" => &["trying", "to"],
        "2" => &["to"],
        "4" => &["for"],
        "kms" | "kilmyself" => &["kill", "myself"],
        "myslef" | "mysef" | "myelf" | "meself" | "mself" | "myselfe" => &["myself"],
        "sucidal" | "suicidle" | "suisidal" | "suicidial" | "sucidial" | "suacidal"
        | "suecidal" | "suicdal" | "suicida" | "sucicidal" | "suicial" => &["suicidal"],
        "sucide" | "suicde" | "suiside" | "sucicide" | "suecide" | "suiscide" => &["suicide"],
        "unalive" => &["kill"],
        "unaliving" => &["killing"],
        "unalived" => &["killed"],
        "selfharm" => &["self", "harm"],
        "selfharming" => &["self", "harming"],
        "selfharmed" => &["self", "harmed"],
        "godby" | "gbye" | "godbye" => &["goodbye"],
        "od" => &["overdose"],
        "oding" | "odeing" => &["overdosing"],
        "ded" => &["dead"],
        "lifes" => &["life", "is"],
        _ => return None,
    };
    Some(words)
}

/// Two-word spellings read as one word: "my self", "good bye", "over dose", "any more".
pub(super) const MERGES: &[(&str, &str, &str)] = &[
    ("my", "self", "myself"),
    ("good", "bye", "goodbye"),
    ("over", "dose", "overdose"),
    ("any", "more", "anymore"),
];

fn merge_pair(first: &str, second: &str) -> Option<&'static str> {
    MERGES
        .iter()
        .find(|(a, b, _)| squeeze_eq(a, first) && squeeze_eq(b, second))
        .map(|(_, _, merged)| *merged)
}

/// The fast path: false only when no word of `text` can anchor a crisis phrase. Allocates
/// nothing; anything it cannot judge cheaply (a non-ASCII letter, a very long word, letters
/// spaced out one by one) returns true and goes to the full matcher.
pub(super) fn may_contain_trigger(text: &str) -> bool {
    let mut word = [0u8; FAST_WORD_MAX];
    let mut len = 0usize;
    let mut single_letter_run = 0usize;
    let mut chars = text.chars().peekable();
    // Ends the current word; true if it is (or expands to) a trigger, or cannot be judged.
    let finish = |word: &[u8], single_letter_run: &mut usize| -> bool {
        if word.is_empty() {
            return false;
        }
        if word.len() == 1 && word[0].is_ascii_alphabetic() {
            *single_letter_run += 1;
            if *single_letter_run >= 3 {
                return true;
            }
        } else {
            *single_letter_run = 0;
        }
        // ASCII only here, so the bytes are chars.
        let raw = std::str::from_utf8(word).unwrap_or_default();
        let mut squeezed = [0u8; FAST_WORD_MAX];
        let mut n = 0;
        for c in squeezed_chars(raw) {
            squeezed[n] = c as u8;
            n += 1;
        }
        let squeezed = std::str::from_utf8(&squeezed[..n]).unwrap_or_default();
        match expand(raw, squeezed) {
            Some(words) => words.iter().any(|w| is_trigger(w)),
            None => is_trigger(squeezed),
        }
    };
    while let Some(c) = chars.next() {
        let in_word = if c.is_ascii_alphanumeric() {
            Some(c.to_ascii_lowercase())
        } else if is_apostrophe(c) {
            continue;
        } else if let Some(letter) = leet_symbol(c) {
            leet_inside_word(len == 0, chars.peek().copied()).then_some(letter)
        } else if c.is_ascii() {
            None
        } else if text::is_invisible(c) || is_combining_mark(c) {
            continue;
        } else if c.is_alphanumeric() || !std::iter::once(c).nfkd().eq(std::iter::once(c)) {
            // A letter from another script (maybe a lookalike) or a compatibility form that
            // NFKD would turn into something else: only the slow path can read it.
            return true;
        } else {
            // Emoji and other symbols separate words.
            None
        };
        match in_word {
            Some(letter) => {
                if len == FAST_WORD_MAX {
                    return true;
                }
                word[len] = letter as u8;
                len += 1;
            }
            None => {
                if finish(&word[..len], &mut single_letter_run) {
                    return true;
                }
                len = 0;
            }
        }
    }
    finish(&word[..len], &mut single_letter_run)
}

pub(super) fn is_trigger(word: &str) -> bool {
    // Every message's every word comes through here: one hash lookup of the squeezed word, not a
    // squeezed comparison with each of the hundred triggers (that loop was a tenth of the
    // server's CPU under `hearth-load run --scenario burst`).
    static SQUEEZED_TRIGGERS: LazyLock<HashSet<String>> =
        LazyLock::new(|| TRIGGERS.iter().map(|t| squeeze(t).collect()).collect());
    let mut buffer = [0u8; FAST_WORD_MAX];
    let mut len = 0;
    for c in squeeze(word) {
        if !c.is_ascii() || len == FAST_WORD_MAX {
            return SQUEEZED_TRIGGERS.contains(&squeeze(word).collect::<String>());
        }
        buffer[len] = c as u8;
        len += 1;
    }
    std::str::from_utf8(&buffer[..len]).is_ok_and(|squeezed| SQUEEZED_TRIGGERS.contains(squeezed))
}

/// Raw word or clause marker, before the word rules.
enum Raw {
    Word(String),
    Pause,
    Stop,
}

/// The slow path: the message as squeezed, expanded word tokens with `STOP` / `PAUSE` markers.
pub(super) fn tokens(text: &str) -> Vec<String> {
    let mut raw = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, raw: &mut Vec<Raw>| {
        if !word.is_empty() {
            raw.push(Raw::Word(std::mem::take(word)));
        }
    };
    let mut chars = text
        .chars()
        .map(|c| if is_apostrophe(c) { '\'' } else { c })
        .nfkd()
        .filter(|c| !text::is_invisible(*c) && !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            word.push(if c.is_ascii() {
                c
            } else {
                text::latin_lookalike(c)
            });
            continue;
        }
        if c == '\'' {
            continue;
        }
        if let Some(letter) = leet_symbol(c)
            && leet_inside_word(word.is_empty(), chars.peek().copied())
        {
            word.push(letter);
            continue;
        }
        flush(&mut word, &mut raw);
        match c {
            '.' | '!' | '?' | ';' | ':' | '\n' | '…' => raw.push(Raw::Stop),
            ',' | '(' | ')' | '"' | '—' | '–' | '“' | '”' => raw.push(Raw::Pause),
            _ => {}
        }
    }
    flush(&mut word, &mut raw);
    let raw = join_spelled_out(raw);

    let mut out: Vec<String> = Vec::with_capacity(raw.len() + 4);
    for item in raw {
        match item {
            Raw::Stop => {
                if out.last().is_some_and(|t| t != STOP) {
                    out.push(STOP.to_owned());
                }
            }
            Raw::Pause => {
                if out.last().is_some_and(|t| t != STOP && t != PAUSE) {
                    out.push(PAUSE.to_owned());
                }
            }
            Raw::Word(w) => {
                let squeezed: String = squeezed_chars(&w).collect();
                match expand(&w, &squeezed) {
                    Some(words) => out.extend(words.iter().map(|w| squeeze(w).collect())),
                    None => out.push(squeezed),
                }
                let n = out.len();
                if n >= 2
                    && let Some(merged) = merge_pair(&out[n - 2], &out[n - 1])
                {
                    out.truncate(n - 2);
                    out.push(squeeze(merged).collect());
                }
            }
        }
    }
    out
}

/// Joins letters typed one by one ("k i l l") into a word. Three or more single letters in a
/// row are needed, so "i a" stays two words.
fn join_spelled_out(raw: Vec<Raw>) -> Vec<Raw> {
    let mut out: Vec<Raw> = Vec::with_capacity(raw.len());
    let mut run: Vec<String> = Vec::new();
    let end_run = |run: &mut Vec<String>, out: &mut Vec<Raw>| {
        if run.len() >= 3 {
            out.push(Raw::Word(run.concat()));
        } else {
            out.extend(run.drain(..).map(Raw::Word));
        }
        run.clear();
    };
    for item in raw {
        match item {
            Raw::Word(w) if w.chars().count() == 1 && w.chars().all(char::is_alphabetic) => {
                run.push(w);
            }
            other => {
                end_run(&mut run, &mut out);
                out.push(other);
            }
        }
    }
    end_run(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> String {
        tokens(text).join(" ")
    }

    #[test]
    fn words_are_lowered_squeezed_and_expanded() {
        assert_eq!(toks("I DON'T wanna"), "i do not want to");
        assert_eq!(toks("I don’t wannnna"), "i do not want to");
        assert_eq!(toks("killl myslef"), "kil myself");
        assert_eq!(toks("kms"), "kil myself");
        assert_eq!(toks("my self"), "myself");
        assert_eq!(toks("good bye"), "godbye");
    }

    #[test]
    fn lookalikes_invisibles_and_leet_are_read_as_letters() {
        assert_eq!(toks("k\u{200B}ill"), "kil");
        assert_eq!(toks("kіll"), "kil"); // Cyrillic і
        assert_eq!(toks("ｋｉｌｌ"), "kil"); // full-width
        assert_eq!(toks("k1ll"), "kil");
        assert_eq!(toks("k!ll"), "kil");
        assert_eq!(toks("$uicidal"), "suicidal");
        assert_eq!(toks("kíll"), "kil");
        assert_eq!(toks("k i l l myself"), "kil myself");
        // Numbers alone stay numbers.
        assert_eq!(toks("call 988"), "cal 988");
    }

    #[test]
    fn clause_markers_are_kept_once() {
        assert_eq!(toks("no!!! really, yes."), "no . realy , yes .");
        assert_eq!(toks("die!"), "die .");
    }

    #[test]
    fn the_fast_path_skips_ordinary_talk_and_sends_trigger_words_on() {
        for text in [
            "see you all next week",
            "I'm struggling today",
            "meeting's at 7pm 🙂",
            "thank you all for being here",
            "",
        ] {
            assert!(!may_contain_trigger(text), "{text:?}");
        }
        for text in [
            "i want to die",
            "kms",
            "K1LL MYSELF",
            "k i l l",
            "kіll", // Cyrillic і
            "ｄｉｅ",
            "don't want to be alive",
            "say good bye",
            "over dose",
        ] {
            assert!(may_contain_trigger(text), "{text:?}");
        }
    }
}
