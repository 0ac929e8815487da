package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/matching"
)

// engineSnapshotFile is the engine's snapshot in YURONG_DATA_DIR.
const engineSnapshotFile = "engine.snapshot"

// snapshotEngine is the matching engine as the read model drives it, whose
// first Rebuild, the start-up's, restores the snapshot the last start-up
// wrote when it was written from the same inputs, and otherwise rematches
// and writes one for the next start
// (docs/adr/029-engine-memory-and-start-up.md). Later Rebuilds (a rematch
// asked for by an administrator) rematch: the engine has relations then
// (top banks, links, models) that a start-up's rebuild does not, so their
// snapshot could never be restored.
type snapshotEngine struct {
	*matching.Engine
	path    string
	log     *slog.Logger
	started bool // the read model rebuilds under its write lock: no race
}

func (m *snapshotEngine) Rebuild(d *catalog.Dataset) {
	if m.started || m.path == "" {
		m.Engine.Rebuild(d)
		return
	}
	m.started = true
	start := time.Now()
	restored, why := false, error(nil)
	if f, err := os.Open(m.path); err == nil {
		restored, why = m.Engine.RebuildFrom(d, f)
		f.Close()
	} else {
		why = err
		m.Engine.Rebuild(d)
	}
	if restored {
		m.log.Info("engine restored from its snapshot", "path", m.path, "took", time.Since(start).String())
		return
	}
	m.log.Info("engine rematched: no usable snapshot", "path", m.path, "why", why.Error(), "took", time.Since(start).String())
	start = time.Now()
	if err := m.write(); err != nil {
		m.log.Warn("engine snapshot not written", "path", m.path, "err", err)
		return
	}
	m.log.Info("engine snapshot written", "path", m.path, "took", time.Since(start).String())
}

// write replaces the snapshot file: a temporary file renamed over it, so a
// reader never sees half a snapshot.
func (m *snapshotEngine) write() error {
	f, err := os.CreateTemp(filepath.Dir(m.path), engineSnapshotFile+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after the rename, a no-op
	if err := m.Engine.WriteSnapshot(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), m.path)
}
