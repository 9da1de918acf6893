//! Crisis resources by locale: the table a member privately receives when a message of theirs
//! signals crisis, and that the closing screen shows.
//!
//! Built in: `us` (the default), `uk`, `ie`, `ca`, `au`, `nz`, `de`, `fr`, `in`, and `intl`
//! (the fallback for any other locale). An operator can replace or add locales from a JSON file
//! in the same shape ([`Resources::from_json`], [`Resources::with_overrides`]). Sources for each
//! number are listed in `docs/safety.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The locale used when a group has none set.
pub const DEFAULT_LOCALE: &str = "us";
/// The locale used for any locale the table does not have.
pub const FALLBACK_LOCALE: &str = "intl";

/// How to reach a service. At least one field is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// A number to call, as dialled in the country ("988", "116 123").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// A number to text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The word to send to `text`, when the service asks for one ("HOME").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_word: Option<String>,
    /// A web page (chat, or a directory of lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One crisis service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// The service's name.
    pub name: String,
    /// How to reach it.
    pub contact: Contact,
    /// One sentence on what it is and who it is for, in the locale's language.
    pub description: String,
    /// When it answers ("24/7").
    pub available: String,
}

/// The resources of one locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocaleResources {
    /// Where these apply, in words ("United States").
    pub region: String,
    /// The emergency number ("911"), or words where there is no single one.
    pub emergency: String,
    /// The services, most general first.
    pub lines: Vec<Resource>,
}

/// The whole table, keyed by lower-case locale code (`us`, `uk`, `de`, …). JSON: an object from
/// code to [`LocaleResources`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Resources {
    locales: BTreeMap<String, LocaleResources>,
}

/// Why an operator's resources file was refused. `Display` is a sentence for the operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResourcesError {
    /// Not JSON of the expected shape.
    #[error("The crisis resources file is not valid: {0}")]
    Json(String),
    /// A locale code that is not 2–16 lower-case letters, digits or dashes.
    #[error("“{0}” is not a locale code. Please use a lower-case code such as us, uk or de.")]
    BadLocale(String),
    /// A locale with no services.
    #[error("The locale “{0}” lists no services. Please add at least one, or remove the locale.")]
    NoLines(String),
    /// A service without a name.
    #[error("A service in the locale “{0}” has no name.")]
    NoName(String),
    /// A service with no way to reach it.
    #[error("The service “{name}” in the locale “{locale}” has no number or web address.")]
    NoContact {
        /// The locale.
        locale: String,
        /// The service.
        name: String,
    },
    /// A web address that is not `https://`.
    #[error("The web address of “{name}” must start with https://.")]
    BadUrl {
        /// The service.
        name: String,
    },
}

fn line(name: &str, contact: Contact, description: &str, available: &str) -> Resource {
    Resource {
        name: name.to_owned(),
        contact,
        description: description.to_owned(),
        available: available.to_owned(),
    }
}

fn call(number: &str) -> Contact {
    Contact {
        call: Some(number.to_owned()),
        ..Contact::default()
    }
}

fn with_text(mut contact: Contact, number: &str, word: Option<&str>) -> Contact {
    contact.text = Some(number.to_owned());
    contact.text_word = word.map(str::to_owned);
    contact
}

fn with_url(mut contact: Contact, url: &str) -> Contact {
    contact.url = Some(url.to_owned());
    contact
}

fn locale(region: &str, emergency: &str, lines: Vec<Resource>) -> LocaleResources {
    LocaleResources {
        region: region.to_owned(),
        emergency: emergency.to_owned(),
        lines,
    }
}

