-- The first time each member of staff opens a case's files on a day (Beijing date): the audit
-- log records that view once per person, case and day, not every preview load
-- (cases/files.rs `download`).
CREATE TABLE file_views (
    username TEXT NOT NULL,
    case_id TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (username, case_id, day)
);
