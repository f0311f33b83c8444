//! The JUnit XML report: one test suite per contract, one test case per interaction. Failures
//! of pending contracts are written as skipped tests, so CI dashboards do not count them.

use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

use super::{Event, Reporter};
use crate::result::{ContractResult, Outcome, VerificationResults};

/// Writes [`render`]'s document to a file at the end of the run.
#[derive(Debug)]
pub struct JunitReporter {
    path: PathBuf,
}

impl JunitReporter {
    /// A reporter writing to `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        JunitReporter { path: path.into() }
    }
}

impl Reporter for JunitReporter {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        if let Event::Finished { results } = event {
            std::fs::write(&self.path, render(results)).map_err(|error| {
                io::Error::new(
                    error.kind(),
                    format!("writing the JUnit report {}: {error}", self.path.display()),
                )
            })?;
        }
        Ok(())
    }
}

/// The run as JUnit XML.
pub fn render(results: &VerificationResults) -> String {
    let summary = results.summary();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"accord verify\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        summary.total, summary.failed, summary.errored
    );
    for contract in &results.contracts {
        suite(&mut xml, contract);
    }
    xml.push_str("</testsuites>\n");
    xml
}

fn suite(xml: &mut String, contract: &ContractResult) {
    let info = &contract.info;
    let count = |f: &dyn Fn(&Outcome, bool) -> bool| {
        contract
            .interactions
            .iter()
            .filter(|r| f(&r.outcome, r.pending))
            .count()
    };
    let failures = count(&|o, pending| !pending && matches!(o, Outcome::Failed(_)));
    let errors = count(&|o, pending| !pending && matches!(o, Outcome::Error(_)));
    let skipped = count(&|o, pending| pending && !o.is_passed());
    let seconds: f64 = contract
        .interactions
        .iter()
        .map(|r| r.duration.as_secs_f64())
        .sum();
    let name = format!("{} - {}", info.consumer, info.provider);
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{seconds:.3}\">",
        escape(&name),
        contract.interactions.len(),
    );
    for result in &contract.interactions {
        let mut case_name = result.description.clone();
        if !result.provider_states.is_empty() {
            case_name = format!(
                "{} (given {})",
                case_name,
                result.provider_states.join(", ")
            );
        }
        let _ = write!(
            xml,
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
            escape(&name),
            escape(&case_name),
            result.duration.as_secs_f64()
        );
        let detail: Option<(&str, String, String)> = match &result.outcome {
            Outcome::Passed => None,
            Outcome::Failed(mismatches) => Some((
                "failure",
                format!("{} mismatch(es)", mismatches.len()),
                mismatches
                    .iter()
                    .map(|m| m.to_string())
                    .collect::<Vec<_>>()
                    .join("\n"),
            )),
            Outcome::Error(error) => Some(("error", error.to_string(), error.to_string())),
        };
        match detail {
            None => xml.push_str("/>\n"),
            Some((_, message, text)) if result.pending => {
                let _ = writeln!(
                    xml,
                    ">\n      <skipped message=\"pending: {}\"/>\n      <system-out>{}</system-out>\n    </testcase>",
                    escape(&message),
                    escape(&text)
                );
            }
            Some((element, message, text)) => {
                let _ = writeln!(
                    xml,
                    ">\n      <{element} message=\"{}\">{}</{element}>\n    </testcase>",
                    escape(&message),
                    escape(&text)
                );
            }
        }
    }
    xml.push_str("  </testsuite>\n");
}

/// Escapes text for XML attributes and content.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::time::Duration;

    use crate::error::InteractionError;
    use crate::result::{ContractInfo, ContractResult, InteractionResult};

    fn result(description: &str, pending: bool, outcome: Outcome) -> InteractionResult {
        InteractionResult {
            description: description.into(),
            key: None,
            provider_states: if pending {
                Vec::new()
            } else {
                vec!["a <state>".into()]
            },
            pending,
            sent: None,
            body_diff: None,
            outcome,
            duration: Duration::from_millis(5),
        }
    }

    #[test]
    fn failures_errors_and_pending_failures_are_told_apart() {
        let results = VerificationResults {
            contracts: vec![ContractResult {
                info: ContractInfo {
                    name: "web.json".into(),
                    consumer: "web".into(),
                    provider: "orders".into(),
                    pending: false,
                    wip: false,
                    notices: Vec::new(),
                    notices_after: Vec::new(),
                },
                interactions: vec![
                    result("passes", false, Outcome::Passed),
                    result("fails", false, Outcome::Failed(Vec::new())),
                    result(
                        "errs",
                        false,
                        Outcome::Error(InteractionError::NoResponseMessage),
                    ),
                    result(
                        "pending & errs",
                        true,
                        Outcome::Error(InteractionError::NoResponseMessage),
                    ),
                ],
                publication: None,
            }],
            ..VerificationResults::default()
        };
        let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="accord verify" tests="4" failures="1" errors="1">
  <testsuite name="web - orders" tests="4" failures="1" errors="1" skipped="1" time="0.020">
    <testcase classname="web - orders" name="passes (given a &lt;state&gt;)" time="0.005"/>
    <testcase classname="web - orders" name="fails (given a &lt;state&gt;)" time="0.005">
      <failure message="0 mismatch(es)"></failure>
    </testcase>
    <testcase classname="web - orders" name="errs (given a &lt;state&gt;)" time="0.005">
      <error message="the interaction has no response message to compare with">the interaction has no response message to compare with</error>
    </testcase>
    <testcase classname="web - orders" name="pending &amp; errs" time="0.005">
      <skipped message="pending: the interaction has no response message to compare with"/>
      <system-out>the interaction has no response message to compare with</system-out>
    </testcase>
  </testsuite>
</testsuites>
"#;
        assert_eq!(render(&results), expected);
    }

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
