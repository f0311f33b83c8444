-- Core broker schema: pacticipants, versions, branches, tags, contract content,
-- publications, verifications, environments, deployments and releases.
-- Timestamps are written by the application (UTC); "latest" means highest id.

CREATE TABLE pacticipants (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT,
    repository_url TEXT,
    repository_name TEXT,
    repository_namespace TEXT,
    main_branch TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    pacticipant_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    build_url TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (pacticipant_id, number)
);

CREATE TABLE branches (
    id INTEGER PRIMARY KEY,
    pacticipant_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (pacticipant_id, name)
);

CREATE TABLE branch_versions (
    id INTEGER PRIMARY KEY,
    branch_id INTEGER NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    UNIQUE (branch_id, version_id)
);
CREATE INDEX branch_versions_version ON branch_versions (version_id);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (version_id, name)
);
CREATE INDEX tags_name ON tags (name);

-- One row per distinct contract content; sha = SHA-256 (hex) of the normalised JSON.
CREATE TABLE pact_contents (
    id INTEGER PRIMARY KEY,
    sha TEXT NOT NULL UNIQUE,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- A consumer version's contract with one provider, pointing at its content.
CREATE TABLE pact_publications (
    id INTEGER PRIMARY KEY,
    consumer_version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    content_id INTEGER NOT NULL REFERENCES pact_contents (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (consumer_version_id, provider_id)
);
CREATE INDEX pact_publications_provider ON pact_publications (provider_id);
CREATE INDEX pact_publications_content ON pact_publications (content_id);

-- A verification applies to contract content, verified by one provider version.
CREATE TABLE verifications (
    id INTEGER PRIMARY KEY,
    content_id INTEGER NOT NULL REFERENCES pact_contents (id),
    number INTEGER NOT NULL,
    consumer_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    provider_version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    success BOOLEAN NOT NULL,
    build_url TEXT,
    test_results TEXT,
    verified_by TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (content_id, consumer_id, provider_id, number)
);
CREATE INDEX verifications_provider_version ON verifications (provider_version_id);

CREATE TABLE environments (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT,
    production BOOLEAN NOT NULL,
    contacts TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE deployed_versions (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    pacticipant_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    environment_id INTEGER NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    application_instance TEXT,
    created_at TEXT NOT NULL,
    undeployed_at TEXT
);
-- At most one current deployment per pacticipant, environment and instance.
CREATE UNIQUE INDEX deployed_versions_current
    ON deployed_versions (pacticipant_id, environment_id, COALESCE(application_instance, ''))
    WHERE undeployed_at IS NULL;

CREATE TABLE released_versions (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    pacticipant_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    environment_id INTEGER NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    support_ended_at TEXT,
    UNIQUE (version_id, environment_id)
);
