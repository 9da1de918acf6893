//! The deployment's allow-list: crisis and help lines and help-resource domains that members must
//! always be able to share, whatever their shape.
//!
//! Pure data plus matching; depends on nothing but std. The defaults cover the English-speaking
//! countries' main lines; operators add their local ones through [`FilterConfig`].

use std::collections::HashSet;

/// Crisis and help lines that are never contact details. Any formatting is fine: only the digits
/// count, and a number also matches with its country code or trunk zero added or dropped.
pub const DEFAULT_HELP_LINES: &[&str] = &[
    // Emergency numbers.
    "911",
    "999",
    "112",
    "000",
    "111",
    "110",
    "119",
    "15",
    "17",
    "18",
    // United States.
    "988",
    "741741",
    "1-800-273-8255",
    "1-800-950-6264",
    "1-800-662-4357",
    "1-800-799-7233",
    "1-866-488-7386",
    "1-877-565-8860",
    "1-800-656-4673",
    "1-800-422-4453",
    "1-800-222-1222",
    "1-800-522-4700",
    "1-888-628-9454",
    "838255",
    "1-800-985-5990",
    "1-877-726-4727",
    "1-800-931-2237",
    "1-800-448-3000",
    "1-866-331-9474",
    "22522",
    "1-800-784-2433",
    "1-888-373-7888",
    "1-800-487-4889",
    "1-800-852-8336",
    // United Kingdom.
    "116 123",
    "85258",
    "0800 58 58 58",
    "0300 123 3393",
    "0800 1111",
    "0800 068 41 41",
    "0808 2000 247",
    "0300 330 0630",
    "0800 9177 650",
    "0300 999 1212",
    "0808 8020 133",
    "0300 123 6600",
    "08457 90 90 90",
    "0808 800 5000",
    "0300 123 1110",
    "0800 587 0800",
    // Ireland.
    "50808",
    "1800 247 247",
    "1800 80 48 48",
    "1890 303 302",
    // Australia.
    "13 11 14",
    "0477 13 11 14",
    "1300 22 4636",
    "1800 55 1800",
    "1800 737 732",
    "1300 659 467",
    "1800 184 527",
    "13 92 76",
    "1800 250 015",
    "1800 858 858",
    // Canada.
    "1-833-456-4566",
    "45645",
    "686868",
    "1-800-668-6868",
    "1-855-242-3310",
    // New Zealand.
    "1737",
    "0800 543 354",
    "0800 111 757",
    "0800 787 797",
    // Europe.
    "116 111",
    "116 000",
    "116 117",
    "0800 111 0 111",
    "0800 111 0 222",
    "3114",
    // India, South Africa.
    "9152987821",
    "1800-599-0019",
    "14416",
    "0800 567 567",
    "0800 12 13 14",
];

/// Help resources: links to these (and their subdomains) are never contact details.
pub const DEFAULT_HELP_DOMAINS: &[&str] = &[
    "988lifeline.org",
    "suicidepreventionlifeline.org",
    "samaritans.org",
    "samaritans.ie",
    "findahelpline.com",
    "befrienders.org",
    "iasp.info",
    "crisistextline.org",
    "thetrevorproject.org",
    "translifeline.org",
    "rainn.org",
    "thehotline.org",
    "veteranscrisisline.net",
    "childhelp.org",
    "afsp.org",
    "mhanational.org",
    "nami.org",
    "samhsa.gov",
    "findtreatment.gov",
    "mentalhealth.gov",
    "nimh.nih.gov",
    "nih.gov",
    "cdc.gov",
    "who.int",
    "nhs.uk",
    "mind.org.uk",
    "giveusashout.org",
    "papyrus-uk.org",
    "thecalmzone.net",
    "childline.org.uk",
    "talktofrank.com",
    "pieta.ie",
    "lifeline.org.au",
    "beyondblue.org.au",
    "kidshelpline.com.au",
    "1800respect.org.au",
    "suicidecallbackservice.org.au",
    "kidshelpphone.ca",
    "talksuicide.ca",
    "988.ca",
    "lifeline.org.nz",
    "1737.org.nz",
    "aa.org",
    "alcoholics-anonymous.org.uk",
    "alcoholicsanonymous.ie",
    "na.org",
    "ukna.org",
    "smartrecovery.org",
    "smartrecovery.org.uk",
    "smartrecoveryaustralia.com.au",
    "al-anon.org",
    "nar-anon.org",
    "ca.org",
    "ma-online.org",
    "oa.org",
    "coda.org",
    "slaafws.org",
    "debtorsanonymous.org",
    "gamblersanonymous.org",
    "gamblersanonymous.org.uk",
    "gamcare.org.uk",
    "ncpgambling.org",
    "begambleaware.org",
    "refugerecovery.org",
    "recoverydharma.org",
    "lifering.org",
    "womenforsobriety.org",
    "sossobriety.org",
    "adaa.org",
    "dbsalliance.org",
    "nedc.com.au",
    "nationaleatingdisorders.org",
    "beateatingdisorders.org.uk",
    "sadag.org",
    "opentohope.com",
    "griefshare.org",
    "compassionatefriends.org",
    "psychologytoday.com",
    "wikipedia.org",
];

