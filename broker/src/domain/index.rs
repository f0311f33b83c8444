//! Lookup tables over [`BrokerData`], built once in linear time so that every rule answers
//! with hash lookups instead of scans over all versions or verifications.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

use super::model::{
    Branch, BrokerData, Environment, EnvironmentId, Pacticipant, PacticipantId, Publication,
    Verification, Version, VersionId,
};

/// How a version is present in an environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// Currently deployed (for the given application instance, if any).
    Deployed,
    /// Released and currently supported.
    Released,
}

/// Indexes over one [`BrokerData`]. Lists of versions are kept oldest first (by `order`);
/// lists of verifications by ascending id.
/// A fast hasher for keys made of database ids and interned strings (multiply-rotate, as in
/// rustc's FxHash). Names typed by users are hashed with the standard hasher instead.
#[derive(Debug, Default, Clone, Copy)]
struct IdHasher(u64);

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_i64(&mut self, n: i64) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type IdHashing = BuildHasherDefault<IdHasher>;
type Map<K, V> = HashMap<K, V, IdHashing>;

/// An interned string (version number, branch, tag or content hash) of the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Sym(u32);

#[derive(Debug)]
pub(crate) struct Index<'a> {
    data: &'a BrokerData,
    symbols: HashMap<&'a str, Sym>,
    pacticipant_by_id: Map<PacticipantId, &'a Pacticipant>,
    pacticipant_by_name: HashMap<&'a str, &'a Pacticipant>,
    version_by_id: Map<VersionId, &'a Version>,
    version_by_number: Map<(PacticipantId, Sym), &'a Version>,
    versions_of: Map<PacticipantId, Vec<&'a Version>>,
    versions_on_branch: Map<(PacticipantId, Sym), Vec<&'a Version>>,
    versions_with_tag: Map<(PacticipantId, Sym), Vec<&'a Version>>,
    branch: Map<(PacticipantId, Sym), &'a Branch>,
    branch_names_of: Map<PacticipantId, Vec<&'a str>>,
    tag_names_of: Map<PacticipantId, Vec<&'a str>>,
    /// Latest revision per (consumer version, provider).
    pact: Map<(VersionId, PacticipantId), &'a Publication>,
    /// Latest revisions of one consumer version, one per provider.
    pacts_of_consumer_version: Map<VersionId, Vec<&'a Publication>>,
    /// Latest revisions whose content is the given one, per provider.
    pacts_with_content: Map<(PacticipantId, Sym), Vec<&'a Publication>>,
    consumers_of: Map<PacticipantId, Vec<PacticipantId>>,
    providers_of: Map<PacticipantId, Vec<PacticipantId>>,
    verifications_of: Map<(PacticipantId, Sym), Vec<&'a Verification>>,
    verifications_by: Map<VersionId, Vec<&'a Verification>>,
    latest_verification: Map<(Sym, VersionId), &'a Verification>,
    environment_by_name: HashMap<&'a str, &'a Environment>,
    in_environment: Map<(EnvironmentId, PacticipantId), Vec<(VersionId, Presence)>>,
    environments_of_version: Map<VersionId, Vec<(EnvironmentId, Presence)>>,
}

fn push_unique<K: Hash + Eq, V: PartialEq, S: BuildHasher>(
    map: &mut HashMap<K, Vec<V>, S>,
    key: K,
    v: V,
) {
    let list = map.entry(key).or_default();
    if !list.contains(&v) {
        list.push(v);
    }
}

