package matching

import "time"

// Redate moves the engine to today's date when the calendar has moved on,
// re-evaluating every date rule (ages, "this year and last year") and every
// pairing, and reports whether it did. It is the only way the date moves
// (writes and Rebuild keep it), so its caller alone knows the day turned
// and drops what the old day computed. The server calls it on a timer, so
// reads move to the new day at midnight and no write pays for the rebuild.
func (e *Engine) Redate() bool {
	e.mu.RLock()
	same := e.cfg.today().Equal(e.asOf)
	e.mu.RUnlock()
	if same {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cfg.today().Equal(e.asOf) {
		return false // another caller moved it meanwhile
	}
	e.rebuild(e.dataset(), e.cfg.today())
	return true
}

// AsOf is the date every date rule is evaluated at.
func (e *Engine) AsOf() time.Time {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.asOf
}
