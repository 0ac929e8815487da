package deploy

import (
	"context"
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
	"golang.org/x/mod/modfile"
)

// dockerfile is the repository's Dockerfile as BuildKit reads it: its
// stages, with the warnings of BuildKit's linter (those `docker build
// --check` reports while parsing).
func dockerfile(t *testing.T) (stages []instructions.Stage, warnings []string) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		t.Fatalf("parse the Dockerfile: %v", err)
	}
	for _, w := range res.Warnings {
		warnings = append(warnings, w.Short)
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, _, msg string, loc []parser.Range) {
		line := 0
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		warnings = append(warnings, linter.LintFormatShort(rule, msg, line))
	}})
	stages, _, err = instructions.Parse(res.AST, lint)
	if err != nil {
		t.Fatalf("read the Dockerfile's instructions: %v", err)
	}
	return stages, warnings
}

func commandsOf[C any](s instructions.Stage) []C {
	var out []C
	for _, c := range s.Commands {
		if x, ok := c.(C); ok {
			out = append(out, x)
		}
	}
	return out
}

func TestDockerfileParsesWithoutWarnings(t *testing.T) {
	if _, warnings := dockerfile(t); len(warnings) > 0 {
		t.Errorf("BuildKit warns:\n%s", strings.Join(warnings, "\n"))
	}
}

func TestDockerfileBuildsWithGoModsGo(t *testing.T) {
	stages, _ := dockerfile(t)
	data, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	mod, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil || mod.Go == nil {
		t.Fatalf("go.mod: %v", err)
	}
	parts := strings.SplitN(mod.Go.Version, ".", 3)
	want := "golang:" + parts[0] + "." + parts[1]
	if base := stages[0].BaseName; base != want && !strings.HasPrefix(base, want+".") && !strings.HasPrefix(base, want+"-") {
		t.Errorf("the builder is %s; go.mod says go %s, want %s", base, mod.Go.Version, want)
	}
}

