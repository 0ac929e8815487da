package resolvers

import (
	"context"
	"errors"
	"fmt"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/models"
	"github.com/yurong/yurong/store"
)

// maxScoringModels bounds scoringModels(first:).
const maxScoringModels = 100

// ErrModelPrivate is the error of a scoring model the viewer may not read.
var ErrModelPrivate = fmt.Errorf("%w: a scoring model is for its institution and administrators", auth.ErrForbidden)

// modelReader reports whether the viewer may read the models of an
// institution: administrators and the institution's own accounts.
func modelReader(ctx context.Context, institutionID int64) bool {
	p := auth.From(ctx)
	return p.Role == auth.Administrator || (p.Role == auth.InstitutionRole && p.ActsFor(store.OrgInstitution, institutionID))
}

// readableModel returns the model when the viewer may read it, nil and no
// error when there is none, ErrModelPrivate otherwise.
func (r *Resolver) readableModel(ctx context.Context, id int64) (*models.Model, error) {
	m := r.Models.Model(id)
	if m == nil {
		return nil, nil
	}
	// SECURITY: a model is private to its institution and administrators.
	if !modelReader(ctx, m.InstitutionID) {
		return nil, ErrModelPrivate
	}
	return m, nil
}

// modelInput turns the API's input into the service's.
func modelInput(in *model.ScoringModelInput) models.Input {
	out := models.Input{Name: in.Name, Shared: in.Shared, Ignored: in.Ignored, MinScore: deref(in.MinScore, 0)}
	weights := func(ws []*model.IndicatorWeightInput) map[string]float64 {
		m := make(map[string]float64, len(ws))
		for _, w := range ws {
			m[w.Code] = w.Weight
		}
		return m
	}
	out.Weights = weights(in.Weights)
	out.StageWeights = map[catalog.GrowthStage]map[string]float64{}
	for _, sw := range in.StageWeights {
		out.StageWeights[sw.Stage] = weights(sw.Weights)
	}
	return out
}

// modelWritten drops the cached answers the models' scores moved.
func (r *Resolver) modelWritten(ctx context.Context) {
	if r.Responses != nil {
		r.Responses.Invalidate(ctx, "matching")
	}
}

// modelPayload maps a write's outcome.
func modelPayload(m *models.Model, problems catalog.Problems, err error) (*model.ScoringModelPayload, error) {
	if errors.Is(err, models.ErrNotFound) {
		return &model.ScoringModelPayload{UserErrors: userErrors(invalidID("modelId"))}, nil
	}
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return &model.ScoringModelPayload{UserErrors: userErrors(problems)}, nil
	}
	return &model.ScoringModelPayload{ScoringModel: m, UserErrors: userErrors(nil)}, nil
}

// adviceTarget reads the API's target.
func adviceTarget(in model.AdviceTargetInput) (matching.AdviceTarget, error) {
	t := matching.AdviceTarget{Kind: in.Kind, Score: deref(in.Score, 0)}
	if in.Grade != nil {
		t.Grade = *in.Grade
	}
	switch in.Kind {
	case matching.TargetScore:
		if in.Score == nil || *in.Score < 0 || *in.Score > 1000 {
			return t, invalidArgument("target.score", "SCORE needs a score between 0 and 1000")
		}
	case matching.TargetGrade:
		if in.Grade == nil {
			return t, invalidArgument("target.grade", "GRADE needs a grade")
		}
	case matching.TargetProduct:
		if in.ProductID == nil {
			return t, invalidArgument("target.productId", "PRODUCT needs a productId")
		}
		id, err := relay.ParseIntID("FinancialProduct", *in.ProductID)
		if err != nil {
			return t, invalidArgument("target.productId", "not a product's ID")
		}
		t.ProductID = id
	case matching.TargetEarlySmallHard:
	default:
		return t, invalidArgument("target.kind", "use SCORE, GRADE, EARLY_SMALL_HARD or PRODUCT")
	}
	return t, nil
}

// invalidArgument is a BAD_USER_INPUT error naming the argument.
func invalidArgument(arg, why string) error {
	return &gqlerror.Error{Message: fmt.Sprintf("参数 %s 无效：%s", arg, why), Extensions: map[string]any{"code": CodeBadUserInput, "argument": arg}}
}
