-- 0004: imported cases keep their external reference and a digest of the imported row,
-- so that importing the same file twice changes nothing the second time.
ALTER TABLE cases ADD COLUMN external_ref TEXT;
ALTER TABLE cases ADD COLUMN import_digest TEXT;
CREATE UNIQUE INDEX cases_external_ref ON cases (external_ref) WHERE external_ref IS NOT NULL;
CREATE INDEX cases_import_digest ON cases (import_digest) WHERE import_digest IS NOT NULL;
