package graph

import (
	"os"
	"strings"
	"testing"
)

// TestSequentialLists: generated.go marshals the lists of sequentialLists
// on the calling goroutine, as seqlists.go leaves it. It fails when gqlgen
// was run without that step (run `go generate` at the root).
func TestSequentialLists(t *testing.T) {
	b, err := os.ReadFile("generated.go")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	for _, typ := range sequentialLists {
		found := false
		for _, prefix := range []string{"marshalN", "marshalO"} {
			head := "func (ec *executionContext) " + prefix + typ + "2ᚕ"
			for rest := src; ; {
				i := strings.Index(rest, head)
				if i < 0 {
					break
				}
				body := rest[i:]
				if j := strings.Index(body[len(head):], "\nfunc "); j >= 0 {
					body = body[:len(head)+j]
				}
				found = true
				if strings.Contains(body, "MarshalSliceConcurrently") || !strings.Contains(body, "marshalSliceSequentially(") {
					t.Errorf("%s: the list marshaller %s… is not sequential: run `go generate` at the repository root", typ, head)
				}
				rest = rest[i+len(head):]
			}
		}
		if !found {
			t.Errorf("no list marshaller of %s in generated.go", typ)
		}
	}
}
