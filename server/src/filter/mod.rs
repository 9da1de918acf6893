//! The contact-info filter: the group's "no outside contact" boundary.
//!
//! [`Filter::check`] finds email addresses, phone numbers, social handles and links to social or
//! messaging pages in a member's message, plain or disguised, and returns a [`Verdict`] with the
//! kinds found, their byte spans in the original text and a masked copy. With the member's
//! [`RecentMessages`] in the [`Context`], it also catches details split over several messages.
//! Ordinary support-group talk (days sober, doses, dates, times, money, crisis lines, talk about
//! platforms) passes.
//!
//! Pure: no I/O, no clock (time comes in [`Context::now`]), no global mutable state. Depends on
//! `domain` (time) and `text` (Unicode helpers) only; must not depend on the protocol, the room,
//! tokio or anything that does I/O.
//!
//! # Pipeline
//! 1. `normalize`: one pass that folds what was typed into what a reader sees (NFKD compatibility
//!    forms, invisible characters and marks dropped, lower case, lookalikes and digits of every
//!    script to ASCII). ASCII text, most chat, takes a copy-and-lowercase loop.
//! 2. `tokens` + `words`: words, numbers and marks, each word looked up once in the lexicon.
//! 3. Fast path: the phone recognizer runs only if the text could hold seven digits (digits,
//!    spelled digits); the address recognizers run only if it holds `@`, a dotted or slashed word,
//!    a dressing word ("dot"), a platform or contact word, or spaced-out letters. Most messages
//!    stop here, clean.
//! 4. `phone` on the tokens; `dress` rewrites "at"/"dot" dressings, then `email`, `link` and
//!    `handle` run on the undressed text.
//! 5. Overlapping matches merge (email > link > phone > handle), and the masked copy is built.

mod allow;
mod dress;
mod email;
mod handle;
mod link;
mod normalize;
mod phone;
mod tokens;
mod window;
mod words;

#[cfg(test)]
mod api_tests;
#[cfg(test)]
mod cases;
#[cfg(test)]
mod proptests;

use std::cmp::Reverse;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::domain::Millis;

pub use allow::{DEFAULT_HELP_DOMAINS, DEFAULT_HELP_LINES, FilterConfig};
pub use normalize::normalize;
pub use window::{
    RecentMessages, WINDOW_HEAD_CHARS, WINDOW_JOIN_CHARS, WINDOW_MAX_AGE_MS, WINDOW_MAX_MESSAGES,
    WINDOW_TAIL_CHARS,
};

use allow::Allow;
use normalize::View;
use tokens::{Class, Gap, Token, tokenize};
use words::{
    ACCOUNT_NOUN, CONTACT_VERB, EMAIL_CUE, Lex, Lexicon, PLATFORM, PLATFORM_WEAK, PROVIDER, unleet,
};

/// Pseudonyms with more digits than this are refused: names are for people, not numbers.
pub const NAME_MAX_DIGITS: usize = 5;

/// What kind of contact detail a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// An email address ("june.abara@hotmail.com", "kira dot sato at gmail dot com").
    Email,
    /// A phone number ("+44 7700 900810", "four one five, five five five…").
    Phone,
    /// A handle on a social or messaging platform ("insta: rosehip.tea", "brassmonkey#1024").
    Handle,
    /// A link to a social, messaging or personal page ("wa.me/…", "linktr.ee/…").
    Link,
}

impl ContactKind {
    /// The kind as a noun phrase for the sender: "a phone number".
    pub fn noun(self) -> &'static str {
        match self {
            ContactKind::Email => "an email address",
            ContactKind::Phone => "a phone number",
            ContactKind::Handle => "a social media handle",
            ContactKind::Link => "a link to a social or messaging profile",
        }
    }

    /// What replaces a match of this kind in the masked copy.
    pub fn placeholder(self) -> &'static str {
        match self {
            ContactKind::Email => "[email]",
            ContactKind::Phone => "[phone]",
            ContactKind::Handle => "[handle]",
            ContactKind::Link => "[link]",
        }
    }

    /// Which kind wins when two matches overlap: the more specific reading. An email contains
    /// something handle-shaped; a link may contain a phone number ("wa.me/1305…").
    fn precedence(self) -> u8 {
        match self {
            ContactKind::Email => 0,
            ContactKind::Link => 1,
            ContactKind::Phone => 2,
            ContactKind::Handle => 3,
        }
    }
}

