package deploy

import (
	"bufio"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/yurong/yurong/tracing"
)

// secrets are the variables compose.yaml refuses to start without.
var secrets = map[string]string{
	"POSTGRES_PASSWORD":  "3f9a1c0d5e7b2a4c",
	"MEILI_MASTER_KEY":   "meili-master-key-0123456789abcdef",
	"YURONG_ADMIN_TOKEN": "admin-token-for-the-compose-test",
}

// yurongServices are the instances behind the proxy.
var yurongServices = []string{"yurong-1", "yurong-2"}

// loadStack loads compose.yaml as `docker compose` does (interpolation,
// merge keys, normalisation, consistency checks), with env as the only
// environment: the test does not depend on the shell or a deploy/.env.
func loadStack(t *testing.T, env map[string]string, profiles ...string) (*types.Project, error) {
	t.Helper()
	var list []string
	for k, v := range env {
		list = append(list, k+"="+v)
	}
	opts, err := cli.NewProjectOptions([]string{"compose.yaml"},
		cli.WithWorkingDirectory("."),
		cli.WithEnv(list),
		cli.WithProfiles(profiles),
	)
	if err != nil {
		return nil, err
	}
	return opts.LoadProject(context.Background())
}

func mustLoadStack(t *testing.T, env map[string]string, profiles ...string) *types.Project {
	t.Helper()
	p, err := loadStack(t, env, profiles...)
	if err != nil {
		t.Fatalf("load compose.yaml: %v", err)
	}
	return p
}

func with(base map[string]string, kv ...string) map[string]string {
	env := maps.Clone(base)
	for i := 0; i+1 < len(kv); i += 2 {
		env[kv[i]] = kv[i+1]
	}
	return env
}

// envOf is a service's environment as the container sees it.
func envOf(t *testing.T, s types.ServiceConfig) map[string]string {
	t.Helper()
	env := map[string]string{}
	for k, v := range s.Environment {
		if v != nil {
			env[k] = *v
		}
	}
	return env
}

func service(t *testing.T, p *types.Project, name string) types.ServiceConfig {
	t.Helper()
	s, err := p.GetService(name)
	if err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	return s
}

// configVariables are the YURONG_* names config.go reads: the string
// literals of ../config.go that start with YURONG_, found by parsing it, so
// a variable renamed there and not here fails the tests.
func configVariables(t *testing.T) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "config.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && strings.HasPrefix(s, "YURONG_") {
				names[s] = true
			}
		}
		return true
	})
	return names
}

func TestConfigVariablesAreFoundInConfigGo(t *testing.T) {
	names := configVariables(t)
	for _, n := range []string{"YURONG_ADDR", "YURONG_DATABASE_URL", "YURONG_MEILI_KEY", "YURONG_RATE_REFILL"} {
		if !names[n] {
			t.Errorf("%s not found among config.go's variables %v", n, slices.Sorted(maps.Keys(names)))
		}
	}
}

func TestComposeRefusesToStartWithoutItsSecrets(t *testing.T) {
	for name := range secrets {
		t.Run("without "+name, func(t *testing.T) {
			env := maps.Clone(secrets)
			delete(env, name)
			_, err := loadStack(t, env)
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Fatalf("err = %v, want one naming %s", err, name)
			}
		})
	}
	t.Run("with all of them", func(t *testing.T) {
		if _, err := loadStack(t, secrets); err != nil {
			t.Fatal(err)
		}
	})
}

func TestEveryServiceHasAHealthcheck(t *testing.T) {
	p := mustLoadStack(t, secrets, "tracing")
	want := []string{"jaeger", "meilisearch", "postgres", "proxy", "redis", "yurong-1", "yurong-2"}
	if got := p.ServiceNames(); !slices.Equal(got, want) {
		t.Fatalf("services = %v, want %v", got, want)
	}
	for _, name := range want {
		t.Run(name, func(t *testing.T) {
			s := service(t, p, name)
			h := s.HealthCheck
			if h == nil || h.Disable || len(h.Test) < 2 {
				t.Fatalf("no health check: %+v", h)
			}
			if h.Test[0] != "CMD" && h.Test[0] != "CMD-SHELL" {
				t.Fatalf("health check %q runs neither CMD nor CMD-SHELL", h.Test)
			}
			if h.Interval == nil || h.Timeout == nil || h.Retries == nil {
				t.Fatalf("interval, timeout and retries must be set: %+v", h)
			}
			if *h.Timeout > *h.Interval {
				t.Fatalf("timeout %s longer than the interval %s", h.Timeout, h.Interval)
			}
		})
	}
}

