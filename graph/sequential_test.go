package graph

import (
	"os"
	"strings"
	"testing"
)

// TestSequentialLists: generated.go marshals the lists of sequentialLists
// on the calling goroutine and the objects of plainObjects with their
// hand-written marshallers, as seqlists.go leaves it. It fails when gqlgen
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
	for typ, fn := range plainObjects {
		head := "func (ec *executionContext) marshalN" + typ + "2ᚖ"
		i := strings.Index(src, head)
		if i < 0 {
			t.Errorf("no marshaller of %s in generated.go", typ)
			continue
		}
		body := src[i+len(head):]
		if j := strings.Index(body, "\nfunc "); j >= 0 {
			body = body[:j]
		}
		if !strings.Contains(body, "ec."+fn+"(ctx, sel, v)") {
			t.Errorf("the marshaller of %s does not call %s: run `go generate` at the repository root", typ, fn)
		}
	}
}
