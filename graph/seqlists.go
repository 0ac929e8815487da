//go:build ignore

// Seqlists rewrites generated.go so that the list marshallers of the types
// in sequentialLists (sequential.go) call marshalSliceSequentially instead
// of graphql.MarshalSliceConcurrently, and the object marshallers of the
// types in plainObjects call their hand-written marshaller. generate.go at the repository root
// runs it after gqlgen, naming the package's directory (go run takes every
// argument ending in .go for a source file):
//
//	go run ./graph/seqlists.go graph
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Keep in step with sequentialLists and plainObjects in sequential.go
// (TestSequentialLists checks generated.go against those).
var (
	sequentialLists = []string{"MatchReason"}
	plainObjects    = map[string]string{"MatchReason": "marshalPlainMatchReason"}
)

const (
	concurrent = "graphql.MarshalSliceConcurrently("
	sequential = "marshalSliceSequentially("
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./graph/seqlists.go graph")
		os.Exit(2)
	}
	file := filepath.Join(os.Args[1], "generated.go")
	b, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	src := string(b)
	for _, typ := range sequentialLists {
		n := 0
		for _, prefix := range []string{"marshalN", "marshalO"} {
			head := "func (ec *executionContext) " + prefix + typ + "2ᚕ"
			for at := 0; ; {
				i := strings.Index(src[at:], head)
				if i < 0 {
					break
				}
				start := at + i
				end := strings.Index(src[start+len(head):], "\nfunc ")
				if end < 0 {
					end = len(src)
				} else {
					end += start + len(head)
				}
				body := strings.Replace(src[start:end], concurrent, sequential, 1)
				if body != src[start:end] || strings.Contains(body, sequential) {
					n++
				}
				src = src[:start] + body + src[end:]
				at = start + len(body)
			}
		}
		if n == 0 {
			fmt.Fprintf(os.Stderr, "seqlists: no list marshaller of %s in %s\n", typ, file)
			os.Exit(1)
		}
	}
	for typ, fn := range plainObjects {
		head := "func (ec *executionContext) marshalN" + typ + "2ᚖ"
		i := strings.Index(src, head)
		if i < 0 {
			fmt.Fprintf(os.Stderr, "seqlists: no marshaller of %s in %s\n", typ, file)
			os.Exit(1)
		}
		end := strings.Index(src[i+len(head):], "\nfunc ")
		if end < 0 {
			end = len(src)
		} else {
			end += i + len(head)
		}
		body := src[i:end]
		call, plain := "ec._"+typ+"(ctx, sel, v)", "ec."+fn+"(ctx, sel, v)"
		if !strings.Contains(body, call) && !strings.Contains(body, plain) {
			fmt.Fprintf(os.Stderr, "seqlists: the marshaller of %s does not call %s\n", typ, call)
			os.Exit(1)
		}
		src = src[:i] + strings.Replace(body, call, plain, 1) + src[end:]
	}
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
