// Package graphiql serves the GraphiQL IDE with its scripts embedded in the
// binary, so it works where browsers cannot reach a CDN (a provincial
// intranet, this build machine). The assets are the npm packages graphiql
// 4.1.2, react 18.2.0 and react-dom 18.2.0, unchanged; their licences sit
// beside them.
package graphiql

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"io/fs"
	"net/http"

	"github.com/99designs/gqlgen/graphql/playground"
)

//go:embed assets
var assets embed.FS

// AssetPrefix is where the scripts and styles are served.
const AssetPrefix = "/graphiql/"

// Handler returns the GraphiQL page for a GraphQL endpoint and a handler for
// its assets, to be mounted at AssetPrefix.
func Handler(title, endpoint string) (page, files http.Handler) {
	sub, _ := fs.Sub(assets, "assets")
	sri := func(name string) string {
		b, _ := fs.ReadFile(sub, name)
		sum := sha256.Sum256(b)
		return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
	}
	page = playground.Handler(title, endpoint,
		playground.WithGraphiqlVersion(AssetPrefix+"graphiql.min.js", AssetPrefix+"graphiql.min.css",
			sri("graphiql.min.js"), sri("graphiql.min.css")),
		playground.WithGraphiqlReactVersion(AssetPrefix+"react.production.min.js", AssetPrefix+"react-dom.production.min.js",
			sri("react.production.min.js"), sri("react-dom.production.min.js")),
		playground.WithGraphiqlEnablePluginExplorer(false),
	)
	files = http.StripPrefix(AssetPrefix, cacheForever(http.FileServerFS(sub)))
	return page, files
}

// cacheForever marks the versioned assets immutable for browsers.
func cacheForever(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		next.ServeHTTP(w, r)
	})
}
