package search

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/yurong/yurong/catalog"
)

// Document ids are "<type>-<id>" for catalogue documents ("enterprise-42")
// and "pairing-<KIND>-<enterprise>-<resource>" for pairings
// ("pairing-FINANCING-42-7"): deterministic, so indexing an entity twice
// replaces its document, and within Meilisearch's [A-Za-z0-9_-].

// DocID returns the id of the catalogue document of an entity.
func DocID(t DocType, id int64) string { return string(t) + "-" + strconv.FormatInt(id, 10) }

// PairingDocID returns the id of a pairing's document.
func PairingDocID(kind catalog.PairingKind, enterpriseID, resourceID int64) string {
	return string(TypePairing) + "-" + catalog.FormatPairingKey(kind, enterpriseID, resourceID, "-")
}

// ParseDocID splits a catalogue document id into its type and entity id.
func ParseDocID(id string) (DocType, int64, bool) {
	t, n, ok := strings.Cut(id, "-")
	if !ok {
		return "", 0, false
	}
	switch DocType(t) {
	case TypeEnterprise, TypeProduct, TypeIncubator, TypeDemand:
	default:
		return "", 0, false
	}
	v, err := strconv.ParseInt(n, 10, 64)
	if err != nil || v <= 0 {
		return "", 0, false
	}
	return DocType(t), v, true
}

// parsePairingID splits a pairing document id.
func parsePairingID(id string) (kind catalog.PairingKind, ent, res int64, ok bool) {
	rest, found := strings.CutPrefix(id, string(TypePairing)+"-")
	if !found {
		return "", 0, 0, false
	}
	return catalog.ParsePairingKey(rest, "-")
}

// validID reports whether id is a document id Meilisearch accepts:
// 1–511 bytes of [A-Za-z0-9_-].
func validID(id string) bool {
	if id == "" || len(id) > 511 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// ResourceType returns the document type of the resources of a pairing
// kind (catalog's PairingKind.Resource): FINANCING pairs with products,
// INCUBATION with incubators, INDUSTRY_CHAIN with demands.
func ResourceType(kind catalog.PairingKind) DocType { return DocType(kind.Resource()) }

// resourceKey is the value identifying a resource across kinds, e.g.
// "FINANCING-7".
func resourceKey(kind catalog.PairingKind, id int64) string {
	return string(kind) + "-" + strconv.FormatInt(id, 10)
}

// centi converts a 0–100 score to integer hundredths, the precision the
// matching engine computes scores in.
func centi(score float64) int { return int(math.Round(score * 100)) }

// minCenti is the least score in hundredths that is at least min: scores
// are kept in hundredths, so a minimum of 60.004 keeps 60.01 and up.
func minCenti(min float64) int {
	c := centi(min)
	if float64(c)/100 < min {
		c++
	}
	return c
}

// position is a pairing's place in the ranked list: score descending, then
// kind, enterprise id and resource id ascending.
type position struct {
	centi     int
	kindOrder int
	ent, res  int64
}

func positionOf(d *PairingDoc) position {
	return position{centi: centi(d.Score), kindOrder: d.Kind.Order(), ent: d.EnterpriseID, res: d.ResourceID}
}

// rankKey is a string whose byte order is the list order: the embedded
// engine sorts on it.
func (p position) rankKey() string {
	return fmt.Sprintf("%05d%d%019d%019d", 10000-p.centi, p.kindOrder, p.ent, p.res)
}

// parseRankKey inverts rankKey.
func parseRankKey(s string) (position, bool) {
	if len(s) != 5+1+19+19 {
		return position{}, false
	}
	c, err1 := strconv.Atoi(s[:5])
	k, err2 := strconv.Atoi(s[5:6])
	e, err3 := strconv.ParseInt(s[6:25], 10, 64)
	r, err4 := strconv.ParseInt(s[25:], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return position{}, false
	}
	return position{centi: 10000 - c, kindOrder: k, ent: e, res: r}, true
}

const cursorVersion = "p1"

// cursor encodes a position as an opaque cursor; both engines read it.
func (p position) cursor() string {
	s := fmt.Sprintf("%s:%d:%d:%d:%d", cursorVersion, p.centi, p.kindOrder, p.ent, p.res)
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

// decodeCursor reads a cursor made by position.cursor.
func decodeCursor(c string) (position, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return position{}, ErrBadCursor
	}
	parts := strings.Split(string(b), ":")
	if len(parts) != 5 || parts[0] != cursorVersion {
		return position{}, ErrBadCursor
	}
	var n [4]int64
	for i, s := range parts[1:] {
		if n[i], err = strconv.ParseInt(s, 10, 64); err != nil || n[i] < 0 {
			return position{}, ErrBadCursor
		}
	}
	p := position{centi: int(n[0]), kindOrder: int(n[1]), ent: n[2], res: n[3]}
	if p.centi > 10000 || p.kindOrder >= len(catalog.PairingKinds) {
		return position{}, ErrBadCursor
	}
	return p, nil
}
