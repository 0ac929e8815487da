-- 0007_clinics: the records of package clinics — the experts' specialities,
-- clinics (一企一策诊疗会) and their one-to-one diagnoses.

-- An EXPERT account's specialities, as a JSON array of names.
CREATE TABLE expert_specialities (
	account_id   BIGINT PRIMARY KEY REFERENCES accounts (id),
	specialities TEXT NOT NULL,
	updated_at   {{TIMESTAMP}} NOT NULL
);

-- A clinic: held in a city, at an incubator (incubator_id) or in a
-- high-tech zone (high_tech_zone, '' for none); experts is the JSON array
-- of the EXPERT accounts serving on it.
CREATE TABLE clinics (
	id             {{ID}},
	name           TEXT NOT NULL,
	city           TEXT NOT NULL,
	incubator_id   BIGINT REFERENCES incubators (id),
	high_tech_zone TEXT NOT NULL,
	held_on        {{DATE}} NOT NULL,
	experts        TEXT NOT NULL,
	created_by     BIGINT,
	created_at     {{TIMESTAMP}} NOT NULL
);
CREATE INDEX clinics_held_on ON clinics (held_on, id);

-- A diagnosis: plan is the JSON of the engine's financing plan when it was
-- recorded, never rewritten; growth_plan a JSON array of steps.
CREATE TABLE diagnoses (
	id            {{ID}},
	clinic_id     BIGINT NOT NULL REFERENCES clinics (id),
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
	notes         TEXT NOT NULL,
	plan          TEXT NOT NULL,
	growth_plan   TEXT NOT NULL,
	recorded_by   BIGINT,
	created_at    {{TIMESTAMP}} NOT NULL
);
CREATE UNIQUE INDEX diagnoses_once ON diagnoses (clinic_id, enterprise_id);
CREATE INDEX diagnoses_enterprise ON diagnoses (enterprise_id, id);