/// One contact detail found in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// What it is.
    pub kind: ContactKind,
    /// Byte range in the original text, on char boundaries. For a split match, the part in the
    /// message being checked.
    pub span: Range<usize>,
    /// The rule that fired (for `hearth scan --explain` and tests), e.g. `"phone-spelled"`.
    pub rule: &'static str,
    /// True if it completed a detail begun in the member's earlier messages.
    pub split: bool,
}

/// The result of checking one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Matches in text order, non-overlapping.
    pub matches: Vec<Match>,
    /// The original text with each match replaced by its kind's placeholder; equal to the text
    /// when clean. Safe to show facilitators.
    pub masked: String,
}

impl Verdict {
    /// True if nothing was found.
    pub fn is_clean(&self) -> bool {
        self.matches.is_empty()
    }

    /// The distinct kinds found, in [`ContactKind`] order.
    pub fn kinds(&self) -> Vec<ContactKind> {
        let mut kinds: Vec<ContactKind> = self.matches.iter().map(|m| m.kind).collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// A sentence for the sender naming what matched, e.g. "This looks like a phone number. This
    /// group keeps contact details out of the chat." Empty when clean.
    pub fn describe(&self) -> String {
        let nouns: Vec<&str> = self.kinds().into_iter().map(ContactKind::noun).collect();
        let list = match nouns.as_slice() {
            [] => return String::new(),
            [one] => (*one).to_owned(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        format!("This looks like {list}. This group keeps contact details out of the chat.")
    }
}

/// What the filter knows besides the text.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Pseudonyms present in the room: `@River thanks` is a mention, not a handle.
    pub names: &'a [&'a str],
    /// This member's window of recent messages; `None` for independent messages.
    pub recent: Option<&'a RecentMessages>,
    /// The time of the message being checked.
    pub now: Millis,
}

impl Context<'static> {
    /// A context for an independent message: no names, no window.
    pub fn standalone(now: Millis) -> Self {
        Context {
            names: &[],
            recent: None,
            now,
        }
    }
}

/// One match with the evidence behind it, for `hearth scan --explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The match as [`Filter::check`] reports it.
    pub matched: Match,
    /// The normalized text the rule fired on (and, for phones, the digits read).
    pub normalized: String,
}

/// A detection before it becomes a [`Match`], in the coordinates of the analysed text.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) kind: ContactKind,
    pub(crate) span: Range<usize>,
    pub(crate) rule: &'static str,
    pub(crate) evidence: String,
}

/// One analysed text: its view, tokens and their lexicon readings. `starts` are the byte offsets
/// where each message begins (one element, `0`, for a single message).
pub(crate) struct Analysis<'t> {
    pub(crate) text: &'t str,
    pub(crate) view: View,
    pub(crate) tokens: Vec<Token>,
    pub(crate) lex: Vec<Lex>,
    starts: &'t [usize],
}