impl Resources {
    /// The built-in table. Only numbers verified against the services' own published details
    /// are included (see `docs/safety.md`); where unsure, a service was left out.
    pub fn builtin() -> Resources {
        const ALWAYS: &str = "24/7";
        let mut locales = BTreeMap::new();
        locales.insert(
            "us".to_owned(),
            locale(
                "United States",
                "911",
                vec![
                    line(
                        "988 Suicide & Crisis Lifeline",
                        with_url(
                            with_text(call("988"), "988", None),
                            "https://988lifeline.org",
                        ),
                        "Free, confidential support for anyone in suicidal crisis or emotional \
                         distress: call or text 988, or chat online.",
                        ALWAYS,
                    ),
                    line(
                        "Crisis Text Line",
                        with_url(
                            with_text(Contact::default(), "741741", Some("HOME")),
                            "https://www.crisistextline.org",
                        ),
                        "Text HOME to 741741 to reach a trained crisis counselor.",
                        ALWAYS,
                    ),
                ],
            ),
        );
        locales.insert(
            "uk".to_owned(),
            locale(
                "United Kingdom",
                "999",
                vec![
                    line(
                        "Samaritans",
                        with_url(call("116 123"), "https://www.samaritans.org"),
                        "Call free on 116 123, whatever you are going through.",
                        ALWAYS,
                    ),
                    line(
                        "Shout",
                        with_url(
                            with_text(Contact::default(), "85258", Some("SHOUT")),
                            "https://giveusashout.org",
                        ),
                        "Text SHOUT to 85258 for free, confidential text support.",
                        ALWAYS,
                    ),
                ],
            ),
        );
        locales.insert(
            "ie".to_owned(),
            locale(
                "Ireland",
                "112 or 999",
                vec![
                    line(
                        "Samaritans Ireland",
                        with_url(call("116 123"), "https://www.samaritans.org/ireland"),
                        "Call free on 116 123, whatever you are going through.",
                        ALWAYS,
                    ),
                    line(
                        "Pieta",
                        with_url(
                            with_text(call("1800 247 247"), "51444", Some("HELP")),
                            "https://www.pieta.ie",
                        ),
                        "Free support for people in suicidal distress or who self-harm: call \
                         1800 247 247 or text HELP to 51444.",
                        ALWAYS,
                    ),
                    line(
                        "Text 50808",
                        with_url(
                            with_text(Contact::default(), "50808", Some("HELLO")),
                            "https://text50808.ie",
                        ),
                        "Text HELLO to 50808 for free text support with a trained volunteer.",
                        ALWAYS,
                    ),
                ],
            ),
        );
        locales.insert(
            "ca".to_owned(),
            locale(
                "Canada",
                "911",
                vec![
                    line(
                        "9-8-8 Suicide Crisis Helpline",
                        with_url(with_text(call("988"), "988", None), "https://988.ca"),
                        "Call or text 988 if you are thinking about suicide or worried about \
                         someone.",
                        ALWAYS,
                    ),
                    line(
                        "Kids Help Phone",
                        with_url(
                            with_text(call("1-800-668-6868"), "686868", Some("CONNECT")),
                            "https://kidshelpphone.ca",
                        ),
                        "For young people: call 1-800-668-6868 or text CONNECT to 686868.",
                        ALWAYS,
                    ),
                ],
            ),
        );
        locales.insert(
            "au".to_owned(),
            locale(
                "Australia",
                "000",
                vec![
                    line(
                        "Lifeline",
                        with_url(
                            with_text(call("13 11 14"), "0477 13 11 14", None),
                            "https://www.lifeline.org.au",
                        ),
                        "Crisis support and suicide prevention: call 13 11 14 or text \
                         0477 13 11 14.",
                        ALWAYS,
                    ),
                    line(
                        "Suicide Call Back Service",
                        with_url(
                            call("1300 659 467"),
                            "https://www.suicidecallbackservice.org.au",
                        ),
                        "Counselling for people affected by suicide.",
                        ALWAYS,
                    ),
                    line(
                        "Beyond Blue",
                        with_url(call("1300 22 4636"), "https://www.beyondblue.org.au"),
                        "Support for anxiety, depression and mental health.",
                        ALWAYS,
                    ),
                ],
            ),
        );
        locales.insert(
            "nz".to_owned(),
            locale(
                "New Zealand",
                "111",
                vec![
                    line(
                        "Need to talk? 1737",
                        with_url(with_text(call("1737"), "1737", None), "https://1737.org.nz"),
                        "Free call or text 1737 to talk with a trained counsellor.",
                        ALWAYS,
                    ),
                    line(
                        "Lifeline Aotearoa",
                        with_url(call("0800 543 354"), "https://www.lifeline.org.nz"),
                        "Free call 0800 543 354 (0800 LIFELINE).",
                        ALWAYS,
                    ),
                    line(
                        "Suicide Crisis Helpline",
                        call("0508 828 865"),
                        "Free call 0508 828 865 (0508 TAUTOKO) if you are thinking about suicide.",
                        ALWAYS,
                    ),
                ],
            ),
        );
        locales.insert(
            "de".to_owned(),
            locale(
                "Deutschland",
                "112",
                vec![
                    line(
                        "TelefonSeelsorge",
                        with_url(call("0800 111 0 111"), "https://www.telefonseelsorge.de"),
                        "Kostenlos und anonym: 0800 111 0 111, 0800 111 0 222 oder 116 123, \
                         auch per Chat und Mail.",
                        ALWAYS,
                    ),
                    line(
                        "Nummer gegen Kummer (Kinder- und Jugendtelefon)",
                        with_url(call("116 111"), "https://www.nummergegenkummer.de"),
                        "Für Kinder und Jugendliche: kostenlos und anonym unter 116 111.",
                        "Mo–Sa 14–20 Uhr",
                    ),
                ],
            ),
        );
        locales.insert(
            "fr".to_owned(),
            locale(
                "France",
                "112 (ou le 15, SAMU)",
                vec![line(
                    "3114 – Numéro national de prévention du suicide",
                    with_url(call("3114"), "https://3114.fr"),
                    "Gratuit et confidentiel, pour les personnes en détresse et leurs proches.",
                    ALWAYS,
                )],
            ),
        );
        locales.insert(
            "in".to_owned(),
            locale(
                "India",
                "112",
                vec![line(
                    "Tele-MANAS",
                    with_url(call("14416"), "https://telemanas.mohfw.gov.in"),
                    "The national mental health helpline: call 14416 or 1-800-891-4416, free.",
                    ALWAYS,
                )],
            ),
        );
        locales.insert(
            FALLBACK_LOCALE.to_owned(),
            locale(
                "International",
                "your local emergency number",
                vec![line(
                    "Find A Helpline",
                    with_url(Contact::default(), "https://findahelpline.com"),
                    "Free, confidential crisis lines in your country, by phone, text or chat.",
                    "Depends on the service",
                )],
            ),
        );
        Resources { locales }
    }

