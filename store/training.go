package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/training"
)

// The records of package training. Like clinics, they are not in the
// change log: nothing caches them.

func wrapTraining(op string, err error) error {
	if errors.Is(err, training.ErrNotFound) || errors.Is(err, training.ErrRegistered) {
		return err
	}
	return wrap(op, err)
}

const sessionCols = "id, title, audience, topic, city, held_on, capacity, taken, created_at"

func scanSession(sc scanner) (*training.Session, error) {
	var (
		s       training.Session
		held    dateCol
		created timeCol
	)
	if err := sc.Scan(&s.ID, &s.Title, &s.Audience, &s.Topic, &s.City, &held, &s.Capacity, &s.Taken, &created); err != nil {
		return nil, err
	}
	s.HeldOn, s.CreatedAt = held.t, created.t
	return &s, nil
}

// CreateTrainingSession inserts s and sets s.ID.
func (s *Store) CreateTrainingSession(ctx context.Context, ts *training.Session) error {
	err := s.write(ctx, func(c conn) error {
		err := c.queryRow(ctx, `INSERT INTO training_sessions (title, audience, topic, city, held_on, capacity, taken, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, 0, $7) RETURNING id`, ts.Title, string(ts.Audience), string(ts.Topic), string(ts.City),
			dateArg(ts.HeldOn), ts.Capacity, timeArg(ts.CreatedAt)).Scan(&ts.ID)
		if err != nil {
			return err
		}
		return audit(ctx, c, "TrainingSession", ts.ID, now())
	})
	return wrap("create training session", err)
}