func TestDockerfileIsAStaticBinaryOnANonRootImage(t *testing.T) {
	stages, _ := dockerfile(t)
	if len(stages) < 2 {
		t.Fatalf("%d stage(s); want a builder and a final stage", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]

	var buildLine string
	for _, run := range commandsOf[*instructions.RunCommand](build) {
		if line := strings.Join(run.CmdLine, " "); strings.Contains(line, "go build") {
			buildLine = line
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "go build", "-trimpath", "-o /out/yurong"} {
		if !strings.Contains(buildLine, want) {
			t.Errorf("the builder's go build %q lacks %q", buildLine, want)
		}
	}

	if !strings.HasPrefix(final.BaseName, "gcr.io/distroless/static") && final.BaseName != "scratch" {
		t.Errorf("the final stage is on %s; want distroless static or scratch", final.BaseName)
	}
	// distroless has no shell to run anything in.
	if runs := commandsOf[*instructions.RunCommand](final); len(runs) > 0 {
		t.Errorf("the final stage RUNs %q; it has no shell", runs[0].CmdLine)
	}

	users := commandsOf[*instructions.UserCommand](final)
	if len(users) == 0 {
		t.Fatal("the final stage sets no USER: it would run as root")
	}
	uid, _, _ := strings.Cut(users[len(users)-1].User, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("USER %q: want a numeric, non-zero uid (Kubernetes' runAsNonRoot checks numbers)", users[len(users)-1].User)
	}

	entry := commandsOf[*instructions.EntrypointCommand](final)
	if len(entry) != 1 || entry[0].PrependShell || len(entry[0].CmdLine) != 1 {
		t.Fatalf("ENTRYPOINT %+v: want the binary alone, in exec form", entry)
	}
	binary := entry[0].CmdLine[0]
	copied := false
	for _, c := range commandsOf[*instructions.CopyCommand](final) {
		if c.From == build.Name && c.DestPath == binary && slices.Equal(c.SourcePaths, []string{"/out/yurong"}) {
			copied = true
		}
	}
	if !copied {
		t.Errorf("the final stage does not copy /out/yurong from stage %q to %s", build.Name, binary)
	}

	checks := commandsOf[*instructions.HealthCheckCommand](final)
	if len(checks) != 1 {
		t.Fatalf("%d HEALTHCHECKs in the final stage, want one", len(checks))
	}
	h := checks[0].Health
	if !slices.Equal(h.Test, []string{"CMD", binary, "healthcheck"}) {
		t.Errorf("HEALTHCHECK %q, want CMD %s healthcheck (no shell, no curl in the image)", h.Test, binary)
	}
	if h.Timeout <= 0 || h.Timeout > h.Interval || h.StartPeriod < time.Minute {
		t.Errorf("HEALTHCHECK timings %+v: timeout within the interval, a start period for the first index", h)
	}

	read := configVariables(t)
	for _, env := range commandsOf[*instructions.EnvCommand](final) {
		for _, kv := range env.Env {
			if strings.HasPrefix(kv.Key, "YURONG_") && !read[kv.Key] {
				t.Errorf("ENV %s: config.go does not read it", kv.Key)
			}
		}
	}
}

func TestComposeRunsTheImagesHealthcheck(t *testing.T) {
	stages, _ := dockerfile(t)
	h := commandsOf[*instructions.HealthCheckCommand](stages[len(stages)-1])[0].Health
	p := mustLoadStack(t, secrets)
	for _, name := range yurongServices {
		if got := service(t, p, name).HealthCheck.Test; !slices.Equal(got, h.Test) {
			t.Errorf("%s checks %q, the image %q", name, got, h.Test)
		}
	}
}

// buildContext copies the repository to dir as `docker build ..` sends it:
// without what .dockerignore excludes.
func buildContext(t *testing.T, repo, dir string) {
	t.Helper()
	f, err := os.Open(filepath.Join(repo, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	patterns, err := ignorefile.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(repo, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repo, path)
		if rel == "." {
			return nil
		}
		skip, err := pm.MatchesOrParentMatches(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		if skip {
			if d.IsDir() && !pm.Exclusions() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(path, target)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

func TestDockerignoreKeepsWhatTheBuildNeedsAndDropsTheRest(t *testing.T) {
	dir := t.TempDir()
	buildContext(t, "..", dir)
	for _, kept := range []string{"go.mod", "go.sum", "server.go", "store/migrations", "graph/schema", "graphiql/assets"} {
		if _, err := os.Stat(filepath.Join(dir, kept)); err != nil {
			t.Errorf("%s is not in the build context: %v", kept, err)
		}
	}
	for _, dropped := range []string{".git", "docs", "deploy", "README.md", "server_test.go", "data"} {
		if _, err := os.Stat(filepath.Join(dir, dropped)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is in the build context", dropped)
		}
	}
}

// TestTheImagesBinaryIsStaticAndItsHealthcheckWorks builds the binary as
// the Dockerfile does, from the context .dockerignore leaves, checks with
// debug/elf that it needs no dynamic loader (distroless static has none),
// then serves with it on the embedded store and runs the image's
// HEALTHCHECK command against it until the server is ready.
func TestTheImagesBinaryIsStaticAndItsHealthcheckWorks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server binary (a minute or two)")
	}
	ctxDir, out := t.TempDir(), t.TempDir()
	buildContext(t, "..", ctxDir)
	bin := filepath.Join(out, "yurong")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".")
	build.Dir = ctxDir
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=readonly")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build in the build context: %v\n%s", err, b)
	}

	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			t.Errorf("the binary asks for a dynamic loader (PT_INTERP); it would not start on distroless static")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary links %v", libs)
	}
	f.Close()
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if settings["CGO_ENABLED"] != "0" || settings["-trimpath"] != "true" {
		t.Errorf("build settings %v: want CGO_ENABLED=0 and -trimpath", settings)
	}

	stages, _ := dockerfile(t)
	probe := commandsOf[*instructions.HealthCheckCommand](stages[len(stages)-1])[0].Health.Test[2:] // after CMD /yurong
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	// Only what the image sets and the test needs: no database or Redis
	// from the environment the tests run in.
	env := []string{"YURONG_ADDR=" + addr, "YURONG_DATA_DIR=" + t.TempDir(), "YURONG_DEMO_SIZE=30",
		"YURONG_ADMIN_TOKEN=image-test-token", "HOME=" + t.TempDir()}
	healthcheck := func() (int, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, probe...)
		cmd.Env = env
		b, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), string(b)
		}
		if err != nil {
			t.Fatalf("run %s %v: %v", bin, probe, err)
		}
		return 0, string(b)
	}
	if code, _ := healthcheck(); code != 1 {
		t.Fatalf("the health check exits %d with no server, want 1", code)
	}

	server := exec.Command(bin)
	server.Env = env
	logs := &lockedBuffer{}
	server.Stdout, server.Stderr = logs, logs
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- server.Wait() }()
	exited := false
	defer func() {
		if exited {
			return
		}
		server.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("the server did not stop cleanly on SIGTERM: %v\n%s", err, logs.String())
			}
		case <-time.After(20 * time.Second):
			server.Process.Kill()
			<-done
			t.Error("the server did not stop within 20 s of SIGTERM")
		}
	}()
	deadline := time.Now().Add(90 * time.Second)
	for {
		code, report := healthcheck()
		if code == 0 {
			if !strings.Contains(report, `"store"`) {
				t.Errorf("the healthy probe printed %q, not the readiness report", report)
			}
			return
		}
		select {
		case err := <-done:
			exited = true
			t.Fatalf("the server exited: %v\n%s", err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not healthy after 90 s (last exit %d: %s)\n%s", code, report, logs.String())
		}
		time.Sleep(500 * time.Millisecond)
	}
}
