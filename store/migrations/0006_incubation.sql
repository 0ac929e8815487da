-- 0006_incubation: the records of package linkage — enterprises residing in
-- incubators with the service package they were granted (育新服务包),
-- funds' agreements with banks (投贷联动) and incubators (投孵联动), and
-- funds' early interest in contest entrants (early due diligence).

-- A residency. until is the last day, NULL while the enterprise resides
-- there; the service package granted is JSON like incubators'.
CREATE TABLE residencies (
	id              {{ID}},
	enterprise_id   BIGINT NOT NULL REFERENCES enterprises (id),
	incubator_id    BIGINT NOT NULL REFERENCES incubators (id),
	since           {{DATE}} NOT NULL,
	until           {{DATE}},
	service_package TEXT NOT NULL,
	recorded_by     BIGINT,
	created_at      {{TIMESTAMP}} NOT NULL
);
-- At most one open residency of an enterprise, on both backends.
CREATE UNIQUE INDEX residencies_open ON residencies (enterprise_id) WHERE until IS NULL;
CREATE INDEX residencies_incubator ON residencies (incubator_id, id);
CREATE INDEX residencies_enterprise ON residencies (enterprise_id, id);

-- A fund's agreement: partner_id is an institution (a bank) for
-- LOAN_INVESTMENT, an incubator for INVESTMENT_INCUBATION. valid_until is
-- the last day it holds, NULL for open-ended.
CREATE TABLE agreements (
	id          {{ID}},
	kind        TEXT NOT NULL CHECK (kind IN ('LOAN_INVESTMENT', 'INVESTMENT_INCUBATION')),
	fund_id     BIGINT NOT NULL REFERENCES institutions (id),
	partner_id  BIGINT NOT NULL,
	signed_on   {{DATE}} NOT NULL,
	valid_until {{DATE}},
	signed_by   BIGINT,
	created_at  {{TIMESTAMP}} NOT NULL
);
CREATE UNIQUE INDEX agreements_parties ON agreements (kind, fund_id, partner_id, signed_on);
CREATE INDEX agreements_partner ON agreements (partner_id);

-- A fund's interest in an enterprise; expressing it again moves the open
-- one (stage, note, at). withdrawn_at is set when the fund withdraws it.
CREATE TABLE interests (
	id            {{ID}},
	fund_id       BIGINT NOT NULL REFERENCES institutions (id),
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
	stage         TEXT NOT NULL CHECK (stage IN ('WATCHING', 'DUE_DILIGENCE', 'TERM_SHEET')),
	note          TEXT NOT NULL,
	at            {{TIMESTAMP}} NOT NULL,
	withdrawn_at  {{TIMESTAMP}},
	by_account    BIGINT
);
-- At most one open interest of a fund in an enterprise.
CREATE UNIQUE INDEX interests_open ON interests (fund_id, enterprise_id) WHERE withdrawn_at IS NULL;
CREATE INDEX interests_enterprise ON interests (enterprise_id, id);