// TrainingSession reads one session: training.ErrNotFound.
func (s *Store) TrainingSession(ctx context.Context, id int64) (*training.Session, error) {
	ts, err := scanSession(s.reader().queryRow(ctx, selectSQL("training_sessions", sessionCols, "WHERE id = $1"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: session %d", training.ErrNotFound, id)
	}
	return ts, wrapTraining("read training session", err)
}

// TrainingQuery selects sessions: zero fields do not filter.
type TrainingQuery struct {
	Audience training.Audience
	Topic    training.Topic
	City     catalog.City
	After    int64
	Limit    int
}

// TrainingSessions returns a page of sessions by id, the total and whether
// more follow.
func (s *Store) TrainingSessions(ctx context.Context, q TrainingQuery) (ss []*training.Session, total int, hasNext bool, err error) {
	where, args := "WHERE 1 = 1", []any{}
	if q.Audience != "" {
		where += numbered(" AND audience = ?", &args, string(q.Audience))
	}
	if q.Topic != "" {
		where += numbered(" AND topic = ?", &args, string(q.Topic))
	}
	if q.City != "" {
		where += numbered(" AND city = ?", &args, string(q.City))
	}
	return pageByID(ctx, s.reader(), "training_sessions", sessionCols, where, args, q.After, q.Limit, scanSession, "training sessions")
}

const registrationCols = "id, session_id, account_id, name, status, created_at"

func scanRegistration(sc scanner) (*training.Registration, error) {
	var (
		r       training.Registration
		created timeCol
	)
	if err := sc.Scan(&r.ID, &r.SessionID, &r.AccountID, &r.Name, &r.Status, &created); err != nil {
		return nil, err
	}
	r.CreatedAt = created.t
	return &r, nil
}

// Register gives the account a seat when one is free (a conditional
// update of the session's taken seats, which locks its row), else a place
// on the waiting list: training.ErrRegistered for a live registration of
// the account, training.ErrNotFound for an unknown session.
func (s *Store) Register(ctx context.Context, r *training.Registration) error {
	err := s.write(ctx, func(c conn) error {
		res, err := c.exec(ctx, "UPDATE training_sessions SET taken = taken + 1 WHERE id = $1 AND taken < capacity", r.SessionID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		r.Status = training.Registered
		if n == 0 {
			if _, err := scanSession(c.queryRow(ctx, selectSQL("training_sessions", sessionCols, "WHERE id = $1"), r.SessionID)); errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w: session %d", training.ErrNotFound, r.SessionID)
			} else if err != nil {
				return err
			}
			r.Status = training.Waitlisted
		}
		err = c.queryRow(ctx, `INSERT INTO training_registrations (session_id, account_id, name, status, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, r.SessionID, r.AccountID, r.Name, string(r.Status), timeArg(r.CreatedAt)).Scan(&r.ID)
		if uniqueViolation(err, "training_registrations_once", "training_registrations.session_id") {
			return fmt.Errorf("%w: account %d at session %d", training.ErrRegistered, r.AccountID, r.SessionID)
		}
		if err != nil {
			return err
		}
		return audit(ctx, c, "TrainingSession", r.SessionID, now())
	})
	return wrapTraining("register for training", err)
}

// CancelRegistration cancels the account's live registration; a freed
// seat goes to the first on the waiting list (by registration order), or
// back to the session: training.ErrNotFound when there is none.
func (s *Store) CancelRegistration(ctx context.Context, sessionID, accountID int64) (*training.Registration, error) {
	var out *training.Registration
	err := s.write(ctx, func(c conn) error {
		// Lock the session's row first, as Register does.
		if _, err := c.exec(ctx, "UPDATE training_sessions SET taken = taken WHERE id = $1", sessionID); err != nil {
			return err
		}
		r, err := scanRegistration(c.queryRow(ctx, selectSQL("training_registrations", registrationCols,
			"WHERE session_id = $1 AND account_id = $2 AND status IN ('REGISTERED', 'WAITLISTED')"), sessionID, accountID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: registration of %d at %d", training.ErrNotFound, accountID, sessionID)
		}
		if err != nil {
			return err
		}
		if _, err := c.exec(ctx, "UPDATE training_registrations SET status = 'CANCELLED' WHERE id = $1", r.ID); err != nil {
			return err
		}
		if r.Status == training.Registered {
			res, err := c.exec(ctx, `UPDATE training_registrations SET status = 'REGISTERED' WHERE id = (
				SELECT id FROM training_registrations WHERE session_id = $1 AND status = 'WAITLISTED' ORDER BY id LIMIT 1)`, sessionID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				if _, err := c.exec(ctx, "UPDATE training_sessions SET taken = taken - 1 WHERE id = $1", sessionID); err != nil {
					return err
				}
			}
		}
		r.Status, out = training.Cancelled, r
		return audit(ctx, c, "TrainingSession", sessionID, now())
	})
	return out, wrapTraining("cancel registration", err)
}

// MarkAttended marks the accounts' seats at the session ATTENDED and
// returns how many were marked (a waiting or cancelled place is not).
func (s *Store) MarkAttended(ctx context.Context, sessionID int64, accountIDs []int64) (int, error) {
	var n int64
	err := s.write(ctx, func(c conn) error {
		for _, id := range accountIDs {
			res, err := c.exec(ctx, "UPDATE training_registrations SET status = 'ATTENDED' WHERE session_id = $1 AND account_id = $2 AND status = 'REGISTERED'",
				sessionID, id)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += k
		}
		return audit(ctx, c, "TrainingSession", sessionID, now())
	})
	return int(n), wrap("record attendance", err)
}

// Registrations returns the session's registrations in order.
func (s *Store) Registrations(ctx context.Context, sessionID int64) ([]*training.Registration, error) {
	rows, err := s.reader().query(ctx, selectSQL("training_registrations", registrationCols, "WHERE session_id = $1 ORDER BY id"), sessionID)
	if err != nil {
		return nil, wrap("read registrations", err)
	}
	return collect(rows, scanRegistration, "read registrations")
}

// TrainingReach counts, per audience and city, the sessions held within
// the year and the distinct people who attended one.
func (s *Store) TrainingReach(ctx context.Context, year int) ([]training.Reach, error) {
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	rows, err := s.reader().query(ctx, `SELECT s.audience, s.city, COUNT(DISTINCT s.id),
			COUNT(DISTINCT CASE WHEN r.status = 'ATTENDED' THEN r.account_id END)
		FROM training_sessions s LEFT JOIN training_registrations r ON r.session_id = s.id
		WHERE s.held_on >= $1 AND s.held_on <= $2
		GROUP BY s.audience, s.city ORDER BY s.audience, s.city`, dateArg(from), dateArg(to))
	if err != nil {
		return nil, wrap("read training reach", err)
	}
	var out []training.Reach
	err = eachRow(rows, func() error {
		var r training.Reach
		if err := rows.Scan(&r.Audience, &r.City, &r.Sessions, &r.People); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, wrap("read training reach", err)
}

// ErrBelowTaken: a capacity below the seats already held.
var ErrBelowTaken = errors.New("training: capacity below the seats taken")

// SetTrainingCapacity changes the session's capacity; seats it adds go to
// the waiting list in registration order, in the same transaction. A
// capacity below the seats held is ErrBelowTaken; an unknown session
// training.ErrNotFound. It returns the session as committed.
func (s *Store) SetTrainingCapacity(ctx context.Context, id int64, capacity int) (*training.Session, error) {
	var out *training.Session
	err := s.write(ctx, func(c conn) error {
		res, err := c.exec(ctx, "UPDATE training_sessions SET capacity = $2 WHERE id = $1 AND taken <= $2", id, capacity)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			if _, err := scanSession(c.queryRow(ctx, selectSQL("training_sessions", sessionCols, "WHERE id = $1"), id)); errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w: session %d", training.ErrNotFound, id)
			}
			return fmt.Errorf("%w: session %d", ErrBelowTaken, id)
		}
		for {
			res, err := c.exec(ctx, `UPDATE training_registrations SET status = 'REGISTERED' WHERE id = (
				SELECT id FROM training_registrations WHERE session_id = $1 AND status = 'WAITLISTED' ORDER BY id LIMIT 1)
				AND (SELECT taken < capacity FROM training_sessions WHERE id = $1)`, id)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				break
			}
			if _, err := c.exec(ctx, "UPDATE training_sessions SET taken = taken + 1 WHERE id = $1", id); err != nil {
				return err
			}
		}
		if out, err = scanSession(c.queryRow(ctx, selectSQL("training_sessions", sessionCols, "WHERE id = $1"), id)); err != nil {
			return err
		}
		return audit(ctx, c, "TrainingSession", id, now())
	})
	if errors.Is(err, ErrBelowTaken) {
		return nil, err
	}
	return out, wrapTraining("set training capacity", err)
}
