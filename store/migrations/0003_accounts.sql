-- 0003_accounts: the people who call the API, the consents enterprises give
-- institutions to read their financial data, and the audit log.
--
-- accounts.token_hash is the SHA-256 of the bearer token in hex; the token
-- itself is never stored. The one account without a token is the bootstrap
-- administrator, whose token is YURONG_ADMIN_TOKEN: it exists so the audit
-- log can name who acted with that token.
CREATE TABLE accounts (
	id                {{ID}},
	name              TEXT NOT NULL,
	role              TEXT NOT NULL CHECK (role IN ('ADMINISTRATOR', 'INSTITUTION', 'INCUBATOR', 'ENTERPRISE', 'CHAIN_LEADER', 'EXPERT')),
	organization_kind TEXT CHECK (organization_kind IN ('Institution', 'Incubator', 'Enterprise')),
	organization_id   BIGINT,
	token_hash        TEXT UNIQUE,
	created_at        {{TIMESTAMP}} NOT NULL,
	revoked_at        {{TIMESTAMP}},
	CHECK ((organization_kind IS NULL) = (organization_id IS NULL))
);
CREATE INDEX accounts_role ON accounts (role, id);

INSERT INTO accounts (name, role, created_at) VALUES ('系统管理员', 'ADMINISTRATOR', '2026-01-01T00:00:00.000000Z');

CREATE TABLE consents (
	id             {{ID}},
	enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id),
	institution_id BIGINT REFERENCES institutions (id),
	granted_at     {{TIMESTAMP}} NOT NULL,
	expires_on     {{DATE}} NOT NULL,
	revoked_at     {{TIMESTAMP}}
);
CREATE INDEX consents_enterprise ON consents (enterprise_id);
CREATE INDEX consents_institution ON consents (institution_id);

-- Entries are only ever inserted: no statement of the store updates or
-- deletes them.
CREATE TABLE audit_log (
	id           {{ID}},
	at           {{TIMESTAMP}} NOT NULL,
	account_id   BIGINT,
	action       TEXT NOT NULL,
	subject_type TEXT,
	subject_id   BIGINT
);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, id);
CREATE INDEX audit_log_account ON audit_log (account_id, id);
