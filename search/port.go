package search

import (
	"context"
	"errors"
	"strings"

	"github.com/yurong/yurong/catalog"
)

// Errors returned by the engines, matched with errors.Is.
var (
	// ErrBadCursor is an `after` cursor this package did not issue.
	ErrBadCursor = errors.New("search: invalid cursor")
	// ErrPageSize is a page size below zero or above MaxFirst.
	ErrPageSize = errors.New("search: page size out of range")
	// ErrBadDocument is a document that cannot be indexed: an id outside
	// [A-Za-z0-9_-], or a type the call does not take.
	ErrBadDocument = errors.New("search: invalid document")
	// ErrBadSelector is a PairingSelector naming neither an enterprise nor a
	// resource.
	ErrBadSelector = errors.New("search: pairing selector selects nothing")
	// ErrTaskFailed is a Meilisearch task that ended in any status but
	// succeeded: Meilisearch reports it in the task, not as an HTTP error.
	ErrTaskFailed = errors.New("search: meilisearch task failed")
	// ErrRebuilding is a rebuild started while another one runs.
	ErrRebuilding = errors.New("search: a rebuild is already running")
	// ErrClosed is an operation on a closed engine or a finished rebuild.
	ErrClosed = errors.New("search: closed")
)

// Page sizes.
const (
	// DefaultFirst is the page size when a request asks for none.
	DefaultFirst = 20
	// MaxFirst is the largest page a request may ask for.
	MaxFirst = 100
)

// Engine is the search port: what the resolvers and the indexer need from a
// search engine. Implementations are safe for concurrent use.
type Engine interface {
	// Index upserts documents: a document replaces the one with its id.
	Index(ctx context.Context, docs []Document) error
	// Delete removes documents by id; ids not in the index are ignored.
	Delete(ctx context.Context, ids []string) error
	// DeletePairings removes the pairing documents any of the selectors
	// picks, in one batch: the delete-by-query the indexer uses to replace
	// entities' pairings.
	DeletePairings(ctx context.Context, sels ...PairingSelector) error

	// Search runs a full-text query over the catalogue documents.
	Search(ctx context.Context, q Query) (Result, error)
	// Pairings returns one page of the ranked pairings list.
	Pairings(ctx context.Context, q PairingQuery) (PairingPage, error)

	// Rebuild starts a full rebuild into a fresh, empty index. Readers and
	// writers keep using the current index until the rebuild commits.
	Rebuild(ctx context.Context) (Rebuild, error)

	// Ping reports whether the engine answers.
	Ping(ctx context.Context) error
	// Stats counts the documents of every type.
	Stats(ctx context.Context) (Stats, error)
	// Name is "bleve" or "meilisearch".
	Name() string
	// Close releases the engine.
	Close() error
}

// Rebuild fills a fresh index and swaps it in for the current one. Readers
// never see a partly built index: until Commit they see the old one, after
// it the new one.
type Rebuild interface {
	// Index adds documents to the new index.
	Index(ctx context.Context, docs []Document) error
	// Commit makes the new index the current one atomically and discards
	// the old one.
	Commit(ctx context.Context) error
	// Abort discards the new index; the current one stays.
	Abort(ctx context.Context) error
}

// DocType names a kind of index document. Its value is the prefix of the
// document ids of that kind.
type DocType string

// The document types.
const (
	TypeEnterprise DocType = "enterprise"
	// The resources' types are their entity names (catalog), as
	// ResourceType derives them from a pairing kind.
	TypeProduct   DocType = catalog.ResourceProduct
	TypeIncubator DocType = catalog.ResourceIncubator
	TypeDemand    DocType = catalog.ResourceDemand
	TypePairing   DocType = "pairing"
)

// CatalogTypes are the types Search covers, in the order of the API's
// SearchableType enum.
var CatalogTypes = []DocType{TypeEnterprise, TypeProduct, TypeIncubator, TypeDemand}

