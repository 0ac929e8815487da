package scalars

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
)

func TestDecimal(t *testing.T) {
	tests := []struct {
		name    string
		in      any
		want    catalog.Amount
		wantErr bool
	}{
		{"a string with two decimals", "5000000.00", catalog.Yuan(5_000_000), false},
		{"a whole number as a string", "12", catalog.Yuan(12), false},
		{"one decimal", "0.5", 50, false},
		{"a JSON integer", int64(3), catalog.Yuan(3), false},
		{"a JSON number", json.Number("1.25"), 125, false},
		{"a negative amount parses; validation refuses it later", "-1.00", -100, false},
		{"three decimals", "1.234", 0, true},
		{"words", "一百万", 0, true},
		{"a boolean", true, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := UnmarshalDecimal(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("UnmarshalDecimal(%v) = %v, %v", tt.in, got, err)
			}
		})
	}
	var buf bytes.Buffer
	MarshalDecimal(catalog.Amount(500000050)).MarshalGQL(&buf)
	if buf.String() != `"5000000.50"` {
		t.Errorf("MarshalDecimal = %s", buf.String())
	}
}

func TestDate(t *testing.T) {
	d, err := UnmarshalDate("2024-03-01")
	if err != nil || !d.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("UnmarshalDate = %v, %v", d, err)
	}
	for _, bad := range []any{"2024-13-01", "01/03/2024", 20240301} {
		if _, err := UnmarshalDate(bad); err == nil {
			t.Errorf("UnmarshalDate(%v) accepted", bad)
		}
	}
	var buf bytes.Buffer
	MarshalDate(d).MarshalGQL(&buf)
	if buf.String() != `"2024-03-01"` {
		t.Errorf("MarshalDate = %s", buf.String())
	}
}