func TestYurongWaitsForHealthyBackends(t *testing.T) {
	p := mustLoadStack(t, secrets)
	for _, name := range yurongServices {
		s := service(t, p, name)
		for _, backend := range []string{"postgres", "redis", "meilisearch"} {
			d, ok := s.DependsOn[backend]
			if !ok || d.Condition != types.ServiceConditionHealthy {
				t.Errorf("%s depends on %s with %+v, want condition service_healthy", name, backend, d)
			}
		}
	}
	// The first start migrates and may load the demo data: one instance
	// at a time.
	if d := service(t, p, "yurong-2").DependsOn["yurong-1"]; d.Condition != types.ServiceConditionHealthy {
		t.Errorf("yurong-2 depends on yurong-1 with %+v, want service_healthy", d)
	}
}

func TestProxyDependsOnTheInstances(t *testing.T) {
	p := mustLoadStack(t, secrets)
	proxy := service(t, p, "proxy")
	for _, name := range yurongServices {
		if _, ok := proxy.DependsOn[name]; !ok {
			t.Errorf("the proxy does not depend on %s: %v", name, proxy.DependsOn)
		}
	}
	if d := proxy.DependsOn["yurong-1"]; d.Condition != types.ServiceConditionHealthy {
		t.Errorf("the proxy starts before an instance is ready: %+v", d)
	}
}

// pgDataDir is where the postgres image keeps its volume: from 18 on one
// level above the version-specific data directory.
func pgDataDir(t *testing.T, image string) string {
	t.Helper()
	_, tag, ok := strings.Cut(image, ":")
	major, err := strconv.Atoi(strings.SplitN(strings.SplitN(tag, "-", 2)[0], ".", 2)[0])
	if !ok || err != nil {
		t.Fatalf("postgres image %q has no major version tag", image)
	}
	if major >= 18 {
		return "/var/lib/postgresql"
	}
	return "/var/lib/postgresql/data"
}

func TestDataLivesInNamedVolumes(t *testing.T) {
	p := mustLoadStack(t, secrets)
	want := map[string]string{
		"postgres":    pgDataDir(t, service(t, p, "postgres").Image),
		"redis":       "/data",
		"meilisearch": "/meili_data",
		"proxy":       "/data",
	}
	for name, target := range want {
		t.Run(name, func(t *testing.T) {
			s := service(t, p, name)
			i := slices.IndexFunc(s.Volumes, func(v types.ServiceVolumeConfig) bool { return v.Target == target })
			if i < 0 {
				t.Fatalf("nothing mounted on %s: %+v", target, s.Volumes)
			}
			v := s.Volumes[i]
			if v.Type != types.VolumeTypeVolume {
				t.Fatalf("%s is a %s mount, want a named volume", target, v.Type)
			}
			if _, ok := p.Volumes[v.Source]; !ok {
				t.Fatalf("volume %q is not declared at the top level", v.Source)
			}
		})
	}
	if path := envOf(t, service(t, p, "meilisearch"))["MEILI_DB_PATH"]; !strings.HasPrefix(path, "/meili_data/") {
		t.Errorf("MEILI_DB_PATH %q is outside the volume", path)
	}
	// Instances keep nothing: any of them can be replaced (ADR 001).
	for _, name := range yurongServices {
		if v := service(t, p, name).Volumes; len(v) > 0 {
			t.Errorf("%s mounts %+v; instances are stateless", name, v)
		}
	}
}

