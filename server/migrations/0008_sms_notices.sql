-- 短信通知: whether the case's status changes also go to the applicant's phone by SMS
-- (cases/sms_notices.rs). On by default; the applicant can turn it off per case.
ALTER TABLE cases ADD COLUMN sms_notices INTEGER NOT NULL DEFAULT 1;
-- The status last told by SMS (a `CaseStatus` string): each status change is texted once, also
-- when several callers report it (a 一件事 member released by its predecessor's approval).
ALTER TABLE cases ADD COLUMN sms_status TEXT;
