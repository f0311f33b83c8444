-- Matrix, can-i-deploy and pacts for verification.
--
-- What the pact URL's metadata said when a result was published: `wip` (the content was
-- verified as a work-in-progress pact, which does not end its pending status), and the
-- provider version's branch at that moment (pending status is per provider branch).
ALTER TABLE verifications ADD COLUMN wip BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE verifications ADD COLUMN provider_branch TEXT;

-- Verifications of one content by a set of provider versions (every can-i-deploy row).
CREATE INDEX verifications_content_provider_version
    ON verifications (content_id, provider_version_id);
-- Latest version of a pacticipant, and a pacticipant's versions in creation order.
CREATE INDEX versions_pacticipant_order ON versions (pacticipant_id, id);
-- Latest version with a tag.
CREATE INDEX tags_name_version ON tags (name, version_id);
-- What is currently in an environment.
CREATE INDEX deployed_versions_environment_current
    ON deployed_versions (environment_id, version_id) WHERE undeployed_at IS NULL;
CREATE INDEX released_versions_environment_current
    ON released_versions (environment_id, version_id) WHERE support_ended_at IS NULL;
-- Heads of a provider's consumers (pacts for verification).
CREATE INDEX pact_publications_provider_consumer_version
    ON pact_publications (provider_id, consumer_version_id);
-- Both are prefixes of the indexes above.
DROP INDEX tags_name;
DROP INDEX pact_publications_provider;
