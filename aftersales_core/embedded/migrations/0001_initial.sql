-- 0001: the embedded host's tables. Times are ISO 8601 UTC text ("YYYY-MM-DDTHH:MM:SSZ"),
-- so that text order is time order; money is integer cents, so SUM() is exact.

CREATE TABLE customers (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    province  TEXT NOT NULL,
    contact   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE products (
    code             TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    product_class    TEXT NOT NULL CHECK (product_class IN ('host', 'accessory')),
    category         TEXT NOT NULL DEFAULT '',
    warranty_months  INTEGER NOT NULL CHECK (warranty_months >= 0),
    supplier         TEXT NOT NULL DEFAULT '',
    unit_price_cents INTEGER NOT NULL DEFAULT 0 CHECK (unit_price_cents >= 0)
);

CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    product_code  TEXT NOT NULL REFERENCES products(code),
    lot           TEXT NOT NULL DEFAULT '',
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    delivered_at  TEXT NOT NULL,
    sale_order    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    workflow    TEXT NOT NULL,
    form_type   TEXT NOT NULL,
    state       TEXT NOT NULL,
    customer    TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT '',
    opened_at   TEXT NOT NULL,
    opened_day  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    form_json   TEXT NOT NULL
);

CREATE TABLE history (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    workflow        TEXT NOT NULL,
    action          TEXT NOT NULL,
    user            TEXT NOT NULL,
    at              TEXT NOT NULL,
    from_state      TEXT NOT NULL,
    to_state        TEXT NOT NULL,
    decisions_json  TEXT NOT NULL DEFAULT '[]'
);

-- Every command a workflow emitted, as carried out (the audit trail of the ports).
CREATE TABLE commands (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    kind          TEXT NOT NULL,
    at            TEXT NOT NULL,
    payload_json  TEXT NOT NULL
);

-- The minimal stock ledger: a move of a quantity from one location to another.
-- Locations: customer, received, in_repair, in_rework, refurbished (awaiting approval),
-- sellable, shipped_back, warehouse, production, consumed, supplier.
CREATE TABLE stock_moves (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER REFERENCES cases(id),
    product        TEXT NOT NULL,
    lot            TEXT NOT NULL DEFAULT '',
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    from_location  TEXT NOT NULL,
    to_location    TEXT NOT NULL,
    at             TEXT NOT NULL,
    CHECK (from_location <> to_location)
);

-- Money: charges to the customer (R7), refunds, deductions, payouts (R11/R12), travel (R22).
CREATE TABLE money_moves (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER REFERENCES cases(id),
    kind          TEXT NOT NULL CHECK (kind IN ('charge', 'refund', 'deduction', 'payout', 'travel')),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents >= 0),
    at            TEXT NOT NULL,
    due_at        TEXT,
    note          TEXT NOT NULL DEFAULT ''
);

-- Repair and return lines for the statistics (R23): one row per product of a finished
-- repair or return, with its failure category and its cost.
CREATE TABLE failure_lines (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER REFERENCES cases(id),
    kind              TEXT NOT NULL CHECK (kind IN ('repair', 'return')),
    product           TEXT NOT NULL,
    failure_category  TEXT NOT NULL,
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    cost_cents        INTEGER NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
    at                TEXT NOT NULL
);

-- Replaced parts (R7, R21): purchased parts with a supplier are claimed from it.
CREATE TABLE replaced_parts (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER REFERENCES cases(id),
    product        TEXT NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    supplier       TEXT NOT NULL DEFAULT '',
    under_warranty INTEGER NOT NULL DEFAULT 0,
    at             TEXT NOT NULL
);

-- Deadlines of R8 (arrival) and R9 (resolution): due and, once done, when.
CREATE TABLE deadlines (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    kind      TEXT NOT NULL CHECK (kind IN ('arrival', 'resolution')),
    region    TEXT NOT NULL DEFAULT '',
    due_at    TEXT NOT NULL,
    done_at   TEXT,
    UNIQUE (case_id, kind)
);

-- Messages to roles or the customer (Notify, SendSurvey...).
CREATE TABLE notifications (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER REFERENCES cases(id),
    role      TEXT NOT NULL,
    message   TEXT NOT NULL,
    at        TEXT NOT NULL
);
