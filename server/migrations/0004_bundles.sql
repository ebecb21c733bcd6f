-- 一件事一次办 (bundles) and 企业开办: bundle definitions, the district's registered company
-- names, the standard business scope list, and bundle applications fanned out to member cases.
-- Portable SQL: the same file runs on SQLite and PostgreSQL (BIGINT/TEXT only, JSON as TEXT,
-- timestamps as RFC 3339 UTC TEXT as in 0002).

-- app::api::Bundle as JSON.
CREATE TABLE bundles (
    code TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    sort_order BIGINT NOT NULL DEFAULT 0,
    demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

-- Company names registered in the district (名称自主申报 checks against them). 企业设立登记
-- approved through 企业开办 adds its name here together with the issued code.
CREATE TABLE registered_names (
    name TEXT PRIMARY KEY,
    trade_name TEXT NOT NULL,
    industry TEXT NOT NULL,
    uscc TEXT,
    registered_at TEXT NOT NULL
);

-- app::api::BusinessScope as JSON (经营范围规范表述).
CREATE TABLE business_scopes (
    code TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    sort_order BIGINT NOT NULL DEFAULT 0
);

-- One application for a bundle: a draft, then (submitted) the parent of one case per member.
CREATE TABLE bundle_cases (
    id TEXT PRIMARY KEY,
    -- the bundle's 受理编号, from the same daily counter as single cases
    number TEXT UNIQUE,
    bundle_code TEXT NOT NULL,
    bundle_name TEXT NOT NULL,
    -- app::api::Bundle as JSON, as it was when the draft was started
    bundle TEXT NOT NULL,
    applicant_id TEXT NOT NULL REFERENCES applicants (id),
    -- draft | submitted | done (in progress / needs correction are read from the member cases)
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'done')),
    -- bundle question answers (JSON)
    answers TEXT NOT NULL,
    -- bundle field id → value (JSON); the issued 统一社会信用代码 is added as `uscc`
    form TEXT NOT NULL,
    -- app::api::CompanyFacts as JSON (企业开办)
    company TEXT,
    -- issued with the business licence (企业设立登记 / 个体工商户登记)
    uscc TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    completed_at TEXT,
    -- the working-hours clock: from submission to the last member case's decision
    hours_started_at TEXT,
    last_member_approved_at TEXT,
    seq BIGINT NOT NULL
);

CREATE INDEX bundle_cases_applicant ON bundle_cases (applicant_id, seq);

-- The Idempotency-Key of a bundle submission: a retried submit answers the same number.
CREATE TABLE bundle_submissions (
    bundle_case_id TEXT NOT NULL REFERENCES bundle_cases (id),
    applicant_id TEXT NOT NULL REFERENCES applicants (id),
    idempotency_key TEXT NOT NULL,
    number TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (applicant_id, idempotency_key)
);

-- Materials uploaded to a bundle draft, once each; on submission every member case using one
-- gets an `uploads` row pointing at the same stored file (<upload dir>/<sha256>).
CREATE TABLE bundle_uploads (
    id TEXT PRIMARY KEY,
    bundle_case_id TEXT NOT NULL REFERENCES bundle_cases (id),
    material_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    is_current BIGINT NOT NULL CHECK (is_current IN (0, 1)),
    created_at TEXT NOT NULL,
    seq BIGINT NOT NULL
);

CREATE INDEX bundle_uploads_bundle ON bundle_uploads (bundle_case_id, material_id);

-- Member cases: the bundle application they belong to, and (JSON list of item codes) the
-- members still to be approved before this one is passed to its department. A member waiting
-- for one is a draft without a 受理编号, so no queue lists it until it is released.
ALTER TABLE cases ADD COLUMN bundle_case_id TEXT;
ALTER TABLE cases ADD COLUMN waiting_for TEXT;

CREATE INDEX cases_bundle ON cases (bundle_case_id);