impl<'t> Analysis<'t> {
    pub(crate) fn new(text: &'t str, lexicon: &Lexicon, starts: &'t [usize]) -> Analysis<'t> {
        let view = View::new(text);
        let tokens = tokenize(&view.bytes);
        let lex = tokens
            .iter()
            .map(|t| {
                if t.class == Class::Word {
                    lexicon.get(&view.bytes[t.start..t.end])
                } else {
                    Lex::default()
                }
            })
            .collect();
        Analysis {
            text,
            view,
            tokens,
            lex,
            starts,
        }
    }

    /// The view bytes of a token.
    pub(crate) fn bytes(&self, t: &Token) -> &[u8] {
        &self.view.bytes[t.start..t.end]
    }

    /// How many messages a span of the analysed text touches.
    pub(crate) fn messages_touched(&self, span: &Range<usize>) -> usize {
        1 + self
            .starts
            .iter()
            .filter(|&&s| s > span.start && s < span.end)
            .count()
    }

    /// Could this text hold an email, a handle or a link? Cheap, and true for every text in which
    /// the address recognizers can find anything.
    fn may_hold_address(&self, lexicon: &Lexicon) -> bool {
        const CUES: u32 = PLATFORM | PLATFORM_WEAK | EMAIL_CUE | PROVIDER | ACCOUNT_NOUN;
        let tokens = &self.tokens;
        let mut single_run = 0;
        tokens.iter().enumerate().any(|(i, t)| {
            let next = tokens.get(i + 1);
            single_run = if t.is_alnum() && t.len() == 1 {
                single_run + 1
            } else {
                0
            };
            let attached_alnum = next.is_some_and(|n| n.gap == Gap::None && n.is_alnum());
            let spaced = t.gap != Gap::None && next.is_some_and(|n| n.gap != Gap::None);
            match t.class {
                Class::Punct(b'@' | b'#') => true,
                Class::Punct(b'.' | b'/' | b'_') => attached_alnum || spaced,
                Class::Word => {
                    let asks = self.lex[i].has(CONTACT_VERB)
                        && next.is_some_and(|n| &self.view.bytes[n.start..n.end] == b"me");
                    self.lex[i].has(CUES)
                        || asks
                        || self.lex[i].has(words::TRIGGER)
                        || single_run >= 3
                }
                Class::Mixed => {
                    let word = self.bytes(t);
                    lexicon
                        .get(&unleet(word, b'i'))
                        .has(PLATFORM | PLATFORM_WEAK)
                        || lexicon
                            .get(&unleet(word, b'l'))
                            .has(PLATFORM | PLATFORM_WEAK)
                }
                Class::Number => single_run >= 3,
                Class::Punct(_) => false,
            }
        })
    }
}

/// How the fast path reads a non-ASCII character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuickChar {
    /// As this ASCII byte (what normalization would make of it, or a neutral mark).
    Byte(u8),
    /// An emoji joiner or selector: nothing, unless it splits a word (then it may hide one).
    Joiner,
    /// Might normalize to a letter or digit: leave it to the full pipeline.
    Bail,
}

/// The fast path's reading of a non-ASCII character. Only punctuation, spaces and emoji are read;
/// letters, digits of other scripts and enclosed or fullwidth forms bail.
fn quick_char(c: char) -> QuickChar {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => QuickChar::Byte(b'\''),
        '\u{201C}'..='\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => QuickChar::Byte(b'"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => QuickChar::Byte(b'-'),
        '\u{2026}' | '\u{2022}' | '\u{00B7}' | '\u{2219}' | '\u{22C5}' | '\u{30FB}'
        | '\u{3002}' => QuickChar::Byte(b'.'),
        '\u{FE0E}' | '\u{FE0F}' | '\u{200D}' | '\u{20E3}' => QuickChar::Joiner,
        c if c.is_whitespace() => QuickChar::Byte(b' '),
        '\u{2190}'..='\u{21FF}'
        | '\u{2300}'..='\u{23FF}'
        | '\u{25A0}'..='\u{25FF}'
        | '\u{2600}'..='\u{2775}'
        | '\u{2794}'..='\u{27BF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{1F1E6}'..='\u{1F1FF}'
        | '\u{1F300}'..='\u{1FAFF}' => QuickChar::Byte(b'*'),
        _ => QuickChar::Bail,
    }
}

/// What one allocation-free pass over ASCII text found.
#[derive(Debug, Clone, Copy)]
struct Quick {
    /// Something that can start an address or handle match: `@`, `#`, a dotted, slashed or
    /// underscored word, a letters-and-digits word, a cue word, spaced-out letters.
    trigger: bool,
    /// Digits plus the digits spelled-number words can stand for.
    digits: usize,
}