// Query is a full-text search over the catalogue.
type Query struct {
	// Text is what the user typed: Chinese, Latin or both.
	Text string
	// Types restricts the hits to these catalogue types; empty means all.
	Types []DocType
	// First is the number of hits wanted, 0 < First ≤ MaxFirst; 0 means
	// DefaultFirst.
	First int
}

// Result is the best hits of a Query.
type Result struct {
	Hits []Hit
	// Total is the number of matching documents (an estimate on
	// Meilisearch).
	Total int
}

// Hit is one document found by Search.
type Hit struct {
	ID       string
	Type     DocType
	EntityID int64
	// Score is the engine's relevance; larger is better. Scores of two
	// engines are not comparable.
	Score float64
	// Highlights are fragments of the matched fields with every matched
	// word wrapped in <em>…</em>; the rest of the text is HTML-escaped.
	Highlights []string
}

// PairingQuery asks for one page of the ranked pairings: best score first,
// ties by kind, enterprise id and resource id (the parts of the pairing id).
type PairingQuery struct {
	// Text, when set, keeps the pairings whose enterprise (name, keywords,
	// description) or resource (name, labels, keywords) contains every word.
	Text   string
	Filter PairingFilter
	// First is the page size, 0 ≤ First ≤ MaxFirst; a negative or larger
	// one is ErrPageSize.
	First int
	// After is the cursor of the last hit of the previous page, or empty.
	After string
}

// PairingFilter holds every filter of the API's PairingFilter. Filters
// combine with AND; the values in one list with OR.
type PairingFilter struct {
	Kinds []catalog.PairingKind
	// EnterpriseID keeps the pairings of one enterprise; 0 means any.
	EnterpriseID int64
	// Resource keeps the pairings of one resource; nil means any.
	Resource *ResourceRef
	// Tracks and Cities are the enterprise's.
	Tracks []catalog.Track
	Cities []catalog.City
	// MinScore keeps the pairings scoring at least this much; nil means
	// any.
	MinScore         *float64
	EligibleOnly     bool
	GreenChannelOnly bool
}

// ResourceRef names a resource: resource ids are per kind, so the kind is
// part of the name.
type ResourceRef struct {
	Kind catalog.PairingKind
	ID   int64
}

// PairingPage is one page of ranked pairings.
type PairingPage struct {
	Hits []PairingHit
	// Total counts every pairing the query and filter match, all pages.
	Total       int
	HasNextPage bool
}

// PairingHit is one pairing of a page. The full pairing (reasons,
// blockers, amounts) comes from the matching engine.
type PairingHit struct {
	ID           string
	Kind         catalog.PairingKind
	EnterpriseID int64
	ResourceID   int64
	// Score is the pairing score as indexed, 0–100.
	Score float64
	// Cursor is the opaque position of this hit, for PairingQuery.After.
	Cursor string
}

// PairingSelector picks pairing documents to delete: those of one
// enterprise or of one resource (or both), except the ids in Keep.
type PairingSelector struct {
	EnterpriseID int64 // 0: any
	Resource     *ResourceRef
	Keep         []string
}

// Stats are the document counts of an engine.
type Stats struct {
	Engine    string
	Documents map[DocType]int
}

// checked validates a Query for an engine: the trimmed text (empty means
// no hits), the page size, or ErrPageSize / ErrBadDocument.
func (q Query) checked() (text string, n int, err error) {
	if n, err = first(q.First, DefaultFirst); err != nil {
		return "", 0, err
	}
	if err := checkTypes(q.Types); err != nil {
		return "", 0, err
	}
	return strings.TrimSpace(q.Text), n, nil
}

// first checks and defaults a page size.
func first(n, dflt int) (int, error) {
	switch {
	case n < 0 || n > MaxFirst:
		return 0, ErrPageSize
	case n == 0:
		return dflt, nil
	}
	return n, nil
}
