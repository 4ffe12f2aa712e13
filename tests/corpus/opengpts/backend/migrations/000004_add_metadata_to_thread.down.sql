ALTER TABLE thread
DROP COLUMN metadata;