impl<'a> Index<'a> {
    /// Builds every lookup table in one pass per list.
    pub(crate) fn new(data: &'a BrokerData) -> Self {
        let mut index = Index {
            data,
            symbols: HashMap::with_capacity(data.versions.len() + data.publications.len()),
            pacticipant_by_id: Map::default(),
            pacticipant_by_name: HashMap::new(),
            version_by_id: Map::with_capacity_and_hasher(data.versions.len(), IdHashing::default()),
            version_by_number: Map::with_capacity_and_hasher(
                data.versions.len(),
                IdHashing::default(),
            ),
            versions_of: Map::default(),
            versions_on_branch: Map::default(),
            versions_with_tag: Map::default(),
            branch: Map::default(),
            branch_names_of: Map::default(),
            tag_names_of: Map::default(),
            pact: Map::with_capacity_and_hasher(data.publications.len(), IdHashing::default()),
            pacts_of_consumer_version: Map::default(),
            pacts_with_content: Map::default(),
            consumers_of: Map::default(),
            providers_of: Map::default(),
            verifications_of: Map::default(),
            verifications_by: Map::default(),
            latest_verification: Map::with_capacity_and_hasher(
                data.verifications.len(),
                IdHashing::default(),
            ),
            environment_by_name: HashMap::new(),
            in_environment: Map::default(),
            environments_of_version: Map::default(),
        };
        for p in &data.pacticipants {
            index.pacticipant_by_id.insert(p.id, p);
            index.pacticipant_by_name.insert(&p.name, p);
        }
        index.index_versions();
        for b in &data.branches {
            let name = index.intern(&b.name);
            index.branch.insert((b.pacticipant, name), b);
        }
        index.index_publications();
        index.index_verifications();
        index.index_environments();
        index
    }

    fn index_versions(&mut self) {
        let data = self.data;
        for v in &data.versions {
            self.version_by_id.insert(v.id, v);
            let number = self.intern(&v.number);
            self.version_by_number.insert((v.pacticipant, number), v);
            self.versions_of.entry(v.pacticipant).or_default().push(v);
            for b in &v.branches {
                let sym = self.intern(b);
                self.versions_on_branch
                    .entry((v.pacticipant, sym))
                    .or_default()
                    .push(v);
                push_unique(&mut self.branch_names_of, v.pacticipant, b.as_str());
            }
            for t in &v.tags {
                let sym = self.intern(t);
                self.versions_with_tag
                    .entry((v.pacticipant, sym))
                    .or_default()
                    .push(v);
                push_unique(&mut self.tag_names_of, v.pacticipant, t.as_str());
            }
        }
        let by_order = |list: &mut Vec<&Version>| list.sort_by_key(|v| (v.order, v.id));
        self.versions_of.values_mut().for_each(by_order);
        self.versions_on_branch.values_mut().for_each(by_order);
        self.versions_with_tag.values_mut().for_each(by_order);
    }

    fn index_publications(&mut self) {
        let data = self.data;
        for p in &data.publications {
            let newer = match self.pact.get(&(p.consumer_version, p.provider)) {
                Some(existing) => existing.id < p.id,
                None => true,
            };
            if newer {
                self.pact.insert((p.consumer_version, p.provider), p);
            }
            if let Some(consumer) = self.version_by_id.get(&p.consumer_version) {
                push_unique(&mut self.consumers_of, p.provider, consumer.pacticipant);
                push_unique(&mut self.providers_of, consumer.pacticipant, p.provider);
            }
        }
        let latest: Vec<&'a Publication> = self.pact.values().copied().collect();
        for p in latest {
            self.pacts_of_consumer_version
                .entry(p.consumer_version)
                .or_default()
                .push(p);
            let sha = self.intern(&p.content_sha);
            self.pacts_with_content
                .entry((p.provider, sha))
                .or_default()
                .push(p);
        }
        self.pacts_of_consumer_version
            .values_mut()
            .for_each(|l| l.sort_by_key(|p| p.provider));
        self.pacts_with_content
            .values_mut()
            .for_each(|l| l.sort_by_key(|p| p.id));
    }