    /// Reads an operator's table (same JSON shape as the built-in one).
    ///
    /// # Errors
    /// A [`ResourcesError`] whose `Display` tells the operator what to fix.
    pub fn from_json(json: &str) -> Result<Resources, ResourcesError> {
        let table: Resources =
            serde_json::from_str(json).map_err(|e| ResourcesError::Json(e.to_string()))?;
        table.validate()?;
        Ok(table)
    }

    /// The built-in table with `overrides` laid over it: each locale in `overrides` replaces the
    /// built-in one of the same code, or adds a new locale.
    #[must_use]
    pub fn with_overrides(mut self, overrides: Resources) -> Resources {
        self.locales.extend(overrides.locales);
        self
    }

    /// The resources for a group's locale setting: a table code (`de`), or a language tag whose
    /// region is one (`en-GB`, `en_IE`); `gb` means `uk`; anything else gets `intl`.
    pub fn for_locale(&self, tag: &str) -> &LocaleResources {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let region = tag.rsplit('-').next().unwrap_or(&tag);
        let alias = |code: &str| {
            if code == "gb" {
                "uk".to_owned()
            } else {
                code.to_owned()
            }
        };
        [alias(&tag), alias(region)]
            .iter()
            .find_map(|code| self.locales.get(code))
            .or_else(|| self.locales.get(FALLBACK_LOCALE))
            .or_else(|| self.locales.values().next())
            // `validate` and `builtin` guarantee a non-empty table; this is the last resort.
            .unwrap_or_else(|| builtin_fallback())
    }

    /// The locale codes in the table.
    pub fn locales(&self) -> impl Iterator<Item = &str> {
        self.locales.keys().map(String::as_str)
    }

