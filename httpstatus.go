package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// graphQLOverHTTP brings gqlgen's refusals in line with the SHOULDs of the
// GraphQL-over-HTTP specification (and the graphql-http audit):
//   - a client accepting application/json gets 200 for a document that
//     does not parse or validate and for variables that do not coerce
//     (gqlgen answers 422): the errors say what went wrong;
//   - under application/graphql-response+json such a request error has no
//     `data` entry (gqlgen writes "data": null);
//   - every error carries a code (gqlgen's own refusals, such as a
//     mutation over GET, carry none).
//
// Successful responses pass through untouched; only refusals, which are
// small, are buffered. WebSocket upgrades are left alone.
func graphQLOverHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			next.ServeHTTP(w, r)
			return
		}
		sw := &shapingWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		sw.finish()
	})
}

// shapingWriter passes a 200 through and holds any other answer until the
// handler is done, to reshape it.
type shapingWriter struct {
	http.ResponseWriter
	status int
	held   bytes.Buffer
}

func (s *shapingWriter) WriteHeader(code int) {
	if s.status != 0 {
		return
	}
	s.status = code
	if code == http.StatusOK {
		s.ResponseWriter.WriteHeader(code)
	}
}

func (s *shapingWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	if s.status == http.StatusOK {
		return s.ResponseWriter.Write(b)
	}
	return s.held.Write(b)
}

// Flush lets a streamed 200 (a multipart subscription) flush.
func (s *shapingWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok && s.status == http.StatusOK {
		f.Flush()
	}
}

func (s *shapingWriter) finish() {
	if s.status == 0 || s.status == http.StatusOK {
		return
	}
	status, body := s.status, s.held.Bytes()
	var resp map[string]json.RawMessage
	if json.Unmarshal(body, &resp) == nil && resp["errors"] != nil {
		graphqlResponse := strings.HasPrefix(s.Header().Get("Content-Type"), "application/graphql-response+json")
		requestError := string(resp["data"]) == "null" && (status == http.StatusUnprocessableEntity || status == http.StatusBadRequest)
		if requestError && graphqlResponse {
			delete(resp, "data")
		}
		if status == http.StatusUnprocessableEntity && !graphqlResponse {
			status = http.StatusOK
		}
		resp["errors"] = withCodes(resp["errors"], status)
		if b, err := json.Marshal(resp); err == nil {
			body = b
		}
	}
	s.Header().Set("Content-Length", strconv.Itoa(len(body)))
	s.ResponseWriter.WriteHeader(status)
	s.ResponseWriter.Write(body)
}

// withCodes gives every error without an extensions.code one.
func withCodes(raw json.RawMessage, status int) json.RawMessage {
	var errs []map[string]any
	if json.Unmarshal(raw, &errs) != nil {
		return raw
	}
	code := "BAD_REQUEST"
	if status == http.StatusNotAcceptable || status == http.StatusMethodNotAllowed {
		code = "METHOD_NOT_ALLOWED"
	}
	for _, e := range errs {
		ext, _ := e["extensions"].(map[string]any)
		if ext == nil {
			ext = map[string]any{}
			e["extensions"] = ext
		}
		if ext["code"] == nil {
			ext["code"] = code
		}
	}
	b, err := json.Marshal(errs)
	if err != nil {
		return raw
	}
	return b
}
