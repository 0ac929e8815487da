package resolvers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/yurong/yurong/access"
	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/responsecache"
)

// CachedReads is a gqlgen extension caching whole query responses, each
// tagged with what it was computed from so a write invalidates exactly the
// responses it could change (see ChangeTags):
//   - a pure catalogue read depends on its lists ("catalog:product") and
//     objects ("enterprise:42");
//   - a read touching a field marked @engine in the schema (scores,
//     matches, candidates, plans, advice, the ranked lists, a list filtered
//     by score) depends on "matching", which every write moves, because a
//     write can shift any score, and which scores moving without a write
//     (a new day, the top banks, the links) drop too.
//
// search and pairings are served by the search engine and never cached.
// Register it after the rate limit, so cached answers are charged too.
type CachedReads struct {
	Cache responsecache.Cache
	TTL   time.Duration
}

var (
	_ graphql.HandlerExtension    = CachedReads{}
	_ graphql.ResponseInterceptor = CachedReads{}
)

// ExtensionName implements graphql.HandlerExtension.
func (CachedReads) ExtensionName() string { return "CachedReads" }

// Validate implements graphql.HandlerExtension.
func (CachedReads) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (c CachedReads) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	// An operation refused before it ran (rate limit, validation) arrives
	// here with its errors already recorded: answer them, not a cached page.
	if oc.Operation == nil || oc.Operation.Operation != ast.Query || len(graphql.GetErrors(ctx)) > 0 {
		return next(ctx)
	}
	tags, ok := readTags(oc)
	if !ok {
		return next(ctx)
	}
	key := responseKey(ctx, oc)
	if b, ok := c.Cache.Get(ctx, key); ok {
		var resp graphql.Response
		if json.Unmarshal(b, &resp) == nil {
			// Extensions (the cost) belong to this request, not the cached one.
			resp.Extensions = graphql.GetExtensions(ctx)
			return &resp
		}
	}
	stamp := c.Cache.Stamp(ctx, tags...) // before the data is read
	resp := next(ctx)
	// A response that hung on the viewer's access to private data is not
	// kept: a consent granted or revoked would not invalidate it.
	if resp != nil && len(resp.Errors) == 0 && !access.From(ctx).Touched() {
		if b, err := json.Marshal(graphql.Response{Data: resp.Data}); err == nil {
			c.Cache.Set(ctx, key, stamp, b, c.TTL)
		}
	}
	return resp
}

// responseKey identifies a response: the document, the operation, the
// variables and the caller — anonymous callers share answers; an account's
// are its own, so no answer reaches a viewer with other access.
func responseKey(ctx context.Context, oc *graphql.OperationContext) string {
	vars, _ := json.Marshal(oc.Variables) // map keys are sorted
	h := sha256.New()
	p := auth.From(ctx)
	for _, part := range []string{oc.RawQuery, oc.OperationName, string(vars), string(p.Role), strconv.FormatInt(p.AccountID, 10)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return "resp:" + hex.EncodeToString(h.Sum(nil))
}

// engineBacked reports whether a field's value comes from the matching
// engine: its schema definition carries @engine (TestEngineFieldsAreMarked
// holds every resolver reading the engine to it).
func engineBacked(f *ast.Field) bool {
	return f.Definition != nil && f.Definition.Directives.ForName("engine") != nil
}

// nestedTags are the lists a nested field reads.
var nestedTags = map[string]string{
	"products": "catalog:product",
	"provider": "catalog:institution",
}

// rootTags are the lists a root field reads.
var rootTags = map[string][]string{
	"institutions":              {"catalog:institution", "catalog:product"},
	"enterprises":               {"catalog:enterprise"},
	"financialProducts":         {"catalog:product", "catalog:institution"},
	"incubators":                {"catalog:incubator"},
	"supplyChainDemands":        {"catalog:demand"},
	"earlySmallHardEnterprises": {"catalog:enterprise"},
	"equityProjectList":         {"catalog:enterprise"},
	"financingPlan":             {},
	"__typename":                {},
	"__schema":                  {},
	"__type":                    {},
}

// nodeTags maps a global ID's type to its object tag's prefix.
var nodeTags = map[string]string{
	"Enterprise": "enterprise:", "Institution": "institution:", "FinancialProduct": "product:",
	"Incubator": "incubator:", "SupplyChainDemand": "demand:",
}

// readTags returns the dependency tags of a query, or false when it must
// not be cached.
func readTags(oc *graphql.OperationContext) ([]string, bool) {
	tags := map[string]bool{}
	w := tagWalker{oc: oc, tags: tags, seen: map[string]bool{}}
	for _, sel := range oc.Operation.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok {
			return nil, false // root fragments: rare; not worth analysing
		}
		switch {
		case f.Name == "node":
			id, _ := f.ArgumentMap(oc.Variables)["id"].(string)
			typ, key, err := relay.ParseID(id)
			prefix, known := nodeTags[typ]
			if err != nil || !known {
				return nil, false
			}
			tags[prefix+key] = true
		case rootTags[f.Name] != nil:
			for _, t := range rootTags[f.Name] {
				tags[t] = true
			}
		default:
			return nil, false // search, pairings, or a field added later
		}
		if engineBacked(f) {
			tags["matching"] = true
		}
		w.walk(f.SelectionSet)
	}
	out := make([]string, 0, len(tags))
	for t := range tags {
		out = append(out, t)
	}
	return out, true
}

type tagWalker struct {
	oc   *graphql.OperationContext
	tags map[string]bool
	seen map[string]bool // fragments already walked
}

func (w tagWalker) walk(set ast.SelectionSet) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if engineBacked(s) {
				w.tags["matching"] = true
			}
			if t, ok := nestedTags[s.Name]; ok {
				w.tags[t] = true
			}
			w.walk(s.SelectionSet)
		case *ast.InlineFragment:
			w.walk(s.SelectionSet)
		case *ast.FragmentSpread:
			if w.seen[s.Name] {
				continue
			}
			w.seen[s.Name] = true
			if def := w.oc.Doc.Fragments.ForName(s.Name); def != nil {
				w.walk(def.SelectionSet)
			}
		}
	}
}

// ChangeTags are the tags a committed write of entity id invalidates.
func ChangeTags(entity string, id int64) []string {
	return []string{"catalog:" + entity, entity + ":" + strconv.FormatInt(id, 10), "matching"}
}
