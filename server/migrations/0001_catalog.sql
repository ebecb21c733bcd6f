-- The service catalog. Portable SQL: the same file runs on SQLite and PostgreSQL.
-- Integers are BIGINT (i64 on both); booleans are BIGINT 0/1; JSON documents are TEXT.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE departments (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    short_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    service_window TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);

CREATE TABLE themes (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    audience TEXT NOT NULL CHECK (audience IN ('personal', 'business', 'both')),
    description TEXT NOT NULL,
    icon TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);

CREATE TABLE forms (
    code TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    -- app::api::Form as JSON
    document TEXT NOT NULL
);

CREATE TABLE items (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    department_code TEXT NOT NULL REFERENCES departments (code),
    audience TEXT NOT NULL CHECK (audience IN ('personal', 'business', 'both')),
    -- app::api::ItemGuide as JSON: the full 办事指南
    guide TEXT NOT NULL,
    -- higher = listed earlier among 高频事项 and as a search tie-break
    popularity BIGINT NOT NULL DEFAULT 0,
    demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE INDEX items_department ON items (department_code);

CREATE TABLE item_themes (
    item_code TEXT NOT NULL REFERENCES items (code) ON DELETE CASCADE,
    theme_code TEXT NOT NULL REFERENCES themes (code),
    PRIMARY KEY (item_code, theme_code)
);

CREATE INDEX item_themes_theme ON item_themes (theme_code);
