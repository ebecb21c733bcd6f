-- 政务服务地图 and 预约: service sites, the district map, appointment slots and appointments.
-- Portable SQL: the same file runs on SQLite and PostgreSQL. Integers and booleans (0/1) are
-- BIGINT; coordinates are DOUBLE PRECISION (WGS-84 degrees); JSON documents are TEXT; dates are
-- YYYY-MM-DD and times HH:MM text (Beijing time), which compare correctly as text.

-- The district drawn on the map (app::api::DistrictMap as JSON); one row.
CREATE TABLE district_map (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    document TEXT NOT NULL
);

CREATE TABLE sites (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('hall', 'street', 'community', 'station')),
    street TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lng DOUBLE PRECISION NOT NULL CHECK (lng BETWEEN -180 AND 180),
    -- app::api::OpeningHours as JSON
    hours TEXT NOT NULL,
    -- JSON array of facility names
    accessibility TEXT NOT NULL,
    parking TEXT NOT NULL,
    transit TEXT NOT NULL,
    demo BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    sort_order BIGINT NOT NULL DEFAULT 0
);

-- Which service items a site handles. A catalog import that drops an item drops its links.
CREATE TABLE site_items (
    site_code TEXT NOT NULL REFERENCES sites (code) ON DELETE CASCADE,
    item_code TEXT NOT NULL REFERENCES items (code) ON DELETE CASCADE,
    PRIMARY KEY (site_code, item_code)
);

CREATE INDEX site_items_item ON site_items (item_code);

-- Half-hour appointment slots, generated ahead for working days. Ids are deterministic
-- (site-date-time-category), so generating twice inserts nothing the second time.
CREATE TABLE appointment_slots (
    id TEXT PRIMARY KEY,
    site_code TEXT NOT NULL REFERENCES sites (code),
    date TEXT NOT NULL,
    start TEXT NOT NULL,
    "end" TEXT NOT NULL,
    category TEXT NOT NULL,
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    booked BIGINT NOT NULL DEFAULT 0,
    -- The last guard against overbooking, whatever the code above it does.
    CHECK (booked >= 0 AND booked <= capacity),
    -- Also serves the per-site, per-day lookups (its leading columns).
    UNIQUE (site_code, date, start, category)
);

CREATE TABLE appointments (
    id TEXT PRIMARY KEY,
    slot_id TEXT NOT NULL REFERENCES appointment_slots (id),
    applicant_id TEXT NOT NULL REFERENCES applicants (id),
    -- No foreign key into the catalog (an import replaces it whole): the name is kept as booked.
    item_code TEXT NOT NULL,
    item_name TEXT NOT NULL,
    date TEXT NOT NULL,
    -- 预约号, e.g. A-20261126-0031
    ticket TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    cancelled_at TEXT
);

CREATE INDEX appointments_applicant ON appointments (applicant_id, date);

-- One live booking per applicant, item and day; a cancelled one frees the day for rebooking.
CREATE UNIQUE INDEX appointments_one_per_item_day ON appointments (applicant_id, item_code, date)
    WHERE cancelled_at IS NULL;

-- Daily 预约号 sequences, per ticket letter: `A-20261126` → last number issued.
CREATE TABLE appointment_tickets (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
