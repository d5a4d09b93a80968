ALTER TABLE spaces DROP COLUMN position;
