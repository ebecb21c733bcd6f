-- Indicators (GET /api/admin/stats): when a case was decided and how often it was returned,
-- kept on the case by the one status change (workflow::case_store::change_status), and the
-- 演示数据 label of generated demo history (stats::demo_history), which no applicant, queue or
-- lookup ever lists.
ALTER TABLE cases ADD COLUMN decided_at TEXT;
ALTER TABLE cases ADD COLUMN returns BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN demo BIGINT NOT NULL DEFAULT 0;

-- Cases decided before this migration: their last change was the decision.
UPDATE cases SET decided_at = updated_at WHERE status IN ('completed', 'rejected');
UPDATE cases SET returns = (
    SELECT COUNT(*) FROM case_events e WHERE e.case_id = cases.id AND e.title = '退回补正'
);

CREATE INDEX cases_submitted ON cases (submitted_at);
