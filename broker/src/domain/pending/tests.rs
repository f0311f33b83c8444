use super::*;
use crate::domain::scenario::Scenario;

fn pending(s: &Scenario, sha: &str, branch: Option<&str>) -> bool {
    let index = Index::new(s.data());
    let bar = index.pacticipant_named("Bar").unwrap().id;
    let scope = branch.map_or(ProviderScope::Any, ProviderScope::Branch);
    is_pending(&index, bar, sha, scope)
}

#[test]
fn content_is_pending_until_verified_successfully() {
    let mut s = Scenario::new();
    s.publish("Foo", "1", "Bar", "c1");
    s.branch("Bar", "1", "main");
    assert!(pending(&s, "c1", Some("main")));
    assert!(pending(&s, "c1", None));
    s.verify_on("Bar", "1", "main", "c1", false);
    assert!(
        pending(&s, "c1", Some("main")),
        "a failure does not change pending state"
    );
    assert!(pending(&s, "c1", None));
    s.verify_on("Bar", "2", "main", "c1", true);
    assert!(!pending(&s, "c1", Some("main")));
    assert!(!pending(&s, "c1", None));
}

#[test]
fn pending_on_one_provider_branch_and_not_another() {
    let mut s = Scenario::new();
    s.publish("Foo", "1", "Bar", "c1");
    s.branch("Bar", "1", "main").branch("Bar", "2", "feat-old");
    s.verify_on("Bar", "3", "main", "c1", true);
    s.branch("Bar", "4", "feat-new");
    assert!(!pending(&s, "c1", Some("main")), "verified by this branch");
    assert!(
        pending(&s, "c1", Some("feat-old")),
        "the branch existed before main verified it"
    );
    assert!(
        !pending(&s, "c1", Some("feat-new")),
        "created after main verified it"
    );
    assert!(
        !pending(&s, "c1", Some("not-created-yet")),
        "will be created after main verified it"
    );
    s.verify_on("Bar", "2", "feat-old", "c1", true);
    assert!(!pending(&s, "c1", Some("feat-old")));
}

#[test]
fn verifications_count_for_the_branches_of_their_provider_version() {
    let mut s = Scenario::new();
    s.publish("Foo", "1", "Bar", "c1");
    s.branch("Bar", "1", "main");
    s.verify("Bar", "9", "c1", true);
    assert!(pending(&s, "c1", Some("main")));
    assert!(!pending(&s, "c1", None));
    // The provider version joins main later: its result now counts for main.
    s.branch("Bar", "9", "main");
    assert!(!pending(&s, "c1", Some("main")));
}

fn wip(s: &Scenario, branch: &str, since: DateTime<Utc>, selected: &[&str]) -> Vec<String> {
    let index = Index::new(s.data());
    let bar = index.pacticipant_named("Bar").unwrap().id;
    let selected: HashSet<&str> = selected.iter().copied().collect();
    wip_pacts(&index, bar, ProviderScope::Branch(branch), since, &selected)
        .iter()
        .map(|w| {
            let heads: Vec<String> = w
                .heads
                .iter()
                .map(|(source, v)| match source {
                    WipSource::Branch(b) => format!("{b}@{}", v.number),
                    WipSource::Tag(t) => format!("tag {t}@{}", v.number),
                })
                .collect();
            format!("{} [{}]", w.pact.content_sha, heads.join(", "))
        })
        .collect()
}

#[test]
fn wip_pacts_are_branch_heads_published_after_the_cutoff() {
    let mut s = Scenario::new();
    s.branch("Bar", "1", "main");
    s.publish_on("Foo", "1", "main", "Bar", "main-1");
    s.publish_on("Foo", "2", "feat-a", "Bar", "a-2");
    let cutoff = s.now() + chrono::Duration::seconds(30);
    s.publish_on("Foo", "3", "feat-b", "Bar", "b-3-old");
    s.publish_on("Foo", "4", "feat-b", "Bar", "b-4");
    s.publish_on("Foo", "5", "feat-c", "Bar", "c-5");
    s.publish_on("Foo", "6", "feat-c", "Baz", "c-6-baz");

    let all = wip(&s, "main", cutoff, &["main-1"]);
    assert_eq!(all, vec!["b-4 [feat-b@4]", "c-5 [feat-c@5]"]);
    let everything = wip(&s, "main", cutoff - chrono::Duration::days(1), &["main-1"]);
    assert_eq!(
        everything,
        vec!["a-2 [feat-a@2]", "b-4 [feat-b@4]", "c-5 [feat-c@5]"]
    );
    assert_eq!(
        wip(&s, "main", cutoff - chrono::Duration::days(1), &[]).len(),
        4,
        "main's head too"
    );
}

