package search

import (
	"html"
	"slices"
	"strings"
	"unicode/utf8"
)

// Highlights: fragments of the matched fields, HTML-escaped, with every
// matched word wrapped in <em>…</em>. Overlapping and adjacent matches
// (the bigrams 功率, 率器, 器件 of "功率器件") merge into one <em>.
const (
	emOpen  = "<em>"
	emClose = "</em>"
	// fragmentRunes is the length of a fragment cut from a long field.
	fragmentRunes = 48
	// leadRunes is the context kept before the first match of a fragment.
	leadRunes = 12
	// maxHighlights is the most fragments a hit carries.
	maxHighlights = 4
	ellipsis      = "…"
)

// span is a byte range [start, end) of a text.
type span struct{ start, end int }

// markup returns text with the spans marked, cut to about maxRunes runes
// around the first span when longer (maxRunes ≤ 0: never cut).
func markup(text string, spans []span, maxRunes int) string {
	spans = mergeSpans(text, spans)
	lo, hi := 0, len(text)
	if maxRunes > 0 && utf8.RuneCountInString(text) > maxRunes && len(spans) > 0 {
		lo = backRunes(text, spans[0].start, leadRunes)
		hi = forwardRunes(text, lo, maxRunes)
		if hi < spans[0].end { // a match longer than the window
			hi = spans[0].end
		}
	}
	var b strings.Builder
	if lo > 0 {
		b.WriteString(ellipsis)
	}
	at := lo
	for _, s := range spans {
		if s.end <= lo || s.start >= hi {
			continue
		}
		start, end := max(s.start, lo), min(s.end, hi)
		b.WriteString(html.EscapeString(text[at:start]))
		b.WriteString(emOpen)
		b.WriteString(html.EscapeString(text[start:end]))
		b.WriteString(emClose)
		at = end
	}
	b.WriteString(html.EscapeString(text[at:hi]))
	if hi < len(text) {
		b.WriteString(ellipsis)
	}
	return b.String()
}

// mergeSpans sorts spans, drops those outside text and merges the ones
// that overlap or touch.
func mergeSpans(text string, spans []span) []span {
	var out []span
	for _, s := range spans {
		if s.start >= 0 && s.start < s.end && s.end <= len(text) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b span) int { return a.start - b.start })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// backRunes returns the byte offset n runes before i.
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// forwardRunes returns the byte offset n runes after i.
func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

func limitHighlights(hs []string) []string {
	if hs == nil {
		return []string{}
	}
	return hs[:min(len(hs), maxHighlights)]
}