/// What a deployment allows. `Default` gives [`DEFAULT_HELP_LINES`] and [`DEFAULT_HELP_DOMAINS`];
/// to add local lines, extend the default:
///
/// ```
/// use hearth::filter::FilterConfig;
/// let mut config = FilterConfig::default();
/// config.help_lines.push("0800 123 456".to_owned());
/// config.help_domains.push("our-local-hotline.example".to_owned());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterConfig {
    /// Phone numbers members may share (any formatting; only digits count).
    pub help_lines: Vec<String>,
    /// Domains (and their subdomains) members may link to.
    pub help_domains: Vec<String>,
}

impl Default for FilterConfig {
    fn default() -> Self {
        FilterConfig {
            help_lines: DEFAULT_HELP_LINES.iter().map(|&s| s.to_owned()).collect(),
            help_domains: DEFAULT_HELP_DOMAINS.iter().map(|&s| s.to_owned()).collect(),
        }
    }
}

/// Longest number (in digits) that can be a phone number (E.164).
const MAX_LINE_DIGITS: usize = 15;

/// The compiled allow-list.
#[derive(Debug, Clone)]
pub(crate) struct Allow {
    /// Digit strings of the lines, plus their forms without the NANP `1` or a trunk `0`.
    lines: HashSet<String>,
    /// Lower-case domains.
    domains: Vec<String>,
}

impl Allow {
    pub(crate) fn new(config: &FilterConfig) -> Allow {
        let mut lines = HashSet::new();
        for line in &config.help_lines {
            let digits: String = line.chars().filter(char::is_ascii_digit).collect();
            if digits.is_empty() || digits.len() > MAX_LINE_DIGITS {
                continue;
            }
            // "1-800-273-8255" is also written "800-273-8255"; "0477 13 11 14" also "+61 477…".
            if digits.len() == 11 && digits.starts_with('1') {
                lines.insert(digits[1..].to_owned());
            }
            if digits.len() > 6 && digits.starts_with('0') {
                lines.insert(digits[1..].to_owned());
            }
            lines.insert(digits);
        }
        let domains = config
            .help_domains
            .iter()
            .map(|d| d.trim().trim_start_matches("www.").to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        Allow { lines, domains }
    }

    /// True if `digits` is an allowed line, written with or without a country code (one to three
    /// digits) or trunk zero, or a sequence of allowed lines ("988 / 911").
    pub(crate) fn is_help_line(&self, digits: &str) -> bool {
        if self.lines.contains(digits) {
            return true;
        }
        let with_country =
            (1..=3).any(|cc| digits.len() > cc + 6 && self.lines.contains(&digits[cc..]));
        with_country || self.is_sequence_of_lines(digits)
    }

    /// Can `digits` be cut into allowed lines of three or more digits? (Two numbers pasted in a row
    /// read as one long chain.)
    fn is_sequence_of_lines(&self, digits: &str) -> bool {
        let n = digits.len();
        let mut reachable = vec![false; n + 1];
        reachable[0] = true;
        for start in 0..n {
            if !reachable[start] {
                continue;
            }
            for end in (start + 3)..=n.min(start + MAX_LINE_DIGITS) {
                if self.lines.contains(&digits[start..end]) {
                    reachable[end] = true;
                }
            }
        }
        reachable[n]
    }

    /// True if `host` is an allowed domain or one of its subdomains.
    pub(crate) fn is_help_domain(&self, host: &str) -> bool {
        self.domains.iter().any(|d| {
            host == d
                || (host.len() > d.len()
                    && host.ends_with(d.as_str())
                    && host.as_bytes()[host.len() - d.len() - 1] == b'.')
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allow() -> Allow {
        Allow::new(&FilterConfig::default())
    }

    #[test]
    fn help_lines_match_in_any_writing() {
        let allow = allow();
        for digits in [
            "18002738255",
            "8002738255",
            "0477131114",
            "61477131114",
            "116123",
            "988911",
        ] {
            assert!(allow.is_help_line(digits), "{digits}");
        }
        for digits in ["3125550147", "18005550199", "98855512"] {
            assert!(!allow.is_help_line(digits), "{digits}");
        }
    }

    #[test]
    fn help_domains_match_subdomains_only_on_a_dot() {
        let allow = allow();
        assert!(allow.is_help_domain("samaritans.org"));
        assert!(allow.is_help_domain("www2.samaritans.org"));
        assert!(!allow.is_help_domain("fakesamaritans.org"));
        assert!(!allow.is_help_domain("instagram.com"));
    }

    #[test]
    fn operators_can_add_lines() {
        let mut config = FilterConfig::default();
        config.help_lines.push("+44 20 7946 0000".to_owned());
        let allow = Allow::new(&config);
        assert!(allow.is_help_line("442079460000"));
    }
}
