//! Links to social, messaging and personal pages: `wa.me/…`, `t.me/…`, `instagram.com/name`,
//! `discord.gg/…`, `linktr.ee/…`, `name.carrd.co`, with or without scheme, plain or undressed
//! ("instagram dot com/name", "t . me / name").
//!
//! Links to help resources (the allow-list) and to ordinary pages (news, videos, the platforms'
//! own front pages: "I deleted instagram.com") are not contact details. Pure; works on the
//! undressed view from `dress`. Depends on `dress`, `tokens`, `words` and `allow`; must not depend
//! on the other recognizers or the window.

use super::allow::Allow;
use super::dress::{SOFT_AT, SPACED_AT};
use super::normalize::{OTHER_LETTER, View};
use super::tokens::{Class, Token};
use super::words::{FILE_EXTENSION, Lexicon, SITE_NOUN, TLD};
use super::{Analysis, ContactKind, Found};

/// What a host is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Host {
    /// Opens a private conversation: any path is contact.
    Messaging,
    /// A social network: a path names a person, except the site's own pages.
    Social,
    /// A link-in-bio or personal-page service: a path or a subdomain is a person.
    Personal,
}

/// Known hosts. Subdomains match too ("vm.tiktok.com", "name.carrd.co").
const HOSTS: &[(&str, Host)] = &[
    ("wa.me", Host::Messaging),
    ("whatsapp.com", Host::Messaging),
    ("t.me", Host::Messaging),
    ("telegram.me", Host::Messaging),
    ("telegram.dog", Host::Messaging),
    ("discord.gg", Host::Messaging),
    ("discord.com", Host::Messaging),
    ("discordapp.com", Host::Messaging),
    ("signal.me", Host::Messaging),
    ("signal.group", Host::Messaging),
    ("m.me", Host::Messaging),
    ("kik.me", Host::Messaging),
    ("line.me", Host::Messaging),
    ("zoom.us", Host::Messaging),
    ("meet.google.com", Host::Messaging),
    ("join.skype.com", Host::Messaging),
    ("calendly.com", Host::Messaging),
    ("snapchat.com", Host::Social),
    ("instagram.com", Host::Social),
    ("instagr.am", Host::Social),
    ("facebook.com", Host::Social),
    ("fb.com", Host::Social),
    ("fb.me", Host::Social),
    ("twitter.com", Host::Social),
    ("x.com", Host::Social),
    ("tiktok.com", Host::Social),
    ("threads.net", Host::Social),
    ("threads.com", Host::Social),
    ("bsky.app", Host::Social),
    ("reddit.com", Host::Social),
    ("youtube.com", Host::Social),
    ("twitch.tv", Host::Social),
    ("linkedin.com", Host::Social),
    ("pinterest.com", Host::Social),
    ("vk.com", Host::Social),
    ("mastodon.social", Host::Social),
    ("mstdn.social", Host::Social),
    ("medium.com", Host::Social),
    ("github.com", Host::Social),
    ("soundcloud.com", Host::Social),
    ("steamcommunity.com", Host::Social),
    ("onlyfans.com", Host::Social),
    ("patreon.com", Host::Social),
    ("ko-fi.com", Host::Social),
    ("buymeacoffee.com", Host::Social),
    ("venmo.com", Host::Social),
    ("cash.app", Host::Social),
    ("paypal.me", Host::Social),
    ("tumblr.com", Host::Personal),
    ("linktr.ee", Host::Personal),
    ("beacons.ai", Host::Personal),
    ("bio.link", Host::Personal),
    ("lnk.bio", Host::Personal),
    ("carrd.co", Host::Personal),
    ("about.me", Host::Personal),
    ("campsite.bio", Host::Personal),
    ("linkin.bio", Host::Personal),
    ("taplink.cc", Host::Personal),
    ("solo.to", Host::Personal),
    ("allmylinks.com", Host::Personal),
    ("hoo.be", Host::Personal),
    ("flow.page", Host::Personal),
    ("msha.ke", Host::Personal),
    ("linkr.bio", Host::Personal),
    ("substack.com", Host::Personal),
    ("wordpress.com", Host::Personal),
    ("blogspot.com", Host::Personal),
    ("github.io", Host::Personal),
    ("neocities.org", Host::Personal),
    ("wixsite.com", Host::Personal),
    ("weebly.com", Host::Personal),
    ("bsky.social", Host::Personal),
];

