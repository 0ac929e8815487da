package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// MeiliOptions tune the Meilisearch adapter; the zero value is fine.
type MeiliOptions struct {
	// IndexPrefix is put before every index uid, e.g. to share a server.
	IndexPrefix string
	// BatchSize is the most documents sent in one request (default 10,000;
	// Meilisearch batches consecutive additions itself).
	BatchSize int
	// TaskPoll is the interval between two reads of a task's status
	// (default 20 ms).
	TaskPoll time.Duration
	// TaskTimeout bounds the wait for one task (default 10 minutes).
	TaskTimeout time.Duration
	// HTTPClient replaces the default client (tests).
	HTTPClient *http.Client
}

// Meili is the Meilisearch adapter: one index per document type
// (enterprises, financial_products, incubators, supply_chain_demands) plus
// pairings. Every write waits for its task and turns a task that did not
// succeed into an error wrapping ErrTaskFailed: Meilisearch accepts a bad
// request with 202 and reports the failure only in the task.
type Meili struct {
	client meilisearch.ServiceManager
	opts   MeiliOptions

	rebuildMu sync.Mutex
}

var _ Engine = (*Meili)(nil)

// Markers Meilisearch wraps matches in: private-use characters that never
// occur in the data, so the text around them can be HTML-escaped before
// they become <em> and </em>.
const (
	hlPre  = "\uE000"
	hlPost = "\uE001"
)

// OpenMeili connects to Meilisearch at url with the API key (may be
// empty), creates the indexes that are missing and applies their settings,
// waiting for each task: settings go in before any document.
func OpenMeili(ctx context.Context, url, key string, opts MeiliOptions) (*Meili, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 10_000
	}
	if opts.TaskPoll <= 0 {
		opts.TaskPoll = 20 * time.Millisecond
	}
	if opts.TaskTimeout <= 0 {
		opts.TaskTimeout = 10 * time.Minute
	}
	var mo []meilisearch.Option
	if key != "" {
		mo = append(mo, meilisearch.WithAPIKey(key))
	}
	if opts.HTTPClient != nil {
		mo = append(mo, meilisearch.WithCustomClient(opts.HTTPClient))
	}
	m := &Meili{client: meilisearch.New(url, mo...), opts: opts}
	for _, t := range meiliTypes {
		if err := m.prepareIndex(ctx, m.uid(t), t); err != nil {
			m.client.Close()
			return nil, err
		}
	}
	return m, nil
}

// uid is the index uid of a document type.
func (m *Meili) uid(t DocType) string { return m.opts.IndexPrefix + meiliIndexes[t] }

// prepareIndex creates the index when missing and applies its settings.
func (m *Meili) prepareIndex(ctx context.Context, uid string, t DocType) error {
	info, err := m.client.CreateIndex(ctx, &meilisearch.IndexConfig{Uid: uid, PrimaryKey: "id"})
	err = m.await(ctx, info, err, "create index "+uid)
	if err != nil && !isTaskCode(err, "index_already_exists") {
		return err
	}
	settings := catalogSettings()
	if t == TypePairing {
		settings = pairingSettings()
	}
	info, err = m.client.Index(uid).UpdateSettings(ctx, settings)
	return m.await(ctx, info, err, "settings of "+uid)
}

// taskError is a task that did not succeed.
type taskError struct {
	what   string
	uid    int64
	status meilisearch.TaskStatus
	code   string
	msg    string
}

func (e *taskError) Error() string {
	return fmt.Sprintf("search: meilisearch %s: task %d %s: %s (%s)", e.what, e.uid, e.status, e.msg, e.code)
}

func (e *taskError) Unwrap() error { return ErrTaskFailed }

func isTaskCode(err error, code string) bool {
	var te *taskError
	return errors.As(err, &te) && te.code == code
}

// await waits for the task of a call that enqueued one and checks that it
// succeeded.
func (m *Meili) await(ctx context.Context, info *meilisearch.TaskInfo, err error, what string) error {
	if err != nil {
		return fmt.Errorf("search: meilisearch %s: %w", what, err)
	}
	return m.awaitUID(ctx, info.TaskUID, what)
}