impl Quick {
    /// Nothing can match: no trigger, and too few digits for a phone number.
    fn is_clean(&self) -> bool {
        !self.trigger && self.digits < phone::MIN_DIGITS
    }
}

/// A member's window as one check reads it.
struct Window<'w> {
    recent: &'w RecentMessages,
    now: Millis,
    /// The fast-path reading of the whole message.
    quick: Option<Quick>,
}

/// The contact-info filter of a deployment. Built once (it compiles its tables); cheap to share
/// behind an `Arc`; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Filter {
    lexicon: Lexicon,
    allow: Allow,
}

impl Filter {
    /// Compiles the filter for a deployment's allow-list.
    pub fn new(config: FilterConfig) -> Filter {
        Filter {
            lexicon: Lexicon::new(),
            allow: Allow::new(&config),
        }
    }

    /// Checks one member message. With `ctx.recent`, also completes details split over the
    /// member's recent messages (such matches have `split: true`).
    ///
    /// Fast path: ASCII text without digits, marks or cue words, checked alone or with an empty
    /// window, is clean after one pass and no allocation beyond the returned copy.
    pub fn check(&self, text: &str, ctx: &Context<'_>) -> Verdict {
        let alone = ctx.recent.is_none_or(|r| r.fresh(ctx.now).next().is_none());
        if alone && self.quick_clean(text) {
            return verdict(text, Vec::new());
        }
        verdict(
            text,
            self.findings(text, ctx)
                .into_iter()
                .map(|(m, _)| m)
                .collect(),
        )
    }

    /// Like [`Filter::check`], also returning the normalized text each rule fired on.
    pub fn explain(&self, text: &str, ctx: &Context<'_>) -> (Verdict, Vec<Explanation>) {
        let findings = self.findings(text, ctx);
        let explanations: Vec<Explanation> = findings
            .iter()
            .map(|(matched, normalized)| Explanation {
                matched: matched.clone(),
                normalized: normalized.clone(),
            })
            .collect();
        (
            verdict(text, findings.into_iter().map(|(m, _)| m).collect()),
            explanations,
        )
    }

    /// Checks a pseudonym. Stricter than a message: more than [`NAME_MAX_DIGITS`] digits, a
    /// platform name with anything else, an `@` or a dotted name are refused too. No window.
    pub fn check_pseudonym(&self, name: &str, _ctx: &Context<'_>) -> Verdict {
        let a = Analysis::new(name, &self.lexicon, &[0]);
        let mut found = self.detect(name, &[], &[0]);
        found.extend(name_rules(&a));
        let matches = resolve(found)
            .into_iter()
            .map(|f| to_match(f, false))
            .collect();
        verdict(name, matches)
    }

    fn findings(&self, text: &str, ctx: &Context<'_>) -> Vec<(Match, String)> {
        let names = ctx.names;
        let quick = self.quick(text);
        let own = if quick.is_some_and(|q| q.is_clean()) {
            Vec::new()
        } else {
            resolve(self.detect(text, names, &[0]))
        };
        let mut findings: Vec<(Found, bool)> = own.into_iter().map(|f| (f, false)).collect();
        if let Some(recent) = ctx.recent {
            let window = Window {
                recent,
                now: ctx.now,
                quick,
            };
            findings.extend(self.split_findings(text, &window, names, &findings));
        }
        let (found, split): (Vec<Found>, Vec<bool>) = findings.into_iter().unzip();
        let splits: Vec<(Range<usize>, bool)> =
            found.iter().map(|f| f.span.clone()).zip(split).collect();
        resolve(found)
            .into_iter()
            .map(|f| {
                let split = splits
                    .iter()
                    .any(|(span, split)| *split && overlaps(span, &f.span));
                let evidence = f.evidence.clone();
                (to_match(f, split), evidence)
            })
            .collect()
    }