#[test]
fn wip_ends_when_this_branch_verifies_it_outside_wip_or_another_branch_did_first() {
    let mut s = Scenario::new();
    s.branch("Bar", "1", "main");
    let cutoff = s.now();
    s.publish_on("Foo", "1", "feat-a", "Bar", "a");
    s.publish_on("Foo", "2", "feat-b", "Bar", "b");
    s.publish_on("Foo", "3", "feat-c", "Bar", "c");
    s.publish_on("Foo", "4", "feat-d", "Bar", "d");
    s.verify_wip_on("Bar", "2", "main", "a", true); // a success while WIP: still WIP
    s.verify_on("Bar", "2", "main", "b", true); // explicitly selected and passed: no longer WIP
    s.verify_on("Bar", "2", "main", "c", false); // failures change nothing
    s.verify_on("Bar", "3", "other", "d", true);
    s.branch("Bar", "4", "late");
    assert_eq!(
        wip(&s, "main", cutoff, &[]),
        vec!["a [feat-a@1]", "c [feat-c@3]", "d [feat-d@4]"]
    );
    assert_eq!(
        wip(&s, "late", cutoff, &[]),
        vec!["a [feat-a@1]", "c [feat-c@3]"],
        "b and d were verified by other branches before 'late' was created; a only while WIP"
    );
}

#[test]
fn one_wip_pact_per_content_lists_every_head() {
    let mut s = Scenario::new();
    s.branch("Bar", "1", "main");
    let cutoff = s.now();
    s.publish_on("Foo", "1", "feat-a", "Bar", "same");
    s.publish_on("Foo", "2", "feat-b", "Bar", "same");
    s.tag("Foo", "2", "candidate");
    assert_eq!(
        wip(&s, "main", cutoff, &[]),
        vec!["same [feat-a@1, feat-b@2, tag candidate@2]"]
    );
}

#[test]
fn tag_based_pending_for_providers_without_branches() {
    let mut s = Scenario::new();
    s.publish("Foo", "1", "Bar", "c1");
    s.tag("Bar", "1", "dev");
    let pending_for = |s: &Scenario, tags: &[&str]| {
        let index = Index::new(s.data());
        let bar = index.pacticipant_named("Bar").unwrap().id;
        let tags: Vec<String> = tags.iter().map(|t| (*t).to_owned()).collect();
        is_pending(&index, bar, "c1", ProviderScope::Tags(&tags))
    };
    assert!(pending_for(&s, &["dev"]));
    s.tag("Bar", "1", "dev").verify("Bar", "1", "c1", false);
    assert!(pending_for(&s, &["dev"]), "failures change nothing");
    s.tag("Bar", "2", "master").verify("Bar", "2", "c1", true);
    assert!(!pending_for(&s, &["master"]));
    assert!(
        pending_for(&s, &["dev"]),
        "dev was in use before master verified it"
    );
    assert!(
        pending_for(&s, &["master", "dev"]),
        "pending for any of the tags"
    );
    s.tag("Bar", "3", "feat");
    assert!(
        !pending_for(&s, &["feat"]),
        "first used after master verified it"
    );
}

#[test]
fn wip_pacts_for_providers_with_tags_only() {
    let mut s = Scenario::new();
    s.tag("Bar", "1", "master");
    let cutoff = s.now();
    s.publish_on("Foo", "1", "feat-a", "Bar", "a");
    s.publish_on("Foo", "2", "feat-b", "Bar", "b");
    s.tag("Bar", "2", "master").verify("Bar", "2", "a", true);
    let index = Index::new(s.data());
    let bar = index.pacticipant_named("Bar").unwrap().id;
    let none = HashSet::new();
    let shas = |scope: ProviderScope<'_>| -> Vec<String> {
        wip_pacts(&index, bar, scope, cutoff, &none)
            .iter()
            .map(|w| w.pact.content_sha.clone())
            .collect()
    };
    assert_eq!(shas(ProviderScope::Tags(&["master".to_owned()])), vec!["b"]);
    assert_eq!(
        shas(ProviderScope::Tags(&["dev".to_owned()])),
        vec!["b"],
        "dev starts after a was verified"
    );
    assert!(
        shas(ProviderScope::Any).is_empty(),
        "WIP needs a branch or tags"
    );
}
