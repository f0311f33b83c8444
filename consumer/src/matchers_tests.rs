use super::*;
use accord_contracts_format::Combine;

/// Compiles `template` as a body and returns the example and the rules as `(path, matchers)`.
fn body(template: impl Into<Template>) -> (Value, Vec<(String, Vec<Matcher>)>) {
    let compiled = compile_body(&template.into()).expect("template compiles");
    for list in compiled.rules.values() {
        assert_eq!(list.combine, Combine::And);
    }
    let rules = compiled
        .rules
        .into_iter()
        .map(|(path, list)| (path, list.matchers))
        .collect();
    (compiled.example, rules)
}

fn rule(path: &str, matcher: Matcher) -> (String, Vec<Matcher>) {
    (path.to_owned(), vec![matcher])
}

fn problem(template: impl Into<Template>) -> TemplateError {
    *compile_body(&template.into()).expect_err("template is refused")
}

#[test]
fn plain_json_has_no_rules() {
    let (example, rules) = body(json!({"a": [1, "x", null], "b a": {"c": true}}));
    assert_eq!(example, json!({"a": [1, "x", null], "b a": {"c": true}}));
    assert!(rules.is_empty());
}

#[test]
fn like_records_a_type_rule_and_keeps_nested_helpers() {
    let (example, rules) = body(json!({"order": like(json!({"id": 1, "at": integer(5)}))}));
    assert_eq!(example, json!({"order": {"id": 1, "at": 5}}));
    assert_eq!(
        rules,
        vec![
            rule(
                "$.order",
                Matcher::Type {
                    min: None,
                    max: None
                }
            ),
            rule("$.order.at", Matcher::Integer),
        ]
    );
}

#[test]
fn each_like_repeats_the_example_and_addresses_elements_with_a_wildcard() {
    let (example, rules) = body(json!({
        "items": each_like(json!({"id": integer(7), "tags": each_like("a", 0, None)}), 2, 5)
    }));
    assert_eq!(
        example,
        json!({"items": [{"id": 7, "tags": ["a"]}, {"id": 7, "tags": ["a"]}]})
    );
    assert_eq!(
        rules,
        vec![
            rule(
                "$.items",
                Matcher::Type {
                    min: Some(2),
                    max: Some(5)
                }
            ),
            rule("$.items[*].id", Matcher::Integer),
            rule(
                "$.items[*].tags",
                Matcher::Type {
                    min: Some(0),
                    max: None
                }
            ),
        ]
    );
}

#[test]
fn each_like_refuses_bounds_no_array_meets() {
    let error = problem(each_like(1, 3, 2));
    assert!(matches!(
        error.problem,
        TemplateProblem::BadBounds { min: 3, max: 2 }
    ));
    assert!(matches!(
        problem(each_like(1, 0, 0)).problem,
        TemplateProblem::BadBounds { .. }
    ));
}

#[test]
fn regex_checks_the_pattern_and_the_example() {
    let (example, rules) = body(json!({"status": regex("^(open|shipped)$", "open")}));
    assert_eq!(example, json!({"status": "open"}));
    assert_eq!(
        rules,
        vec![rule(
            "$.status",
            Matcher::Regex(Pattern::new("^(open|shipped)$"))
        )]
    );

    let error = problem(json!({"s": regex("^a+$", "b")}));
    assert_eq!(error.at, "$.s");
    assert!(matches!(error.problem, TemplateProblem::NoMatch { .. }));
    assert!(matches!(
        problem(regex("(", "x")).problem,
        TemplateProblem::BadRegex { .. }
    ));
}

#[test]
fn scalar_type_matchers() {
    let (example, rules) = body(json!([
        integer(3),
        decimal(1.5),
        number(2),
        boolean(false),
        (null()),
        semver("1.2.3")
    ]));
    assert_eq!(example, json!([3, 1.5, 2, false, null, "1.2.3"]));
    assert_eq!(
        rules,
        vec![
            rule("$[0]", Matcher::Integer),
            rule("$[1]", Matcher::Decimal),
            rule("$[2]", Matcher::Number),
            rule("$[3]", Matcher::Boolean),
            rule("$[4]", Matcher::Null),
            rule("$[5]", Matcher::Semver),
        ]
    );
    assert!(matches!(
        problem(number("7")).problem,
        TemplateProblem::WrongExample { .. }
    ));
    assert!(matches!(
        problem(semver("1.2")).problem,
        TemplateProblem::WrongExample { .. }
    ));
}

