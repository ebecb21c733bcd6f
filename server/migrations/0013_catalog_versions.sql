-- Catalog management (catalog::admin): every published version of an item's 办事指南 is kept,
-- a manager's unpublished changes are a draft, and a revision number raised by every
-- publication tells each server to rebuild its in-memory catalog (catalog::follow).

-- The published version of each item (1 = as first loaded).
ALTER TABLE items ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE item_versions (
    item_code TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- app::api::ItemGuide as JSON, as published
    guide TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL,
    note TEXT NOT NULL,
    -- the version a restore brought back
    restored_from BIGINT,
    PRIMARY KEY (item_code, version)
);

-- At most one draft per item: the whole edited guide.
CREATE TABLE item_drafts (
    item_code TEXT PRIMARY KEY,
    guide TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL
);

-- One row: raised by every publication, import and restore.
CREATE TABLE catalog_revision (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO catalog_revision (id, revision) VALUES (1, 1);

-- Existing items: their guide is version 1.
INSERT INTO item_versions (item_code, version, guide, published_by, published_at, note)
SELECT code, 1, guide, '系统', '1970-01-01T00:00:00Z', '初始导入' FROM items;

-- The version of the guide a case was filed under (its own copy is in cases.guide).
ALTER TABLE cases ADD COLUMN guide_version BIGINT;
UPDATE cases SET guide_version = 1;