func (m *Meili) awaitUID(ctx context.Context, uid int64, what string) error {
	ctx, cancel := context.WithTimeout(ctx, m.opts.TaskTimeout)
	defer cancel()
	task, err := m.client.WaitForTask(ctx, uid, m.opts.TaskPoll)
	if err != nil {
		return fmt.Errorf("search: meilisearch %s: wait for task %d: %w", what, uid, err)
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return &taskError{what: what, uid: uid, status: task.Status, code: string(task.Error.Code), msg: task.Error.Message}
	}
	return nil
}

// Name implements Engine.
func (m *Meili) Name() string { return "meilisearch" }

// Index implements Engine: documents go to their type's index in batches
// of BatchSize, and Index returns once every task succeeded.
func (m *Meili) Index(ctx context.Context, docs []Document) error {
	pending, err := m.send(ctx, docs, m.uid)
	if err != nil {
		return err
	}
	for _, p := range pending {
		if err := m.awaitUID(ctx, p.uid, p.what); err != nil {
			return err
		}
	}
	return nil
}

type pendingTask struct {
	uid  int64
	what string
}

// send enqueues additions of docs, grouped by index, and returns the
// tasks without waiting for them.
func (m *Meili) send(ctx context.Context, docs []Document, uid func(DocType) string) ([]pendingTask, error) {
	groups := map[DocType][]any{}
	for _, d := range docs {
		if !validID(d.DocID()) {
			return nil, fmt.Errorf("%w: id %q", ErrBadDocument, d.DocID())
		}
		switch d := d.(type) {
		case *CatalogDoc:
			if _, ok := meiliIndexes[d.Type]; !ok || d.Type == TypePairing {
				return nil, fmt.Errorf("%w: %s has type %q", ErrBadDocument, d.ID, d.Type)
			}
			groups[d.Type] = append(groups[d.Type], toMeiliCatalog(d))
		case *PairingDoc:
			groups[TypePairing] = append(groups[TypePairing], toMeiliPairing(d))
		default:
			return nil, fmt.Errorf("%w: %T", ErrBadDocument, d)
		}
	}
	pk := "id"
	var pending []pendingTask
	for _, t := range meiliTypes {
		for g := groups[t]; len(g) > 0; {
			n := min(len(g), m.opts.BatchSize)
			chunk := g[:n]
			g = g[n:]
			what := fmt.Sprintf("add %d documents to %s", n, uid(t))
			info, err := m.client.Index(uid(t)).AddDocuments(ctx, &chunk, &meilisearch.DocumentOptions{PrimaryKey: &pk})
			if err != nil {
				return nil, fmt.Errorf("search: meilisearch %s: %w", what, err)
			}
			pending = append(pending, pendingTask{info.TaskUID, what})
		}
	}
	return pending, nil
}

// Delete implements Engine.
func (m *Meili) Delete(ctx context.Context, ids []string) error {
	groups := map[DocType][]string{}
	for _, id := range ids {
		t, _, _ := strings.Cut(id, "-")
		if _, ok := meiliIndexes[DocType(t)]; ok {
			groups[DocType(t)] = append(groups[DocType(t)], id)
		}
	}
	for _, t := range meiliTypes {
		if len(groups[t]) == 0 {
			continue
		}
		info, err := m.client.Index(m.uid(t)).DeleteDocuments(ctx, groups[t], nil)
		if err := m.await(ctx, info, err, "delete documents from "+m.uid(t)); err != nil {
			return err
		}
	}
	return nil
}

// maxSelectorsPerFilter bounds the selectors OR-ed in one
// delete-by-filter task, so a filter stays a few kilobytes.
const maxSelectorsPerFilter = 64