/// First path segments that are a site's own pages, not a person.
const SITE_PAGES: &[&str] = &[
    "",
    "help",
    "about",
    "legal",
    "privacy",
    "terms",
    "explore",
    "watch",
    "shorts",
    "hashtag",
    "tags",
    "search",
    "settings",
    "login",
    "signup",
    "policies",
    "topics",
    "trending",
    "r",
    "results",
    "feed",
    "embed",
    "playlist",
    "news",
    "business",
    "ads",
    "careers",
    "developers",
    "download",
    "jobs",
    "blog",
    "support",
    "safety",
    "guidelines",
    "community-guidelines",
    "accounts",
    "reel",
    "p",
    "discover",
    "live",
    "home",
    "features",
    "docs",
    "wiki",
    "policy",
];

/// Path prefixes that name a person on any site.
const PROFILE_MARKERS: &[&str] = &[
    "@", "~", "u/", "user/", "users/", "profile/", "people/", "in/", "add/",
];

/// Subdomains that belong to the site, not to a person.
const SITE_SUBDOMAINS: &[&str] = &[
    "www", "m", "mobile", "web", "vm", "vt", "en", "help", "support",
];

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-'
}

fn is_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~%/?#=&+@:!$*,;".contains(&b)
}

/// Finds links to contact pages in the undressed view `d` (tokens `dt`) of `a`.
pub(crate) fn find(
    a: &Analysis<'_>,
    d: &View,
    dt: &[Token],
    lexicon: &Lexicon,
    allow: &Allow,
    out: &mut Vec<Found>,
) {
    let bytes = &d.bytes;
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0
            || !(is_host_byte(bytes[i - 1])
                || matches!(
                    bytes[i - 1],
                    b'@' | b'_' | SOFT_AT | SPACED_AT | OTHER_LETTER
                ));
        if !(boundary && bytes[i].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < bytes.len() && is_host_byte(bytes[end]) {
            end += 1;
        }
        while end > i && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        if let Some(found) = link_at(a, d, dt, lexicon, allow, i, end) {
            out.push(found);
        }
        i = end.max(i + 1);
    }
}

/// Judges the host at `start..end` and the path after it.
fn link_at(
    a: &Analysis<'_>,
    d: &View,
    dt: &[Token],
    lexicon: &Lexicon,
    allow: &Allow,
    start: usize,
    end: usize,
) -> Option<Found> {
    let bytes = &d.bytes;
    // Most runs are plain words: no dot, no host, and no need to look further.
    if !bytes[start..end].contains(&b'.') {
        return None;
    }
    let host = std::str::from_utf8(&bytes[start..end]).ok()?;
    let labels: Vec<&str> = host.split('.').collect();
    let tld = labels.last()?;
    if labels.len() < 2
        || labels.iter().any(|l| l.is_empty())
        || !tld.bytes().all(|b| b.is_ascii_lowercase())
    {
        return None;
    }
    let mut path_end = end;
    if bytes.get(end) == Some(&b'/') {
        while path_end < bytes.len() && is_path_byte(bytes[path_end]) {
            path_end += 1;
        }
        while path_end > end + 1 && b".,!?:;)".contains(&bytes[path_end - 1]) {
            path_end -= 1;
        }
    }
    let path = std::str::from_utf8(&bytes[end..path_end])
        .ok()?
        .trim_end_matches('/');
    let scheme_start = scheme_start(bytes, start);
    let site_host = host.trim_start_matches("www.");
    if allow.is_help_domain(site_host) {
        return None;
    }
    let rule = match classify(site_host) {
        Some((Host::Messaging, _)) => {
            (!path.is_empty() && !is_site_page(path)).then_some("link-messaging")
        }
        Some((Host::Social, _)) => personal_path(site_host, path).then_some("link-social"),
        Some((Host::Personal, subdomain)) => {
            (!path.is_empty() || subdomain).then_some("link-personal-page")
        }
        None => {
            let tld = lexicon.get(tld.as_bytes());
            let known = tld.has(TLD) && !tld.has(FILE_EXTENSION);
            let personal = has_profile_marker(path) || site_noun_before(d, dt, lexicon, start);
            (known && personal).then_some("link-personal")
        }
    }?;
    // A Bluesky handle is a domain ("sobersam.bsky.social"); without a path it names an account.
    let kind = if site_host.ends_with(".bsky.social") && path.is_empty() {
        ContactKind::Handle
    } else {
        ContactKind::Link
    };
    let range = scheme_start..path_end;
    Some(Found {
        kind,
        span: d.source(a.text, range.clone()),
        rule,
        evidence: d.text(range),
    })
}

