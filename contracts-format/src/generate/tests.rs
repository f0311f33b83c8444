use super::*;
use serde_json::json;

fn fixed_now() -> GeneratorContext {
    GeneratorContext {
        now: Some(DateTime::parse_from_rfc3339("2024-01-31T22:30:00+01:00").unwrap()),
        ..GeneratorContext::default()
    }
}

fn value(generator: Generator) -> Value {
    generate_value(&generator, &json!(null), &fixed_now()).unwrap()
}

#[test]
fn random_numbers_respect_their_bounds() {
    for _ in 0..100 {
        let n = value(Generator::RandomInt { min: 5, max: 7 })
            .as_i64()
            .unwrap();
        assert!((5..=7).contains(&n));
    }
    for _ in 0..200 {
        let decimal = value(Generator::RandomDecimal { digits: 6 });
        assert!(decimal.is_f64());
        let text = decimal.to_string();
        let digits = text.chars().filter(char::is_ascii_digit).count();
        assert_eq!(digits, 6, "{text}");
    }
    let hex = value(Generator::RandomHexadecimal { digits: 12 });
    assert!(hex.as_str().unwrap().len() == 12);
    assert!(hex.as_str().unwrap().chars().all(|c| c.is_ascii_hexdigit()));
    let s = value(Generator::RandomString { size: 20 });
    assert_eq!(s.as_str().unwrap().len(), 20);
    assert!(value(Generator::RandomBoolean).is_boolean());
}

