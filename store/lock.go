//go:build unix

package store

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// LockName is the lock file in a data directory. Every process that opens
// the embedded store holds a shared lock on it while the store is open;
// [Restore] takes it exclusively, so it never replaces a database under a
// running server.
const LockName = "yurong.lock"

// ErrInUse is returned when the data directory's lock is held the other
// way: a restore finds the store open, or an open finds a restore running.
var ErrInUse = errors.New("store: data directory in use")

// dirLock is a flock(2) on a data directory's lock file. flock, unlike
// fcntl locks, belongs to the open file, so two stores in one process
// exclude each other too (tests rely on it) and closing another descriptor
// of the file does not drop it.
type dirLock struct{ f *os.File }

// lockDir takes the lock of dir without waiting: shared for a store,
// exclusive for a restore. It returns an error wrapping [ErrInUse] when the
// lock is held the other way.
func lockDir(dir string, exclusive bool) (*dirLock, error) {
	path := filepath.Join(dir, LockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store: open the lock file: %w", err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		pids := lockHolders(f)
		f.Close()
		return nil, &inUseError{dir: dir, pids: pids, exclusive: exclusive}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	return &dirLock{f: f}, nil
}

// release drops the lock; releasing it again, or a nil lock, is a no-op.
func (l *dirLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	return f.Close() // closing the only descriptor releases the flock
}

// inUseError says who holds the directory, as far as the system tells.
type inUseError struct {
	dir       string
	pids      []int
	exclusive bool // the lock wanted: exclusive for a restore
}

func (e *inUseError) Error() string {
	if !e.exclusive {
		return fmt.Sprintf("store: data directory in use: a restore is replacing the database in %s; start again when it has finished", e.dir)
	}
	who := "another process (a yurong server or command)"
	if len(e.pids) > 0 {
		ps := make([]string, len(e.pids))
		for i, p := range e.pids {
			ps[i] = strconv.Itoa(p)
		}
		who = "process " + strings.Join(ps, ", ") + " (a yurong server or command)"
	}
	return fmt.Sprintf("store: data directory in use: the store in %s is open in %s; stop it before restoring", e.dir, who)
}

func (e *inUseError) Unwrap() error { return ErrInUse }

// lockHolders returns the processes holding a flock on f, read from
// /proc/locks (Linux); nil elsewhere or when it cannot tell.
func lockHolders(f *os.File) []int {
	st, err := f.Stat()
	if err != nil {
		return nil
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	locks, err := os.Open("/proc/locks")
	if err != nil {
		return nil
	}
	defer locks.Close()
	var pids []int
	sc := bufio.NewScanner(locks)
	for sc.Scan() {
		// "1: FLOCK  ADVISORY  READ  4242 08:01:1234 0 EOF"; waiters
		// carry "->" after the number and are not holders.
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[1] != "FLOCK" {
			continue
		}
		dev := strings.Split(fields[5], ":")
		ino, err := strconv.ParseUint(dev[len(dev)-1], 10, 64)
		if err != nil || ino != uint64(sys.Ino) {
			continue
		}
		if pid, err := strconv.Atoi(fields[4]); err == nil && !slices.Contains(pids, pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}