/// Extends a link back over "https://".
fn scheme_start(bytes: &[u8], start: usize) -> usize {
    if start < 3 || &bytes[start - 3..start] != b"://" {
        return start;
    }
    let mut s = start - 3;
    while s > 0 && bytes[s - 1].is_ascii_lowercase() {
        s -= 1;
    }
    s
}

/// The class of a known host and whether a personal subdomain was used.
fn classify(host: &str) -> Option<(Host, bool)> {
    HOSTS.iter().find_map(|&(known, class)| {
        if host == known {
            return Some((class, false));
        }
        let sub = host.strip_suffix(known)?.strip_suffix('.')?;
        let personal = !SITE_SUBDOMAINS.contains(&sub);
        Some((class, personal))
    })
}

/// Is this path one of a site's own pages ("discord.com/safety")?
fn is_site_page(path: &str) -> bool {
    let first = path.trim_start_matches('/').split(['/', '?']).next();
    SITE_PAGES.contains(&first.unwrap_or_default())
}

/// Does this path on a social host name a person?
fn personal_path(host: &str, path: &str) -> bool {
    let rest = path.trim_start_matches('/');
    let first = rest.split(['/', '?']).next().unwrap_or_default();
    let base = host.rsplit('.').nth(1).unwrap_or_default();
    match base {
        "youtube" => first.starts_with('@') || ["c", "channel", "user"].contains(&first),
        "reddit" => ["u", "user"].contains(&first),
        "linkedin" => ["in", "pub"].contains(&first),
        _ => !SITE_PAGES.contains(&first),
    }
}

fn has_profile_marker(path: &str) -> bool {
    let rest = path.trim_start_matches('/');
    !rest.is_empty()
        && PROFILE_MARKERS
            .iter()
            .any(|m| rest.starts_with(m) && rest.len() > m.len())
}

/// "my blog is …", "check out my site: …": a personal cue among the few words before the link.
fn site_noun_before(d: &View, dt: &[Token], lexicon: &Lexicon, start: usize) -> bool {
    let before = dt.partition_point(|t| t.end <= start);
    let window = &dt[before.saturating_sub(6)..before];
    window.windows(2).any(|pair| {
        let (my, noun) = (&pair[0], &pair[1]);
        let word = |t: &Token| &d.bytes[t.start..t.end];
        my.class == Class::Word
            && matches!(word(my), b"my" | b"our")
            && noun.class == Class::Word
            && lexicon.get(word(noun)).has(SITE_NOUN)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn social_paths_name_people_except_site_pages() {
        assert!(personal_path("instagram.com", "/dawn.chaser"));
        assert!(!personal_path("instagram.com", ""));
        assert!(!personal_path("instagram.com", "/explore/tags"));
        assert!(personal_path("youtube.com", "/@tidepool"));
        assert!(!personal_path("youtube.com", "/watch?v=abc"));
        assert!(!personal_path("reddit.com", "/r/stopdrinking"));
        assert!(personal_path("reddit.com", "/u/stillstanding"));
    }

    #[test]
    fn hosts_classify_with_subdomains() {
        assert_eq!(classify("wa.me"), Some((Host::Messaging, false)));
        assert_eq!(classify("vm.tiktok.com"), Some((Host::Social, false)));
        assert_eq!(classify("mila.carrd.co"), Some((Host::Personal, true)));
        assert_eq!(classify("nytimes.com"), None);
        assert_eq!(classify("notwa.me"), None);
    }
}
