package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/matching"
)

// Errors the store returns, matched with errors.Is.
var (
	// ErrNotFound: no such model, or no such product.
	ErrNotFound = errors.New("models: not found")
)

// EntityScoringModel is the change-log entity of a model's version and of
// a product's use of a model, shared with the store and the marketplace.
const EntityScoringModel = "scoring_model"

// Codes of the userErrors beyond catalog's, part of the public API.
const (
	CodeUnknownIndicator = "UNKNOWN_INDICATOR"
	CodeInvalidWeights   = "INVALID_WEIGHTS"
	CodeNotOwner         = "NOT_OWNER"
)

// Model is a scoring model of an institution, with its latest version.
type Model struct {
	ID            int64
	InstitutionID int64
	Name          string
	CreatedBy     int64
	CreatedAt     time.Time
	Latest        *Version
}

// Version is one immutable version of a model.
type Version struct {
	ModelID int64
	Version int
	// Shared: one set of weights for every growth stage.
	Shared bool
	// Weights per stage, in the order of matching.Indicators, with the
	// ignored indicators at 0.
	Weights matching.IndicatorWeights
	// Ignored are the codes of the indicators the model ignores.
	Ignored []string
	// MinScore is the least model score a product using the model
	// accepts; 0 is none.
	MinScore  int
	CreatedBy int64
	CreatedAt time.Time
}

// Use is a product's use of a model.
type Use struct {
	ProductID int64
	ModelID   int64
	Mode      matching.ModelMode
}

// Store is the system of record as the service uses it. Every write
// commits its rows and a change-log entry (EntityScoringModel) in one
// transaction.
type Store interface {
	// CreateScoringModel inserts m and its first version v; it sets m.ID,
	// v.ModelID and v.Version (1).
	CreateScoringModel(ctx context.Context, m *Model, v *Version) error
	// AddScoringModelVersion inserts the next version of v.ModelID and
	// sets v.Version: ErrNotFound.
	AddScoringModelVersion(ctx context.Context, v *Version) error
	// ScoringModel reads a model with its latest version: ErrNotFound.
	ScoringModel(ctx context.Context, id int64) (*Model, error)
	// ScoringModels reads an institution's models (every model for 0), by id.
	ScoringModels(ctx context.Context, institutionID int64) ([]*Model, error)
	// ScoringModelVersions reads every version of a model, oldest first.
	ScoringModelVersions(ctx context.Context, id int64) ([]*Version, error)
	// SetProductScoringModel sets a product's use (ModelID 0 removes it).
	SetProductScoringModel(ctx context.Context, u Use, by int64) error
	// ProductScoringModels reads every product's use.
	ProductScoringModels(ctx context.Context) ([]Use, error)
}

// Catalog is the read model: the products the uses name.
type Catalog interface {
	FinancialProduct(id int64) *catalog.FinancialProduct
	Institution(id int64) *catalog.Institution
}

// Engine is the matching engine as the service feeds it.
type Engine interface {
	SetScoringModels(models []matching.ScoringModel, uses map[int64]matching.ModelUse) bool
}

// Service runs the writes and reads of the models. Reads are served from
// a snapshot of every model, version and use, which Reload takes from the
// store (after every write of this instance, and on the change feed for
// the others'); models are few, and a field resolver never queries the
// store.
type Service struct {
	store   Store
	catalog Catalog
	engine  Engine
	// OnChange hears every committed write (EntityScoringModel, id). Set
	// it before the first call.
	OnChange func(entity string, id int64)

	reload sync.Mutex // one Reload at a time, so snapshots apply in order
	mu     sync.RWMutex
	snap   snapshot
}

type snapshot struct {
	models   map[int64]*Model
	versions map[int64][]*Version // oldest first
	uses     map[int64]Use        // by product
}

// New returns the service over its collaborators.
func New(st Store, c Catalog, eng Engine) *Service {
	return &Service{store: st, catalog: c, engine: eng, snap: snapshot{models: map[int64]*Model{}, versions: map[int64][]*Version{}, uses: map[int64]Use{}}}
}

