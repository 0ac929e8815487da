package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestDraw(t *testing.T) {
	started := time.Now().Add(-1500 * time.Millisecond)
	t.Run("a line shows the bar, the share, the phase, the counts and the detail", func(t *testing.T) {
		var out bytes.Buffer
		NewLines(&out).Draw("documents", 15, 60, started, "entities, 40 documents")
		got := out.String()
		want := "[#######                       ]  25% documents 15/60 entities, 40 documents, 1.5s\n"
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("off a terminal, progress within two seconds of the last line is dropped", func(t *testing.T) {
		var out bytes.Buffer
		b := NewLines(&out)
		b.Draw("read", 1, 10, started, "rows")
		b.Draw("read", 2, 10, started, "rows")
		if n := strings.Count(out.String(), "\n"); n != 1 {
			t.Errorf("%d lines, want 1:\n%s", n, out.String())
		}
	})
	t.Run("final phases are drawn whatever the pace", func(t *testing.T) {
		var out bytes.Buffer
		b := NewLines(&out)
		for _, phase := range []string{"documents", "commit", "replay", "done"} {
			b.Draw(phase, 10, 10, started, "")
		}
		if n := strings.Count(out.String(), "\n"); n != 4 {
			t.Errorf("%d lines, want 4:\n%s", n, out.String())
		}
	})
	t.Run("nothing to do is zero per cent, not a division by zero", func(t *testing.T) {
		var out bytes.Buffer
		NewLines(&out).Draw("done", 0, 0, started, "")
		if !strings.Contains(out.String(), "   0% done") {
			t.Errorf("got %q", out.String())
		}
	})
	t.Run("on a terminal the line is redrawn in place and ended when done", func(t *testing.T) {
		var out bytes.Buffer
		b := &Bar{w: &out, terminal: true}
		b.Draw("documents", 1, 2, started, "")
		b.Draw("documents", 2, 2, started, "")
		b.Draw("done", 2, 2, started, "")
		got := out.String()
		if strings.Count(got, "\r") != 3 || !strings.HasSuffix(got, "\n") || strings.Count(got, "\n") != 1 {
			t.Errorf("got %q", got)
		}
	})
}
