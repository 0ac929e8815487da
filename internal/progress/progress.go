// Package progress draws the progress of a long command (a reindex, an
// import) on stderr: a bar redrawn in place on a terminal, a line every few
// seconds elsewhere. It imports no project package.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Bar draws one command's progress.
type Bar struct {
	w        io.Writer
	terminal bool
	last     time.Time
}

// New returns a bar drawing on f, redrawn in place when f is a terminal.
func New(f *os.File) *Bar {
	st, err := f.Stat()
	return &Bar{w: f, terminal: err == nil && st.Mode()&os.ModeCharDevice != 0}
}

// NewLines returns a bar writing a line per step to w, as New does for a
// file that is not a terminal.
func NewLines(w io.Writer) *Bar { return &Bar{w: w} }

// Draw shows done of total in phase, with the detail and the time since
// started. Phases other than the first ("done", "commit", "replay") are
// final lines, drawn whatever the pace; elsewhere than on a terminal the
// others are drawn every two seconds at most.
func (b *Bar) Draw(phase string, done, total int, started time.Time, detail string) {
	final := phase == "done" || phase == "commit" || phase == "replay"
	if !b.terminal && !final && time.Since(b.last) < 2*time.Second {
		return
	}
	b.last = time.Now()
	ratio := 0.0
	if total > 0 {
		ratio = float64(done) / float64(total)
	}
	const width = 30
	filled := int(ratio * width)
	line := fmt.Sprintf("[%s%s] %3.0f%% %-9s %d/%d %s, %s",
		strings.Repeat("#", filled), strings.Repeat(" ", width-filled), 100*ratio, phase,
		done, total, detail, time.Since(started).Round(100*time.Millisecond))
	if b.terminal {
		fmt.Fprint(b.w, "\r"+line)
		if phase == "done" {
			fmt.Fprintln(b.w)
		}
		return
	}
	fmt.Fprintln(b.w, line)
}
