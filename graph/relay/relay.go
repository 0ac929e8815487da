// Package relay implements the Relay conventions of the API: opaque global
// object IDs, opaque cursors and the bounds of a page.
//
// It owns the ID and cursor encodings and the page bounds. It must not
// import any project package.
package relay

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Node is any object with a global ID. Its method set is empty on purpose:
// catalogue and matching types stay free of GraphQL concerns, and the
// resolvers compute the ID.
type Node interface{}

// ErrInvalidID reports an ID that this API did not issue.
var ErrInvalidID = errors.New("relay: invalid id")

// ID encodes a global ID of a type and its local key, e.g. ("Enterprise", "42").
func ID(typ string, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + key))
}

// IntID encodes a global ID of a type and an integer key.
func IntID(typ string, id int64) string { return ID(typ, strconv.FormatInt(id, 10)) }

// ParseID decodes a global ID into its type and key.
func ParseID(id string) (typ, key string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return "", "", fmt.Errorf("%w: %q", ErrInvalidID, id)
	}
	typ, key, ok := strings.Cut(string(b), ":")
	if !ok || typ == "" || key == "" {
		return "", "", fmt.Errorf("%w: %q", ErrInvalidID, id)
	}
	return typ, key, nil
}

// ParseIntID decodes a global ID that must be of type typ with an integer key.
func ParseIntID(typ, id string) (int64, error) {
	t, key, err := ParseID(id)
	if err != nil {
		return 0, err
	}
	if t != typ {
		return 0, fmt.Errorf("%w: %q is not an ID of type %s", ErrInvalidID, id, typ)
	}
	n, err := strconv.ParseInt(key, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%w: %q", ErrInvalidID, id)
	}
	return n, nil
}

// Page sizes: a list without `first` gets DefaultPageSize; no page is larger
// than MaxPageSize.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// ErrInvalidPage reports a `first` out of range or a cursor this API did not issue.
var ErrInvalidPage = errors.New("relay: invalid page")

// First returns the page size for a `first` argument.
func First(first *int) (int, error) {
	if first == nil {
		return DefaultPageSize, nil
	}
	if *first < 0 || *first > MaxPageSize {
		return 0, fmt.Errorf("%w: first must be between 0 and %d, got %d", ErrInvalidPage, MaxPageSize, *first)
	}
	return *first, nil
}

// Cursor encodes a position in a list: the key of the last item seen.
func Cursor(key int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("c" + strconv.FormatInt(key, 10)))
}

// ParseCursor decodes an `after` argument; nil means from the start (0).
func ParseCursor(after *string) (int64, error) {
	if after == nil || *after == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*after)
	if err == nil && len(b) > 1 && b[0] == 'k' {
		return 0, fmt.Errorf("%w: %q is a cursor of a sorted order, not of the ID order", ErrCursorOrder, *after)
	}
	if err != nil || len(b) < 2 || b[0] != 'c' {
		return 0, fmt.Errorf("%w: unknown cursor %q", ErrInvalidPage, *after)
	}
	n, err := strconv.ParseInt(string(b[1:]), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: unknown cursor %q", ErrInvalidPage, *after)
	}
	return n, nil
}

// OffsetCursor encodes a position in a ranked list: how many items precede
// the next page.
func OffsetCursor(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(n)))
}

// ParseOffsetCursor decodes an `after` argument of a ranked list.
func ParseOffsetCursor(after *string) (int, error) {
	if after == nil || *after == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*after)
	if err != nil || len(b) < 2 || b[0] != 'o' {
		return 0, fmt.Errorf("%w: unknown cursor %q", ErrInvalidPage, *after)
	}
	n, err := strconv.Atoi(string(b[1:]))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: unknown cursor %q", ErrInvalidPage, *after)
	}
	return n, nil
}

// ErrCursorOrder reports a cursor issued under another order of the list:
// its position means nothing in this one.
var ErrCursorOrder = fmt.Errorf("%w: the cursor was issued under another order", ErrInvalidPage)

// Window reads the sizes of a page: `first` items from its start or `last`
// items from its end (fromEnd), never both. Neither gives the first
// DefaultPageSize items.
func Window(first, last *int) (n int, fromEnd bool, err error) {
	switch {
	case first != nil && last != nil:
		return 0, false, fmt.Errorf("%w: give first or last, not both", ErrInvalidPage)
	case last != nil:
		if *last < 0 || *last > MaxPageSize {
			return 0, false, fmt.Errorf("%w: last must be between 0 and %d, got %d", ErrInvalidPage, MaxPageSize, *last)
		}
		return *last, true, nil
	}
	n, err = First(first)
	return n, false, err
}

// KeyCursor encodes a position in a list sorted by a key: the name of the
// order, the item's key under it and its ID, which breaks ties. The order
// is in the cursor so that ParseKeyCursor refuses it under another.
func KeyCursor(order, key string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("k" + order + ":" + strconv.FormatInt(id, 10) + ":" + key))
}

// ParseKeyCursor decodes a cursor KeyCursor made for order; nil or empty
// means none. A cursor of another order, including an ID cursor of Cursor,
// is ErrCursorOrder.
func ParseKeyCursor(cursor *string, order string) (key string, id int64, err error) {
	if cursor == nil || *cursor == "" {
		return "", 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*cursor)
	if err != nil || len(b) < 2 {
		return "", 0, fmt.Errorf("%w: unknown cursor %q", ErrInvalidPage, *cursor)
	}
	if b[0] == 'c' {
		return "", 0, fmt.Errorf("%w: %q is a cursor of the ID order, not of %s", ErrCursorOrder, *cursor, order)
	}
	rest, ok := strings.CutPrefix(string(b), "k")
	o, rest, ok2 := strings.Cut(rest, ":")
	ids, key, ok3 := strings.Cut(rest, ":")
	if !ok || !ok2 || !ok3 {
		return "", 0, fmt.Errorf("%w: unknown cursor %q", ErrInvalidPage, *cursor)
	}
	if id, err = strconv.ParseInt(ids, 10, 64); err != nil || id < 0 {
		return "", 0, fmt.Errorf("%w: unknown cursor %q", ErrInvalidPage, *cursor)
	}
	if o != order {
		return "", 0, fmt.Errorf("%w: %q is a cursor of %s, not of %s", ErrCursorOrder, *cursor, o, order)
	}
	return key, id, nil
}
