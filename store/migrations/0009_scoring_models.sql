-- 0009_scoring_models: institutions' scoring models (联合建模) and the
-- products that use them (package models).

-- A model: its owner and name. Its content lives in its versions.
CREATE TABLE scoring_models (
	id             {{ID}},
	institution_id BIGINT NOT NULL REFERENCES institutions (id),
	name           TEXT NOT NULL,
	created_by     BIGINT,
	created_at     {{TIMESTAMP}} NOT NULL
);
CREATE INDEX scoring_models_institution ON scoring_models (institution_id, id);

-- A version is written once and never changed: a revision inserts the next
-- version. weights is JSON: {"startup": [18 numbers], "growth": […],
-- "stable": […]}, ignored indicators already at 0; ignored lists their
-- codes; min_score 0 is none.
CREATE TABLE scoring_model_versions (
	model_id   BIGINT NOT NULL REFERENCES scoring_models (id),
	version    INTEGER NOT NULL,
	shared     BOOLEAN NOT NULL,
	weights    TEXT NOT NULL,
	ignored    TEXT NOT NULL,
	min_score  INTEGER NOT NULL,
	created_by BIGINT,
	created_at {{TIMESTAMP}} NOT NULL,
	PRIMARY KEY (model_id, version)
);

-- A product's use of a model (its latest version): the model's score
-- replaces or accompanies the province's in the product's pairings.
CREATE TABLE product_scoring_models (
	product_id BIGINT PRIMARY KEY REFERENCES financial_products (id),
	model_id   BIGINT NOT NULL REFERENCES scoring_models (id),
	mode       TEXT NOT NULL CHECK (mode IN ('REPLACE', 'ACCOMPANY')),
	set_by     BIGINT,
	set_at     {{TIMESTAMP}} NOT NULL
);
CREATE INDEX product_scoring_models_model ON product_scoring_models (model_id);