    /// Matches that end in `text` but need the member's earlier messages: found in the window
    /// (earlier tails joined by line breaks, then `text`) and not already found in `text` alone.
    fn split_findings(
        &self,
        text: &str,
        window: &Window<'_>,
        names: &[&str],
        own: &[(Found, bool)],
    ) -> Vec<(Found, bool)> {
        let (recent, now) = (window.recent, window.now);
        // A detail that crosses into this message continues from its first few words (a number
        // goes on, a name follows its cue within a few words), so only the head of the message
        // and the end of the earlier ones are read together. Only a head that could continue
        // something (digits, a mark, a cue) or one after a message that left a name open
        // ("kik:") is read at all.
        let head = &text[..head_end(text)];
        let Some(last) = recent.fresh(now).last() else {
            return Vec::new();
        };
        // A match found with the window ends in the head and starts (or has its cue) earlier:
        // a number that goes on across the break, a name left open ("kik:"), or an address cue
        // earlier with a mark or a name in the head. Cheapest tests first: most messages stop.
        let number_goes_on = self.starts_numeric(head) && self.ends_numeric(last);
        let open = self.ends_open(last);
        // Most messages are shorter than the head: their fast-path reading is already known.
        let head_quick = if head.len() == text.len() {
            window.quick
        } else {
            self.quick(head)
        };
        let head_cue = head_quick.is_none_or(|q| q.trigger);
        if !(number_goes_on || open || head_cue) {
            return Vec::new();
        }
        let fresh: Vec<&str> = recent.fresh(now).collect();
        let earlier = window_context(&fresh);
        if !(number_goes_on || open || self.cue_near_end(&earlier)) {
            return Vec::new();
        }
        let mut joined = String::new();
        let mut starts = Vec::new();
        for message in earlier.iter().copied().chain([head]) {
            if !starts.is_empty() {
                joined.push_str(message_break(&joined, message));
            }
            starts.push(joined.len());
            joined.push_str(message);
        }
        let offset = starts[starts.len() - 1];
        self.detect(&joined, names, &starts)
            .into_iter()
            .filter(|f| f.span.end > offset)
            .map(|f| Found {
                span: f.span.start.max(offset) - offset..f.span.end - offset,
                ..f
            })
            .filter(|f| !f.span.is_empty() && !own.iter().any(|(g, _)| overlaps(&g.span, &f.span)))
            .map(|f| (f, true))
            .collect()
    }

