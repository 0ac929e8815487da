package financing

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
)

// date parses "2006-01-02" as a date at 00:00 UTC.
func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// instant parses an RFC 3339 time.
func instant(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// problemList renders problems as "CODE at.path" lines, in order.
func problemList(p catalog.Problems) []string {
	var out []string
	for _, e := range p {
		out = append(out, e.Code+" "+strings.Join(e.Field, "."))
	}
	return out
}

func checkProblems(t *testing.T, got catalog.Problems, want []string) {
	t.Helper()
	if g := problemList(got); !slices.Equal(g, want) {
		t.Errorf("problems = %q, want %q\n%v", g, want, got)
	}
	for _, e := range got {
		if e.Message == "" {
			t.Errorf("problem at %v has no message", e.Field)
		}
	}
}
