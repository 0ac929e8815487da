//go:build unix

package store

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestDataDirectoryLock(t *testing.T) {
	ctx := context.Background()
	t.Run("stores share the directory", func(t *testing.T) {
		dir := t.TempDir()
		open(t, location{dir: dir})
		open(t, location{dir: dir})
	})
	t.Run("a restore's lock is refused while a store is open, naming the directory and the process", func(t *testing.T) {
		dir := t.TempDir()
		s := open(t, location{dir: dir})
		_, err := lockDir(dir, true)
		if !errors.Is(err, ErrInUse) {
			t.Fatalf("lockDir(exclusive) = %v; want ErrInUse", err)
		}
		msg := err.Error()
		if !strings.Contains(msg, dir) || !strings.Contains(msg, "stop it before restoring") {
			t.Errorf("message %q does not name the directory and what to do", msg)
		}
		if runtime.GOOS == "linux" && !strings.Contains(msg, "process "+strconv.Itoa(os.Getpid())) {
			t.Errorf("message %q does not name this process %d", msg, os.Getpid())
		}
		s.Close()
		l, err := lockDir(dir, true)
		if err != nil {
			t.Fatalf("lockDir(exclusive) after Close = %v", err)
		}
		l.release()
	})
	t.Run("a store does not open while a restore holds the directory", func(t *testing.T) {
		dir := t.TempDir()
		l, err := lockDir(dir, true)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Open(ctx, "", dir)
		if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "a restore is replacing the database in "+dir) {
			t.Fatalf("Open during a restore = %v; want ErrInUse naming the restore", err)
		}
		if err := l.release(); err != nil {
			t.Fatal(err)
		}
		if err := l.release(); err != nil {
			t.Errorf("a second release = %v; want nil", err)
		}
		open(t, location{dir: dir})
	})
	t.Run("closing a store twice is harmless", func(t *testing.T) {
		s := open(t, location{dir: t.TempDir()})
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("second Close = %v", err)
		}
	})
}
