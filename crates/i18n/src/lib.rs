//! The app's words in its two languages (R-36, issue 17): Project Fluent catalogues under
//! `assets/i18n/{kk,ru}/<area>.ftl`, one message id per text, compiled into the binary
//! and read with `fluent-bundle`. Crates below keep stable codes and ask here for the
//! words; the UI reads the same files with `@fluent/bundle`.
//!
//! Russian plurals are Fluent selectors (`{ $count -> [one] … [few] … *[many] … }`) over
//! CLDR plural rules; numbers arrive as numbers. Both languages have the same ids and
//! each message the same variables in both (`check`); `tests/ui_messages.rs` keeps the
//! UI's generated message types current.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::sync::OnceLock;

/// The two interface languages. Every user-facing text exists in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Kk,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Kk, Lang::Ru];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "kk" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::Kk => 0,
            Lang::Ru => 1,
        }
    }
}

/// Every catalogue: its area and its text in Kazakh and in Russian.
pub const CATALOGUES: &[(&str, &str, &str)] = &[
    (
        "domain",
        include_str!("../../../assets/i18n/kk/domain.ftl"),
        include_str!("../../../assets/i18n/ru/domain.ftl"),
    ),
    (
        "signing",
        include_str!("../../../assets/i18n/kk/signing.ftl"),
        include_str!("../../../assets/i18n/ru/signing.ftl"),
    ),
    (
        "sync",
        include_str!("../../../assets/i18n/kk/sync.ftl"),
        include_str!("../../../assets/i18n/ru/sync.ftl"),
    ),
    (
        "receipts",
        include_str!("../../../assets/i18n/kk/receipts.ftl"),
        include_str!("../../../assets/i18n/ru/receipts.ftl"),
    ),
    (
        "desk",
        include_str!("../../../assets/i18n/kk/desk.ftl"),
        include_str!("../../../assets/i18n/ru/desk.ftl"),
    ),
    (
        "portal-sim",
        include_str!("../../../assets/i18n/kk/portal-sim.ftl"),
        include_str!("../../../assets/i18n/ru/portal-sim.ftl"),
    ),
    // The window's own texts, read by the UI with @fluent/bundle (ui/src/i18n).
    (
        "ui",
        include_str!("../../../assets/i18n/kk/ui.ftl"),
        include_str!("../../../assets/i18n/ru/ui.ftl"),
    ),
];

/// A value for a message's variable.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Text(&'a str),
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Arg<'a> {
        Arg::Text(s)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Arg<'a> {
        Arg::Text(s)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Number(i64::from(n))
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static [Bundle; 2] {
    static BUNDLES: OnceLock<[Bundle; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Lang::ALL.map(|lang| {
            let locale: unic_langid::LanguageIdentifier = lang
                .code()
                .parse()
                .expect("kk and ru are language identifiers");
            let mut bundle = FluentBundle::new_concurrent(vec![locale]);
            // Texts go into PDFs, logs and the CLI too: no Unicode isolation marks.
            bundle.set_use_isolating(false);
            for (area, kk, ru) in CATALOGUES {
                let source = match lang {
                    Lang::Kk => kk,
                    Lang::Ru => ru,
                };
                // A syntax error fails `tests/catalogues.rs`; what parsed is still used.
                let resource = FluentResource::try_new(source.to_string())
                    .unwrap_or_else(|(partial, _)| partial);
                if let Err(errors) = bundle.add_resource(resource) {
                    debug_assert!(errors.is_empty(), "{area}: {errors:?}");
                }
            }
            bundle
        })
    })
}

/// The text of message `id` in `lang`; the id itself when there is none (a test keeps
/// every id the code asks for in both catalogues).
pub fn text(lang: Lang, id: &str) -> String {
    text_with(lang, id, &[])
}

/// The text of message `id` in `lang` with its variables.
pub fn text_with(lang: Lang, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let bundle = &bundles()[lang.index()];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        let value: FluentValue<'_> = match *value {
            Arg::Text(s) => FluentValue::String(Cow::Owned(s.to_string())),
            Arg::Number(n) => FluentValue::from(n),
        };
        fluent_args.set(*name, value);
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// Whether message `id` is in the catalogues of both languages.
pub fn has(id: &str) -> bool {
    bundles().iter().all(|b| b.has_message(id))
}

pub mod check;

/// [`text`] for a message without variables, kept for the life of the process: for the
/// labels and code texts whose callers hold `&'static str` (a fixed, small set of ids,
/// each made once per language).
pub fn static_text(lang: Lang, id: &str) -> &'static str {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static MADE: OnceLock<Mutex<HashMap<(Lang, String), &'static str>>> = OnceLock::new();
    let mut made = MADE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(s) = made.get(&(lang, id.to_string())) {
        return s;
    }
    let s: &'static str = Box::leak(text(lang, id).into_boxed_str());
    made.insert((lang, id.to_string()), s);
    s
}
