-- 0008_training: the records of package training — sessions of the
-- 科技金融常态化培训 and their registrations (with a waiting list).

-- taken counts the seats held (REGISTERED or ATTENDED registrations); a
-- registration takes one by a conditional update, so concurrent ones never
-- overbook.
CREATE TABLE training_sessions (
	id         {{ID}},
	title      TEXT NOT NULL,
	audience   TEXT NOT NULL,
	topic      TEXT NOT NULL,
	city       TEXT NOT NULL,
	held_on    {{DATE}} NOT NULL,
	capacity   INTEGER NOT NULL CHECK (capacity > 0),
	taken      INTEGER NOT NULL DEFAULT 0,
	created_at {{TIMESTAMP}} NOT NULL
);
CREATE INDEX training_sessions_held_on ON training_sessions (held_on);

CREATE TABLE training_registrations (
	id         {{ID}},
	session_id BIGINT NOT NULL REFERENCES training_sessions (id),
	account_id BIGINT NOT NULL REFERENCES accounts (id),
	name       TEXT NOT NULL,
	status     TEXT NOT NULL CHECK (status IN ('REGISTERED', 'WAITLISTED', 'ATTENDED', 'CANCELLED')),
	created_at {{TIMESTAMP}} NOT NULL
);
-- One live registration of an account at a session.
CREATE UNIQUE INDEX training_registrations_once ON training_registrations (session_id, account_id) WHERE status <> 'CANCELLED';
CREATE INDEX training_registrations_session ON training_registrations (session_id, id);