    fn validate(&self) -> Result<(), ResourcesError> {
        for (code, entry) in &self.locales {
            let code_ok = (2..=16).contains(&code.len())
                && code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !code_ok {
                return Err(ResourcesError::BadLocale(code.clone()));
            }
            if entry.lines.is_empty() {
                return Err(ResourcesError::NoLines(code.clone()));
            }
            for resource in &entry.lines {
                if resource.name.trim().is_empty() {
                    return Err(ResourcesError::NoName(code.clone()));
                }
                let c = &resource.contact;
                if c.call.is_none() && c.text.is_none() && c.url.is_none() {
                    return Err(ResourcesError::NoContact {
                        locale: code.clone(),
                        name: resource.name.clone(),
                    });
                }
                if c.url.as_deref().is_some_and(|u| !u.starts_with("https://")) {
                    return Err(ResourcesError::BadUrl {
                        name: resource.name.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

impl Default for Resources {
    fn default() -> Resources {
        Resources::builtin()
    }
}

/// A `'static` copy of the `intl` entry, for a table that was somehow built empty.
fn builtin_fallback() -> &'static LocaleResources {
    static FALLBACK: std::sync::OnceLock<LocaleResources> = std::sync::OnceLock::new();
    FALLBACK.get_or_init(|| {
        Resources::builtin()
            .locales
            .remove(FALLBACK_LOCALE)
            .unwrap_or_else(|| locale("International", "your local emergency number", Vec::new()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_locale_is_valid_and_has_an_emergency_number() {
        let table = Resources::builtin();
        table.validate().unwrap();
        let codes: Vec<&str> = table.locales().collect();
        assert_eq!(
            codes,
            ["au", "ca", "de", "fr", "ie", "in", "intl", "nz", "uk", "us"]
        );
        for code in codes {
            assert!(!table.for_locale(code).emergency.is_empty(), "{code}");
        }
    }

    #[test]
    fn the_us_table_has_988_the_crisis_text_line_and_911() {
        let us = Resources::builtin().for_locale(DEFAULT_LOCALE).clone();
        assert_eq!(us.emergency, "911");
        assert_eq!(us.lines[0].contact.call.as_deref(), Some("988"));
        assert_eq!(us.lines[0].contact.text.as_deref(), Some("988"));
        assert_eq!(us.lines[1].contact.text.as_deref(), Some("741741"));
        assert_eq!(us.lines[1].contact.text_word.as_deref(), Some("HOME"));
    }

    #[test]
    fn locales_are_found_by_code_by_language_tag_and_otherwise_fall_back_to_intl() {
        let table = Resources::builtin();
        assert_eq!(table.for_locale("uk").emergency, "999");
        assert_eq!(table.for_locale("en-GB").emergency, "999");
        assert_eq!(table.for_locale("GB").emergency, "999");
        assert_eq!(table.for_locale("en_IE").region, "Ireland");
        assert_eq!(table.for_locale("de-DE").region, "Deutschland");
        assert_eq!(table.for_locale("AU").emergency, "000");
        assert_eq!(table.for_locale("pt-BR").region, "International");
        assert_eq!(table.for_locale("").region, "International");
    }

    #[test]
    fn an_operator_file_replaces_and_adds_locales() {
        let json = r#"{
            "us": {"region": "United States", "emergency": "911", "lines": [
                {"name": "County Crisis Line", "contact": {"call": "555-0100"},
                 "description": "Our county's mobile crisis team.", "available": "24/7"}]},
            "at": {"region": "Österreich", "emergency": "112", "lines": [
                {"name": "Telefonseelsorge", "contact": {"call": "142"},
                 "description": "Kostenlos, rund um die Uhr.", "available": "24/7"}]}
        }"#;
        let table = Resources::builtin().with_overrides(Resources::from_json(json).unwrap());
        assert_eq!(table.for_locale("us").lines[0].name, "County Crisis Line");
        assert_eq!(
            table.for_locale("de-AT").lines[0].contact.call.as_deref(),
            Some("142")
        );
        assert_eq!(table.for_locale("uk").emergency, "999");
    }

    #[test]
    fn a_bad_operator_file_is_refused_with_a_sentence() {
        let cases = [
            (
                r#"{"US": {"region":"x","emergency":"911","lines":[]}}"#,
                "“US” is not a locale code",
            ),
            (
                r#"{"us": {"region":"x","emergency":"911","lines":[]}}"#,
                "lists no services",
            ),
            (
                r#"{"us": {"region":"x","emergency":"911","lines":[{"name":"A","contact":{},"description":"","available":""}]}}"#,
                "has no number or web address",
            ),
            (
                r#"{"us": {"region":"x","emergency":"911","lines":[{"name":"A","contact":{"url":"http://a"},"description":"","available":""}]}}"#,
                "must start with https://",
            ),
            (r#"{"us": {"region":"x"}}"#, "is not valid"),
        ];
        for (json, part) in cases {
            let err = Resources::from_json(json).unwrap_err().to_string();
            assert!(err.contains(part), "{json}: {err}");
        }
    }

    #[test]
    fn the_table_round_trips_through_json() {
        let table = Resources::builtin();
        let json = serde_json::to_string(&table).unwrap();
        assert_eq!(Resources::from_json(&json).unwrap(), table);
        assert!(json.contains(r#""text_word":"HOME""#));
    }
}