#[test]
fn date_and_time_matchers_carry_their_format() {
    let (example, rules) = body(json!({
        "at": datetime("yyyy-MM-dd'T'HH:mm:ss", "2024-01-02T03:04:05"),
        "on": date("yyyy-MM-dd", "2024-01-02"),
        "by": time("HH:mm", "10:30"),
    }));
    assert_eq!(
        example,
        json!({"at": "2024-01-02T03:04:05", "on": "2024-01-02", "by": "10:30"})
    );
    assert_eq!(
        rules,
        vec![
            rule(
                "$.at",
                Matcher::DateTime(Some("yyyy-MM-dd'T'HH:mm:ss".into()))
            ),
            rule("$.on", Matcher::Date(Some("yyyy-MM-dd".into()))),
            rule("$.by", Matcher::Time(Some("HH:mm".into()))),
        ]
    );
}

#[test]
fn date_and_time_examples_must_be_in_their_format() {
    for refused in [
        date("yyyy-MM-dd", "31/05/2024"),
        date("dd/MM/yyyy", "2024-05-31"),
        time("HH:mm:ss", "10:30"),
        time("HH:mm", "25:99"),
        datetime("yyyy-MM-dd'T'HH:mm:ss", "2024-05-31 10:30:00"),
    ] {
        assert!(
            matches!(
                problem(refused.clone()).problem,
                TemplateProblem::BadDateTime { .. }
            ),
            "{refused:?} was accepted"
        );
    }
    assert!(matches!(
        problem(date("yyyy-MM-dd", "2024-13-45")).problem,
        TemplateProblem::BadDateTime {
            matcher: "date",
            ..
        }
    ));
    let not_text = Template::node("date", json!(20240531)).with("format", json!("yyyyMMdd"));
    assert!(matches!(
        problem(not_text).problem,
        TemplateProblem::WrongExample {
            matcher: "date",
            ..
        }
    ));
    // Other formats than ISO are fine when the example follows them.
    let (example, rules) = body(json!({
        "d": date("dd/MM/yyyy", "31/05/2024"),
        "t": time("h:mm a", "3:30 PM"),
    }));
    assert_eq!(example, json!({"d": "31/05/2024", "t": "3:30 PM"}));
    assert_eq!(rules.len(), 2);
}

#[test]
fn include_needs_the_substring_in_its_example() {
    let (example, rules) = body(include("cat", "concatenate"));
    assert_eq!(example, json!("concatenate"));
    assert_eq!(rules, vec![rule("$", Matcher::Include("cat".into()))]);
    assert!(matches!(
        problem(include("dog", "cat")).problem,
        TemplateProblem::NotIncluded { .. }
    ));
}

#[test]
fn not_empty_and_equality() {
    let (example, rules) =
        body(json!({"a": not_empty(json!([1])), "b": like(json!({"c": equality("x")}))}));
    assert_eq!(example, json!({"a": [1], "b": {"c": "x"}}));
    assert_eq!(
        rules,
        vec![
            rule("$.a", Matcher::NotEmpty),
            rule(
                "$.b",
                Matcher::Type {
                    min: None,
                    max: None
                }
            ),
            rule("$.b.c", Matcher::Equality),
        ]
    );
    assert!(matches!(
        problem(not_empty("")).problem,
        TemplateProblem::WrongExample { .. }
    ));
}

#[test]
fn array_containing_keeps_variant_rules_relative_to_each_variant() {
    let (example, rules) = body(json!({
        "events": array_containing([
            Template::from(json!({"type": "created"})),
            json!({"type": "paid", "amount": decimal(9.5)}).into(),
        ])
    }));
    assert_eq!(
        example,
        json!({"events": [{"type": "created"}, {"type": "paid", "amount": 9.5}]})
    );
    let mut second_rules = IndexMap::new();
    second_rules.insert("$.amount".to_owned(), RuleList::single(Matcher::Decimal));
    assert_eq!(
        rules,
        vec![rule(
            "$.events",
            Matcher::ArrayContains(vec![
                ArrayContainsVariant {
                    index: 0,
                    rules: IndexMap::new(),
                    generators: IndexMap::new()
                },
                ArrayContainsVariant {
                    index: 1,
                    rules: second_rules,
                    generators: IndexMap::new()
                },
            ])
        )]
    );
    assert!(matches!(
        problem(array_containing([])).problem,
        TemplateProblem::NoVariants
    ));
    let nested = problem(json!({"e": array_containing([regex("^a$", "b")])}));
    assert_eq!(nested.at, "$.e[0]");
}

