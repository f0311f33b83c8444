//! Regular expressions from contracts: compiled on first use, and checked against whole
//! values with a precompiled DFA once a pattern has proven hot.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use regex_automata::Anchored;
use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;

/// A regular expression from a contract: its source text, compiled on first use.
///
/// Compiling is deferred because large contracts hold thousands of patterns and most are
/// never used in one run; `accord contract validate` compiles every one to report bad ones.
pub struct Pattern {
    source: String,
    compiled: OnceLock<Result<regex::Regex, regex::Error>>,
    /// `^(?:source)$`, for matchers: a regex matcher must match the whole value.
    anchored: OnceLock<Option<regex::Regex>>,
    /// Whole-value checks made with `anchored` so far.
    uses: AtomicU32,
    /// `anchored` as a fully compiled DFA, built at the [`HOT`]th check; `None` when it
    /// would be costly to build (see [`DFA_NFA_STATES`]) or cannot be built (Unicode word
    /// boundaries), or when `anchored` does not compile.
    dfa: OnceLock<Option<Box<FullDfa>>>,
}

/// A full DFA of a pattern's anchored expression, and its start state (an anchored search
/// of a whole value always starts in the same one).
struct FullDfa {
    dfa: dense::DFA<Vec<u32>>,
    start: StateID,
}

/// Checks after which a pattern tries for a full DFA. The `regex` crate's lazy DFA takes up
/// to twice as long per value (it starts each search through its cache pool and checks its
/// cache as it goes), but a full DFA costs as much as hundreds to thousands of checks to
/// build: worth it only for patterns that check many values (the elements of large arrays,
/// a benchmark), not for the few checks a test or a verifier makes per rule.
const HOT: u32 = 256;

/// The largest expression, in states of its NFA, that gets a full DFA. Building the NFA
/// costs about what compiling the pattern did on first use; building the DFA then takes
/// time roughly in proportion to the NFA: a few tens of microseconds up to this size (ASCII
/// classes, alternations of words, `.*`), but 0.5 to 2 ms for repeated Unicode classes
/// (`\d{5}` has 130 states, `\w+` 322) and more to fail (`\w+@\w+\.\w{2,}`, 1,274 states):
/// the time of tens of thousands of checks. Those keep the `regex` crate.
const DFA_NFA_STATES: usize = 64;

/// Bytes a full DFA may take, in the end and while it is built: a small NFA can still
/// determinize into many states (`(a|b)*a(a|b){20}`).
const DFA_SIZE_LIMIT: usize = 64 * 1024;

impl Pattern {
    /// A pattern with this source text (not compiled yet).
    pub fn new(source: impl Into<String>) -> Self {
        Pattern {
            source: source.into(),
            compiled: OnceLock::new(),
            anchored: OnceLock::new(),
            uses: AtomicU32::new(0),
            dfa: OnceLock::new(),
        }
    }

    /// The source text.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled expression, or the reason it does not compile.
    pub fn regex(&self) -> Result<&regex::Regex, &regex::Error> {
        self.compiled
            .get_or_init(|| regex::Regex::new(&self.source))
            .as_ref()
    }

    /// True when the expression matches the whole of `text` (not just part of it), as Pact's
    /// regex matcher requires. A pattern that does not compile matches nothing.
    pub fn is_full_match(&self, text: &str) -> bool {
        if let Some(verdict) = self.dfa().and_then(|dfa| dfa_full_match(dfa, text)) {
            return verdict;
        }
        self.anchored_regex().is_some_and(|re| re.is_match(text))
    }

    fn anchored_source(&self) -> String {
        format!("^(?:{})$", self.source)
    }

    fn anchored_regex(&self) -> Option<&regex::Regex> {
        self.anchored
            .get_or_init(|| regex::Regex::new(&self.anchored_source()).ok())
            .as_ref()
    }

    /// The full DFA, once the pattern is hot and if it could be built.
    fn dfa(&self) -> Option<&FullDfa> {
        if let Some(dfa) = self.dfa.get() {
            return dfa.as_deref();
        }
        if self.uses.fetch_add(1, Ordering::Relaxed) < HOT {
            return None;
        }
        self.dfa
            .get_or_init(|| {
                // The regex crate is the authority: no DFA for a pattern it rejects.
                self.anchored_regex()?;
                // As `dense::Builder::build` compiles it, but checked for size first.
                let nfa = thompson::Compiler::new()
                    .configure(thompson::Config::new().which_captures(WhichCaptures::None))
                    .build(&self.anchored_source())
                    .ok()
                    .filter(|nfa| nfa.states().len() <= DFA_NFA_STATES)?;
                let config = dense::Config::new()
                    .start_kind(StartKind::Anchored)
                    .dfa_size_limit(Some(DFA_SIZE_LIMIT))
                    .determinize_size_limit(Some(DFA_SIZE_LIMIT));
                let dfa = dense::Builder::new()
                    .configure(config)
                    .build_from_nfa(&nfa)
                    .ok()?;
                let start = dfa
                    .start_state(&start::Config::new().anchored(Anchored::Yes))
                    .ok()?;
                Some(Box::new(FullDfa { dfa, start }))
            })
            .as_deref()
    }
}

