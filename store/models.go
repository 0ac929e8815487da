package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/models"
)

// The records of package models: institutions' scoring models, their
// immutable versions and the products' uses of them. Every write logs
// models.EntityScoringModel so every instance reloads the engine's models.

// modelWeights is the JSON form of a version's weights.
type modelWeights struct {
	Startup []float64 `json:"startup"`
	Growth  []float64 `json:"growth"`
	Stable  []float64 `json:"stable"`
}

func weightsArg(w matching.IndicatorWeights) (string, error) {
	return jsonArg(modelWeights{Startup: w.Startup[:], Growth: w.Growth[:], Stable: w.Stable[:]})
}

func (mw modelWeights) weights() (matching.IndicatorWeights, error) {
	var w matching.IndicatorWeights
	for _, s := range []struct {
		dst *[matching.IndicatorCount]float64
		src []float64
	}{{&w.Startup, mw.Startup}, {&w.Growth, mw.Growth}, {&w.Stable, mw.Stable}} {
		if len(s.src) != matching.IndicatorCount {
			return w, fmt.Errorf("a model's weights hold %d values, not %d", len(s.src), matching.IndicatorCount)
		}
		copy(s.dst[:], s.src)
	}
	return w, nil
}

const modelVersionCols = "model_id, version, shared, weights, ignored, min_score, created_by, created_at"

func scanModelVersion(sc scanner) (*models.Version, error) {
	var (
		v       models.Version
		mw      modelWeights
		by      sql.NullInt64
		created timeCol
	)
	if err := sc.Scan(&v.ModelID, &v.Version, &v.Shared, jsonCol{&mw}, jsonCol{&v.Ignored}, &v.MinScore, &by, &created); err != nil {
		return nil, err
	}
	w, err := mw.weights()
	if err != nil {
		return nil, err
	}
	v.Weights, v.CreatedBy, v.CreatedAt = w, by.Int64, created.t
	if v.Ignored == nil {
		v.Ignored = []string{}
	}
	return &v, nil
}

// insertModelVersion writes v inside the transaction of c.
func insertModelVersion(ctx context.Context, c conn, v *models.Version) error {
	w, err := weightsArg(v.Weights)
	if err != nil {
		return err
	}
	ignored, err := jsonArg(v.Ignored)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, "INSERT INTO scoring_model_versions ("+modelVersionCols+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		v.ModelID, v.Version, v.Shared, w, ignored, v.MinScore, nullIfZero(v.CreatedBy), timeArg(v.CreatedAt))
	return err
}

// CreateScoringModel inserts m and its first version in one transaction.
func (s *Store) CreateScoringModel(ctx context.Context, m *models.Model, v *models.Version) error {
	t := now()
	err := s.write(ctx, func(c conn) error {
		if err := c.queryRow(ctx, "INSERT INTO scoring_models (institution_id, name, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
			m.InstitutionID, m.Name, nullIfZero(m.CreatedBy), timeArg(t)).Scan(&m.ID); err != nil {
			return err
		}
		v.ModelID, v.Version, v.CreatedAt = m.ID, 1, t
		if err := insertModelVersion(ctx, c, v); err != nil {
			return err
		}
		return addOutbox(ctx, c, models.EntityScoringModel, m.ID, t)
	})
	m.CreatedAt = t
	return wrap("create scoring model", err)
}

// AddScoringModelVersion inserts the next version of v.ModelID. The
// number is drawn from the versions in the same transaction; two
// revisions at once collide on the primary key and one fails, so no
// version is ever overwritten.
func (s *Store) AddScoringModelVersion(ctx context.Context, v *models.Version) error {
	t := now()
	err := s.write(ctx, func(c conn) error {
		var latest sql.NullInt64
		if err := c.queryRow(ctx, "SELECT MAX(version) FROM scoring_model_versions WHERE model_id = $1", v.ModelID).Scan(&latest); err != nil {
			return err
		}
		if !latest.Valid {
			return fmt.Errorf("%w: scoring model %d", models.ErrNotFound, v.ModelID)
		}
		v.Version, v.CreatedAt = int(latest.Int64)+1, t
		if err := insertModelVersion(ctx, c, v); err != nil {
			return err
		}
		return addOutbox(ctx, c, models.EntityScoringModel, v.ModelID, t)
	})
	if errors.Is(err, models.ErrNotFound) {
		return err
	}
	return wrap("revise scoring model", err)
}

