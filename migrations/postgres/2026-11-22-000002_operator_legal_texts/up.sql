-- Each operator publishes its own legal pages (Impressum, Datenschutzerklärung, Erklärung zur
-- Barrierefreiheit); the footer of its hubs' pages links to them.
ALTER TABLE operators ADD COLUMN imprint TEXT NOT NULL DEFAULT '';
ALTER TABLE operators ADD COLUMN privacy_policy TEXT NOT NULL DEFAULT '';
ALTER TABLE operators ADD COLUMN accessibility_statement TEXT NOT NULL DEFAULT '';
