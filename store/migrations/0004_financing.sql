-- 0004_financing: the records of package financing — the yearly innovation
-- competitions with their stage calendars and the resources offered to each
-- stage, enterprises' applications for financial products with their status
-- events, and the working-day calendar (holidays and 调休 working weekends).

-- One competition a year.
CREATE TABLE competitions (
	id         {{ID}},
	year       BIGINT NOT NULL,
	name       TEXT NOT NULL,
	created_at {{TIMESTAMP}} NOT NULL
);
CREATE UNIQUE INDEX competitions_year ON competitions (year);

-- The first and last day of each stage, both inclusive.
CREATE TABLE competition_stages (
	competition_id BIGINT NOT NULL REFERENCES competitions (id) ON DELETE CASCADE,
	stage          TEXT NOT NULL,
	starts_on      {{DATE}} NOT NULL,
	ends_on        {{DATE}} NOT NULL,
	PRIMARY KEY (competition_id, stage)
);

-- A resource (resource_kind 'product', 'incubator' or 'demand') offered to
-- the entrants of one stage; offering it again replaces the note.
CREATE TABLE stage_offers (
	id             {{ID}},
	competition_id BIGINT NOT NULL REFERENCES competitions (id) ON DELETE CASCADE,
	stage          TEXT NOT NULL,
	resource_kind  TEXT NOT NULL,
	resource_id    BIGINT NOT NULL,
	note           TEXT NOT NULL,
	UNIQUE (competition_id, stage, resource_kind, resource_id)
);

-- An enterprise's application for one financial product. Amounts are BIGINT
-- fen; annual_rate and loss_compensation are percent and share as the
-- financing package keeps them; contest_phase and contest_year are set for
-- contest loans only; disbursed_on is a calendar date.
CREATE TABLE applications (
	id                {{ID}},
	enterprise_id     BIGINT NOT NULL REFERENCES enterprises (id),
	product_id        BIGINT NOT NULL REFERENCES financial_products (id),
	institution_id    BIGINT NOT NULL REFERENCES institutions (id),
	program           TEXT NOT NULL,
	status            TEXT NOT NULL CHECK (status IN ('PRE_APPLIED', 'SUBMITTED', 'APPROVED', 'REJECTED', 'DISBURSED', 'WITHDRAWN')),
	requested_amount  BIGINT NOT NULL,
	purpose           TEXT NOT NULL,
	approved_amount   BIGINT,
	annual_rate       DOUBLE PRECISION,
	rejection_reason  TEXT,
	contest_phase     TEXT CHECK (contest_phase IN ('BEFORE', 'DURING', 'AFTER')),
	contest_year      BIGINT,
	pairing_score     DOUBLE PRECISION NOT NULL,
	green_channel     BOOLEAN NOT NULL,
	created_at        {{TIMESTAMP}} NOT NULL,
	submitted_at      {{TIMESTAMP}},
	decision_due      {{TIMESTAMP}},
	decided_at        {{TIMESTAMP}},
	closed_at         {{TIMESTAMP}},
	loss_compensation DOUBLE PRECISION,
	disbursed_amount  BIGINT,
	disbursed_on      {{DATE}},
	early_small_hard  BOOLEAN NOT NULL
);
-- At most one open application of an enterprise to a product: concurrent
-- identical applications create exactly one, on both backends.
CREATE UNIQUE INDEX applications_open ON applications (enterprise_id, product_id)
	WHERE status IN ('PRE_APPLIED', 'SUBMITTED', 'APPROVED');
CREATE INDEX applications_enterprise ON applications (enterprise_id, id);
CREATE INDEX applications_product ON applications (product_id, id);
CREATE INDEX applications_institution ON applications (institution_id, id);
CREATE INDEX applications_status ON applications (status, decision_due);
CREATE INDEX applications_decided_at ON applications (decided_at);
CREATE INDEX applications_disbursed_on ON applications (disbursed_on);

-- The status changes of an application, oldest first by id. account_id is
-- NULL for the system (the scheduler).
CREATE TABLE application_events (
	id             {{ID}},
	application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	at             {{TIMESTAMP}} NOT NULL,
	status         TEXT NOT NULL,
	account_id     BIGINT,
	note           TEXT
);
CREATE INDEX application_events_application ON application_events (application_id, id);

-- The years whose calendar was set, even to no day at all, and their days:
-- a holiday, or a weekend day that is a working day (working).
CREATE TABLE holiday_years (
	year   BIGINT PRIMARY KEY,
	set_at {{TIMESTAMP}} NOT NULL
);
CREATE TABLE holidays (
	day     {{DATE}} PRIMARY KEY,
	year    BIGINT NOT NULL REFERENCES holiday_years (year) ON DELETE CASCADE,
	working BOOLEAN NOT NULL
);
CREATE INDEX holidays_year ON holidays (year, day);
