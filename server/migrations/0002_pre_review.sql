-- 网上预审: sign-in, cases, materials, review, messages, 好差评 and the audit log.
-- Portable SQL: the same file runs on SQLite and PostgreSQL. Integers and booleans (0/1) are
-- BIGINT; JSON documents are TEXT; timestamps are RFC 3339 UTC TEXT of one fixed shape
-- (2026-11-25T01:21:34Z), which compares correctly as text; `seq` columns are strictly
-- increasing numbers from the server that order rows written within the same second.
--
-- No foreign key points into the catalog tables: a catalog import replaces them whole, while a
-- case keeps the guide, item and department names it was filed under.

CREATE TABLE applicants (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    -- '' for a person; the 统一社会信用代码 when acting for a business
    uscc TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_login_at TEXT NOT NULL,
    UNIQUE (phone, uscc)
);

CREATE TABLE staff (
    username TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('reviewer', 'manager')),
    -- reviewers only
    department_code TEXT,
    -- argon2id PHC string
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    -- sha256 of the cookie's token: a copy of this table cannot be used to sign in
    token_hash TEXT PRIMARY KEY,
    applicant_id TEXT REFERENCES applicants (id),
    staff_username TEXT REFERENCES staff (username),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    CHECK ((applicant_id IS NULL) <> (staff_username IS NULL))
);

CREATE TABLE otp_codes (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    -- sha256 of phone and code
    code_hash TEXT NOT NULL,
    client_address TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    -- set when used, or when a newer code replaced it
    used_at TEXT
);

CREATE INDEX otp_codes_phone ON otp_codes (phone, created_at);
CREATE INDEX otp_codes_address ON otp_codes (client_address, created_at);

-- Wrong codes per number; five lock the number for a while.
CREATE TABLE otp_locks (
    phone TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    locked_until TEXT
);

-- Development SMS delivery (auth::sms::OutboxSms): what would have been sent.
CREATE TABLE sms_outbox (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    seq BIGINT NOT NULL
);

CREATE INDEX sms_outbox_phone ON sms_outbox (phone, seq);

-- Sliding-window rate limits (ratelimit.rs).
CREATE TABLE rate_events (
    bucket TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX rate_events_bucket ON rate_events (bucket, created_at);

-- Named counters, e.g. the daily sequence of 受理编号 (`case_number:20261125`).
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    applicant_id TEXT NOT NULL REFERENCES applicants (id),
    item_code TEXT NOT NULL,
    item_name TEXT NOT NULL,
    department_code TEXT NOT NULL,
    department_name TEXT NOT NULL,
    -- app::api::ItemGuide as JSON, as it was when the draft was started
    guide TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved', 'rejected', 'completed', 'withdrawn')),
    -- field id → value (JSON)
    form TEXT NOT NULL,
    -- 情形引导 answers (JSON)
    answers TEXT NOT NULL,
    -- from the form at submission, for masked display
    applicant_name TEXT NOT NULL DEFAULT '',
    -- 受理编号, assigned at the first submission
    number TEXT UNIQUE,
    -- YYYY-MM-DD; NULL while a draft or when the holiday schedule was not yet published
    due_date TEXT,
    -- app::api::Notice as JSON: the latest 一次性告知
    notice TEXT,
    -- app::api::Outcome as JSON
    outcome TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    seq BIGINT NOT NULL
);

CREATE INDEX cases_applicant ON cases (applicant_id, seq);
CREATE INDEX cases_department ON cases (department_code, status);

-- One row per submission (first and after 补正): the Idempotency-Key makes a retried submit
-- return the same answer instead of submitting twice.
CREATE TABLE case_submissions (
    applicant_id TEXT NOT NULL REFERENCES applicants (id),
    idempotency_key TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    number TEXT NOT NULL,
    due_date TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (applicant_id, idempotency_key)
);

CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    material_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    -- the file is stored as <upload dir>/<sha256>
    sha256 TEXT NOT NULL,
    is_current BIGINT NOT NULL CHECK (is_current IN (0, 1)),
    created_at TEXT NOT NULL,
    seq BIGINT NOT NULL
);

CREATE INDEX uploads_case ON uploads (case_id, material_id);

-- The reviewer's verdict per material; no row means 待审核.
CREATE TABLE material_reviews (
    case_id TEXT NOT NULL REFERENCES cases (id),
    material_id TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('pending', 'accepted', 'rejected', 'tolerated')),
    reason TEXT,
    deadline TEXT,
    reviewer TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    PRIMARY KEY (case_id, material_id)
);

CREATE TABLE case_events (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    actor TEXT NOT NULL,
    title TEXT NOT NULL,
    detail TEXT,
    created_at TEXT NOT NULL,
    seq BIGINT NOT NULL
);

CREATE INDEX case_events_case ON case_events (case_id, seq);

CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    applicant_id TEXT NOT NULL REFERENCES applicants (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    body TEXT NOT NULL,
    is_read BIGINT NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),
    created_at TEXT NOT NULL,
    seq BIGINT NOT NULL
);

CREATE INDEX messages_applicant ON messages (applicant_id, seq);

CREATE TABLE ratings (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    level TEXT NOT NULL,
    -- 差评: followed up by the centre manager
    is_bad BIGINT NOT NULL CHECK (is_bad IN (0, 1)),
    comment TEXT NOT NULL,
    created_at TEXT NOT NULL,
    seq BIGINT NOT NULL,
    rectification TEXT,
    rectified_at TEXT,
    rectified_by TEXT
);

-- Append-only: the server inserts and reads, never updates or deletes.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    case_id TEXT,
    client_address TEXT NOT NULL,
    created_at TEXT NOT NULL,
    seq BIGINT NOT NULL
);

CREATE INDEX audit_log_case ON audit_log (case_id, seq);
