-- Sites edited by the centre's managers (/manager/sites). Hours, lunch breaks and temporary
-- closures live in `sites.hours` (app::api::OpeningHours as JSON, `closures` included).
-- Portable SQL: the same file runs on SQLite and PostgreSQL.

-- The appointment queues a manager set (JSON array of app::api::AppointmentQueue); NULL until
-- then, when they follow from the site's level and items.
ALTER TABLE sites ADD COLUMN appointment_queues TEXT;
-- Who changed the site last (`姓名（用户名）`) and when (RFC 3339 UTC); NULL for loaded data.
ALTER TABLE sites ADD COLUMN updated_by TEXT;
ALTER TABLE sites ADD COLUMN updated_at TEXT;

-- Raised with every change of a site, so every server reloads its directory.
INSERT INTO counters (name, value) VALUES ('sites_version', 0);
