//! The report for people: a progress line while the run goes, then each contract with its
//! interactions, the mismatches of every failure and a summary.

use std::io::{self, Write};

use super::{Event, Reporter};
use crate::result::{ContractResult, Outcome, Publication, VerificationResults};

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
/// Runs shorter than this get no progress lines when the output is not a terminal.
const PLAIN_PROGRESS_FROM: usize = 50;
const RESET: &str = "\x1b[0m";

/// Writes the final report to `out` and, when given, a progress indicator to `progress`:
/// on a terminal one line rewritten in place, elsewhere (CI logs) a line at every tenth of
/// the way.
pub struct HumanReporter {
    out: Box<dyn Write + Send>,
    progress: Option<Box<dyn Write + Send>>,
    live: bool,
    colour: bool,
    total: usize,
    done: usize,
    failed: usize,
}

impl std::fmt::Debug for HumanReporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HumanReporter")
            .field("colour", &self.colour)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl HumanReporter {
    /// A reporter writing the report to `out`, with ANSI colours when `colour` is set.
    pub fn new(out: Box<dyn Write + Send>, colour: bool) -> Self {
        HumanReporter {
            out,
            progress: None,
            live: false,
            colour,
            total: 0,
            done: 0,
            failed: 0,
        }
    }

    /// Also shows progress on `progress`; `live` rewrites one line (for terminals).
    pub fn with_progress(mut self, progress: Box<dyn Write + Send>, live: bool) -> Self {
        self.progress = Some(progress);
        self.live = live;
        self
    }

    fn paint(&self, colour: &str, text: &str) -> String {
        if self.colour {
            format!("{colour}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    fn show_progress(&mut self) -> io::Result<()> {
        let status = format!(
            "verifying: {}/{} interactions, {} failed",
            self.done, self.total, self.failed
        );
        let line = if self.live {
            format!("\r{status}")
        } else {
            // A line per tenth of the way, for runs long enough to need one.
            let tenth = |done: usize| done * 10 / self.total.max(1);
            let crossed = self.done > 0 && tenth(self.done) != tenth(self.done - 1);
            if self.total < PLAIN_PROGRESS_FROM || !crossed {
                return Ok(());
            }
            format!("{status}\n")
        };
        if let Some(progress) = &mut self.progress {
            progress.write_all(line.as_bytes())?;
            progress.flush()?;
        }
        Ok(())
    }

    fn write_report(&mut self, results: &VerificationResults) -> io::Result<()> {
        let mut text = String::new();
        for (source, error) in &results.load_failures {
            text.push_str(&format!(
                "{} {source}: {error}\n\n",
                self.paint(RED, "Could not load")
            ));
        }
        for contract in &results.contracts {
            text.push_str(&self.contract_section(contract));
        }
        let failed: Vec<_> = results
            .contracts
            .iter()
            .flat_map(|c| c.interactions.iter().map(move |r| (c, r)))
            .filter(|(_, r)| !r.outcome.is_passed())
            .collect();
        if !failed.is_empty() {
            text.push_str(&self.paint(BOLD, "Failures:"));
            text.push_str("\n\n");
        }
        // Many interactions failing with one error (an unreachable provider) are shown once.
        let mut repeated: Option<(String, usize)> = None;
        for (number, (contract, result)) in failed.iter().enumerate() {
            if let Outcome::Error(error) = &result.outcome {
                let message = error.to_string();
                match &mut repeated {
                    Some((last, count)) if *last == message => {
                        *count += 1;
                        if *count > REPEATS_SHOWN {
                            continue;
                        }
                    }
                    _ => {
                        flush_repeats(&mut text, repeated.take());
                        repeated = Some((message, 1));
                    }
                }
            } else {
                flush_repeats(&mut text, repeated.take());
            }
            text.push_str(&format!(
                "{:>3}) {} - {}{}\n",
                number + 1,
                contract_title(contract),
                result.description,
                if result.pending { " (pending)" } else { "" }
            ));
            if let Some(sent) = &result.sent {
                text.push_str(&format!("     request: {sent}\n"));
            }
            match &result.outcome {
                Outcome::Failed(mismatches) => {
                    for mismatch in mismatches {
                        text.push_str(&format!("     {mismatch}\n"));
                    }
                    if let Some(diff) = &result.body_diff {
                        text.push_str("\n     Body (- expected, + actual):\n");
                        for line in diff.lines() {
                            let line = format!("       {line}\n");
                            text.push_str(&match line.trim_start().chars().next() {
                                Some('-') => self.paint(RED, &line),
                                Some('+') => self.paint(GREEN, &line),
                                _ => line,
                            });
                        }
                    }
                }
                Outcome::Error(error) => text.push_str(&format!("     error: {error}\n")),
                Outcome::Passed => {}
            }
            text.push('\n');
        }
        flush_repeats(&mut text, repeated);
        let summary = results.summary();
        let mut line = format!(
            "{} interactions: {} passed, {} failed",
            summary.total, summary.passed, summary.failed
        );
        if summary.errored > 0 {
            line.push_str(&format!(", {} could not be verified", summary.errored));
        }
        if summary.pending_failed > 0 {
            line.push_str(&format!(
                ", {} pending failed (not failing the run)",
                summary.pending_failed
            ));
        }
        let colour = if summary.failed + summary.errored > 0 || !results.load_failures.is_empty() {
            RED
        } else if summary.pending_failed > 0 {
            YELLOW
        } else {
            GREEN
        };
        text.push_str(&self.paint(colour, &line));
        text.push('\n');
        self.out.write_all(text.as_bytes())?;
        self.out.flush()
    }

    fn contract_section(&self, contract: &ContractResult) -> String {
        let info = &contract.info;
        let mut text = format!("{}\n", self.paint(BOLD, &contract_title(contract)));
        text.push_str(&format!("  from {}\n", info.name));
        if info.wip {
            text.push_str(
                &self.paint(YELLOW, "  work in progress: failures do not fail the run\n"),
            );
        } else if info.pending {
            text.push_str(&self.paint(YELLOW, "  pending: failures do not fail the run\n"));
        }
        for notice in &info.notices {
            text.push_str(&format!("  notice: {notice}\n"));
        }
        for result in &contract.interactions {
            let verdict = match (&result.outcome, result.pending) {
                (Outcome::Passed, _) => self.paint(GREEN, "OK"),
                (Outcome::Failed(_), false) => self.paint(RED, "FAILED"),
                (Outcome::Error(_), false) => self.paint(RED, "ERROR"),
                (Outcome::Failed(_), true) => self.paint(YELLOW, "FAILED (pending)"),
                (Outcome::Error(_), true) => self.paint(YELLOW, "ERROR (pending)"),
            };
            let given = if result.provider_states.is_empty() {
                String::new()
            } else {
                format!("given {}: ", result.provider_states.join(" and "))
            };
            text.push_str(&format!("  {given}{} ... {verdict}\n", result.description));
        }
        let published = matches!(contract.publication, Some(Publication::Published { .. }));
        let condition = format!(
            "after_verification:success_{}_published_{published}",
            contract.success()
        );
        for (when, notice) in &info.notices_after {
            if *when == condition {
                text.push_str(&format!("  notice: {notice}\n"));
            }
        }
        match &contract.publication {
            Some(Publication::Published { url }) => {
                text.push_str(&format!("  results published to {url}\n"));
            }
            Some(Publication::Failed(error)) => text.push_str(&format!(
                "  {} {error}\n",
                self.paint(RED, "publishing the results failed:")
            )),
            Some(Publication::Filtered) => {
                text.push_str(
                    "  results not published: filters left interactions out of the verification\n",
                );
            }
            Some(Publication::NotPublishable) => {
                text.push_str("  results not published: the contract did not come from a broker\n");
            }
            None => {}
        }
        text.push('\n');
        text
    }
}

/// How many failures with the same error are listed before the rest are counted.
const REPEATS_SHOWN: usize = 3;

fn flush_repeats(text: &mut String, repeated: Option<(String, usize)>) {
    if let Some((_, count)) = repeated
        && count > REPEATS_SHOWN
    {
        text.push_str(&format!(
            "     ... and {} more interactions with the same error\n\n",
            count - REPEATS_SHOWN
        ));
    }
}

fn contract_title(contract: &ContractResult) -> String {
    format!(
        "Verifying the contract between {} and {}",
        contract.info.consumer, contract.info.provider
    )
}

impl Reporter for HumanReporter {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        match event {
            Event::Started { total } => {
                self.total = *total;
                self.show_progress()
            }
            Event::InteractionFinished { result, .. } => {
                self.done += 1;
                if !result.outcome.is_passed() {
                    self.failed += 1;
                }
                self.show_progress()
            }
            Event::Finished { results } => {
                if self.live
                    && let Some(progress) = &mut self.progress
                {
                    progress.write_all(b"\r\x1b[2K")?;
                    progress.flush()?;
                }
                self.write_report(results)
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn run_progress(total: usize, live: bool) -> String {
        let progress = Shared::default();
        let mut reporter = HumanReporter::new(Box::new(io::sink()), false)
            .with_progress(Box::new(progress.clone()), live);
        reporter.total = total;
        for _ in 0..total {
            reporter.done += 1;
            reporter.show_progress().unwrap();
        }
        String::from_utf8(progress.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn plain_progress_prints_a_line_per_tenth_of_long_runs() {
        let lines = run_progress(600, false);
        assert_eq!(lines.lines().count(), 10, "{lines}");
        assert!(lines.starts_with("verifying: 60/600 interactions, 0 failed\n"));
        assert!(run_progress(20, false).is_empty());
        let live = run_progress(3, true);
        assert_eq!(live.matches('\r').count(), 3);
    }
}
