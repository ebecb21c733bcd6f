-- 四级四同 (catalog::standard): the standard list an item's code, name, type and legal basis
-- are compared with. One list at a time; loading another replaces it.

CREATE TABLE standard_list (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    -- where it came from, e.g. the uploaded file's name
    source TEXT NOT NULL,
    -- 1: the demo list shipped with the demo catalog
    demo BIGINT NOT NULL CHECK (demo IN (0, 1)),
    loaded_by TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

CREATE TABLE standard_items (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    item_type TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    -- the list's own order
    sort_order BIGINT NOT NULL
);
