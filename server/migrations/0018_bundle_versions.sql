-- Bundle management (bundles::admin): a 一件事 is edited like an item's 办事指南 — a manager's
-- unpublished changes are a draft, every published version is kept, and publication raises
-- the catalog revision (0013) so every server rebuilds its search index.

-- The published version of each bundle (1 = as first loaded).
ALTER TABLE bundles ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE bundle_versions (
    bundle_code TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- app::api::Bundle as JSON, as published
    document TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL,
    note TEXT NOT NULL,
    -- the version a restore brought back
    restored_from BIGINT,
    PRIMARY KEY (bundle_code, version)
);

-- At most one draft per bundle: the whole edited bundle.
CREATE TABLE bundle_drafts (
    bundle_code TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL
);

-- Existing bundles: their document is version 1.
INSERT INTO bundle_versions (bundle_code, version, document, published_by, published_at, note)
SELECT code, 1, document, '系统', '1970-01-01T00:00:00Z', '初始导入' FROM bundles;

-- The version of the bundle an application was started under (its own copy is in
-- bundle_cases.bundle).
ALTER TABLE bundle_cases ADD COLUMN bundle_version BIGINT;
UPDATE bundle_cases SET bundle_version = 1;
