//! The per-member window of recent messages, used to catch contact details split over several
//! messages ("my cell is 312", "555", "0147").
//!
//! A plain value the room keeps per member: no clock (time is passed in), no I/O. Bounded three
//! ways so that memory and the cost of each check stay small whatever a member sends. Depends on
//! `domain` (time) and the filter's `Verdict`; must not depend on the recognizers, tokio or I/O.

use std::collections::VecDeque;
use std::fmt;

use crate::domain::Millis;

use super::Verdict;

/// Most earlier messages kept. Twelve covers a ten-digit number sent one digit per message (the
/// classic way around filters) with room for a cue message and a stray "ok".
pub const WINDOW_MAX_MESSAGES: usize = 12;

/// Oldest message kept, in milliseconds. Two minutes is longer than a member takes to type a
/// number in pieces, and short enough that numbers from different topics rarely meet.
pub const WINDOW_MAX_AGE_MS: i64 = 120_000;

/// Characters kept from the end of each earlier message. A split continues from where the last
/// message stopped, so only the end of a message can join the next one.
pub const WINDOW_TAIL_CHARS: usize = 120;

/// Characters of earlier text read with a new message, newest first. Everything that joins
/// messages is local: a number is contiguous, a name follows its cue within five words, so 120
/// characters hold a number sent one digit per message with its cue, or "my email" / "is
/// marigold.vance" / "at gmail". Bounding it keeps a windowed check a small multiple of a plain
/// one, whatever the members send.
pub const WINDOW_JOIN_CHARS: usize = 120;

/// Characters from the start of the new message read with the earlier ones (extended to the end
/// of a number or word that straddles the limit). The rest of the message is checked on its own.
pub const WINDOW_HEAD_CHARS: usize = 64;

/// The recent messages of one member, oldest first.
///
/// The room calls [`RecentMessages::record`] after checking each message from the member. What is
/// kept is the message *as the room could have seen it*: the text with any match already masked
/// (`verdict.masked`). Contact details already caught are therefore never counted twice, while the
/// rest of a blocked message (its cue words: "my cell is") still counts, because the member
/// may simply resend the number in pieces.
#[derive(Clone, Default)]
pub struct RecentMessages {
    entries: VecDeque<(Millis, String)>,
}

// The window holds what a member wrote: never print it by accident through `{:?}`.
impl fmt::Debug for RecentMessages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecentMessages({} kept)", self.entries.len())
    }
}

impl RecentMessages {
    /// An empty window.
    pub fn new() -> Self {
        RecentMessages::default()
    }

    /// Records a message from this member, checked at `now` with `verdict`.
    pub fn record(&mut self, now: Millis, text: &str, verdict: &Verdict) {
        let kept = if verdict.is_clean() {
            text
        } else {
            verdict.masked.as_str()
        };
        self.entries.push_back((now, tail(kept).to_owned()));
        while self.entries.len() > WINDOW_MAX_MESSAGES {
            self.entries.pop_front();
        }
        self.entries.retain(|(at, _)| is_fresh(now, *at));
    }

    /// Forgets everything (the member left, or a facilitator reset the room).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Number of messages kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The kept messages still fresh at `now`, oldest first.
    pub(crate) fn fresh(&self, now: Millis) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(move |(at, _)| is_fresh(now, *at))
            .map(|(_, text)| text.as_str())
    }
}

/// A message from the future (clock skew between callers) counts as fresh.
fn is_fresh(now: Millis, at: Millis) -> bool {
    now.since(at) <= WINDOW_MAX_AGE_MS
}

/// The last [`WINDOW_TAIL_CHARS`] characters of `text`.
fn tail(text: &str) -> &str {
    match text.char_indices().rev().nth(WINDOW_TAIL_CHARS - 1) {
        Some((i, _)) => &text[i..],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(text: &str) -> Verdict {
        Verdict {
            matches: Vec::new(),
            masked: text.to_owned(),
        }
    }

    #[test]
    fn window_is_bounded_by_count() {
        let mut recent = RecentMessages::new();
        for i in 0..(WINDOW_MAX_MESSAGES as i64 + 5) {
            recent.record(Millis(i), "5", &clean("5"));
        }
        assert_eq!(recent.len(), WINDOW_MAX_MESSAGES);
    }

    #[test]
    fn window_is_bounded_by_age() {
        let mut recent = RecentMessages::new();
        recent.record(Millis(0), "old", &clean("old"));
        recent.record(Millis(WINDOW_MAX_AGE_MS), "new", &clean("new"));
        assert_eq!(
            recent
                .fresh(Millis(WINDOW_MAX_AGE_MS + 1))
                .collect::<Vec<_>>(),
            ["new"]
        );
        recent.record(Millis(WINDOW_MAX_AGE_MS + 1), "newer", &clean("newer"));
        assert_eq!(recent.len(), 2);
    }

    #[test]
    fn window_keeps_only_the_tail_of_long_messages() {
        let long = "x".repeat(1000) + "é312";
        let mut recent = RecentMessages::new();
        recent.record(Millis(0), &long, &clean(&long));
        let kept: Vec<&str> = recent.fresh(Millis(0)).collect();
        assert_eq!(kept[0].chars().count(), WINDOW_TAIL_CHARS);
        assert!(kept[0].ends_with("é312"));
    }

    #[test]
    fn window_debug_never_shows_text() {
        let mut recent = RecentMessages::new();
        recent.record(Millis(0), "secret 555", &clean("secret 555"));
        assert_eq!(format!("{recent:?}"), "RecentMessages(1 kept)");
    }
}
