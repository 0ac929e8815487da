package graphiql

import (
	"crypto/sha256"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestThePageLoadsOnlyEmbeddedAssets(t *testing.T) {
	page, files := Handler("Yurong", "/graphql")
	mux := http.NewServeMux()
	mux.Handle("/", page)
	mux.Handle(AssetPrefix, files)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	body := html.UnescapeString(get(t, srv.URL+"/"))
	if strings.Contains(body, "cdn.jsdelivr.net") || strings.Contains(body, "https://") {
		t.Error("the page still loads something from the internet")
	}
	for _, name := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"} {
		t.Run(name+" is served with its integrity hash in the page", func(t *testing.T) {
			if !strings.Contains(body, AssetPrefix+name) {
				t.Fatalf("the page does not reference %s", name)
			}
			asset := get(t, srv.URL+AssetPrefix+name)
			sum := sha256.Sum256([]byte(asset))
			if sri := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); !strings.Contains(body, sri) {
				t.Errorf("the page lacks the integrity %s of %s", sri, name)
			}
		})
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, res.StatusCode)
	}
	b, _ := io.ReadAll(res.Body)
	return string(b)
}
