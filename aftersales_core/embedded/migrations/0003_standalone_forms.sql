-- 0003: forms that live outside a workflow (satisfaction surveys, technical inquiries...).
CREATE TABLE forms (
    id         INTEGER PRIMARY KEY,
    number     TEXT NOT NULL UNIQUE,
    form       TEXT NOT NULL,
    customer   TEXT NOT NULL DEFAULT '',
    case_id    INTEGER REFERENCES cases(id),
    outcome    TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL,
    form_json  TEXT NOT NULL
);
CREATE INDEX forms_form_at ON forms (form, at);
