-- The district's company register (企业登记簿): who may act for a company. Signing in with a
-- 统一社会信用代码 needs a registered, active company and a phone that belongs to it: its
-- 法定代表人's mobile or the mobile of a 经办人 the company authorised (companies.rs).
CREATE TABLE companies (
    uscc TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    legal_rep_name TEXT NOT NULL,
    legal_rep_phone TEXT NOT NULL,
    -- 'active' (存续) or 'closed' (注销、吊销): a closed company cannot be acted for.
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    -- 'demo' (示范数据), 'bundle' (registered through 企业开办) or 'register' (loaded by an operator)
    source TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
CREATE INDEX companies_legal_rep_phone ON companies (legal_rep_phone);

-- 经办人 a company authorised to act for it. An authorisation ends at `expires_at` (if set) or
-- when it is revoked (`revoked_at`); ended rows stay as the record of who could act when.
CREATE TABLE company_agents (
    uscc TEXT NOT NULL REFERENCES companies (uscc),
    phone TEXT NOT NULL,
    name TEXT NOT NULL,
    authorised_by TEXT NOT NULL,
    authorised_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    PRIMARY KEY (uscc, phone)
);
CREATE INDEX company_agents_phone ON company_agents (phone);