// Reload reads every model, version and use from the store, serves them
// from now on and gives the engine the latest versions and the uses. It
// reports whether the engine's scores moved.
func (s *Service) Reload(ctx context.Context) (bool, error) {
	s.reload.Lock()
	defer s.reload.Unlock()
	ms, err := s.store.ScoringModels(ctx, 0)
	if err != nil {
		return false, err
	}
	uses, err := s.store.ProductScoringModels(ctx)
	if err != nil {
		return false, err
	}
	next := snapshot{models: map[int64]*Model{}, versions: map[int64][]*Version{}, uses: map[int64]Use{}}
	engModels := make([]matching.ScoringModel, 0, len(ms))
	for _, m := range ms {
		vs, err := s.store.ScoringModelVersions(ctx, m.ID)
		if err != nil {
			return false, err
		}
		next.models[m.ID], next.versions[m.ID] = m, vs
		engModels = append(engModels, EngineModel(m, m.Latest))
	}
	engUses := make(map[int64]matching.ModelUse, len(uses))
	for _, u := range uses {
		next.uses[u.ProductID] = u
		engUses[u.ProductID] = matching.ModelUse{ModelID: u.ModelID, Mode: u.Mode}
	}
	s.mu.Lock()
	s.snap = next
	s.mu.Unlock()
	return s.engine.SetScoringModels(engModels, engUses), nil
}

func (s *Service) changed(id int64) {
	if s.OnChange != nil {
		s.OnChange(EntityScoringModel, id)
	}
}

// Input is a model's content as a caller writes it. Weights not given
// default to the province's weight of the stage; Ignored sets indicators
// to 0.
type Input struct {
	Name string
	// Shared: Weights apply to every stage; else StageWeights do.
	Shared       bool
	Weights      map[string]float64
	StageWeights map[catalog.GrowthStage]map[string]float64
	Ignored      []string
	MinScore     int
}

// MaxNameLen bounds a model's name, in characters.
const MaxNameLen = 100

// version validates in and builds the version it describes, or returns
// the problems as userErrors (fields under "input").
func (in Input) version() (*Version, catalog.Problems) {
	var p catalog.Problems
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		p.Add(catalog.CodeRequired, "模型名称不能为空", "input", "name")
	case utf8.RuneCountInString(name) > MaxNameLen:
		p.Add(catalog.CodeTooLong, fmt.Sprintf("不能超过 %d 个字符", MaxNameLen), "input", "name")
	}
	if in.MinScore < 0 || in.MinScore > 1000 {
		p.Add(catalog.CodeOutOfRange, "最低模型评分应在 0 到 1000 之间", "input", "minScore")
	}
	index := map[string]int{}
	for i, ind := range matching.Indicators() {
		index[ind.Code] = i
	}
	def := matching.DefaultIndicatorWeights()
	v := &Version{Shared: in.Shared, Weights: def, MinScore: in.MinScore, Ignored: []string{}}
	set := func(w *[matching.IndicatorCount]float64, given map[string]float64, field ...string) {
		for code, x := range given {
			i, ok := index[code]
			if !ok {
				p.Add(CodeUnknownIndicator, fmt.Sprintf("未知指标「%s」", code), append(field, code)...)
				continue
			}
			w[i] = x
		}
	}
	if in.Shared {
		// A shared model starts from the growth stage's weights, the
		// middle of the three, unless it gives its own.
		shared := def.Growth
		set(&shared, in.Weights, "input", "weights")
		v.Weights = matching.IndicatorWeights{Startup: shared, Growth: shared, Stable: shared}
	} else {
		for stage, given := range in.StageWeights {
			if !slices.Contains(catalog.Stages, stage) {
				p.Add(catalog.CodeInvalid, fmt.Sprintf("未知成长阶段「%s」", stage), "input", "stageWeights")
				continue
			}
			set(v.Weights.For(stage), given, "input", "stageWeights", string(stage))
		}
	}
	for _, code := range in.Ignored {
		i, ok := index[code]
		if !ok {
			p.Add(CodeUnknownIndicator, fmt.Sprintf("未知指标「%s」", code), "input", "ignored")
			continue
		}
		if !slices.Contains(v.Ignored, code) {
			v.Ignored = append(v.Ignored, code)
		}
		v.Weights.Startup[i], v.Weights.Growth[i], v.Weights.Stable[i] = 0, 0, 0
	}
	if len(p) == 0 {
		if msg := matching.ValidateModelWeights(v.Weights); msg != "" {
			p.Add(CodeInvalidWeights, msg, "input", "weights")
		}
	}
	return v, p
}