#[test]
fn each_key_and_each_value_take_their_rule_from_a_helper() {
    let (example, rules) = body(json!({
        "prices": each_key(json!({"sku1": 10}), regex("^sku\\d+$", "sku0")),
        "stock": each_value(json!({"a": 1}), integer(0)),
    }));
    assert_eq!(example, json!({"prices": {"sku1": 10}, "stock": {"a": 1}}));
    assert_eq!(
        rules,
        vec![
            rule(
                "$.prices",
                Matcher::EachKey {
                    rules: vec![Matcher::Regex(Pattern::new("^sku\\d+$"))],
                    value: None
                }
            ),
            rule(
                "$.stock",
                Matcher::EachValue {
                    rules: vec![Matcher::Integer],
                    value: None
                }
            ),
        ]
    );
    assert!(matches!(
        problem(each_key(json!({}), Template::from("plain"))).problem,
        TemplateProblem::NotAMatcher
    ));
    assert!(matches!(
        problem(each_key(json!([1]), integer(1))).problem,
        TemplateProblem::WrongExample { .. }
    ));
}

#[test]
fn from_provider_state_records_a_generator_only() {
    let compiled = compile_body(
        &json!({"href": from_provider_state("/orders/${id}", "/orders/10"), "id": like(from_provider_state("${id}", 10))})
            .into(),
    )
    .unwrap();
    assert_eq!(compiled.example, json!({"href": "/orders/10", "id": 10}));
    let expected = |expression: &str| Generator::ProviderState {
        expression: expression.into(),
        data_type: None,
    };
    assert_eq!(
        compiled.generators.get("$.href"),
        Some(&expected("/orders/${id}"))
    );
    assert_eq!(compiled.generators.get("$.id"), Some(&expected("${id}")));
    let rule_paths: Vec<_> = compiled.rules.keys().cloned().collect();
    assert_eq!(rule_paths, vec!["$.id"]);
}

#[test]
fn keys_that_are_not_identifiers_are_quoted() {
    let (_, rules) = body(json!({"a b": integer(1), "it's": integer(2), "9x": integer(3)}));
    let paths: Vec<_> = rules.into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, vec!["$['a b']", "$['it\\'s']", "$['9x']"]);
}

#[test]
fn single_values_allow_a_matcher_at_the_top_only() {
    let value = compile_value(&regex("^\\d+$", "42")).unwrap();
    assert_eq!(value.example, json!("42"));
    assert_eq!(value.matchers, vec![Matcher::Regex(Pattern::new("^\\d+$"))]);
    assert_eq!(compile_value(&integer(5)).unwrap().text().unwrap(), "5");
    let nested = compile_value(&json!({"a": integer(1)}).into()).unwrap_err();
    assert!(matches!(nested.problem, TemplateProblem::NestedMatcher));
    let not_text = compile_value(&json!({"a": 1}).into())
        .unwrap()
        .text()
        .unwrap_err();
    assert!(matches!(not_text, TemplateProblem::NotText(_)));
}

#[test]
fn templates_serialise_into_json_macros_and_back() {
    let nested: Value = json!({"x": like(1)});
    assert_eq!(body(nested.clone()), body(json!({"x": like(1)})));
    assert_eq!(Value::from(Template::from(nested.clone())), nested);
}

#[test]
fn mock_server_url_records_a_regex_and_a_generator() {
    let compiled = compile_body(
        &json!({"self": mock_server_url("^https?://[^/]+(/orders/\\d+)$", "http://o.example/orders/1")}).into(),
    )
    .unwrap();
    assert_eq!(
        compiled.example,
        json!({"self": "http://o.example/orders/1"})
    );
    assert_eq!(
        compiled.rules["$.self"].matchers,
        vec![Matcher::Regex(Pattern::new(
            "^https?://[^/]+(/orders/\\d+)$"
        ))]
    );
    assert_eq!(
        compiled.generators["$.self"],
        Generator::MockServerUrl {
            regex: "^https?://[^/]+(/orders/\\d+)$".into(),
            example: "http://o.example/orders/1".into()
        }
    );
    assert!(matches!(
        problem(mock_server_url("^http://.*$", "http://x")).problem,
        TemplateProblem::NoCaptureGroup(_)
    ));
}
