// Package graphiql serves the GraphiQL IDE with its scripts embedded in the
// binary, so it works where browsers cannot reach a CDN (a provincial
// intranet, this build machine), and the example queries it opens with.
// The assets are the npm packages graphiql 4.1.2, react 18.2.0 and
// react-dom 18.2.0, unchanged; their licences sit beside them. It imports
// no project package: the server hands it the examples' enterprise.
package graphiql

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"io/fs"
	"net/http"
)

//go:embed assets
var assets embed.FS

//go:embed page.html
var pageHTML string

var pageTemplate = template.Must(template.New("graphiql").Parse(pageHTML))

// AssetPrefix is where the scripts and styles are served.
const AssetPrefix = "/graphiql/"

// Handler returns the GraphiQL page for a GraphQL endpoint and a handler for
// its assets, to be mounted at AssetPrefix. showcase returns the global ID
// of the enterprise the examples about one enterprise show, read at each
// page load; a nil showcase, or "", leaves their enterpriseId blank.
func Handler(title, endpoint string, showcase func() string) (page, files http.Handler) {
	sub, _ := fs.Sub(assets, "assets")
	sri := map[string]string{}
	for _, name := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"} {
		b, _ := fs.ReadFile(sub, name)
		sum := sha256.Sum256(b)
		sri[name] = "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
	}
	page = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		enterprise := ""
		if showcase != nil {
			enterprise = showcase()
		}
		var buf bytes.Buffer
		if err := render(&buf, title, endpoint, sri, Examples(enterprise)); err != nil {
			http.Error(w, "GraphiQL 页面生成失败", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(buf.Bytes())
	})
	files = http.StripPrefix(AssetPrefix, cacheForever(http.FileServerFS(sub)))
	return page, files
}

// tab is an example as GraphiQL's defaultTabs takes it.
type tab struct {
	Query     string  `json:"query"`
	Variables *string `json:"variables,omitempty"`
}

func render(w *bytes.Buffer, title, endpoint string, sri map[string]string, examples []Example) error {
	tabs := make([]tab, len(examples))
	for i, e := range examples {
		tabs[i] = tab{Query: e.Query}
		if e.Variables != "" {
			tabs[i].Variables = &e.Variables
		}
	}
	return pageTemplate.Execute(w, map[string]any{
		"Title": title, "Endpoint": endpoint, "Prefix": AssetPrefix, "SRI": sri, "Tabs": tabs,
	})
}

// cacheForever marks the versioned assets immutable for browsers.
func cacheForever(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		next.ServeHTTP(w, r)
	})
}
