//! Reading a message together with the end of the member's earlier ones, to complete contact
//! details sent in pieces.
//!
//! Decides whether a message could continue something from the window (cheap tests, most messages
//! stop here), and if so builds the joined text: the last [`WINDOW_JOIN_CHARS`] characters of
//! earlier messages and the head of the new one. Pure; depends on `fast`, `words` and `window`;
//! must not depend on the recognizers (the caller runs them on the joined text).

use crate::domain::Millis;

use super::fast::{Quick, lookup_lower, quick};
use super::words::{
    self, ACCOUNT_NOUN, CONTACT_VERB, EMAIL_CUE, Lexicon, PLATFORM, PLATFORM_WEAK, PROVIDER,
};
use super::{RecentMessages, WINDOW_HEAD_CHARS, WINDOW_JOIN_CHARS};

/// Earlier messages and the head of a new one, joined for the recognizers.
pub(crate) struct Joined {
    /// The joined text.
    pub(crate) text: String,
    /// Byte offset where each message starts in `text`; the last one is the new message's head.
    pub(crate) starts: Vec<usize>,
}

impl Joined {
    /// Where the new message starts in the joined text.
    pub(crate) fn offset(&self) -> usize {
        self.starts.last().copied().unwrap_or_default()
    }
}

/// The joined text to read `text` with, or `None` when nothing in the window could continue into
/// it. `own` is the fast-path reading of the whole of `text`.
pub(crate) fn join(
    lexicon: &Lexicon,
    recent: &RecentMessages,
    now: Millis,
    text: &str,
    own: Option<Quick>,
) -> Option<Joined> {
    // A detail that crosses into this message continues from its first few words (a number goes
    // on, a name follows its cue within a few words), so only the head of the message and the
    // end of the earlier ones are read together.
    let head = &text[..head_end(text)];
    let last = recent.fresh(now).last()?;
    // A match found with the window ends in the head and starts (or has its cue) earlier: a
    // number that goes on across the break, a name left open ("kik:"), or an address cue earlier
    // with a mark or a name in the head. Cheapest tests first: most messages stop here.
    let number_goes_on = starts_numeric(lexicon, head) && ends_numeric(lexicon, last);
    let open = ends_open(lexicon, last);
    // Most messages are shorter than the head: their fast-path reading is already known.
    let head_quick = if head.len() == text.len() {
        own
    } else {
        quick(lexicon, head)
    };
    let head_cue = head_quick.is_none_or(|q| q.trigger);
    if !(number_goes_on || open || head_cue) {
        return None;
    }
    let fresh: Vec<&str> = recent.fresh(now).collect();
    let earlier = window_context(&fresh);
    if !(number_goes_on || open || cue_near_end(lexicon, &earlier)) {
        return None;
    }
    let mut joined = Joined {
        text: String::new(),
        starts: Vec::new(),
    };
    for message in earlier.iter().copied().chain([head]) {
        if !joined.starts.is_empty() {
            joined.text.push_str(message_break(&joined.text, message));
        }
        joined.starts.push(joined.text.len());
        joined.text.push_str(message);
    }
    Some(joined)
}

/// Is there an address cue or mark in the last [`CUE_REACH_CHARS`] characters of the earlier
/// messages? A cue further back cannot reach past the break (a name follows its cue within
/// five words).
fn cue_near_end(lexicon: &Lexicon, earlier: &[&str]) -> bool {
    let mut budget = CUE_REACH_CHARS;
    for part in earlier.iter().rev() {
        let start = part.len().saturating_sub(budget);
        let start = (start..=part.len())
            .find(|&i| part.is_char_boundary(i))
            .unwrap_or(0);
        if quick(lexicon, &part[start..]).is_none_or(|q| q.trigger) {
            return true;
        }
        budget = budget.saturating_sub(part.len());
        if budget == 0 {
            return false;
        }
    }
    false
}

/// Does `text` end as a number could go on: a digit, a separator, a spelled digit?
fn ends_numeric(lexicon: &Lexicon, text: &str) -> bool {
    let tail = text.trim_end();
    let last = tail
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    tail.ends_with(|c: char| c.is_numeric() || "-.(/+".contains(c)) || is_number_word(lexicon, last)
}

/// Does `text` start as a number could go on (after separators)?
fn starts_numeric(lexicon: &Lexicon, text: &str) -> bool {
    let head = text.trim_start_matches(|c: char| c.is_whitespace() || "-.()/+".contains(c));
    let first = head
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    head.starts_with(char::is_numeric)
        || is_number_word(lexicon, first)
        || (first.chars().any(|c| c.is_ascii_digit()) && first.chars().all(char::is_alphanumeric))
        || !head.is_ascii()
}

