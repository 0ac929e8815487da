package resolvers

import (
	"context"
	"errors"
	"time"

	"github.com/yurong/yurong/access"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/store"
	"github.com/yurong/yurong/training"
)

// TrainingSessionType is the type of a training session's global ID.
const TrainingSessionType = "TrainingSession"

func (r *Resolver) today() time.Time {
	y, m, d := r.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// trainingSessionNode reads a session for node(id): public.
func (r *Resolver) trainingSessionNode(ctx context.Context, id int64) (relay.Node, error) {
	access.From(ctx).Touch() // not in the change log: never cached
	ts, err := r.Store.TrainingSession(ctx, id)
	if errors.Is(err, training.ErrNotFound) {
		return nil, nil
	}
	return ts, err
}

func (r *Resolver) trainingSessions(ctx context.Context, first *int, after *string, f *model.TrainingSessionFilter) (*model.TrainingSessionConnection, error) {
	access.From(ctx).Touch() // not in the change log: never cached
	n, afterID, err := page(first, after)
	if err != nil {
		return nil, err
	}
	q := store.TrainingQuery{After: afterID, Limit: n}
	if f != nil {
		q.Audience, q.Topic, q.City = deref(f.Audience, ""), deref(f.Topic, ""), deref(f.City, "")
	}
	ss, total, hasNext, err := r.Store.TrainingSessions(ctx, q)
	if err != nil {
		return nil, err
	}
	c := &model.TrainingSessionConnection{TotalCount: total, Edges: make([]*model.TrainingSessionEdge, len(ss))}
	for i, s := range ss {
		c.Edges[i] = &model.TrainingSessionEdge{Node: s, Cursor: relay.Cursor(s.ID)}
	}
	var start, end int64
	if len(ss) > 0 {
		start, end = ss[0].ID, ss[len(ss)-1].ID
	}
	c.PageInfo = pageInfo(hasNext, afterID != 0, start, end, len(ss) == 0)
	return c, nil
}
