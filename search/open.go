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
