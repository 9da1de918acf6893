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
//! 1. `fast`: one allocation-free pass; a message without digits (seven possible, counting spelled
//!    digits), marks, letters-and-digits words or cue words is clean here. Most chat stops.
//! 2. `normalize`: folds what was typed into what a reader sees (NFKD compatibility forms,
//!    invisible characters and marks dropped, lower case, lookalikes and digits of every script to
//!    ASCII), keeping for every byte the original character it came from.
//! 3. `tokens` + `words`: words, numbers and marks, each word looked up once in the lexicon.
//! 4. `phone` on the tokens; `dress` rewrites "at"/"dot" dressings, then `email`, `link` and
//!    `handle` run on the undressed text. Each runs only if its triggers are present.
//! 5. With a window, `split` decides whether the message could continue something and joins it
//!    to the end of the earlier messages; the recognizers run again on the joined text.
//! 6. Overlapping matches merge (email > link > phone > handle), and the masked copy is built.

mod allow;
mod dress;
mod email;
mod fast;
mod handle;
mod link;
mod normalize;
mod phone;
mod split;
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
    /// The kind's code on the wire and in metrics: `email`, `phone`, `handle`, `link`.
    pub fn code(self) -> &'static str {
        match self {
            ContactKind::Email => "email",
            ContactKind::Phone => "phone",
            ContactKind::Handle => "handle",
            ContactKind::Link => "link",
        }
    }

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
        let tokens = split_glued_digits(&view.bytes, tokenize(&view.bytes));
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
        let quick = fast::quick(&self.lexicon, text);
        let own = if quick.is_some_and(|q| q.is_clean()) {
            Vec::new()
        } else {
            resolve(self.detect(text, names, &[0]))
        };
        let mut findings: Vec<(Found, bool)> = own.into_iter().map(|f| (f, false)).collect();
        if let Some(recent) = ctx.recent {
            let window = (recent, ctx.now, quick);
            findings.extend(self.split_findings(text, window, names, &findings));
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
    /// (see `split`) and not already found in `text` alone.
    fn split_findings(
        &self,
        text: &str,
        (recent, now, quick): (&RecentMessages, Millis, Option<fast::Quick>),
        names: &[&str],
        own: &[(Found, bool)],
    ) -> Vec<(Found, bool)> {
        let Some(joined) = split::join(&self.lexicon, recent, now, text, quick) else {
            return Vec::new();
        };
        let offset = joined.offset();
        self.detect(&joined.text, names, &joined.starts)
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

    /// True if `text` alone is clean by the fast path.
    fn quick_clean(&self, text: &str) -> bool {
        fast::quick(&self.lexicon, text).is_some_and(|q| q.is_clean())
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

/// Cuts words glued together from spelled digits ("fivefivefive", "4one5") into one token per
/// piece, touching each other, so the phone recognizer reads them as it reads "five five five".
fn split_glued_digits(bytes: &[u8], tokens: Vec<Token>) -> Vec<Token> {
    let glued = |t: &Token| {
        matches!(t.class, Class::Word | Class::Mixed)
            .then(|| words::glued_digits(&bytes[t.start..t.end]))
            .flatten()
    };
    if !tokens.iter().any(|t| glued(t).is_some()) {
        return tokens;
    }
    let mut out = Vec::with_capacity(tokens.len() + 8);
    for token in tokens {
        let Some(pieces) = glued(&token) else {
            out.push(token);
            continue;
        };
        for (n, piece) in pieces.into_iter().enumerate() {
            let start = token.start + piece.start;
            out.push(Token {
                start,
                end: token.start + piece.end,
                class: if bytes[start].is_ascii_digit() {
                    Class::Number
                } else {
                    Class::Word
                },
                gap: if n == 0 { token.gap } else { Gap::None },
            });
        }
    }
    out
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