func TestYurongEnvironmentPointsAtTheServices(t *testing.T) {
	p := mustLoadStack(t, secrets)
	pg := envOf(t, service(t, p, "postgres"))
	meili := envOf(t, service(t, p, "meilisearch"))
	for _, name := range yurongServices {
		t.Run(name, func(t *testing.T) {
			env := envOf(t, service(t, p, name))
			hostOf := func(variable, scheme string) string {
				u, err := url.Parse(env[variable])
				if err != nil || u.Scheme != scheme {
					t.Fatalf("%s=%q: want a %s:// URL (%v)", variable, env[variable], scheme, err)
				}
				if _, err := p.GetService(u.Hostname()); err != nil {
					t.Errorf("%s names host %q, which is no service", variable, u.Hostname())
				}
				return u.Host
			}
			if h := hostOf("YURONG_DATABASE_URL", "postgres"); h != "postgres:5432" {
				t.Errorf("database at %s", h)
			}
			db, _ := url.Parse(env["YURONG_DATABASE_URL"])
			pw, _ := db.User.Password()
			if db.User.Username() != pg["POSTGRES_USER"] || pw != pg["POSTGRES_PASSWORD"] || pw != secrets["POSTGRES_PASSWORD"] ||
				strings.TrimPrefix(db.Path, "/") != pg["POSTGRES_DB"] {
				t.Errorf("YURONG_DATABASE_URL %q does not match the postgres service's user, password and database", env["YURONG_DATABASE_URL"])
			}
			if h := hostOf("YURONG_REDIS_URL", "redis"); h != "redis:6379" {
				t.Errorf("Redis at %s", h)
			}
			if h := hostOf("YURONG_MEILI_URL", "http"); h != "meilisearch:7700" {
				t.Errorf("Meilisearch at %s", h)
			}
			if env["YURONG_MEILI_KEY"] != meili["MEILI_MASTER_KEY"] || env["YURONG_MEILI_KEY"] != secrets["MEILI_MASTER_KEY"] {
				t.Errorf("YURONG_MEILI_KEY is not the Meilisearch master key")
			}
			if env["YURONG_ADMIN_TOKEN"] != secrets["YURONG_ADMIN_TOKEN"] {
				t.Errorf("YURONG_ADMIN_TOKEN = %q", env["YURONG_ADMIN_TOKEN"])
			}
			if env["YURONG_DEMO"] != "false" {
				t.Errorf("YURONG_DEMO = %q; a production store gets no demo data unless asked", env["YURONG_DEMO"])
			}
		})
	}
	if meili["MEILI_ENV"] != "production" {
		t.Errorf("MEILI_ENV = %q", meili["MEILI_ENV"])
	}
}

func TestInstancesShareEverythingButTheirName(t *testing.T) {
	p := mustLoadStack(t, secrets)
	a, b := service(t, p, "yurong-1"), service(t, p, "yurong-2")
	ea, eb := envOf(t, a), envOf(t, b)
	delete(ea, "OTEL_RESOURCE_ATTRIBUTES")
	delete(eb, "OTEL_RESOURCE_ATTRIBUTES")
	if !maps.Equal(ea, eb) {
		t.Errorf("the instances' environments differ:\n%v\n%v", ea, eb)
	}
	if a.Image != b.Image || a.Build == nil || b.Build == nil || a.Build.Context != b.Build.Context {
		t.Errorf("the instances run different images: %q %+v, %q %+v", a.Image, a.Build, b.Image, b.Build)
	}
	for _, s := range []types.ServiceConfig{a, b} {
		// run() gives in-flight requests 10 s after SIGTERM.
		if s.StopGracePeriod == nil || time.Duration(*s.StopGracePeriod) <= 10*time.Second {
			t.Errorf("%s is killed %v after SIGTERM, before its 10 s of draining", s.Name, s.StopGracePeriod)
		}
	}
	if !slices.Equal(a.HealthCheck.Test, b.HealthCheck.Test) {
		t.Errorf("health checks differ: %q, %q", a.HealthCheck.Test, b.HealthCheck.Test)
	}
	// The build context is the repository: the Dockerfile beside go.mod.
	ctx := a.Build.Context
	for _, f := range []string{a.Build.Dockerfile, "go.mod"} {
		if _, err := os.Stat(filepath.Join(ctx, f)); err != nil {
			t.Errorf("build context %s: %v", ctx, err)
		}
	}
}

