// Package gqlpost serves GraphQL over HTTP POST. It is gqlgen's
// transport.POST with one difference: the response's data, which gqlgen's
// executor has already written as compact JSON, is copied to the client as
// it is. transport.POST passes the whole response through encoding/json,
// which validates and compacts every json.RawMessage it meets again: about
// an eighth of the CPU of a request for ten matches with their reasons
// (issue 16, ADR 031).
package gqlpost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Media types of a response, as the GraphQL-over-HTTP draft names them.
const (
	applicationJSON     = "application/json"
	graphqlResponseJSON = "application/graphql-response+json"
)

// Transport is a gqlgen transport for POST requests whose body is JSON.
type Transport struct{}

var _ graphql.Transport = Transport{}

// Supports reports whether r is a POST of a JSON body, not an upgrade.
func (Transport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && r.Method == http.MethodPost && mediaType == applicationJSON
}

// Do executes the request's operation and writes its response.
func (Transport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	contentType := responseType(r)
	w.Header().Set("Content-Type", contentType)
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		write(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("could not read request body: %+v", err)}))
		return
	}
	var params graphql.RawParams
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&params); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		write(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("json request body could not be decoded: %+v body:%s", err, body)}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	rc, opErr := exec.CreateOperationContext(ctx, &params)
	if opErr != nil {
		w.WriteHeader(statusFor(opErr, contentType))
		write(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	write(w, responses(ctx))
}

// responseType is the media type of the response: application/json
// without an Accept header or when it comes first, else
// application/graphql-response+json.
func responseType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return applicationJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", applicationJSON:
			return applicationJSON
		case graphqlResponseJSON:
			return graphqlResponseJSON
		}
	}
	return graphqlResponseJSON
}

// statusFor is the status of a request refused before it ran, as gqlgen
// answers it: a protocol error is 422 in application/json and 400 in
// application/graphql-response+json; any other error 200.
func statusFor(errs gqlerror.List, contentType string) int {
	protocol := errcode.GetErrorKind(errs) == errcode.KindProtocol
	switch {
	case contentType == graphqlResponseJSON && protocol:
		return http.StatusBadRequest
	case protocol:
		return http.StatusUnprocessableEntity
	default:
		return http.StatusOK
	}
}

// write writes resp as encoding/json would, field for field, but copies
// its data instead of re-encoding it. It escapes <, >, & and U+2028/9 in
// the data as encoding/json does (json.HTMLEscape), so the bytes are the
// same as transport.POST's.
func write(w io.Writer, resp *graphql.Response) {
	var b bytes.Buffer
	b.Grow(len(resp.Data) + 64)
	b.WriteByte('{')
	if len(resp.Errors) > 0 {
		b.WriteString(`"errors":`)
		appendJSON(&b, resp.Errors)
		b.WriteByte(',')
	}
	b.WriteString(`"data":`)
	if len(resp.Data) == 0 {
		b.WriteString("null")
	} else {
		json.HTMLEscape(&b, resp.Data)
	}
	if resp.Label != "" {
		b.WriteString(`,"label":`)
		appendJSON(&b, resp.Label)
	}
	if len(resp.Path) > 0 {
		b.WriteString(`,"path":`)
		appendJSON(&b, resp.Path)
	}
	if resp.HasNext != nil {
		b.WriteString(`,"hasNext":`)
		appendJSON(&b, *resp.HasNext)
	}
	if len(resp.Extensions) > 0 {
		b.WriteString(`,"extensions":`)
		appendJSON(&b, resp.Extensions)
	}
	b.WriteByte('}')
	w.Write(b.Bytes())
}

func appendJSON(b *bytes.Buffer, v any) {
	out, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Errorf("gqlpost: unable to marshal a response's %T: %w", v, err))
	}
	b.Write(out)
}
