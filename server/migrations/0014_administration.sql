-- Centre administration by the managers (issue 14): staff accounts, holiday years, search
-- vocabulary. Portable SQL: the same file runs on SQLite and PostgreSQL (booleans are BIGINT
-- 0/1, JSON documents TEXT, timestamps RFC 3339 UTC TEXT, dates YYYY-MM-DD TEXT).

-- Staff accounts: a disabled account cannot sign in and has no sessions; an account whose
-- password was set by a manager (new or reset: a one-time password) must choose its own at
-- the next sign-in before any session starts.
ALTER TABLE staff ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;

-- Holiday schedules entered by a manager (a newly published year): app::api::HolidayYear as
-- JSON. They extend (and for the same year replace) the schedules shipped with the build.
CREATE TABLE holiday_years (
    year BIGINT PRIMARY KEY,
    document TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL
);

-- Searches people made: the words, how many results, per Beijing day; no person, address or
-- session is kept. One row per day and text, counted up.
CREATE TABLE search_log (
    day TEXT NOT NULL,
    query TEXT NOT NULL,
    results BIGINT NOT NULL,
    times BIGINT NOT NULL,
    PRIMARY KEY (day, query)
);

-- Everyday words a manager taught the search (办护照 → 普通护照签发): the word finds the item.
CREATE TABLE search_words (
    word TEXT NOT NULL,
    item_code TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (word, item_code)
);

-- Versions of state every server keeps in memory (`holiday_years` …): a change bumps the
-- version, and each server reloads when the version it sees differs from its own.
INSERT INTO counters (name, value) VALUES ('holiday_years_version', 0);