/// A spelled number word ("five", "oh", "double").
fn is_number_word(lexicon: &Lexicon, word: &str) -> bool {
    lookup_lower(lexicon, word).spelled.is_some()
}

/// Does the end of the last earlier message leave a name open ("kik:", "my snap is")?
fn ends_open(lexicon: &Lexicon, earlier: &str) -> bool {
    let tail = earlier.trim_end();
    if tail.ends_with([':', '=', '@', '-', '>']) {
        return true;
    }
    let mut tail_words = tail
        .rsplit(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty());
    let last = tail_words.next().unwrap_or_default();
    let naming =
        PLATFORM | PLATFORM_WEAK | EMAIL_CUE | PROVIDER | ACCOUNT_NOUN | words::HANDLE_NOUN;
    let cue = |w: &str| lookup_lower(lexicon, w).has(naming | CONTACT_VERB);
    // "kik me", "my snap is", "insta, it's": the connector counts only after a cue.
    let connector = ["is", "me", "its", "it's"]
        .iter()
        .any(|c| last.eq_ignore_ascii_case(c));
    let dressing = ["at", "dot"].iter().any(|c| last.eq_ignore_ascii_case(c));
    cue(last) || dressing || (connector && tail_words.take(3).any(cue))
}

/// Where the head of a message read with the window ends: after [`WINDOW_HEAD_CHARS`]
/// characters, extended over a number that straddles that point and to the end of the word.
fn head_end(text: &str) -> usize {
    let Some((cut, _)) = text.char_indices().nth(WINDOW_HEAD_CHARS) else {
        return text.len();
    };
    let rest = &text[cut..];
    let number = rest
        .find(|c: char| !(c.is_ascii_digit() || " -.()/+".contains(c)))
        .unwrap_or(rest.len());
    let number = rest[..number].trim_end().len();
    if number > 0 {
        return cut + number;
    }
    cut + rest.find(char::is_whitespace).unwrap_or(rest.len())
}

/// The end of the earlier messages read with a new one: newest first, at most
/// [`WINDOW_JOIN_CHARS`] characters in all (the oldest one read may be cut), in time order.
fn window_context<'m>(fresh: &[&'m str]) -> Vec<&'m str> {
    let mut budget = WINDOW_JOIN_CHARS;
    let mut parts = Vec::new();
    for message in fresh.iter().rev() {
        if budget == 0 {
            break;
        }
        let chars = message.chars().count();
        let part = match message.char_indices().nth(chars.saturating_sub(budget)) {
            Some((i, _)) if chars > budget => &message[i..],
            _ => message,
        };
        budget = budget.saturating_sub(chars);
        parts.push(part);
    }
    parts.reverse();
    parts
}

/// How far back (in bytes) an address cue can reach into earlier messages: five words and marks.
const CUE_REACH_CHARS: usize = 48;

/// What separates two messages in a window: a line break, except where one ends or the next
/// begins with an address mark ("instagram.com/" then "rosie.f", "rosie.f@" then "gmail.com"),
/// where the pieces are read as one.
fn message_break(before: &str, next: &str) -> &'static str {
    const MARKS: [char; 4] = ['/', '.', '@', '_'];
    let ends = before.trim_end().ends_with(MARKS);
    let begins = next.trim_start().starts_with(MARKS);
    if ends || begins { "" } else { "\n" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_is_extended_over_a_straddling_number() {
        let text = format!(
            "{}555 0147 and more words",
            "x".repeat(WINDOW_HEAD_CHARS - 2)
        );
        let end = head_end(&text);
        assert!(text[..end].ends_with("555 0147"), "{}", &text[..end]);
        assert_eq!(head_end("short"), 5);
    }

    #[test]
    fn the_context_is_the_newest_text_within_budget() {
        let long = "y".repeat(200);
        let parts = window_context(&[long.as_str(), "my cell is 312", "555"]);
        assert_eq!(parts[1..], ["my cell is 312", "555"]);
        assert_eq!(
            parts.iter().map(|p| p.chars().count()).sum::<usize>(),
            WINDOW_JOIN_CHARS
        );
    }

    #[test]
    fn address_marks_join_messages_without_a_break() {
        assert_eq!(message_break("instagram.com/", "rosie.f"), "");
        assert_eq!(message_break("rosie.f", "@gmail.com"), "");
        assert_eq!(message_break("312", "555"), "\n");
    }

    #[test]
    fn open_ends_need_a_cue() {
        let lexicon = Lexicon::new();
        assert!(ends_open(&lexicon, "kik:"));
        assert!(ends_open(&lexicon, "my snap is"));
        assert!(ends_open(&lexicon, "add me on insta, it's"));
        assert!(!ends_open(&lexicon, "thanks for having me"));
        assert!(!ends_open(&lexicon, "the hardest part is"));
    }
}
