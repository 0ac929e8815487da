package financing

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool {
	switch s {
	case PreApplied, Submitted, Approved, Rejected, Disbursed, Withdrawn:
		return true
	}
	return false
}

// Open reports whether an application in status s still awaits a step from
// the enterprise or the bank; REJECTED, DISBURSED and WITHDRAWN are final.
func (s Status) Open() bool {
	switch s {
	case PreApplied, Submitted, Approved:
		return true
	}
	return false
}

// CanMove reports whether an application may move from one status to
// another. The moves are PRE_APPLIED → SUBMITTED, SUBMITTED → APPROVED or
// REJECTED, APPROVED → DISBURSED, and any open status → WITHDRAWN. Staying
// in the same status is not a move.
func CanMove(from, to Status) bool {
	switch {
	case to == Withdrawn:
		return from.Open()
	case from == PreApplied:
		return to == Submitted
	case from == Submitted:
		return to == Approved || to == Rejected
	case from == Approved:
		return to == Disbursed
	}
	return false
}