func TestComposeSetsOnlyVariablesYurongReads(t *testing.T) {
	read := configVariables(t)
	p := mustLoadStack(t, secrets, "tracing")
	for _, name := range yurongServices {
		env := envOf(t, service(t, p, name))
		for k := range env {
			if strings.HasPrefix(k, "YURONG_") && !read[k] {
				t.Errorf("%s sets %s, which config.go does not read", name, k)
			}
		}
		if !read["YURONG_ADDR"] || env["YURONG_ADDR"] == "" {
			t.Errorf("%s has no YURONG_ADDR", name)
		}
	}
}

func TestOnlyTheProxyIsPublished(t *testing.T) {
	p := mustLoadStack(t, secrets, "tracing")
	for _, name := range p.ServiceNames() {
		ports := service(t, p, name).Ports
		switch name {
		case "proxy":
			if len(ports) != 1 || ports[0].Target != 80 || ports[0].Published != "8080" {
				t.Errorf("proxy ports = %+v, want 8080:80", ports)
			}
		case "jaeger":
			for _, port := range ports {
				if port.HostIP != "127.0.0.1" {
					t.Errorf("the Jaeger UI is published on %q; keep it on the loopback address", port.HostIP)
				}
			}
		default:
			if len(ports) > 0 {
				t.Errorf("%s publishes %+v; only the proxy faces clients", name, ports)
			}
		}
	}
	p = mustLoadStack(t, with(secrets, "HTTP_PORT", "9090"))
	if got := service(t, p, "proxy").Ports[0].Published; got != "9090" {
		t.Errorf("HTTP_PORT=9090 publishes %s", got)
	}
}

func TestTracingIsOffUntilAskedFor(t *testing.T) {
	p := mustLoadStack(t, secrets)
	if _, err := p.GetService("jaeger"); err == nil {
		t.Error("Jaeger starts without --profile tracing")
	}
	for _, name := range yurongServices {
		env := envOf(t, service(t, p, name))
		if tracing.Enabled(func(k string) string { return env[k] }) {
			t.Errorf("%s exports traces by default: OTEL_EXPORTER_OTLP_ENDPOINT=%q", name, env["OTEL_EXPORTER_OTLP_ENDPOINT"])
		}
	}

	p = mustLoadStack(t, with(secrets, "OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318"), "tracing")
	jaeger := service(t, p, "jaeger")
	for _, name := range yurongServices {
		env := envOf(t, service(t, p, name))
		if !tracing.Enabled(func(k string) string { return env[k] }) {
			t.Fatalf("%s does not export traces with the endpoint set", name)
		}
		u, err := url.Parse(env["OTEL_EXPORTER_OTLP_ENDPOINT"])
		if err != nil || u.Hostname() != jaeger.Name || u.Port() != "4318" {
			t.Errorf("%s sends traces to %q, want Jaeger's OTLP/HTTP port", name, env["OTEL_EXPORTER_OTLP_ENDPOINT"])
		}
		if env["OTEL_SERVICE_NAME"] != "yurong" || !strings.Contains(env["OTEL_RESOURCE_ATTRIBUTES"], "service.instance.id="+name) {
			t.Errorf("%s's spans are not told apart: %q %q", name, env["OTEL_SERVICE_NAME"], env["OTEL_RESOURCE_ATTRIBUTES"])
		}
	}
}

// caddyDirective is one line of a Caddyfile and the block it opens.
type caddyDirective struct {
	args  []string
	block []caddyDirective
}

