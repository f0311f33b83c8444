//! Test scenarios: a small event script (publish, verify, deploy, release, ...) that builds
//! the [`BrokerData`] the rules read. Every event advances a fake clock by one minute, so
//! "before" and "after" follow the order of the script.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::model::{
    Branch, BrokerData, ContentSummary, DeployedVersion, Environment, EnvironmentId, Pacticipant,
    PacticipantId, Publication, PublicationId, ReleasedVersion, Verification, VerificationId,
    Version, VersionId,
};

/// A growing data set plus a clock.
#[derive(Debug)]
pub(crate) struct Scenario {
    data: BrokerData,
    now: DateTime<Utc>,
}

impl Scenario {
    pub(crate) fn new() -> Self {
        let now = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .expect("valid date");
        Scenario {
            data: BrokerData::default(),
            now,
        }
    }

    /// Pact's worked example: Foo 22..25 against Bar 56..58, each Foo version with its own
    /// content; 22 and 23 pass with 56, 23 fails with 57, 23 and 24 pass with 58, 25 fails with
    /// 58. Nothing is deployed.
    pub(crate) fn worked_example() -> Self {
        let mut s = Scenario::new();
        for foo in ["22", "23", "24", "25"] {
            s.publish("Foo", foo, "Bar", &format!("foo-{foo}"));
        }
        s.verify("Bar", "56", "foo-22", true)
            .verify("Bar", "56", "foo-23", true)
            .verify("Bar", "57", "foo-23", false)
            .verify("Bar", "58", "foo-23", true)
            .verify("Bar", "58", "foo-24", true)
            .verify("Bar", "58", "foo-25", false);
        s
    }

    pub(crate) fn data(&self) -> &BrokerData {
        &self.data
    }

