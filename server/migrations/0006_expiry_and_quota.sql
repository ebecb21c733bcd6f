-- Expired rate events are deleted by age across all buckets (ratelimit::purge_expired).
CREATE INDEX rate_events_created ON rate_events (created_at);

-- Upload quotas count an applicant's recent uploads (upload_quota.rs).
CREATE INDEX uploads_created ON uploads (created_at);
CREATE INDEX bundle_uploads_created ON bundle_uploads (created_at);
