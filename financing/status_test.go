package financing

import "testing"

func TestStatusValid(t *testing.T) {
	for _, s := range []Status{PreApplied, Submitted, Approved, Rejected, Disbursed, Withdrawn} {
		if !s.Valid() {
			t.Errorf("%s.Valid() = false, want true", s)
		}
	}
	for _, s := range []Status{"", "pre_applied", "CLOSED"} {
		if s.Valid() {
			t.Errorf("%q.Valid() = true, want false", s)
		}
	}
}

func TestStatusOpen(t *testing.T) {
	tests := []struct {
		s    Status
		want bool
	}{
		{PreApplied, true},
		{Submitted, true},
		{Approved, true},
		{Rejected, false},
		{Disbursed, false},
		{Withdrawn, false},
		{"UNKNOWN", false},
	}
	for _, tt := range tests {
		if got := tt.s.Open(); got != tt.want {
			t.Errorf("%s.Open() = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestCanMove(t *testing.T) {
	// Every pair of the six statuses: rows are from, columns are to.
	tests := []struct {
		from, to Status
		want     bool
	}{
		{PreApplied, PreApplied, false},
		{PreApplied, Submitted, true},
		{PreApplied, Approved, false},
		{PreApplied, Rejected, false},
		{PreApplied, Disbursed, false},
		{PreApplied, Withdrawn, true},

		{Submitted, PreApplied, false},
		{Submitted, Submitted, false},
		{Submitted, Approved, true},
		{Submitted, Rejected, true},
		{Submitted, Disbursed, false},
		{Submitted, Withdrawn, true},

		{Approved, PreApplied, false},
		{Approved, Submitted, false},
		{Approved, Approved, false},
		{Approved, Rejected, false},
		{Approved, Disbursed, true},
		{Approved, Withdrawn, true},

		{Rejected, PreApplied, false},
		{Rejected, Submitted, false},
		{Rejected, Approved, false},
		{Rejected, Rejected, false},
		{Rejected, Disbursed, false},
		{Rejected, Withdrawn, false},

		{Disbursed, PreApplied, false},
		{Disbursed, Submitted, false},
		{Disbursed, Approved, false},
		{Disbursed, Rejected, false},
		{Disbursed, Disbursed, false},
		{Disbursed, Withdrawn, false},

		{Withdrawn, PreApplied, false},
		{Withdrawn, Submitted, false},
		{Withdrawn, Approved, false},
		{Withdrawn, Rejected, false},
		{Withdrawn, Disbursed, false},
		{Withdrawn, Withdrawn, false},
	}
	if len(tests) != 36 {
		t.Fatalf("table has %d pairs, want 36", len(tests))
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+" to "+string(tt.to), func(t *testing.T) {
			if got := CanMove(tt.from, tt.to); got != tt.want {
				t.Errorf("CanMove(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestCanMoveUnknownStatus(t *testing.T) {
	if CanMove("UNKNOWN", Withdrawn) || CanMove(PreApplied, "UNKNOWN") || CanMove("", Submitted) {
		t.Error("a move involving an unknown status was allowed")
	}
}
