package persisted

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// An AllowList is the set of operations a locked-down deployment runs,
// keyed by the hex SHA-256 of their text (the hash Apollo clients send).
type AllowList struct {
	queries map[string]string
}

// NewAllowList returns the allow-list of queries, each hashed as given.
func NewAllowList(queries ...string) *AllowList {
	a := &AllowList{queries: make(map[string]string, len(queries))}
	for _, q := range queries {
		a.queries[Hash(q)] = q
	}
	return a
}

// LoadAllowList reads the operations at path:
//
//   - a directory: every *.graphql and *.gql file below it is one
//     operation; its text, without leading and trailing white space, is
//     what clients send and hash;
//   - a JSON file: either an object mapping each SHA-256 to its query
//     ({"<sha256>": "query …"}), or an Apollo persisted-query manifest
//     ({"format": "apollo-persisted-query-manifest", "operations":
//     [{"id": "<sha256>", "body": "query …"}]}).
//
// Every hash in a JSON file must be the SHA-256 of its query.
func LoadAllowList(path string) (*AllowList, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("persisted: allow-list: %w", err)
	}
	if info.IsDir() {
		return loadAllowListDir(path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("persisted: allow-list: %w", err)
	}
	a, err := ParseAllowList(data)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return a, nil
}

func loadAllowListDir(dir string) (*AllowList, error) {
	a := &AllowList{queries: map[string]string{}}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if ext := filepath.Ext(path); ext != ".graphql" && ext != ".gql" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		q := strings.TrimSpace(string(data))
		a.queries[Hash(q)] = q
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("persisted: allow-list: %w", err)
	}
	return a, nil
}

// ParseAllowList parses a JSON allow-list: a hash → query object or an
// Apollo persisted-query manifest (see LoadAllowList).
func ParseAllowList(data []byte) (*AllowList, error) {
	var manifest struct {
		Format     string `json:"format"`
		Operations []struct {
			ID   string `json:"id"`
			Body string `json:"body"`
		} `json:"operations"`
	}
	var pairs map[string]string
	if err := json.Unmarshal(data, &manifest); err == nil && manifest.Format != "" {
		pairs = make(map[string]string, len(manifest.Operations))
		for _, op := range manifest.Operations {
			pairs[op.ID] = op.Body
		}
	} else if err := json.Unmarshal(data, &pairs); err != nil {
		return nil, fmt.Errorf("persisted: allow-list: want a JSON object of hash → query or an Apollo manifest: %w", err)
	}
	a := &AllowList{queries: make(map[string]string, len(pairs))}
	for hash, q := range pairs {
		hash = strings.ToLower(hash)
		if got := Hash(q); got != hash {
			return nil, fmt.Errorf("%w: allow-list entry %s (the query hashes to %s)", ErrHashMismatch, hash, got)
		}
		a.queries[hash] = q
	}
	return a, nil
}

// ErrHashMismatch is returned by ParseAllowList for an entry whose hash is
// not the SHA-256 of its query.
var ErrHashMismatch = errors.New("persisted: query hash does not match its query")

// Query returns the operation whose hex SHA-256 is hash.
func (a *AllowList) Query(hash string) (string, bool) {
	q, ok := a.queries[hash]
	return q, ok
}

// Len returns the number of operations on the list.
func (a *AllowList) Len() int { return len(a.queries) }

// Hash returns the hex SHA-256 of query, as Apollo clients compute it.
func Hash(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}
