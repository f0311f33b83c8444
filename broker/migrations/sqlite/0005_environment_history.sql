-- The coupling report reads an environment's whole deployment and release history (past
-- records included) for co-deployment; the partial indexes of migration 0003 only cover the
-- current records.
CREATE INDEX deployed_versions_environment ON deployed_versions (environment_id);
CREATE INDEX released_versions_environment ON released_versions (environment_id);
