package matching

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// textIndex finds the enterprises whose text contains a keyword without
// scanning them all. Chinese has no spaces to split on, so it indexes every
// pair of adjacent runes (a bigram; Latin letters too, lower-cased): a text
// contains a keyword only if it contains all of the keyword's bigrams, and
// the candidates from the shortest posting list are then verified with a
// substring test.
type textIndex struct {
	postings map[uint64][]int32 // bigram → ascending enterprise indexes
}

func newTextIndex() *textIndex { return &textIndex{postings: make(map[uint64][]int32)} }

func bigram(a, b rune) uint64 { return uint64(a)<<32 | uint64(uint32(b)) }

// bigrams returns the distinct bigrams of s, skipping those across the NUL
// separator between keywords.
func bigrams(s string, buf []uint64) []uint64 {
	buf = buf[:0]
	prev := rune(-1)
	for _, r := range s {
		if prev > 0 && r != 0 {
			buf = append(buf, bigram(prev, r))
		}
		prev = r
	}
	slices.Sort(buf)
	return slices.Compact(buf)
}

// add indexes text as enterprise i.
func (t *textIndex) add(i int32, text string) {
	for _, g := range bigrams(text, nil) {
		p := t.postings[g]
		if n := len(p); n == 0 || p[n-1] < i {
			t.postings[g] = append(p, i) // the common case: a new enterprise
			continue
		}
		t.postings[g] = insertSorted32(p, i)
	}
}

// remove takes enterprise i's text out of the index.
func (t *textIndex) remove(i int32, text string) {
	for _, g := range bigrams(text, nil) {
		p := t.postings[g]
		if j, ok := slices.BinarySearch(p, i); ok {
			p = slices.Delete(p, j, j+1)
			if len(p) == 0 {
				delete(t.postings, g)
			} else {
				t.postings[g] = p
			}
		}
	}
}

// containing returns, ascending, the enterprises whose text contains kw
// (lower-cased). A one-rune keyword has no bigram and is checked against
// every text.
func (t *textIndex) containing(kw string, texts func(int32) string, n int) []int32 {
	var out []int32
	if utf8.RuneCountInString(kw) < 2 {
		for i := range int32(n) {
			if strings.Contains(texts(i), kw) {
				out = append(out, i)
			}
		}
		return out
	}
	var shortest []int32
	for k, g := range bigrams(kw, nil) {
		p := t.postings[g]
		if len(p) == 0 {
			return nil
		}
		if k == 0 || len(p) < len(shortest) {
			shortest = p
		}
	}
	for _, i := range shortest {
		if strings.Contains(texts(i), kw) {
			out = append(out, i)
		}
	}
	return out
}

func insertSorted32(s []int32, x int32) []int32 {
	i, found := slices.BinarySearch(s, x)
	if found {
		return s
	}
	return slices.Insert(s, i, x)
}
