-- 预约 at the window (issue 13): the site a member of staff works at, check-in of a booked
-- person at that site, and the reminder SMS the day before (sent once, opt-out per booking).

-- The service site (sites.code) whose window this member of staff serves; NULL for staff who
-- work at no window (they see no site's bookings). No foreign key: the site directory is
-- replaced whole when the demo data is loaded again.
ALTER TABLE staff ADD COLUMN site_code TEXT;

-- 签到: when and by whom (staff username) the person was checked in; NULL until then.
ALTER TABLE appointments ADD COLUMN checked_in_at TEXT;
ALTER TABLE appointments ADD COLUMN checked_in_by TEXT;
-- 1: send the reminder SMS the day before (default); 0: the applicant turned it off.
ALTER TABLE appointments ADD COLUMN sms_reminder BIGINT NOT NULL DEFAULT 1;
-- When a server claimed the reminder (UPDATE … WHERE reminded_at IS NULL): sent at most once,
-- whichever of several servers runs the job first.
ALTER TABLE appointments ADD COLUMN reminded_at TEXT;

-- A site's day at the window, and the reminder job's day.
CREATE INDEX appointments_slot ON appointments (slot_id);
CREATE INDEX appointments_date ON appointments (date);
