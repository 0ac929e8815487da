package search

import (
	"context"
	"os"
	"path/filepath"
	"strings"
)

// Config chooses and configures an engine.
type Config struct {
	// DataDir holds the embedded engine's indexes, in DataDir/search
	// (YURONG_DATA_DIR).
	DataDir string
	// MeiliURL and MeiliKey select Meilisearch instead (YURONG_MEILI_URL,
	// YURONG_MEILI_KEY).
	MeiliURL string
	MeiliKey string
	Meili    MeiliOptions
}

// Open opens Meilisearch when cfg.MeiliURL is set and the embedded engine
// in cfg.DataDir/search otherwise.
func Open(ctx context.Context, cfg Config) (Engine, error) {
	// Each branch returns a nil interface on error, never a typed nil.
	if cfg.MeiliURL != "" {
		m, err := OpenMeili(ctx, cfg.MeiliURL, cfg.MeiliKey, cfg.Meili)
		if err != nil {
			return nil, err
		}
		return m, nil
	}
	b, err := OpenBleve(filepath.Join(cfg.DataDir, "search"))
	if err != nil {
		return nil, err
	}
	return b, nil
}

// IndexName names the index cfg selects, for its checkpoint in the change
// log: instances sharing a Meilisearch (its URL and index prefix) share
// one name, and so one checkpoint; an embedded index is its host's and
// directory's own.
func IndexName(cfg Config) string {
	if cfg.MeiliURL != "" {
		return "meilisearch " + strings.TrimRight(cfg.MeiliURL, "/") + " " + cfg.Meili.IndexPrefix
	}
	dir, err := filepath.Abs(filepath.Join(cfg.DataDir, "search"))
	if err != nil {
		dir = filepath.Join(cfg.DataDir, "search")
	}
	host, _ := os.Hostname()
	return "bleve " + host + ":" + dir
}
