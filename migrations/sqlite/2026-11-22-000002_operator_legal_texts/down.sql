ALTER TABLE operators DROP COLUMN accessibility_statement;
ALTER TABLE operators DROP COLUMN privacy_policy;
ALTER TABLE operators DROP COLUMN imprint;
