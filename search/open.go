package search

import (
	"context"
	"path/filepath"
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
	if cfg.MeiliURL != "" {
		return OpenMeili(ctx, cfg.MeiliURL, cfg.MeiliKey, cfg.Meili)
	}
	return OpenBleve(filepath.Join(cfg.DataDir, "search"))
}
