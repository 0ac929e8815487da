package store

import (
	"context"
	"database/sql"
	"errors"
	"hash/fnv"
	"sync"
)

// leases are the named leases this Store holds: on PostgreSQL, a session
// advisory lock each, on a connection of its own that keeps it.
type leases struct {
	mu    sync.Mutex
	conns map[string]*sql.Conn
}

// TryLease reports whether this Store holds the lease called name,
// taking it when nobody holds it. A lease is held until the Store closes
// or its connection breaks (the database restarted, say), when another
// process may take it: one process at a time does what the lease guards,
// such as advancing a checkpoint shared by several instances. On SQLite,
// which one process owns, every lease is this Store's.
func (s *Store) TryLease(ctx context.Context, name string) (bool, error) {
	if s.backend != Postgres {
		return true, nil
	}
	s.leases.mu.Lock()
	defer s.leases.mu.Unlock()
	if c, ok := s.leases.conns[name]; ok {
		if c.PingContext(ctx) == nil {
			return true, nil
		}
		c.Close() // the lock went with the session
		delete(s.leases.conns, name)
	}
	c, err := s.db.Conn(ctx)
	if err != nil {
		return false, wrap("take a lease", err)
	}
	var got bool
	if err := c.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", leaseKey(name)).Scan(&got); err != nil || !got {
		c.Close()
		return false, wrap("take a lease", err)
	}
	if s.leases.conns == nil {
		s.leases.conns = map[string]*sql.Conn{}
	}
	s.leases.conns[name] = c
	return true, nil
}

// closeLeases gives every lease up.
func (s *Store) closeLeases() error {
	s.leases.mu.Lock()
	defer s.leases.mu.Unlock()
	var errs []error
	for name, c := range s.leases.conns {
		// Unlock first: Close returns the connection to the pool, session
		// and lock alive, until the pool closes it.
		_, err := c.ExecContext(context.Background(), "SELECT pg_advisory_unlock_all()")
		errs = append(errs, err, c.Close())
		delete(s.leases.conns, name)
	}
	return errors.Join(errs...)
}

// leaseKey is the advisory lock key of a lease: a 63-bit hash of its name
// (meeting logLock or migrationLock by chance is as likely as any other
// 63-bit collision).
func leaseKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("yurong lease " + name))
	return int64(h.Sum64() &^ (1 << 63))
}