// DeletePairings implements Engine with delete-by-filter tasks, one per
// maxSelectorsPerFilter selectors.
func (m *Meili) DeletePairings(ctx context.Context, sels ...PairingSelector) error {
	filters := make([]string, len(sels))
	for i, sel := range sels {
		var err error
		if filters[i], err = selectorFilter(sel); err != nil {
			return err
		}
	}
	uid := m.uid(TypePairing)
	for len(filters) > 0 {
		n := min(len(filters), maxSelectorsPerFilter)
		filter := filters[0]
		if n > 1 {
			filter = "(" + strings.Join(filters[:n], ") OR (") + ")"
		}
		filters = filters[n:]
		info, err := m.client.Index(uid).DeleteDocumentsByFilter(ctx, filter, nil)
		if err := m.await(ctx, info, err, "delete pairings from "+uid); err != nil {
			return err
		}
	}
	return nil
}

// Search implements Engine with one federated multi-search over the
// catalogue indexes: hits of every type are merged by relevance.
func (m *Meili) Search(ctx context.Context, q Query) (Result, error) {
	text, n, err := q.checked()
	if err != nil || text == "" {
		return Result{Hits: []Hit{}}, err
	}
	types := q.Types
	if len(types) == 0 {
		types = CatalogTypes
	}
	req := &meilisearch.MultiSearchRequest{Federation: &meilisearch.MultiSearchFederation{Limit: int64(n)}}
	for _, t := range types {
		req.Queries = append(req.Queries, &meilisearch.SearchRequest{
			IndexUID:              m.uid(t),
			Query:                 text,
			MatchingStrategy:      meilisearch.All,
			Locales:               chinese,
			AttributesToRetrieve:  []string{"id", "type", "entityId", "name", "keywords", "description", "labels"},
			AttributesToHighlight: []string{"name", "keywords", "description", "labels"},
			AttributesToCrop:      []string{"description"},
			CropLength:            fragmentRunes / 2,
			HighlightPreTag:       hlPre,
			HighlightPostTag:      hlPost,
			ShowRankingScore:      true,
		})
	}
	res, err := m.client.MultiSearch(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("search: meilisearch search: %w", err)
	}
	out := Result{Hits: make([]Hit, 0, len(res.Hits)), Total: int(res.EstimatedTotalHits)}
	for _, h := range res.Hits {
		var doc struct {
			ID           string                     `json:"id"`
			RankingScore float64                    `json:"_rankingScore"`
			Formatted    map[string]json.RawMessage `json:"_formatted"`
		}
		if err := h.DecodeInto(&doc); err != nil {
			return Result{}, fmt.Errorf("search: meilisearch hit: %w", err)
		}
		t, id, ok := ParseDocID(doc.ID)
		if !ok {
			continue
		}
		out.Hits = append(out.Hits, Hit{ID: doc.ID, Type: t, EntityID: id, Score: doc.RankingScore,
			Highlights: meiliHighlights(doc.Formatted)})
	}
	return out, nil
}

// meiliHighlights takes the fragments holding a match from a hit's
// _formatted fields, escapes them and turns the markers into <em>.
func meiliHighlights(formatted map[string]json.RawMessage) []string {
	var out []string
	for _, field := range highlightFields {
		raw, ok := formatted[field]
		if !ok {
			continue
		}
		var values []string
		var one string
		if json.Unmarshal(raw, &one) == nil {
			values = []string{one}
		} else {
			_ = json.Unmarshal(raw, &values)
		}
		for _, v := range values {
			if strings.Contains(v, hlPre) {
				v = html.EscapeString(v)
				v = strings.NewReplacer(hlPre, emOpen, hlPost, emClose).Replace(v)
				out = append(out, strings.ReplaceAll(v, emClose+emOpen, ""))
			}
		}
	}
	return limitHighlights(out)
}