    /// The current fake time (the time of the last event).
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.now
    }

    fn tick(&mut self) -> DateTime<Utc> {
        self.now += Duration::minutes(1);
        self.now
    }

    pub(crate) fn pacticipant(&mut self, name: &str) -> PacticipantId {
        if let Some(p) = self.data.pacticipants.iter().find(|p| p.name == name) {
            return p.id;
        }
        let id = PacticipantId(self.data.pacticipants.len() as i64 + 1);
        self.data.pacticipants.push(Pacticipant {
            id,
            name: name.to_owned(),
            main_branch: None,
        });
        id
    }

    pub(crate) fn main_branch(&mut self, name: &str, branch: &str) -> &mut Self {
        let id = self.pacticipant(name);
        let p = self
            .data
            .pacticipants
            .iter_mut()
            .find(|p| p.id == id)
            .expect("just created");
        p.main_branch = Some(branch.to_owned());
        self
    }

    /// The version, created (without branch or tags) when new.
    pub(crate) fn version(&mut self, name: &str, number: &str) -> VersionId {
        let pacticipant = self.pacticipant(name);
        let found = self
            .data
            .versions
            .iter()
            .find(|v| v.pacticipant == pacticipant && v.number == number);
        if let Some(v) = found {
            return v.id;
        }
        let id = VersionId(self.data.versions.len() as i64 + 1);
        let created_at = self.tick();
        self.data.versions.push(Version {
            id,
            pacticipant,
            number: number.to_owned(),
            order: id.0,
            created_at,
            branches: Vec::new(),
            tags: Vec::new(),
        });
        id
    }

    fn version_mut(&mut self, name: &str, number: &str) -> &mut Version {
        let id = self.version(name, number);
        self.data
            .versions
            .iter_mut()
            .find(|v| v.id == id)
            .expect("just created")
    }

    /// Puts a version on a branch, creating the branch (now) when new.
    pub(crate) fn branch(&mut self, name: &str, number: &str, branch: &str) -> &mut Self {
        let pacticipant = self.pacticipant(name);
        self.version_mut(name, number)
            .branches
            .push(branch.to_owned());
        if !self
            .data
            .branches
            .iter()
            .any(|b| b.pacticipant == pacticipant && b.name == branch)
        {
            let created_at = self.tick();
            self.data.branches.push(Branch {
                pacticipant,
                name: branch.to_owned(),
                created_at,
            });
        }
        self
    }

    pub(crate) fn tag(&mut self, name: &str, number: &str, tag: &str) -> &mut Self {
        self.version_mut(name, number).tags.push(tag.to_owned());
        self
    }

    /// A consumer version publishes content for a provider.
    pub(crate) fn publish(
        &mut self,
        consumer: &str,
        number: &str,
        provider: &str,
        sha: &str,
    ) -> &mut Self {
        let consumer_version = self.version(consumer, number);
        let provider = self.pacticipant(provider);
        let id = PublicationId(self.data.publications.len() as i64 + 1);
        let created_at = self.tick();
        self.data.publications.push(Publication {
            id,
            consumer_version,
            provider,
            content_sha: sha.to_owned(),
            created_at,
        });
        self
    }

    /// Publishes on a branch (the version joins the branch first).
    pub(crate) fn publish_on(
        &mut self,
        consumer: &str,
        number: &str,
        branch: &str,
        provider: &str,
        sha: &str,
    ) -> &mut Self {
        self.branch(consumer, number, branch);
        self.publish(consumer, number, provider, sha)
    }

    fn record_verification(
        &mut self,
        provider: &str,
        number: &str,
        sha: &str,
        success: bool,
        wip: bool,
    ) -> &mut Self {
        let provider_version = self.version(provider, number);
        let provider_branch = self.version_mut(provider, number).branches.first().cloned();
        let id = VerificationId(self.data.verifications.len() as i64 + 1);
        let verified_at = self.tick();
        self.data.verifications.push(Verification {
            id,
            number: id.0,
            content_sha: sha.to_owned(),
            provider_version,
            provider_branch,
            success,
            verified_at,
            wip,
        });
        self
    }

    /// A provider version publishes a verification result for some content.
    pub(crate) fn verify(
        &mut self,
        provider: &str,
        number: &str,
        sha: &str,
        success: bool,
    ) -> &mut Self {
        self.record_verification(provider, number, sha, success, false)
    }

    /// Verifies on a branch (the version joins the branch first).
    pub(crate) fn verify_on(
        &mut self,
        provider: &str,
        number: &str,
        branch: &str,
        sha: &str,
        success: bool,
    ) -> &mut Self {
        if !self
            .version_mut(provider, number)
            .branches
            .iter()
            .any(|b| b == branch)
        {
            self.branch(provider, number, branch);
        }
        self.record_verification(provider, number, sha, success, false)
    }

    /// A verification made while the content was a WIP pact.
    pub(crate) fn verify_wip_on(
        &mut self,
        provider: &str,
        number: &str,
        branch: &str,
        sha: &str,
        success: bool,
    ) -> &mut Self {
        if !self
            .version_mut(provider, number)
            .branches
            .iter()
            .any(|b| b == branch)
        {
            self.branch(provider, number, branch);
        }
        self.record_verification(provider, number, sha, success, true)
    }

    pub(crate) fn environment(&mut self, name: &str) -> EnvironmentId {
        if let Some(e) = self.data.environments.iter().find(|e| e.name == name) {
            return e.id;
        }
        let id = EnvironmentId(self.data.environments.len() as i64 + 1);
        self.data.environments.push(Environment {
            id,
            name: name.to_owned(),
            production: name == "production",
        });
        id
    }

    /// Records a deployment, replacing the previous version of the same instance.
    pub(crate) fn deploy_instance(
        &mut self,
        name: &str,
        number: &str,
        environment: &str,
        instance: Option<&str>,
    ) -> &mut Self {
        let version = self.version(name, number);
        let pacticipant = self.pacticipant(name);
        let environment = self.environment(environment);
        let at = self.tick();
        let instance = instance.map(str::to_owned);
        let versions = &self.data.versions;
        for d in &mut self.data.deployed_versions {
            let same_pacticipant = versions
                .iter()
                .any(|v| v.id == d.version && v.pacticipant == pacticipant);
            if d.currently_deployed
                && same_pacticipant
                && d.environment == environment
                && d.application_instance == instance
            {
                d.currently_deployed = false;
                d.undeployed_at = Some(at);
            }
        }
        self.data.deployed_versions.push(DeployedVersion {
            version,
            environment,
            application_instance: instance,
            currently_deployed: true,
            deployed_at: at,
            undeployed_at: None,
        });
        self
    }

    pub(crate) fn deploy(&mut self, name: &str, number: &str, environment: &str) -> &mut Self {
        self.deploy_instance(name, number, environment, None)
    }

    pub(crate) fn undeploy(&mut self, name: &str, number: &str, environment: &str) -> &mut Self {
        let version = self.version(name, number);
        let environment = self.environment(environment);
        let at = self.tick();
        for d in &mut self.data.deployed_versions {
            if d.version == version && d.environment == environment && d.currently_deployed {
                d.currently_deployed = false;
                d.undeployed_at = Some(at);
            }
        }
        self
    }

    pub(crate) fn release(&mut self, name: &str, number: &str, environment: &str) -> &mut Self {
        let version = self.version(name, number);
        let environment = self.environment(environment);
        let released_at = self.tick();
        self.data.released_versions.push(ReleasedVersion {
            version,
            environment,
            currently_supported: true,
            released_at,
            support_ended_at: None,
        });
        self
    }

    pub(crate) fn end_support(&mut self, name: &str, number: &str, environment: &str) -> &mut Self {
        let version = self.version(name, number);
        let environment = self.environment(environment);
        let at = self.tick();
        for r in &mut self.data.released_versions {
            if r.version == version && r.environment == environment && r.currently_supported {
                r.currently_supported = false;
                r.support_ended_at = Some(at);
            }
        }
        self
    }

    /// Describes a content: its HTTP and message interactions and the fields it relies on.
    pub(crate) fn summarise(
        &mut self,
        sha: &str,
        http_interactions: u32,
        message_interactions: u32,
        fields: &[&str],
    ) -> &mut Self {
        self.data.content_summaries.retain(|c| c.content_sha != sha);
        self.data.content_summaries.push(ContentSummary {
            content_sha: sha.to_owned(),
            http_interactions,
            message_interactions,
            fields: fields
                .iter()
                .map(|f| (*f).to_owned())
                .collect::<BTreeSet<_>>(),
        });
        self
    }

    /// Records a deployment stamped at a given number of minutes after the start of the script
    /// (instead of the next tick), for deployment-history rules such as co-deployment.
    pub(crate) fn deploy_at(
        &mut self,
        name: &str,
        number: &str,
        environment: &str,
        minutes: i64,
    ) -> &mut Self {
        self.deploy(name, number, environment);
        let at = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .expect("valid date")
            + Duration::minutes(minutes);
        if let Some(d) = self.data.deployed_versions.last_mut() {
            d.deployed_at = at;
        }
        self
    }
}