    fn index_verifications(&mut self) {
        let data = self.data;
        for v in &data.verifications {
            let Some(provider) = self
                .version_by_id
                .get(&v.provider_version)
                .map(|pv| pv.pacticipant)
            else {
                continue;
            };
            let sha = self.intern(&v.content_sha);
            let key = (provider, sha);
            self.verifications_of.entry(key).or_default().push(v);
            self.verifications_by
                .entry(v.provider_version)
                .or_default()
                .push(v);
            let latest = self.latest_verification.entry((sha, v.provider_version));
            latest
                .and_modify(|l| *l = if l.id < v.id { v } else { l })
                .or_insert(v);
        }
        self.verifications_of
            .values_mut()
            .for_each(|l| l.sort_by_key(|v| v.id));
        self.verifications_by
            .values_mut()
            .for_each(|l| l.sort_by_key(|v| v.id));
    }

    fn index_environments(&mut self) {
        let data = self.data;
        for e in &data.environments {
            self.environment_by_name.insert(&e.name, e);
        }
        let current_deployments = data
            .deployed_versions
            .iter()
            .filter(|d| d.currently_deployed)
            .map(|d| (d.version, d.environment, Presence::Deployed));
        let current_releases = data
            .released_versions
            .iter()
            .filter(|r| r.currently_supported)
            .map(|r| (r.version, r.environment, Presence::Released));
        for (version, environment, presence) in current_deployments.chain(current_releases) {
            let Some(v) = self.version_by_id.get(&version) else {
                continue;
            };
            push_unique(
                &mut self.in_environment,
                (environment, v.pacticipant),
                (version, presence),
            );
            push_unique(
                &mut self.environments_of_version,
                version,
                (environment, presence),
            );
        }
        let version_by_id = &self.version_by_id;
        for list in self.in_environment.values_mut() {
            list.sort_by_key(|(v, _)| version_by_id.get(v).map(|v| (v.order, v.id)));
        }
    }

    fn intern(&mut self, s: &'a str) -> Sym {
        let next = Sym(self.symbols.len() as u32);
        *self.symbols.entry(s).or_insert(next)
    }

    fn sym(&self, s: &str) -> Option<Sym> {
        self.symbols.get(s).copied()
    }

