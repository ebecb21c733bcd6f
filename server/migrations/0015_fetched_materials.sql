-- 自动获取: an upload row the system attached itself (a hospital's record fetched from its own
-- system, a company's 电子营业执照 issued in the district) says where it came from; NULL for
-- what the applicant uploaded (workflow/fetched.rs, app/src/rules/auto_fetch.rs).
ALTER TABLE uploads ADD COLUMN fetched TEXT;
ALTER TABLE bundle_uploads ADD COLUMN fetched TEXT;
