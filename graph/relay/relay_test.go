package relay

import (
	"errors"
	"testing"
)

func TestIDs(t *testing.T) {
	id := IntID("Enterprise", 42)
	t.Run("an ID decodes to its type and key", func(t *testing.T) {
		n, err := ParseIntID("Enterprise", id)
		if err != nil || n != 42 {
			t.Fatalf("ParseIntID = %d, %v", n, err)
		}
	})
	for name, tc := range map[string]struct{ typ, id string }{
		"an ID of another type":          {"Incubator", id},
		"text that is not base64":        {"Enterprise", "!!!"},
		"base64 without a type":          {"Enterprise", "NDI"},
		"a key that is not a number":     {"Enterprise", ID("Enterprise", "x")},
		"a key that is zero or negative": {"Enterprise", ID("Enterprise", "-3")},
	} {
		t.Run(name+" is refused", func(t *testing.T) {
			if _, err := ParseIntID(tc.typ, tc.id); !errors.Is(err, ErrInvalidID) {
				t.Errorf("err = %v, want ErrInvalidID", err)
			}
		})
	}
}

func TestPages(t *testing.T) {
	ptr := func(n int) *int { return &n }
	tests := []struct {
		name    string
		first   *int
		want    int
		wantErr bool
	}{
		{"no first means the default page", nil, DefaultPageSize, false},
		{"zero is an empty page", ptr(0), 0, false},
		{"the maximum is allowed", ptr(MaxPageSize), MaxPageSize, false},
		{"above the maximum is refused", ptr(MaxPageSize + 1), 0, true},
		{"negative is refused", ptr(-1), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := First(tt.first)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("First = %d, %v", got, err)
			}
		})
	}
	t.Run("cursors round-trip and are not offsets", func(t *testing.T) {
		c := Cursor(7)
		if n, err := ParseCursor(&c); err != nil || n != 7 {
			t.Errorf("ParseCursor(Cursor(7)) = %d, %v", n, err)
		}
		if _, err := ParseOffsetCursor(&c); !errors.Is(err, ErrInvalidPage) {
			t.Errorf("an ID cursor was accepted as an offset: %v", err)
		}
		o := OffsetCursor(3)
		if n, err := ParseOffsetCursor(&o); err != nil || n != 3 {
			t.Errorf("ParseOffsetCursor(OffsetCursor(3)) = %d, %v", n, err)
		}
	})
}

// A page is first items from the start or last from the end, never both,
// each between 0 and MaxPageSize.
func TestWindow(t *testing.T) {
	n := func(v int) *int { return &v }
	for _, c := range []struct {
		first, last *int
		want        int
		fromEnd     bool
		ok          bool
	}{
		{nil, nil, DefaultPageSize, false, true},
		{n(0), nil, 0, false, true},
		{nil, n(7), 7, true, true},
		{nil, n(MaxPageSize), MaxPageSize, true, true},
		{n(1), n(1), 0, false, false},
		{nil, n(-1), 0, false, false},
		{nil, n(MaxPageSize + 1), 0, false, false},
		{n(-1), nil, 0, false, false},
	} {
		got, fromEnd, err := Window(c.first, c.last)
		if (err == nil) != c.ok || (c.ok && (got != c.want || fromEnd != c.fromEnd)) {
			t.Errorf("Window(%v, %v) = %d, %v, %v", c.first, c.last, got, fromEnd, err)
		}
		if err != nil && !errors.Is(err, ErrInvalidPage) {
			t.Errorf("Window(%v, %v): %v is no ErrInvalidPage", c.first, c.last, err)
		}
	}
}

// A key cursor reads back under its own order, keys with colons included,
// and is refused under any other, as an ID cursor is under an order by key.
func TestKeyCursors(t *testing.T) {
	c := KeyCursor("NAME_ASC", "a:b:c", 42)
	key, id, err := ParseKeyCursor(&c, "NAME_ASC")
	if err != nil || key != "a:b:c" || id != 42 {
		t.Fatalf("ParseKeyCursor(KeyCursor) = %q, %d, %v", key, id, err)
	}
	if _, _, err := ParseKeyCursor(&c, "NAME_DESC"); !errors.Is(err, ErrCursorOrder) {
		t.Errorf("under another order: %v", err)
	}
	if _, err := ParseCursor(&c); !errors.Is(err, ErrCursorOrder) {
		t.Errorf("under the ID order: %v", err)
	}
	idc := Cursor(42)
	if _, _, err := ParseKeyCursor(&idc, "NAME_ASC"); !errors.Is(err, ErrCursorOrder) {
		t.Errorf("an ID cursor under an order by name: %v", err)
	}
	for _, bad := range []string{"!!", "aw", KeyCursor("NAME_ASC", "x", 1)[:3]} {
		if _, _, err := ParseKeyCursor(&bad, "NAME_ASC"); !errors.Is(err, ErrInvalidPage) || errors.Is(err, ErrCursorOrder) {
			t.Errorf("malformed %q: %v", bad, err)
		}
	}
}
