//! Notices verifiers print about each pact for verification: why it was selected, whether it
//! is pending or WIP, and what a success or failure (published or not) will mean.

use chrono::{DateTime, Utc};

use super::VerifiablePact;
use crate::domain::model::Version;
use crate::domain::pending::ProviderScope;

/// When the verifier should print a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoticeWhen {
    BeforeVerification,
    AfterVerification { success: bool, published: bool },
}

impl NoticeWhen {
    /// The wire value of `notices[].when`.
    pub(crate) fn wire_name(self) -> &'static str {
        match self {
            NoticeWhen::BeforeVerification => "before_verification",
            NoticeWhen::AfterVerification {
                success: true,
                published: false,
            } => "after_verification:success_true_published_false",
            NoticeWhen::AfterVerification {
                success: false,
                published: false,
            } => "after_verification:success_false_published_false",
            NoticeWhen::AfterVerification {
                success: true,
                published: true,
            } => "after_verification:success_true_published_true",
            NoticeWhen::AfterVerification {
                success: false,
                published: true,
            } => "after_verification:success_false_published_true",
        }
    }
}

/// One line for the verifier to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Notice {
    pub(crate) when: NoticeWhen,
    pub(crate) text: String,
}

fn notice(when: NoticeWhen, text: String) -> Notice {
    Notice { when, text }
}

fn after(success: bool, published: bool) -> NoticeWhen {
    NoticeWhen::AfterVerification { success, published }
}

/// A short label for the verifier's summary, e.g. "Foo 1.2.0: latest version of Foo from
/// branch 'main'".
pub(super) fn short_description(pact: &VerifiablePact<'_>, newest: &Version) -> String {
    let reasons: Vec<&str> = pact
        .selected_by
        .iter()
        .map(|r| {
            r.description
                .rsplit_once(" (")
                .map_or(r.description.as_str(), |(label, _)| label)
        })
        .collect();
    format!(
        "{} {}: {}",
        pact.consumer.name,
        newest.number,
        reasons.join(", ")
    )
}

/// " from branch 'main'", " with tag 'a' or 'b'", or nothing.
fn versions(scope: ProviderScope<'_>) -> String {
    match scope {
        ProviderScope::Branch(b) => format!(" from branch '{b}'"),
        ProviderScope::Tags(tags) => {
            let quoted: Vec<String> = tags.iter().map(|t| format!("'{t}'")).collect();
            format!(" with tag {}", quoted.join(" or "))
        }
        ProviderScope::Any => String::new(),
    }
}

/// What else ends pending status for this scope.
fn earlier(scope: ProviderScope<'_>) -> String {
    match scope {
        ProviderScope::Branch(b) => format!(" (or another branch did before '{b}' was created)"),
        ProviderScope::Tags(_) => {
            " (or a version with another tag did before the tag was first used)".to_owned()
        }
        ProviderScope::Any => String::new(),
    }
}

/// Notices for an explicitly (or default-) selected pact.
pub(super) fn for_selected(pact: &VerifiablePact<'_>, scope: ProviderScope<'_>) -> Vec<Notice> {
    let reasons: Vec<&str> = pact
        .selected_by
        .iter()
        .map(|r| r.description.as_str())
        .collect();
    let mut notices = vec![notice(
        NoticeWhen::BeforeVerification,
        format!(
            "This pact is being verified because its content belongs to the consumer version(s) matching: {}",
            reasons.join("; ")
        ),
    )];
    let provider = &pact.provider.name;
    let from = versions(scope);
    match pact.pending {
        Some(true) => notices.extend(pending_notices(provider, scope, format!(
            "This pact is in pending state for this version of {provider}: no version of {provider}{from} has \
             published a successful verification of it yet. If verification fails, the build will not fail."
        ))),
        Some(false) => {
            let earlier = earlier(scope);
            notices.push(notice(
                NoticeWhen::BeforeVerification,
                format!(
                    "This pact is not pending: a version of {provider}{from} has verified it successfully{earlier}. \
                     If verification fails, the build will fail."
                ),
            ));
            for published in [false, true] {
                notices.push(notice(
                    after(false, published),
                    "This pact is not pending, so this failure fails the build.".to_owned(),
                ));
            }
        }
        None => {}
    }
    notices
}

fn pending_notices(provider: &str, scope: ProviderScope<'_>, before: String) -> Vec<Notice> {
    let from = versions(scope);
    vec![
        notice(NoticeWhen::BeforeVerification, before),
        notice(
            after(true, false),
            format!(
                "This pact is still pending: publish this successful result to take it out of pending state for \
                 {provider}{from}."
            ),
        ),
        notice(
            after(true, true),
            format!(
                "This pact is no longer pending for {provider}{from}: from now on a failure will fail the build."
            ),
        ),
        notice(
            after(false, false),
            "This pact is pending, so this failure does not fail the build.".to_owned(),
        ),
        notice(
            after(false, true),
            "This pact is pending: the failure is published but does not fail the build."
                .to_owned(),
        ),
    ]
}

/// Notices for a WIP pact.
pub(super) fn for_wip(
    pact: &VerifiablePact<'_>,
    scope: ProviderScope<'_>,
    since: DateTime<Utc>,
) -> Vec<Notice> {
    let provider = &pact.provider.name;
    let heads: Vec<&str> = pact
        .selected_by
        .iter()
        .map(|r| r.description.as_str())
        .collect();
    let mut notices = vec![notice(
        NoticeWhen::BeforeVerification,
        format!(
            "This pact is being verified because it is a work-in-progress pact: the pact of the {} was published \
             after {} and is still pending for versions of {provider}{}.",
            heads.join("; "),
            since.format("%Y-%m-%d %H:%M:%S UTC"),
            versions(scope),
        ),
    )];
    let before = format!(
        "This pact is in pending state for this version of {provider}: if verification fails, the build will not fail."
    );
    let mut rest = pending_notices(provider, scope, before);
    // A success while WIP does not end WIP status: say so instead of "no longer pending".
    if let Some(n) = rest.iter_mut().find(|n| n.when == after(true, true)) {
        n.text = format!(
            "This work-in-progress pact passed; it stays work in progress until its content is merged into a \
             branch {provider} verifies explicitly."
        );
    }
    notices.extend(rest);
    notices
}
