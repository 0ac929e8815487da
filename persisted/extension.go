package persisted

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Error codes (extensions.code) of persisted-query errors.
const (
	// CodeNotFound: the hash is not registered (any more);
	// the client should send the query with its hash. Apollo's protocol.
	CodeNotFound = "PERSISTED_QUERY_NOT_FOUND"
	// CodeNotAllowed: the server runs only the operations on
	// its allow-list, and this one, sent by hash or in full, is not there.
	CodeNotAllowed = "PERSISTED_QUERY_NOT_ALLOWED"
	// CodeBadUserInput: a malformed persistedQuery extension, an unknown
	// version or a hash that does not match the query sent with it.
	CodeBadUserInput = "BAD_USER_INPUT"
)

// Queries serves Apollo's automatic persisted queries through
// gqlgen's own extension (extension.AutomaticPersistedQuery): a request may
// carry extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}
// and no query; an unknown hash answers PERSISTED_QUERY_NOT_FOUND (message
// "PersistedQueryNotFound"), and the client's next request sends the query
// with its hash, which registers it. It works over GET and POST. Around
// gqlgen's extension it checks the extension's shape first, so every bad
// one is a BAD_USER_INPUT with a message (gqlgen's leave the code unset),
// and reads hashes case-insensitively.
//
// With an AllowList the server is locked down: only operations on the list
// run, whether sent by hash or in full, anything else answers
// PERSISTED_QUERY_NOT_ALLOWED, and nothing is ever registered. Tools that
// need introspection must then have their query on the list too.
type Queries struct {
	// Cache maps hashes to queries; NewRedisStore shares it across instances.
	// Unused with an AllowList.
	Cache graphql.Cache[string]
	// AllowList, when not nil, is the only source of operations.
	AllowList *AllowList
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = Queries{}

// ExtensionName implements graphql.HandlerExtension.
func (Queries) ExtensionName() string { return "PersistedQueries" }

// Validate implements graphql.HandlerExtension.
func (p Queries) Validate(graphql.ExecutableSchema) error {
	if p.Cache == nil && p.AllowList == nil {
		return errors.New("persisted: Queries needs a Cache or an AllowList")
	}
	return nil
}

// apqStatsKey is where gqlgen's own APQ extension keeps its statistics, so
// extension.GetApqStats works with the allow-list too.
const apqStatsKey = "APQ"

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (p Queries) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	hash, present, gerr := persistedQueryHash(raw.Extensions)
	if gerr != nil {
		return gerr
	}
	if p.AllowList != nil {
		return p.allowListed(ctx, raw, hash, present)
	}
	if !present {
		return nil
	}
	if raw.Query != "" && Hash(raw.Query) != hash {
		return codedError(CodeBadUserInput, "provided persisted query hash does not match the query")
	}
	// gqlgen's extension reads the hash as sent: give it the canonical one.
	raw.Extensions["persistedQuery"] = map[string]any{"version": 1, "sha256Hash": hash}
	if err := (extension.AutomaticPersistedQuery{Cache: p.Cache}).MutateOperationParameters(ctx, raw); err != nil {
		if _, coded := err.Extensions["code"]; !coded {
			errcode.Set(err, CodeBadUserInput)
		}
		return err
	}
	return nil
}

// allowListed admits only the operations on the allow-list.
func (p Queries) allowListed(ctx context.Context, raw *graphql.RawParams, hash string, present bool) *gqlerror.Error {
	if raw.Query == "" {
		if !present {
			return nil // gqlgen answers "no operation provided"
		}
		q, ok := p.AllowList.Query(hash)
		if !ok {
			return codedError(CodeNotAllowed, "operation is not on the allow-list")
		}
		raw.Query = q
		setAPQStats(ctx, hash, false)
		return nil
	}
	h := Hash(raw.Query)
	if present && h != hash {
		return codedError(CodeBadUserInput, "provided persisted query hash does not match the query")
	}
	if _, ok := p.AllowList.Query(h); !ok {
		if _, ok := p.AllowList.Query(Hash(strings.TrimSpace(raw.Query))); !ok {
			return codedError(CodeNotAllowed, "operation is not on the allow-list")
		}
	}
	if present {
		setAPQStats(ctx, hash, true)
	}
	return nil
}

// persistedQueryHash reads extensions.persistedQuery: the lower-case hash,
// whether the extension was there, or an error when it is malformed.
func persistedQueryHash(exts map[string]any) (string, bool, *gqlerror.Error) {
	v, ok := exts["persistedQuery"]
	if !ok || v == nil {
		return "", false, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return "", true, codedError(CodeBadUserInput, "extensions.persistedQuery must be an object")
	}
	if version := fmt.Sprint(m["version"]); version != "1" {
		return "", true, codedError(CodeBadUserInput, "unsupported persisted query version %s; want 1", version)
	}
	hash, _ := m["sha256Hash"].(string)
	hash = strings.ToLower(hash)
	if !isSHA256Hex(hash) {
		return "", true, codedError(CodeBadUserInput, "extensions.persistedQuery.sha256Hash must be 64 hexadecimal digits")
	}
	return hash, true, nil
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func setAPQStats(ctx context.Context, hash string, sent bool) {
	if graphql.HasOperationContext(ctx) {
		graphql.GetOperationContext(ctx).Stats.SetExtension(apqStatsKey, &extension.ApqStats{Hash: hash, SentQuery: sent})
	}
}

func codedError(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, code)
	return err
}
