package main

import "testing"

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		check   func(Config) bool
		wantErr bool
	}{
		{"defaults serve the embedded store with demo data", nil, func(c Config) bool {
			return c.Addr == ":8080" && c.DataDir == "./data" && c.Demo && c.DemoSize == 2000 && !c.NoResponseCache
		}, false},
		{"PostgreSQL turns the demo off by default", map[string]string{"YURONG_DATABASE_URL": "postgres://x"}, func(c Config) bool {
			return !c.Demo && c.DatabaseURL == "postgres://x"
		}, false},
		{"the demo can be asked for on PostgreSQL", map[string]string{"YURONG_DATABASE_URL": "postgres://x", "YURONG_DEMO": "true"}, func(c Config) bool {
			return c.Demo
		}, false},
		{"the response cache can be turned off", map[string]string{"YURONG_RESPONSE_CACHE": "false"}, func(c Config) bool {
			return c.NoResponseCache
		}, false},
		{"the rate budget is configurable", map[string]string{"YURONG_RATE_LIMIT": "500", "YURONG_RATE_REFILL": "2.5"}, func(c Config) bool {
			return c.Cache.Rate.Limit == 500 && c.Cache.Rate.PerSecond == 2.5
		}, false},
		{"a negative rate refill is refused", map[string]string{"YURONG_RATE_REFILL": "-1"}, nil, true},
		{"a demo size that is not a number is refused", map[string]string{"YURONG_DEMO_SIZE": "many"}, nil, true},
		{"a demo size of zero is refused", map[string]string{"YURONG_DEMO_SIZE": "0"}, nil, true},
		{"YURONG_DEMO must be a boolean", map[string]string{"YURONG_DEMO": "ja"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := configFromEnv(func(k string) string { return tt.env[k] })
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.check != nil && !tt.check(c) {
				t.Errorf("config %+v", c)
			}
		})
	}
}