// readCaddyfile reads the Caddyfile's structure: one directive a line,
// `{` at a line's end opening its block, `}` alone closing it, `#`
// starting a comment. (Caddy's own parser is in caddy's module, far heavier
// than this test; `caddy adapt` ran on it, see the README.)
func readCaddyfile(t *testing.T, path string) []caddyDirective {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	root := &caddyDirective{}
	stack := []*caddyDirective{root}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		top := stack[len(stack)-1]
		switch {
		case len(fields) == 1 && fields[0] == "}":
			if len(stack) == 1 {
				t.Fatalf("%s:%d: } closes nothing", path, line)
			}
			stack = stack[:len(stack)-1]
		case fields[len(fields)-1] == "{":
			top.block = append(top.block, caddyDirective{args: fields[:len(fields)-1]})
			stack = append(stack, &top.block[len(top.block)-1])
		default:
			top.block = append(top.block, caddyDirective{args: fields})
		}
	}
	if len(stack) != 1 {
		t.Fatalf("%s: %d blocks left open", path, len(stack)-1)
	}
	return root.block
}

func find(ds []caddyDirective, name string) []caddyDirective {
	var out []caddyDirective
	for _, d := range ds {
		if len(d.args) > 0 && d.args[0] == name {
			out = append(out, d)
		}
		out = append(out, find(d.block, name)...)
	}
	return out
}

func TestTheProxyBalancesBothInstances(t *testing.T) {
	p := mustLoadStack(t, secrets)
	proxy := service(t, p, "proxy")
	i := slices.IndexFunc(proxy.Volumes, func(v types.ServiceVolumeConfig) bool { return v.Target == "/etc/caddy/Caddyfile" })
	if i < 0 {
		t.Fatalf("no Caddyfile mounted on /etc/caddy/Caddyfile: %+v", proxy.Volumes)
	}
	mount := proxy.Volumes[i]
	if mount.Type != types.VolumeTypeBind || !mount.ReadOnly {
		t.Errorf("the Caddyfile is mounted %+v, want a read-only bind mount", mount)
	}
	site := readCaddyfile(t, mount.Source) // resolved by the loader, relative to compose.yaml

	var want []string
	for _, name := range yurongServices {
		_, port, err := net.SplitHostPort(envOf(t, service(t, p, name))["YURONG_ADDR"])
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, net.JoinHostPort(name, port))
	}
	rps := find(site, "reverse_proxy")
	if len(rps) != 1 {
		t.Fatalf("%d reverse_proxy directives, want one", len(rps))
	}
	rp := rps[0]
	if got := rp.args[1:]; !slices.Equal(got, want) {
		t.Errorf("reverse_proxy to %v, want %v", got, want)
	}
	sub := map[string][]string{}
	for _, d := range rp.block {
		sub[d.args[0]] = d.args[1:]
	}
	for name, args := range map[string][]string{
		"health_uri":    {"/readyz"},
		"health_status": {"200"},
		"lb_policy":     {"round_robin"},
	} {
		if !slices.Equal(sub[name], args) {
			t.Errorf("%s %v, want %v", name, sub[name], args)
		}
	}
	if _, ok := sub["lb_try_duration"]; !ok {
		t.Error("no lb_try_duration: a request to a stopped instance fails instead of trying the other")
	}
	if _, ok := sub["request_buffers"]; !ok {
		t.Error("no request_buffers: a POST retried on the other instance may go without its body")
	}
	for _, passive := range []string{"fail_duration", "max_fails"} {
		if _, ok := sub[passive]; ok {
			t.Errorf("%s: one failed retry would take a healthy instance out of rotation", passive)
		}
	}
	// /metrics stays per instance, unreachable through the proxy.
	hidden := false
	for _, d := range find(site, "respond") {
		if slices.Equal(d.args[1:], []string{"/metrics", "404"}) {
			hidden = true
		}
	}
	if !hidden {
		t.Error("the proxy serves /metrics of a random instance")
	}
	// The proxy's own health check goes through it to an instance.
	if hc := proxy.HealthCheck.Test; !strings.Contains(strings.Join(hc, " "), "127.0.0.1:80/healthz") {
		t.Errorf("proxy health check %q does not go through the proxy", hc)
	}
}
