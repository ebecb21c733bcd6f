-- The database file store (FILE_STORE=database, the default with PostgreSQL): every file in
-- rows of at most 256 KiB, written and read one chunk at a time, so a 20 MB upload never sits
-- in memory. A file being written has no sha256 yet; it gets it when complete, and only then
-- can it be read. BYTEA is PostgreSQL's binary type; SQLite stores the blobs as they are.
CREATE TABLE stored_files (
    id TEXT PRIMARY KEY,
    sha256 TEXT UNIQUE,
    size BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE file_chunks (
    file_id TEXT NOT NULL REFERENCES stored_files (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (file_id, seq)
);

-- Incomplete files (a crash or an abandoned upload) are swept by age.
CREATE INDEX stored_files_incomplete ON stored_files (created_at) WHERE sha256 IS NULL;