    /// One pass over `text` (allocation-free for ASCII): is there anything a recognizer could
    /// start from? `None` when the text holds characters only the full pipeline can read. Must
    /// report a trigger or enough digits whenever `detect` could find something.
    fn quick(&self, text: &str) -> Option<Quick> {
        if text.is_ascii() {
            return Some(self.quick_bytes(text.as_bytes()));
        }
        // Curly quotes, dashes and emoji are everyday chat: read them as their ASCII
        // counterparts; anything that normalization could turn into a letter or digit bails.
        let mut mapped = Vec::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_ascii() {
                mapped.push(c as u8);
                continue;
            }
            match quick_char(c) {
                QuickChar::Byte(b) => mapped.push(b),
                QuickChar::Joiner => {
                    let before = mapped.last().is_some_and(u8::is_ascii_alphanumeric);
                    let after = chars.peek().is_some_and(char::is_ascii_alphanumeric);
                    if before && after {
                        return None;
                    }
                }
                QuickChar::Bail => return None,
            }
        }
        Some(self.quick_bytes(&mapped))
    }

    /// [`Filter::quick`] over ASCII bytes.
    fn quick_bytes(&self, bytes: &[u8]) -> Quick {
        const CUES: u32 = PLATFORM | PLATFORM_WEAK | EMAIL_CUE | PROVIDER | ACCOUNT_NOUN;
        let mut quick = Quick {
            trigger: false,
            digits: 0,
        };
        let (mut singles, mut asks) = (0usize, false);
        let mut i = 0;
        while i < bytes.len() && !quick.trigger {
            let b = bytes[i];
            if !b.is_ascii_alphanumeric() {
                let before = i.checked_sub(1).map(|j| bytes[j]);
                let after = bytes.get(i + 1).copied();
                quick.trigger = match b {
                    b'@' | b'#' => true,
                    b'.' | b'/' | b'_' => {
                        after.is_some_and(|a| a.is_ascii_alphanumeric())
                            || (before.is_some_and(|c| c.is_ascii_whitespace())
                                && after.is_some_and(|c| c.is_ascii_whitespace()))
                    }
                    _ => false,
                };
                if !b.is_ascii_whitespace() {
                    singles = 0;
                }
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || (bytes[i] == b'\'' && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)))
            {
                i += 1;
            }
            let run = &bytes[start..i];
            let digits = run.iter().filter(|b| b.is_ascii_digit()).count();
            singles = if run.len() == 1 { singles + 1 } else { 0 };
            if digits == run.len() {
                quick.digits += digits;
            } else if digits > 0 {
                // Letters and digits: lookalike digits, "d1scord", "name22".
                quick.trigger = true;
            } else if run.len() <= words::LONGEST_WORD {
                let mut lower = [0u8; words::LONGEST_WORD];
                for (l, b) in lower.iter_mut().zip(run) {
                    *l = b.to_ascii_lowercase();
                }
                let word = &lower[..run.len()];
                let lex = self.lexicon.get(word);
                quick.digits += lex.spelled.map_or(0, words::Spelled::weight);
                quick.trigger = lex.has(CUES | words::TRIGGER) || (asks && word == b"me");
                asks = lex.has(CONTACT_VERB);
            }
            quick.trigger |= singles >= dress::SPACED_RUN;
        }
        quick
    }

    /// Is there an address cue or mark in the last [`CUE_REACH_CHARS`] characters of the earlier
    /// messages? A cue further back cannot reach past the break (a name follows its cue within
    /// five words).
    fn cue_near_end(&self, earlier: &[&str]) -> bool {
        let mut budget = CUE_REACH_CHARS;
        for part in earlier.iter().rev() {
            let start = part.len().saturating_sub(budget);
            let start = (start..=part.len())
                .find(|&i| part.is_char_boundary(i))
                .unwrap_or(0);
            if self.quick(&part[start..]).is_none_or(|q| q.trigger) {
                return true;
            }
            budget = budget.saturating_sub(part.len());
            if budget == 0 {
                return false;
            }
        }
        false
    }

    /// True if `text` alone is clean by the fast path.
    fn quick_clean(&self, text: &str) -> bool {
        self.quick(text).is_some_and(|q| q.is_clean())
    }

    /// Does `text` end as a number could go on: a digit, a separator, a spelled digit?
    fn ends_numeric(&self, text: &str) -> bool {
        let tail = text.trim_end();
        let last = tail
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or_default();
        tail.ends_with(|c: char| c.is_numeric() || "-.(/+".contains(c)) || self.is_number_word(last)
    }

    /// Does `text` start as a number could go on (after separators)?
    fn starts_numeric(&self, text: &str) -> bool {
        let head = text.trim_start_matches(|c: char| c.is_whitespace() || "-.()/+".contains(c));
        let first = head
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or_default();
        head.starts_with(char::is_numeric)
            || self.is_number_word(first)
            || (first.chars().any(|c| c.is_ascii_digit())
                && first.chars().all(char::is_alphanumeric))
            || !head.is_ascii()
    }

    /// A spelled number word ("five", "oh", "double").
    fn is_number_word(&self, word: &str) -> bool {
        self.lookup_lower(word).spelled.is_some()
    }

    /// The lexicon entry of a word as typed (any case), without allocating.
    fn lookup_lower(&self, word: &str) -> Lex {
        if word.len() > words::LONGEST_WORD {
            return Lex::default();
        }
        let mut lower = [0u8; words::LONGEST_WORD];
        for (l, b) in lower.iter_mut().zip(word.bytes()) {
            *l = b.to_ascii_lowercase();
        }
        self.lexicon.get(&lower[..word.len()])
    }

    /// Does the end of the last earlier message leave a name open ("kik:", "my snap is")?
    fn ends_open(&self, earlier: &str) -> bool {
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
        let cue = |w: &str| self.lookup_lower(w).has(naming | CONTACT_VERB);
        // "kik me", "my snap is", "insta, it's": the connector counts only after a cue.
        let connector = ["is", "me", "its", "it's"]
            .iter()
            .any(|c| last.eq_ignore_ascii_case(c));
        let dressing = ["at", "dot"].iter().any(|c| last.eq_ignore_ascii_case(c));
        cue(last) || dressing || (connector && tail_words.take(3).any(cue))
    }

    /// All recognizers over one text (a message, or a window of messages).
    fn detect(&self, text: &str, names: &[&str], starts: &[usize]) -> Vec<Found> {
        let a = Analysis::new(text, &self.lexicon, starts);
        let mut found = Vec::new();
        if phone::potential_digits(&a) >= phone::MIN_DIGITS {
            phone::find(&a, &self.allow, &mut found);
        }
        if a.may_hold_address(&self.lexicon) {
            let d = dress::undress(&a);
            let dt = tokenize(&d.bytes);
            email::find(&a, &d, &self.lexicon, &self.allow, &mut found);
            link::find(&a, &d, &dt, &self.lexicon, &self.allow, &mut found);
            handle::find(&a, &d, &dt, &self.lexicon, names, &mut found);
        }
        found
    }
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
    let word = rest[number..]
        .find(char::is_whitespace)
        .unwrap_or(rest.len() - number);
    cut + number + word
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

