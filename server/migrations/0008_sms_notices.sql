-- 短信通知: whether the case's status changes also go to the applicant's phone by SMS
-- (cases/sms_notices.rs). On by default; the applicant can turn it off per case.
ALTER TABLE cases ADD COLUMN sms_notices INTEGER NOT NULL DEFAULT 1;
