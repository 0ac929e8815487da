// Package redistest runs a real redis-server as a child process of a test,
// so fault tests can stop and restart it.
//
// It owns the redis-server child process of a test and nothing else. Only
// tests import it, and it must not import any project package.
package redistest

import (
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// Server is a redis-server child process on a free port, with nothing
// persisted. It is stopped when the test ends.
type Server struct {
	t    testing.TB
	port int
	cmd  *exec.Cmd
}

// Start launches a redis-server, skipping the test when none is installed.
func Start(t testing.TB) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &Server{t: t, port: port}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// URL is the server's address for go-redis.
func (s *Server) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", s.port) }

// Restart starts the server again after Stop (or for the first time) and
// waits until it accepts connections.
func (s *Server) Restart() {
	s.t.Helper()
	s.cmd = exec.Command("redis-server", "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no")
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start redis-server: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.port))
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("redis-server not listening on %d: %v", s.port, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Stop kills the server at once, as a crash would.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}
