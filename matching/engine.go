package matching

import (
	"sync"
	"time"

	"github.com/yurong/yurong/catalog"
)

// Kind indexes of the per-kind arrays.
const (
	kFinancing = iota
	kIncubation
	kIndustryChain
	kindCount
)

// pairingKinds are catalog's pairing kinds, whose order indexes the
// per-kind arrays (TestKindIndexesFollowCatalog holds the constants above
// to it).
var pairingKinds = [kindCount]catalog.PairingKind(catalog.PairingKinds)

func kindIndex(k catalog.PairingKind) (int, bool) {
	if i := k.Order(); i >= 0 && i < kindCount {
		return i, true
	}
	return 0, false
}

// Lists of eligible pairings, and of the others.
const (
	eligibleList = iota
	ineligibleList
)

func listOf(eligible bool) int {
	if eligible {
		return eligibleList
	}
	return ineligibleList
}

// row is an enterprise's best pairings per kind, eligible and not.
type row struct {
	lists [kindCount][2]topList
	at    time.Time // when the row was last computed
}

// column is a resource's best pairings, eligible and not.
type column struct {
	lists [2]topList
	at    time.Time // when the column was last computed
}

// Change names an enterprise whose pairings of a kind were recomputed by a
// write, for the pairingsChanged subscription.
type Change struct {
	EnterpriseID int64
	Kind         catalog.PairingKind
}

// Engine holds the engine's view of the marketplace and the ranked
// pairings. It is safe for concurrent use: reads share a read lock and are
// served from precomputed lists; a write holds the write lock while it
// updates the view and recomputes what the write affects, so every read
// after a write reflects it.
type Engine struct {
	cfg          Config
	modelVersion string
	rowCap       int // entries kept per enterprise list: TopPerEnterprise plus slack
	colCap       int // entries kept per resource list: TopPerResource plus slack

	mu sync.RWMutex
	// gen counts the exclusive sections that changed the engine: an
	// upsert evaluated under the read lock applies its evaluation only if
	// none ran meanwhile (upsert.go).
	gen  uint64
	asOf time.Time // the date every date rule is evaluated at
	x    evaluator

	ents   []*entView
	rows   []row
	entIdx map[int64]int32

	prods   []*prodView
	incs    []*incView
	dems    []*demView
	resIdx  [kindCount]map[int64]int32
	cols    [kindCount][]column
	cohorts [3]cohort

	text       *textIndex
	kwID       map[string]int32 // demand keyword → id
	kwVocab    []string         // id → keyword
	kwDemands  [][]int32        // keyword id → demands having it
	demByTrack map[uint32][]int32
	demByChain map[string][]int32

	scratch *scratch // for writes, under the write lock

	// rematchedGen is gen when a full rematch last filled the rows and
	// columns (0: never): while gen is still that, they are exactly a
	// rematch of the views (WriteSnapshot).
	rematchedGen uint64

	// rel holds the top-quarter 科技贷 banks (SetTopBanks) and the links
	// (SetLinks). They come from the workflows, not the dataset, so reset
	// keeps them and a Rebuild applies them.
	rel relations

	// The slice a search index holds (slice.go): its sizes, the pairings
	// noted since the last TakeSliceChanges (nil until TrackSlice), and
	// whether everything changed. Under mu, like the lists.
	slice      Slice
	sliceMarks map[sliceKey]struct{}
	sliceAll   bool
	colIn      [][]resRef // per enterprise: the columns whose slice holds it

	listenMu  sync.Mutex
	listeners []func([]Change)
}

// New returns an empty engine; Rebuild loads it.
func New(cfg Config) *Engine {
	cfg = cfg.withDefaults()
	e := &Engine{
		cfg:          cfg,
		modelVersion: cfg.ModelVersion(),
		rowCap:       cfg.TopPerEnterprise + max(5, cfg.TopPerEnterprise/2),
		colCap:       cfg.TopPerResource + max(10, cfg.TopPerResource/4),
	}
	e.reset(cfg.today())
	return e
}

// reset empties the engine and dates it today.
func (e *Engine) reset(today time.Time) {
	e.gen++
	e.asOf = today
	e.x = evaluator{cfg: &e.cfg, today: today, year: today.Year()}
	e.ents, e.rows, e.entIdx = nil, nil, map[int64]int32{}
	e.prods, e.incs, e.dems = nil, nil, nil
	for k := range e.resIdx {
		e.resIdx[k] = map[int64]int32{}
		e.cols[k] = nil
	}
	e.cohorts = [3]cohort{}
	e.text = newTextIndex()
	e.kwID, e.kwVocab, e.kwDemands = map[string]int32{}, nil, nil
	e.demByTrack, e.demByChain = map[uint32][]int32{}, map[string][]int32{}
	e.scratch = &scratch{}
}

// Config returns the engine's configuration.
func (e *Engine) Config() Config { return e.cfg }

// ModelVersion is the version of the scoring model in use.
func (e *Engine) ModelVersion() string { return e.modelVersion }

// Stage is the growth stage of ent by the pinned rule; it needs no state.
func (e *Engine) Stage(ent *catalog.Enterprise) catalog.GrowthStage { return StageOf(ent) }

// indicatorWeights returns the weights of stage.
func (e *Engine) indicatorWeights(stage catalog.GrowthStage) *[IndicatorCount]float64 {
	return e.cfg.IndicatorWeights.For(stage)
}

// freshTotal is enterprise i's total against its cohort as it is now.
func (e *Engine) freshTotal(i int32) int {
	v := e.ents[i]
	return e.cohorts[stageIndex(v.stage)].total(&v.values, e.indicatorWeights(v.stage))
}

// stale reports whether enterprise i's pairings must be recomputed before
// they are read: its cohort moved its total, or removals left a list unable
// to serve its top K.
func (e *Engine) stale(i int32) bool {
	if e.freshTotal(i) != e.ents[i].total {
		return true
	}
	for k := range e.rows[i].lists {
		for j := range e.rows[i].lists[k] {
			if e.rows[i].lists[k][j].incomplete(e.cfg.TopPerEnterprise) {
				return true
			}
		}
	}
	return false
}

// lookup finds an enterprise under the read lock, first bringing its
// pairings up to date when they are stale. It returns with the read lock
// held when ok.
func (e *Engine) lookup(id int64) (int32, bool) {
	e.mu.RLock()
	i, ok := e.entIdx[id]
	if !ok {
		e.mu.RUnlock()
		return 0, false
	}
	if !e.stale(i) {
		return i, true
	}
	e.mu.RUnlock()
	e.mu.Lock()
	if i, ok = e.entIdx[id]; ok && e.stale(i) {
		e.refreshTotal(i)
		e.recomputeRow(i)
		e.gen++
	}
	e.mu.Unlock()
	e.mu.RLock()
	i, ok = e.entIdx[id]
	if !ok {
		e.mu.RUnlock()
	}
	return i, ok
}

// refreshTotal brings enterprise i's cached total to its fresh value and
// reports whether it moved. Call with the write lock held.
func (e *Engine) refreshTotal(i int32) bool {
	v := e.ents[i]
	t := e.freshTotal(i)
	if t == v.total {
		return false
	}
	c := &e.cohorts[stageIndex(v.stage)]
	c.removeTotal(v.total)
	c.addTotal(t)
	v.total = t
	e.refreshModelTotals(v)
	return true
}