/// Pseudonym-only rules: a name is refused for less than a message.
fn name_rules(a: &Analysis<'_>) -> Vec<Found> {
    let mut found = Vec::new();
    let whole = |rule: &'static str, kind: ContactKind| Found {
        kind,
        span: 0..a.text.len(),
        rule,
        evidence: a.view.text(0..a.view.bytes.len()),
    };
    if a.tokens.is_empty() {
        return found;
    }
    if phone::potential_digits(a) > NAME_MAX_DIGITS {
        found.push(whole("name-digits", ContactKind::Phone));
    }
    let platform = a.lex.iter().any(|l| l.has(PLATFORM));
    let alnum = a.tokens.iter().filter(|t| t.is_alnum()).count();
    let at_name = a
        .tokens
        .windows(2)
        .any(|w| w[0].punct() == Some(b'@') && w[1].gap == Gap::None && w[1].is_alnum());
    let dotted = a.tokens.windows(3).any(|w| {
        w[1].punct() == Some(b'.')
            && w[1].gap == Gap::None
            && w[2].gap == Gap::None
            && w[0].is_alnum()
            && w[2].is_alnum()
            && w[0].len() >= 3
            && w[2].len() >= 3
    });
    if (platform && alnum > 1) || at_name || dotted {
        found.push(whole("name-handle", ContactKind::Handle));
    }
    found
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Merges overlapping detections: the span becomes their union, the kind the most specific.
fn resolve(mut found: Vec<Found>) -> Vec<Found> {
    found.sort_by_key(|f| (f.span.start, Reverse(f.span.end)));
    let mut merged: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if let Some(last) = merged.last_mut()
            && f.span.start < last.span.end
        {
            last.span.end = last.span.end.max(f.span.end);
            if f.kind.precedence() < last.kind.precedence() {
                last.kind = f.kind;
                last.rule = f.rule;
                last.evidence = f.evidence;
            }
            continue;
        }
        merged.push(f);
    }
    merged
}

fn to_match(f: Found, split: bool) -> Match {
    Match {
        kind: f.kind,
        span: f.span,
        rule: f.rule,
        split,
    }
}

/// Builds the verdict: matches plus the masked copy.
fn verdict(text: &str, matches: Vec<Match>) -> Verdict {
    let mut masked = String::with_capacity(text.len());
    let mut at = 0;
    for m in &matches {
        masked.push_str(&text[at..m.span.start]);
        masked.push_str(m.kind.placeholder());
        at = m.span.end;
    }
    masked.push_str(&text[at..]);
    Verdict { matches, masked }
}
