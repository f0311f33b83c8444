-- The two environments every new broker starts with, as Pact's broker does.
INSERT INTO environments (uuid, name, display_name, production, contacts, created_at, updated_at)
VALUES
    (gen_random_uuid()::text, 'test', 'Test', FALSE, NULL, now(), now()),
    (gen_random_uuid()::text, 'production', 'Production', TRUE, NULL, now(), now());