#[test]
fn uuids_in_every_format() {
    let uuid = |format| {
        value(Generator::Uuid { format })
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(uuid(Some(UuidFormat::Simple)).len(), 32);
    let lower = uuid(None);
    assert_eq!(lower.len(), 36);
    assert_eq!(lower, lower.to_lowercase());
    let upper = uuid(Some(UuidFormat::UpperCaseHyphenated));
    assert_eq!(upper, upper.to_uppercase());
    assert!(uuid(Some(UuidFormat::Urn)).starts_with("urn:uuid:"));
}

#[test]
fn regex_generator_matches_or_keeps_the_example() {
    let generated = value(Generator::Regex {
        regex: "\\d{3}-[a-z]{2}".into(),
    });
    let text = generated.as_str().unwrap();
    assert!(
        regex::Regex::new("^\\d{3}-[a-z]{2}$")
            .unwrap()
            .is_match(text)
    );
    let unsupported = Generator::Regex {
        regex: "(?<=a)b".into(),
    };
    assert_eq!(
        generate_value(&unsupported, &json!("b"), &fixed_now()),
        None
    );
}

#[test]
fn dates_with_formats_and_expressions() {
    let date = |format: Option<&str>, expression: Option<&str>| {
        value(Generator::Date {
            format: format.map(str::to_owned),
            expression: expression.map(str::to_owned),
        })
    };
    assert_eq!(date(None, None), json!("2024-01-31"));
    assert_eq!(
        date(Some("dd/MM/yyyy"), Some("+1 day")),
        json!("01/02/2024")
    );
    assert_eq!(date(None, Some("tomorrow + 1 month")), json!("2024-03-01"));
    assert_eq!(date(None, Some("-1 year")), json!("2023-01-31"));
    let time = value(Generator::Time {
        format: None,
        expression: Some("+ 2 hours".into()),
    });
    assert_eq!(time, json!("00:30:00"));
    let datetime = value(Generator::DateTime {
        format: None,
        expression: None,
    });
    assert_eq!(datetime, json!("2024-01-31T22:30:00+01:00"));
    let bad = Generator::Date {
        format: None,
        expression: Some("next blue moon".into()),
    };
    assert_eq!(generate_value(&bad, &json!("x"), &fixed_now()), None);
}

#[test]
fn provider_state_values_are_substituted() {
    let mut values = Map::new();
    values.insert("id".into(), json!(42));
    values.insert("name".into(), json!("Mary"));
    let context = GeneratorContext::for_provider(values);
    let generate = |expression: &str, data_type: Option<&str>| {
        let generator = Generator::ProviderState {
            expression: expression.into(),
            data_type: data_type.map(str::to_owned),
        };
        generate_value(&generator, &json!(null), &context)
    };
    assert_eq!(generate("${id}", None), Some(json!(42)));
    assert_eq!(generate("${id}", Some("STRING")), Some(json!("42")));
    assert_eq!(
        generate("/orders/${id}/${name}", None),
        Some(json!("/orders/42/Mary"))
    );
    assert_eq!(generate("${missing}", None), None);
    assert_eq!(generate("${name}", Some("INTEGER")), None);
}

#[test]
fn mock_server_urls_are_rewritten() {
    let generator = Generator::MockServerUrl {
        regex: ".*(/orders/\\d+)$".into(),
        example: "http://example.com/orders/1".into(),
    };
    let context = GeneratorContext::for_mock_server("http://127.0.0.1:4000/");
    assert_eq!(
        generate_value(&generator, &json!("http://example.com/orders/7"), &context),
        Some(json!("http://127.0.0.1:4000/orders/7"))
    );
    assert_eq!(
        generate_value(&generator, &json!("x"), &GeneratorContext::default()),
        None
    );
}

#[test]
fn request_generators_touch_every_part() {
    let mut request = HttpRequest {
        path: "/orders/1".into(),
        query: Some(
            [("page".to_owned(), vec!["1".to_owned()])]
                .into_iter()
                .collect(),
        ),
        headers: Some(
            [("X-Id".to_owned(), vec!["a".to_owned()])]
                .into_iter()
                .collect(),
        ),
        body: Body::json(json!({"items": [{"id": 1}, {"id": 2}], "name": "x"})),
        ..HttpRequest::default()
    };
    request.generators.add(
        GeneratorCategory::Path,
        "$",
        Generator::ProviderState {
            expression: "/orders/${id}".into(),
            data_type: None,
        },
    );
    request.generators.add(
        GeneratorCategory::Query,
        "page",
        Generator::RandomInt { min: 5, max: 5 },
    );
    request.generators.add(
        GeneratorCategory::Header,
        "x-id",
        Generator::ProviderState {
            expression: "${id}".into(),
            data_type: None,
        },
    );
    request.generators.add(
        GeneratorCategory::Body,
        "$.items[*].id",
        Generator::RandomInt { min: 9, max: 9 },
    );
    let mut values = Map::new();
    values.insert("id".into(), json!(77));
    let out = apply_request_generators(&request, &GeneratorContext::for_provider(values));
    assert_eq!(out.path, "/orders/77");
    assert_eq!(out.query.unwrap()["page"], vec!["5"]);
    assert_eq!(out.headers.unwrap()["X-Id"], vec!["77"]);
    assert_eq!(
        out.body.content().unwrap().value,
        BodyValue::Json(json!({"items": [{"id": 9}, {"id": 9}], "name": "x"}))
    );
}

#[test]
fn response_and_message_generators() {
    let mut response = HttpResponse {
        body: Body::json(json!({"self": "http://provider/orders/3"})),
        ..HttpResponse::default()
    };
    response.generators.add(
        GeneratorCategory::Body,
        "$.self",
        Generator::MockServerUrl {
            regex: ".*(/orders/\\d+)$".into(),
            example: "http://provider/orders/3".into(),
        },
    );
    response.generators.add(
        GeneratorCategory::Status,
        "$",
        Generator::RandomInt { min: 201, max: 201 },
    );
    let out =
        apply_response_generators(&response, &GeneratorContext::for_mock_server("http://m:1"));
    assert_eq!(out.status, 201);
    assert_eq!(
        out.body.content().unwrap().value,
        BodyValue::Json(json!({"self": "http://m:1/orders/3"}))
    );

    let mut message = Message::default();
    message.metadata.insert("id".into(), json!("x"));
    message.contents = Body::json(json!({"n": 0}));
    message.generators.add(
        GeneratorCategory::Metadata,
        "id",
        Generator::RandomHexadecimal { digits: 4 },
    );
    message.generators.add(
        GeneratorCategory::Body,
        "$.n",
        Generator::RandomInt { min: 3, max: 3 },
    );
    let out = apply_message_generators(&message, &GeneratorContext::default());
    assert_eq!(out.metadata["id"].as_str().unwrap().len(), 4);
    assert_eq!(
        out.contents.content().unwrap().value,
        BodyValue::Json(json!({"n": 3}))
    );
}
