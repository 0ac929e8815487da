package main

import (
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/yurong/yurong/statebackend"
)

// Config is everything the operator can set, read once from the
// environment at start; nothing else reads the environment.
type Config struct {
	Addr        string // YURONG_ADDR
	DataDir     string // YURONG_DATA_DIR
	AdminToken  string // YURONG_ADMIN_TOKEN; generated and printed once when empty
	Demo        bool   // YURONG_DEMO; default true only for the embedded store
	DemoSize    int    // YURONG_DEMO_SIZE
	DatabaseURL string // YURONG_DATABASE_URL; empty: embedded SQLite
	MeiliURL    string // YURONG_MEILI_URL
	MeiliKey    string // YURONG_MEILI_KEY
	RedisURL    string // YURONG_REDIS_URL
	// PersistedQueries, when set, is a file or directory of the only
	// operations the server runs (locked-down deployments):
	// YURONG_PERSISTED_QUERIES.
	PersistedQueries string
	// NoResponseCache turns off the cache of read responses
	// (YURONG_RESPONSE_CACHE=false), e.g. to measure what it saves.
	NoResponseCache bool
	// LogLevel is YURONG_LOG_LEVEL (debug, info, warn, error; default
	// info). At info a request is logged when it fails, is refused or is
	// slow, and one ordinary request in a hundred; at debug every one.
	LogLevel slog.Level

	// Cache tunes the shared state (key prefix, rate budget); tests set it,
	// operators get the defaults.
	Cache statebackend.Options
}

// Limits of one request, fixed rather than configured.
const (
	maxBodyBytes    = 1 << 20          // GraphQL documents and variables are small
	maxComplexity   = 50000            // connections count by their page size
	maxFields       = 5000             // fields once fragments are expanded, lists counted once
	maxDepth        = 20               // nested selections (GraphiQL's introspection needs 13)
	maxAliases      = 200              // aliased fields written in a document
	maxTokens       = 15000            // lexical tokens of a document
	requestDeadline = 10 * time.Second // a request's store reads and searches are cancelled past it
	responseTTL     = 10 * time.Minute // cached read responses; writes invalidate them sooner
	demoSeed        = 2026
	defaultDemoSize = 2000
)

func configFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:             or(getenv("YURONG_ADDR"), ":8080"),
		DataDir:          or(getenv("YURONG_DATA_DIR"), "./data"),
		AdminToken:       getenv("YURONG_ADMIN_TOKEN"),
		DatabaseURL:      getenv("YURONG_DATABASE_URL"),
		MeiliURL:         getenv("YURONG_MEILI_URL"),
		MeiliKey:         getenv("YURONG_MEILI_KEY"),
		RedisURL:         getenv("YURONG_REDIS_URL"),
		PersistedQueries: getenv("YURONG_PERSISTED_QUERIES"),
		Demo:             getenv("YURONG_DATABASE_URL") == "",
		DemoSize:         defaultDemoSize,
	}
	if v := getenv("YURONG_DEMO"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("YURONG_DEMO=%q: want true or false", v)
		}
		c.Demo = b
	}
	if v := getenv("YURONG_DEMO_SIZE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return c, fmt.Errorf("YURONG_DEMO_SIZE=%q: want a number of enterprises between 1 and 1000000", v)
		}
		c.DemoSize = n
	}
	if v := getenv("YURONG_RATE_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, fmt.Errorf("YURONG_RATE_LIMIT=%q: want a positive budget of query cost", v)
		}
		c.Cache.Rate.Limit = n
	}
	if v := getenv("YURONG_RATE_REFILL"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 {
			return c, fmt.Errorf("YURONG_RATE_REFILL=%q: want a positive cost per second", v)
		}
		c.Cache.Rate.PerSecond = f
	}
	if v := getenv("YURONG_RESPONSE_CACHE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("YURONG_RESPONSE_CACHE=%q: want true or false", v)
		}
		c.NoResponseCache = !b
	}
	if v := getenv("YURONG_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return c, fmt.Errorf("YURONG_LOG_LEVEL=%q: want debug, info, warn or error", v)
		}
	}
	return c, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