/// Runs `dfa` over the whole of `text`; `None` when it gives up (a quit byte).
fn dfa_full_match(full: &FullDfa, text: &str) -> Option<bool> {
    let dfa = &full.dfa;
    let mut state = full.start;
    for &byte in text.as_bytes() {
        state = dfa.next_state(state, byte);
        if dfa.is_special_state(state) {
            if dfa.is_dead_state(state) {
                return Some(false);
            }
            if dfa.is_quit_state(state) {
                return None;
            }
        }
    }
    // The expression ends with `$`: a match can only end at the end of the text.
    Some(dfa.is_match_state(dfa.next_eoi_state(state)))
}

impl Clone for Pattern {
    fn clone(&self) -> Self {
        let copy = Pattern::new(self.source.clone());
        if let Some(done) = self.compiled.get() {
            let _ = copy.compiled.set(done.clone());
        }
        if let Some(done) = self.anchored.get() {
            let _ = copy.anchored.set(done.clone());
        }
        copy
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for Pattern {}

impl Hash for Pattern {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.source.hash(state);
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.source)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks every text with a cold pattern (the `regex` crate) and a hot one (the DFA).
    fn agree(source: &str, texts: &[&str]) {
        let cold = Pattern::new(source);
        let hot = Pattern::new(source);
        for _ in 0..=HOT {
            hot.is_full_match("");
        }
        assert!(hot.dfa.get().is_some(), "{source}: the DFA was tried");
        for text in texts {
            let verdict = cold.is_full_match(text);
            assert!(cold.dfa.get().is_none());
            assert_eq!(hot.is_full_match(text), verdict, "{source} on {text:?}");
        }
    }

    #[test]
    fn a_hot_pattern_matches_as_the_regex_crate_does() {
        let texts = [
            "",
            "a",
            "abc",
            "10012",
            "1001",
            "100123",
            "user1@example.com",
            "٣٤٥٦٧",
            "user@example",
            "Straße",
            "a\nb",
            "🎉",
        ];
        for source in [
            "[a-z0-9.]+@[a-z0-9.]+\\.[a-z]+",
            "\\d{5}",
            "\\d+|abc",
            ".*",
            "",
            "a|",
            "(?i)STRASSE|straße",
            "a$|b",
            "^abc",
            "(?m)^a$\\n^b$",
            "\\bfoo\\b",
            "\\w+@\\w+\\.\\w{2,}",
            "(",
        ] {
            agree(source, &texts);
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Small expressions over a few ASCII and non-ASCII characters.
        fn expression() -> impl Strategy<Value = String> {
            let atom = prop_oneof![
                Just("a".to_owned()),
                Just("é".to_owned()),
                Just("[a-c]".to_owned()),
                Just("[^a]".to_owned()),
                Just("\\d".to_owned()),
                Just("\\w".to_owned()),
                Just("\\s".to_owned()),
                Just(".".to_owned()),
                Just("^".to_owned()),
                Just("$".to_owned()),
                Just("(?i)b".to_owned()),
            ];
            atom.prop_recursive(3, 12, 3, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 1..4).prop_map(|parts| parts.concat()),
                    (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("(?:{a}|{b})")),
                    (
                        inner.clone(),
                        prop_oneof![Just("*"), Just("+"), Just("?"), Just("{2}")]
                    )
                        .prop_map(|(a, q)| format!("(?:{a}){q}")),
                ]
            })
        }

        proptest! {
            #[test]
            fn hot_and_cold_patterns_agree(
                source in expression(),
                texts in prop::collection::vec("[aébB1٣ \\n]{0,6}", 1..8),
            ) {
                let cold = Pattern::new(source.clone());
                let hot = Pattern::new(source);
                for _ in 0..=HOT {
                    hot.is_full_match("");
                }
                for text in &texts {
                    prop_assert_eq!(hot.is_full_match(text), cold.is_full_match(text), "{:?}", text);
                }
            }
        }
    }

    #[test]
    fn no_dfa_where_the_regex_crate_fails_or_the_dfa_would_be_costly() {
        let hot = |source: &str| {
            let p = Pattern::new(source);
            for _ in 0..=HOT {
                p.is_full_match("x");
            }
            p.dfa.get().map(Option::is_some)
        };
        assert_eq!(hot("("), Some(false));
        assert_eq!(hot("\\bfoo\\b"), Some(false), "Unicode word boundary");
        assert_eq!(hot("\\d{5}"), Some(false), "an NFA over the size bound");
        assert_eq!(
            hot("(a|b)*a(a|b){20}"),
            Some(false),
            "a DFA over the size limit"
        );
        assert_eq!(hot("[a-z0-9.]+@[a-z0-9.]+\\.[a-z]+"), Some(true));
        assert_eq!(hot("(?-u:\\d){5}"), Some(true), "ASCII digits");
    }
}