    /// The data these indexes were built from.
    pub(crate) fn data(&self) -> &'a BrokerData {
        self.data
    }

    pub(crate) fn pacticipant(&self, id: PacticipantId) -> Option<&'a Pacticipant> {
        self.pacticipant_by_id.get(&id).copied()
    }

    pub(crate) fn pacticipant_named(&self, name: &str) -> Option<&'a Pacticipant> {
        self.pacticipant_by_name.get(name).copied()
    }

    pub(crate) fn version(&self, id: VersionId) -> Option<&'a Version> {
        self.version_by_id.get(&id).copied()
    }

    pub(crate) fn version_numbered(
        &self,
        pacticipant: PacticipantId,
        number: &str,
    ) -> Option<&'a Version> {
        self.sym(number)
            .and_then(|n| self.version_by_number.get(&(pacticipant, n)))
            .copied()
    }

    /// All versions of a pacticipant, oldest first.
    pub(crate) fn versions_of(&self, pacticipant: PacticipantId) -> &[&'a Version] {
        self.versions_of
            .get(&pacticipant)
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn latest_version(&self, pacticipant: PacticipantId) -> Option<&'a Version> {
        self.versions_of(pacticipant).last().copied()
    }

    /// Versions on a branch, oldest first.
    pub(crate) fn versions_on_branch(
        &self,
        pacticipant: PacticipantId,
        branch: &str,
    ) -> &[&'a Version] {
        self.sym(branch)
            .and_then(|b| self.versions_on_branch.get(&(pacticipant, b)))
            .map_or(&[], Vec::as_slice)
    }

    /// Versions carrying a tag, oldest first.
    pub(crate) fn versions_with_tag(
        &self,
        pacticipant: PacticipantId,
        tag: &str,
    ) -> &[&'a Version] {
        self.sym(tag)
            .and_then(|t| self.versions_with_tag.get(&(pacticipant, t)))
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn branch(&self, pacticipant: PacticipantId, name: &str) -> Option<&'a Branch> {
        self.sym(name)
            .and_then(|n| self.branch.get(&(pacticipant, n)))
            .copied()
    }

    /// Names of the branches that have versions, in first-seen order.
    pub(crate) fn branch_names(&self, pacticipant: PacticipantId) -> &[&'a str] {
        self.branch_names_of
            .get(&pacticipant)
            .map_or(&[], Vec::as_slice)
    }

    /// Names of the tags in use, in first-seen order.
    pub(crate) fn tag_names(&self, pacticipant: PacticipantId) -> &[&'a str] {
        self.tag_names_of
            .get(&pacticipant)
            .map_or(&[], Vec::as_slice)
    }

    /// The latest revision of the contract a consumer version published for a provider.
    pub(crate) fn pact(
        &self,
        consumer_version: VersionId,
        provider: PacticipantId,
    ) -> Option<&'a Publication> {
        self.pact.get(&(consumer_version, provider)).copied()
    }

    /// The latest revisions a consumer version published, one per provider.
    pub(crate) fn pacts_of_consumer_version(
        &self,
        consumer_version: VersionId,
    ) -> &[&'a Publication] {
        self.pacts_of_consumer_version
            .get(&consumer_version)
            .map_or(&[], Vec::as_slice)
    }

    /// Latest revisions (of any consumer version) with the given content for a provider.
    pub(crate) fn pacts_with_content(
        &self,
        provider: PacticipantId,
        sha: &str,
    ) -> &[&'a Publication] {
        self.sym(sha)
            .and_then(|s| self.pacts_with_content.get(&(provider, s)))
            .map_or(&[], Vec::as_slice)
    }

    /// Consumers that ever published a contract with the provider.
    pub(crate) fn consumers_of(&self, provider: PacticipantId) -> &[PacticipantId] {
        self.consumers_of.get(&provider).map_or(&[], Vec::as_slice)
    }

    /// Providers the consumer ever published a contract with.
    pub(crate) fn providers_of(&self, consumer: PacticipantId) -> &[PacticipantId] {
        self.providers_of.get(&consumer).map_or(&[], Vec::as_slice)
    }

    /// Every verification of some content by versions of a provider, oldest first.
    pub(crate) fn verifications_of(
        &self,
        provider: PacticipantId,
        sha: &str,
    ) -> &[&'a Verification] {
        self.sym(sha)
            .and_then(|s| self.verifications_of.get(&(provider, s)))
            .map_or(&[], Vec::as_slice)
    }

    /// Every verification published by one provider version, oldest first.
    pub(crate) fn verifications_by(&self, provider_version: VersionId) -> &[&'a Verification] {
        self.verifications_by
            .get(&provider_version)
            .map_or(&[], Vec::as_slice)
    }

    /// The latest verification of some content by one provider version ("latest wins").
    pub(crate) fn latest_verification(
        &self,
        sha: &str,
        provider_version: VersionId,
    ) -> Option<&'a Verification> {
        self.sym(sha)
            .and_then(|s| self.latest_verification.get(&(s, provider_version)))
            .copied()
    }

    pub(crate) fn environment_named(&self, name: &str) -> Option<&'a Environment> {
        self.environment_by_name.get(name).copied()
    }

    /// Versions of a pacticipant currently deployed to, or released and supported in, an
    /// environment, oldest first. A version both deployed and released appears twice.
    pub(crate) fn in_environment(
        &self,
        environment: EnvironmentId,
        pacticipant: PacticipantId,
    ) -> &[(VersionId, Presence)] {
        self.in_environment
            .get(&(environment, pacticipant))
            .map_or(&[], Vec::as_slice)
    }

    /// Environments a version is currently deployed to or supported in.
    pub(crate) fn environments_of_version(
        &self,
        version: VersionId,
    ) -> &[(EnvironmentId, Presence)] {
        self.environments_of_version
            .get(&version)
            .map_or(&[], Vec::as_slice)
    }

    /// Environment by id (environments are few; a scan is fine).
    pub(crate) fn environment(&self, id: EnvironmentId) -> Option<&'a Environment> {
        self.data.environments.iter().find(|e| e.id == id)
    }
}
