package catalog

import "testing"

func TestValidCreditCode(t *testing.T) {
	tests := []struct {
		name string
		code string
		want bool
	}{
		{"a published code of a real company", "91110000802100433B", true},
		{"another published code", "91350100M000100Y43", true},
		{"the check character changed", "91110000802100433C", false},
		{"one character short", "91110000802100433", false},
		{"lower case letters", "91350100m000100y43", false},
		{"a letter outside the alphabet", "9111000080210043IB", false},
		{"empty", "", false},
		{"Chinese characters", "九一一一〇〇〇〇八〇二一〇〇四三三B", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidCreditCode(tt.code); got != tt.want {
				t.Errorf("ValidCreditCode(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}

func TestCreditCodeCheckCharRoundTrip(t *testing.T) {
	prefix := "91410100MA44XXXX0"
	c, ok := CreditCodeCheckChar(prefix)
	if !ok {
		t.Fatalf("CreditCodeCheckChar(%q) refused a valid prefix", prefix)
	}
	if !ValidCreditCode(prefix + string(c)) {
		t.Errorf("code built with its own check character %q is not valid", c)
	}
}
