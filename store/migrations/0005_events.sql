-- 0005_events: the records of package events — industry-chain matchmaking
-- events (产业链专场对接会), the hosts that sit at their tables with the
-- resources they bring, the enterprises taking part, and each event's
-- current schedule of meetings. Slots and tables are numbered from 1, as the
-- API numbers them. Lists of slot numbers and of host ids are JSON arrays.

-- One event. version grows with every write to the event or anything under
-- it, so a schedule computed from one version is stored only if no write
-- came in between. The schedule_* columns describe the current schedule and
-- are NULL until the event is scheduled; its unplaced requests are a JSON
-- array of {"enterpriseId", "hostId", "reason"}.
CREATE TABLE matchmaking_events (
	id                   {{ID}},
	name                 TEXT NOT NULL,
	track                TEXT NOT NULL,
	industry_chain       TEXT,
	city                 TEXT NOT NULL,
	day                  {{DATE}} NOT NULL,
	slots                BIGINT NOT NULL CHECK (slots BETWEEN 1 AND 48),
	slot_minutes         BIGINT NOT NULL CHECK (slot_minutes BETWEEN 10 AND 60),
	starts_at            {{TIMESTAMP}} NOT NULL,
	table_count          BIGINT NOT NULL CHECK (table_count >= 1),
	created_by           BIGINT,
	created_at           {{TIMESTAMP}} NOT NULL,
	version              BIGINT NOT NULL,
	scheduled_at         {{TIMESTAMP}},
	schedule_objective   DOUBLE PRECISION,
	schedule_upper_bound DOUBLE PRECISION,
	schedule_elapsed_ms  BIGINT,
	schedule_unplaced    TEXT
);
CREATE INDEX matchmaking_events_track ON matchmaking_events (track, id);
CREATE INDEX matchmaking_events_city ON matchmaking_events (city, id);

-- A host of an event, in the order added.
CREATE TABLE event_hosts (
	id              {{ID}},
	event_id        BIGINT NOT NULL REFERENCES matchmaking_events (id) ON DELETE CASCADE,
	name            TEXT NOT NULL,
	capacity        BIGINT NOT NULL CHECK (capacity >= 1),
	available_slots TEXT NOT NULL
);
CREATE INDEX event_hosts_event ON event_hosts (event_id, id);

-- The resources a host brings (resource_kind 'product', 'incubator' or
-- 'demand'), in the order given.
CREATE TABLE event_host_resources (
	host_id       BIGINT NOT NULL REFERENCES event_hosts (id) ON DELETE CASCADE,
	position      BIGINT NOT NULL,
	resource_kind TEXT NOT NULL CHECK (resource_kind IN ('product', 'incubator', 'demand')),
	resource_id   BIGINT NOT NULL,
	PRIMARY KEY (host_id, position),
	UNIQUE (host_id, resource_kind, resource_id)
);

-- An enterprise taking part, at most once per event; id orders them as
-- they were added.
CREATE TABLE event_participants (
	id              {{ID}},
	event_id        BIGINT NOT NULL REFERENCES matchmaking_events (id) ON DELETE CASCADE,
	enterprise_id   BIGINT NOT NULL REFERENCES enterprises (id),
	capacity        BIGINT NOT NULL CHECK (capacity >= 1),
	available_slots TEXT NOT NULL,
	must_meet       TEXT NOT NULL,
	never_meet      TEXT NOT NULL
);
CREATE UNIQUE INDEX event_participants_enterprise ON event_participants (event_id, enterprise_id);

-- The meetings of an event's current schedule. Nobody is double-booked:
-- one meeting per table, per host and per enterprise in a slot. The
-- resource is the one whose pairing scored the meeting.
CREATE TABLE event_meetings (
	event_id      BIGINT NOT NULL REFERENCES matchmaking_events (id) ON DELETE CASCADE,
	slot          BIGINT NOT NULL,
	table_no      BIGINT NOT NULL,
	host_id       BIGINT NOT NULL REFERENCES event_hosts (id),
	enterprise_id BIGINT NOT NULL,
	score         DOUBLE PRECISION NOT NULL,
	requested     BOOLEAN NOT NULL,
	resource_kind TEXT NOT NULL,
	resource_id   BIGINT NOT NULL,
	PRIMARY KEY (event_id, slot, table_no),
	UNIQUE (event_id, slot, host_id),
	UNIQUE (event_id, slot, enterprise_id)
);
