//go:build !unix

package store

import "errors"

// LockName is the lock file in a data directory (see lock.go); without
// flock(2) nothing locks it.
const LockName = "yurong.lock"

// ErrInUse is returned when the data directory's lock is held the other way.
var ErrInUse = errors.New("store: data directory in use")

// dirLock is a no-op where flock(2) is missing: stores open unlocked, and
// a restore, which could not tell a running server, is refused.
type dirLock struct{}

func lockDir(dir string, exclusive bool) (*dirLock, error) {
	if exclusive {
		return nil, errors.New("store: restore needs file locks (flock), which this system lacks; copy the backup over the database with every server stopped")
	}
	return nil, nil
}

func (l *dirLock) release() error { return nil }
