-- 0001_init: the marketplace's tables and the outbox.
--
-- One file serves both dialects. Three tokens are replaced before it runs
-- (see migrate.go): {{ID}} is the auto-assigned primary key, {{TIMESTAMP}} an
-- instant in UTC, {{DATE}} a calendar date. Amounts are BIGINT fen; small
-- lists and the product eligibility rules are JSON text.

CREATE TABLE institutions (
	id         {{ID}},
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL,
	city       TEXT NOT NULL,
	created_at {{TIMESTAMP}} NOT NULL
);

CREATE TABLE enterprises (
	id               {{ID}},
	name             TEXT NOT NULL,
	credit_code      TEXT NOT NULL,
	city             TEXT NOT NULL,
	founded_on       {{DATE}} NOT NULL,
	employees        BIGINT NOT NULL,
	track            TEXT NOT NULL,
	industry_chain   TEXT,
	description      TEXT NOT NULL,
	keywords         TEXT NOT NULL,
	qualifications   TEXT NOT NULL,
	credit_status    TEXT NOT NULL,
	need_kind        TEXT,
	need_amount      BIGINT,
	need_purpose     TEXT,
	has_warrant_loan BOOLEAN NOT NULL,
	created_at       {{TIMESTAMP}} NOT NULL,
	updated_at       {{TIMESTAMP}} NOT NULL,
	CHECK ((need_kind IS NULL) = (need_amount IS NULL) AND (need_kind IS NULL) = (need_purpose IS NULL))
);

CREATE UNIQUE INDEX enterprises_credit_code ON enterprises (credit_code);

CREATE TABLE annual_reports (
	enterprise_id                 BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	year                          BIGINT NOT NULL,
	revenue                       BIGINT NOT NULL,
	rd_expense                    BIGINT NOT NULL,
	tech_staff                    BIGINT NOT NULL,
	postgraduates                 BIGINT NOT NULL,
	invention_patent_applications BIGINT NOT NULL,
	pct_applications              BIGINT NOT NULL,
	tech_contract_turnover        BIGINT NOT NULL,
	high_tech_product_revenue     BIGINT NOT NULL,
	rd_tax_deduction              BIGINT NOT NULL,
	return_on_equity_percent      DOUBLE PRECISION NOT NULL,
	graduates_hired               BIGINT NOT NULL,
	innovation_platforms          BIGINT NOT NULL,
	science_awards                BIGINT NOT NULL,
	equity_financing              BIGINT NOT NULL,
	science_plan_projects         BIGINT NOT NULL,
	PRIMARY KEY (enterprise_id, year)
);

-- seq keeps the subsidies in the order they were given.
CREATE TABLE subsidies (
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	seq           BIGINT NOT NULL,
	program       TEXT NOT NULL,
	amount        BIGINT NOT NULL,
	year          BIGINT NOT NULL,
	PRIMARY KEY (enterprise_id, seq)
);

-- At most one entry per enterprise and year: a later entry replaces it.
CREATE TABLE competition_entries (
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	year          BIGINT NOT NULL,
	entry_group   TEXT NOT NULL,
	track         TEXT NOT NULL,
	stage_reached TEXT NOT NULL,
	award         TEXT NOT NULL,
	PRIMARY KEY (enterprise_id, year)
);

CREATE TABLE financial_products (
	id                  {{ID}},
	name                TEXT NOT NULL,
	kind                TEXT NOT NULL,
	program             TEXT NOT NULL,
	provider_id         BIGINT NOT NULL REFERENCES institutions (id),
	description         TEXT NOT NULL,
	min_amount          BIGINT,
	max_amount          BIGINT NOT NULL,
	annual_rate_percent DOUBLE PRECISION,
	term_months         BIGINT,
	collateral_free     BOOLEAN NOT NULL,
	coverages           TEXT NOT NULL,
	eligibility         TEXT NOT NULL,
	created_at          {{TIMESTAMP}} NOT NULL
);

CREATE INDEX financial_products_provider_id ON financial_products (provider_id);

CREATE TABLE incubators (
	id              {{ID}},
	name            TEXT NOT NULL,
	kind            TEXT NOT NULL,
	level           TEXT NOT NULL,
	city            TEXT NOT NULL,
	focus_tracks    TEXT NOT NULL,
	vacancies       BIGINT NOT NULL,
	service_package TEXT,
	description     TEXT NOT NULL,
	created_at      {{TIMESTAMP}} NOT NULL
);

CREATE TABLE supply_chain_demands (
	id             {{ID}},
	title          TEXT NOT NULL,
	description    TEXT NOT NULL,
	kind           TEXT NOT NULL,
	industry_chain TEXT NOT NULL,
	track          TEXT NOT NULL,
	city           TEXT NOT NULL,
	owner_name     TEXT NOT NULL,
	keywords       TEXT NOT NULL,
	budget         BIGINT,
	deadline       {{DATE}},
	created_at     {{TIMESTAMP}} NOT NULL
);

-- The outbox: one row per committed write, drained by the search indexer.
CREATE TABLE outbox (
	id         {{ID}},
	entity     TEXT NOT NULL,
	entity_id  BIGINT NOT NULL,
	op         TEXT NOT NULL,
	created_at {{TIMESTAMP}} NOT NULL
);