// Create validates in and writes a new model of the institution with its
// first version.
func (s *Service) Create(ctx context.Context, institutionID int64, in Input, by int64) (*Model, catalog.Problems, error) {
	v, p := in.version()
	if s.catalog.Institution(institutionID) == nil {
		p.Add(catalog.CodeNotFound, "机构不存在", "input", "institutionId")
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	v.CreatedBy = by
	m := &Model{InstitutionID: institutionID, Name: strings.TrimSpace(in.Name), CreatedBy: by}
	if err := s.store.CreateScoringModel(ctx, m, v); err != nil {
		return nil, nil, err
	}
	m.Latest = v
	if _, err := s.Reload(ctx); err != nil {
		return nil, nil, err
	}
	s.changed(m.ID)
	return m, nil, nil
}

// Revise validates in and writes the next version of the model; the
// name is the model's and does not change.
func (s *Service) Revise(ctx context.Context, modelID int64, in Input, by int64) (*Model, catalog.Problems, error) {
	m := s.Model(modelID)
	if m == nil {
		return nil, nil, fmt.Errorf("%w: scoring model %d", ErrNotFound, modelID)
	}
	if strings.TrimSpace(in.Name) == "" {
		in.Name = m.Name
	}
	v, p := in.version()
	if len(p) > 0 {
		return nil, p, nil
	}
	v.ModelID, v.CreatedBy = modelID, by
	if err := s.store.AddScoringModelVersion(ctx, v); err != nil {
		return nil, nil, err
	}
	if _, err := s.Reload(ctx); err != nil {
		return nil, nil, err
	}
	s.changed(modelID)
	return s.Model(modelID), nil, nil
}

// SetProductModel makes a product use a model (modelID 0: none). The
// product and the model must belong to the same institution.
func (s *Service) SetProductModel(ctx context.Context, productID, modelID int64, mode matching.ModelMode, by int64) (catalog.Problems, error) {
	var p catalog.Problems
	prod := s.catalog.FinancialProduct(productID)
	if prod == nil {
		p.Add(catalog.CodeNotFound, "金融产品不存在", "input", "productId")
		return p, nil
	}
	if modelID != 0 {
		m := s.Model(modelID)
		if m == nil {
			p.Add(catalog.CodeNotFound, "评分模型不存在", "input", "modelId")
			return p, nil
		}
		if m.InstitutionID != prod.ProviderID {
			p.Add(CodeNotOwner, "产品只能引用本机构的评分模型", "input", "modelId")
		}
		if mode != matching.ModelReplaces && mode != matching.ModelAccompanies {
			p.Add(catalog.CodeInvalid, "模式须为 REPLACE 或 ACCOMPANY", "input", "mode")
		}
	}
	if len(p) > 0 {
		return p, nil
	}
	if err := s.store.SetProductScoringModel(ctx, Use{ProductID: productID, ModelID: modelID, Mode: mode}, by); err != nil {
		return nil, err
	}
	if _, err := s.Reload(ctx); err != nil {
		return nil, err
	}
	s.changed(modelID)
	return nil, nil
}

// Model is a model with its latest version, or nil.
func (s *Service) Model(id int64) *Model {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.snap.models[id]
}

// Models are an institution's models by id.
func (s *Service) Models(institutionID int64) []*Model {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*Model
	for _, m := range s.snap.models {
		if m.InstitutionID == institutionID {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b *Model) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Versions are every version of a model, oldest first.
func (s *Service) Versions(id int64) []*Version {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.snap.versions[id]
}

// Products are the ids of the products using a model, ascending.
func (s *Service) Products(modelID int64) []int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []int64
	for _, u := range s.snap.uses {
		if u.ModelID == modelID {
			out = append(out, u.ProductID)
		}
	}
	slices.Sort(out)
	return out
}

// EngineModel is a version of m as the engine takes it.
func EngineModel(m *Model, v *Version) matching.ScoringModel {
	return matching.ScoringModel{ID: m.ID, InstitutionID: m.InstitutionID, Version: v.Version, Name: m.Name, Weights: v.Weights, MinScore: v.MinScore}
}