// Pairings implements Engine with one multi-search of two queries: the
// page (filter, text and the keyset condition of the cursor, sorted by
// pairingSort) and the count (filter and text only). The count is the sum
// of the facet distribution over kind, which Meilisearch computes over
// every match, not only the first maxTotalHits.
func (m *Meili) Pairings(ctx context.Context, q PairingQuery) (PairingPage, error) {
	n, err := first(q.First, 0)
	if err != nil {
		return PairingPage{}, err
	}
	conds := pairingFilter(q.Filter)
	pageConds := conds
	if q.After != "" {
		p, err := decodeCursor(q.After)
		if err != nil {
			return PairingPage{}, err
		}
		pageConds = append(pageConds[:len(pageConds):len(pageConds)], afterFilter(p))
	}
	uid := m.uid(TypePairing)
	text := strings.TrimSpace(q.Text)
	zero := int64(0)
	req := &meilisearch.MultiSearchRequest{Queries: []*meilisearch.SearchRequest{
		{
			IndexUID:             uid,
			Query:                text,
			MatchingStrategy:     meilisearch.All,
			Locales:              chinese,
			Filter:               filterOf(pageConds),
			Sort:                 pairingSort,
			Limit:                int64(n + 1),
			AttributesToRetrieve: []string{"id", "kind", "enterpriseId", "resourceId", "score", "kindOrder"},
		},
		{
			IndexUID:         uid,
			Query:            text,
			MatchingStrategy: meilisearch.All,
			Locales:          chinese,
			Filter:           filterOf(conds),
			Facets:           []string{"kind"},
			HitsPerPage:      &zero,
			Page:             1,
		},
	}}
	res, err := m.client.MultiSearch(ctx, req)
	if err != nil {
		return PairingPage{}, fmt.Errorf("search: meilisearch pairings: %w", err)
	}
	if len(res.Results) != 2 {
		return PairingPage{}, fmt.Errorf("search: meilisearch pairings: %d results for 2 queries", len(res.Results))
	}
	page := PairingPage{Hits: []PairingHit{}}
	for i, h := range res.Results[0].Hits {
		if i == n {
			page.HasNextPage = true
			break
		}
		var doc meiliPairingDoc
		if err := h.DecodeInto(&doc); err != nil {
			return PairingPage{}, fmt.Errorf("search: meilisearch pairing hit: %w", err)
		}
		kind, ent, res, ok := parsePairingID(doc.ID)
		if !ok {
			return PairingPage{}, fmt.Errorf("search: unexpected pairing id %q", doc.ID)
		}
		p := position{centi: centi(doc.Score), kindOrder: kind.Order(), ent: ent, res: res}
		page.Hits = append(page.Hits, PairingHit{ID: doc.ID, Kind: kind, EnterpriseID: ent, ResourceID: res,
			Score: float64(p.centi) / 100, Cursor: p.cursor()})
	}
	count := res.Results[1]
	page.Total = int(count.TotalHits)
	var facets map[string]map[string]int
	if len(count.FacetDistribution) > 0 && json.Unmarshal(count.FacetDistribution, &facets) == nil && facets["kind"] != nil {
		page.Total = 0
		for _, c := range facets["kind"] {
			page.Total += c
		}
	}
	return page, nil
}

// filterOf joins conditions with AND; no condition is no filter (nil,
// which the request leaves out).
func filterOf(conds []string) any {
	if len(conds) == 0 {
		return nil
	}
	return strings.Join(conds, " AND ")
}

// Ping implements Engine.
func (m *Meili) Ping(ctx context.Context) error {
	h, err := m.client.Health(ctx)
	if err != nil {
		return fmt.Errorf("search: meilisearch health: %w", err)
	}
	if h.Status != "available" {
		return fmt.Errorf("search: meilisearch health: %s", h.Status)
	}
	return nil
}

// Stats implements Engine.
func (m *Meili) Stats(ctx context.Context) (Stats, error) {
	s, err := m.client.GetStats(ctx, nil)
	if err != nil {
		return Stats{}, fmt.Errorf("search: meilisearch stats: %w", err)
	}
	st := Stats{Engine: m.Name(), Documents: map[DocType]int{}}
	for _, t := range meiliTypes {
		st.Documents[t] = int(s.Indexes[m.uid(t)].NumberOfDocuments)
	}
	return st, nil
}

// Close implements Engine.
func (m *Meili) Close() error {
	m.client.Close()
	return nil
}
