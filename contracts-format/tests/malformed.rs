//! Each file in `fixtures/malformed/` is broken in one known way; validation must report
//! exactly the expected problems (file, JSON path, message), and the reader must refuse the
//! files it cannot read, naming the same place.

use std::path::{Path, PathBuf};

use accord_contracts_format::{ProblemSource, parse_contract, validate};

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/malformed")
        .join(name)
}

/// A fixture: its file name, the expected problems as (JSON path, part of the message), and
/// the reader's error path when the reader refuses the file.
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    Option<&'static str>,
);

const CASES: &[Case] = &[
    (
        "truncated.json",
        &[("$", "not valid JSON: EOF while parsing")],
        Some("$"),
    ),
    (
        "not-an-object.json",
        &[("$", "expected an object, found an array")],
        Some("$"),
    ),
    (
        "wrong-types.json",
        &[
            (
                "$.interactions[0].request.method",
                "expected a string, found a number",
            ),
            (
                "$.interactions[0].response.status",
                "expected an integer, found a boolean",
            ),
        ],
        Some("$.interactions[0].request.method"),
    ),
    (
        "unknown-matcher.json",
        &[(
            "$.interactions[0].response.matchingRules.body['$.id'].matchers[0].match",
            "unknown matcher \"regexx\"",
        )],
        Some("$.interactions[0].response.matchingRules.body['$.id'].matchers[0].match"),
    ),
    (
        "bad-regex.json",
        &[(
            "$.interactions[0].response.matchingRules.body['$.code'].matchers[0].regex",
            "invalid regular expression \"[A-Z\": unclosed character class",
        )],
        None,
    ),
    (
        "bad-base64.json",
        &[(
            "$.interactions[0].response.body.content",
            "body is marked base64-encoded but does not decode",
        )],
        Some("$.interactions[0].response.body.content"),
    ),
    (
        "wrong-spec-version.json",
        &[(
            "$.metadata.pactSpecification",
            "unknown Pact specification version \"5.0.0\"",
        )],
        Some("$.metadata.pactSpecification"),
    ),
    (
        "missing-consumer.json",
        &[("$", "missing required field \"consumer\"")],
        Some("$"),
    ),
    (
        "duplicate-descriptions.json",
        &[(
            "$.interactions[2].description",
            "duplicate interaction: $.interactions[0] has the same description and provider states",
        )],
        None,
    ),
    (
        "json-body-not-json.json",
        &[(
            "$.interactions[0].request.body.content",
            "body is declared as application/json but does not parse as JSON",
        )],
        None,
    ),
    (
        "xml-body-not-xml.json",
        &[(
            "$.interactions[0].response.body",
            "body is declared as application/xml but does not parse as XML",
        )],
        None,
    ),
    (
        "bad-path-expression.json",
        &[
            (
                "$.interactions[0].response.matchingRules.body['$.items[*']",
                "invalid path expression \"$.items[*\": \"[\" at character 8 is not closed",
            ),
            (
                "$.interactions[0].response.generators.body['$..id']",
                "invalid path expression \"$..id\"",
            ),
        ],
        None,
    ),
    (
        "unknown-generator.json",
        &[(
            "$.interactions[0].response.generators.body['$.id'].type",
            "unknown generator type \"RandomPrime\"",
        )],
        Some("$.interactions[0].response.generators.body['$.id'].type"),
    ),
    (
        "v2-bad-rule-path.json",
        &[(
            "$.interactions[0].response.matchingRules['$.nope']",
            "matching rule path \"$.nope\" addresses no part of the interaction",
        )],
        Some("$.interactions[0].response.matchingRules['$.nope']"),
    ),
    (
        "unknown-interaction-type.json",
        &[(
            "$.interactions[0].type",
            "\"Synchronous/Carrier-Pigeon\" is not one of",
        )],
        Some("$.interactions[0].type"),
    ),
    (
        "regex-example-mismatch.json",
        &[
            (
                "$.interactions[0].request.matchingRules.path.matchers[0].regex",
                "the example \"/orders/abc\" at the path does not match the regex",
            ),
            (
                "$.interactions[0].request.matchingRules.query.page.matchers[0].regex",
                "the example \"x\" at query parameter page does not match",
            ),
            (
                "$.interactions[0].response.matchingRules.body['$.lines[*].sku'].matchers[0].regex",
                "the example \"SKU 2\" at body $.lines[1].sku does not match the regex \"^[a-z]+-\\\\d+$\"",
            ),
        ],
        None,
    ),
    (
        "v4-schema-violations.json",
        &[
            ("$.interactions[0]", "\"type\" is a required property"),
            (
                "$.interactions[1].response.status",
                "99 is less than the minimum of 100",
            ),
            (
                "$.interactions[2].response.body",
                "Additional properties are not allowed ('id' was unexpected)",
            ),
            (
                "$.interactions[3].metadata",
                "\"topic\" is not of type \"object\"",
            ),
        ],
        Some("$.interactions[1].response.status"),
    ),
];

#[test]
fn every_malformed_fixture_reports_its_expected_problems() {
    let mut failures = Vec::new();
    for (name, expected, _) in CASES {
        let file = path(name);
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let problems = validate(&text, &file);
        let found: Vec<(String, String)> = problems
            .iter()
            .map(|p| (p.at.clone(), p.message.clone()))
            .collect();
        let matches = found.len() == expected.len()
            && found
                .iter()
                .zip(expected.iter())
                .all(|((at, message), (want_at, want_message))| {
                    at == want_at && message.contains(want_message)
                });
        if !matches {
            failures.push(format!("{name}: expected {expected:?}\n  found {found:#?}"));
        }
        for problem in &problems {
            let rendered = problem.to_string();
            assert!(
                rendered.starts_with(&format!("{}: {}: ", file.display(), problem.at)),
                "{rendered}"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_reader_refuses_unreadable_fixtures_at_the_same_place() {
    for (name, _, reader_path) in CASES {
        let text = std::fs::read_to_string(path(name)).unwrap();
        match (parse_contract(&text), reader_path) {
            (Ok(_), None) => {}
            (Ok(_), Some(at)) => {
                panic!("{name}: the reader accepted it (expected an error at {at})")
            }
            (Err(error), None) => panic!("{name}: the reader refused it: {error}"),
            (Err(error), Some(at)) => {
                let error = error.in_file(path(name));
                assert_eq!(error.json_path(), *at, "{name}: {error}");
                assert!(
                    error
                        .to_string()
                        .starts_with(&format!("{}: ", path(name).display())),
                    "{error}"
                );
            }
        }
    }
}

#[test]
fn every_fixture_in_the_folder_has_a_case() {
    let dir = path("");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            CASES.iter().any(|(case, _, _)| *case == name),
            "{name} has no expected problems in tests/malformed.rs"
        );
    }
}

#[test]
fn problems_say_which_check_found_them() {
    let text = std::fs::read_to_string(path("truncated.json")).unwrap();
    assert_eq!(validate(&text, "t.json")[0].source, ProblemSource::Syntax);
    let text = std::fs::read_to_string(path("v4-schema-violations.json")).unwrap();
    assert!(
        validate(&text, "s.json")
            .iter()
            .all(|p| p.source == ProblemSource::Schema)
    );
    let text = std::fs::read_to_string(path("bad-regex.json")).unwrap();
    assert_eq!(validate(&text, "r.json")[0].source, ProblemSource::Semantic);
}