const modelCols = "id, institution_id, name, created_by, created_at"

func scanModel(sc scanner) (*models.Model, error) {
	var (
		m       models.Model
		by      sql.NullInt64
		created timeCol
	)
	if err := sc.Scan(&m.ID, &m.InstitutionID, &m.Name, &by, &created); err != nil {
		return nil, err
	}
	m.CreatedBy, m.CreatedAt = by.Int64, created.t
	return &m, nil
}

// ScoringModel reads a model with its latest version.
func (s *Store) ScoringModel(ctx context.Context, id int64) (*models.Model, error) {
	ms, err := s.readModels(ctx, "WHERE id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("%w: scoring model %d", models.ErrNotFound, id)
	}
	return ms[0], nil
}

// ScoringModels reads an institution's models (every model for 0) with
// their latest versions, by id.
func (s *Store) ScoringModels(ctx context.Context, institutionID int64) ([]*models.Model, error) {
	if institutionID == 0 {
		return s.readModels(ctx, "")
	}
	return s.readModels(ctx, "WHERE institution_id = $1", institutionID)
}

func (s *Store) readModels(ctx context.Context, where string, args ...any) ([]*models.Model, error) {
	var ms []*models.Model
	err := s.readTx(ctx, func(c conn) error {
		rows, err := c.query(ctx, selectSQL("scoring_models", modelCols, where+" ORDER BY id"), args...)
		if err != nil {
			return err
		}
		if ms, err = collect(rows, scanModel, "read scoring models"); err != nil {
			return err
		}
		for _, m := range ms {
			v, err := scanModelVersion(c.queryRow(ctx, selectSQL("scoring_model_versions", modelVersionCols,
				"WHERE model_id = $1 ORDER BY version DESC LIMIT 1"), m.ID))
			if err != nil {
				return fmt.Errorf("latest version of scoring model %d: %w", m.ID, err)
			}
			m.Latest = v
		}
		return nil
	})
	return ms, wrap("read scoring models", err)
}

// ScoringModelVersions reads every version of a model, oldest first.
func (s *Store) ScoringModelVersions(ctx context.Context, id int64) ([]*models.Version, error) {
	rows, err := s.reader().query(ctx, selectSQL("scoring_model_versions", modelVersionCols, "WHERE model_id = $1 ORDER BY version"), id)
	if err != nil {
		return nil, wrap("read scoring model versions", err)
	}
	return collect(rows, scanModelVersion, "read scoring model versions")
}

// SetProductScoringModel sets (or, with ModelID 0, removes) a product's
// use of a model.
func (s *Store) SetProductScoringModel(ctx context.Context, u models.Use, by int64) error {
	t := now()
	err := s.write(ctx, func(c conn) error {
		if _, err := c.exec(ctx, "DELETE FROM product_scoring_models WHERE product_id = $1", u.ProductID); err != nil {
			return err
		}
		if u.ModelID != 0 {
			if _, err := c.exec(ctx, "INSERT INTO product_scoring_models (product_id, model_id, mode, set_by, set_at) VALUES ($1, $2, $3, $4, $5)",
				u.ProductID, u.ModelID, string(u.Mode), nullIfZero(by), timeArg(t)); err != nil {
				return err
			}
		}
		return addOutbox(ctx, c, models.EntityScoringModel, u.ModelID, t)
	})
	return wrap("set product scoring model", err)
}

// ProductScoringModels reads every product's use of a model.
func (s *Store) ProductScoringModels(ctx context.Context) ([]models.Use, error) {
	rows, err := s.reader().query(ctx, "SELECT product_id, model_id, mode FROM product_scoring_models ORDER BY product_id")
	if err != nil {
		return nil, wrap("read product scoring models", err)
	}
	defer rows.Close()
	var out []models.Use
	for rows.Next() {
		var u models.Use
		var mode string
		if err := rows.Scan(&u.ProductID, &u.ModelID, &mode); err != nil {
			return nil, wrap("read product scoring models", err)
		}
		u.Mode = matching.ModelMode(mode)
		out = append(out, u)
	}
	return out, wrap("read product scoring models", rows.Err())
}
