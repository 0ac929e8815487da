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
