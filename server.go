// Command yurong serves the marketplace API of Henan's tech-finance
// platform (豫融): the catalogue, innovation scores, ranked pairings and
// financing plans over GraphQL.
//
//	go run .                  serve on YURONG_ADDR with the embedded store and demo data
//	go run . import FILE      upsert the enterprises of a workbook (--template FILE writes the layout)
//	go run . export KIND FILE write an official list as .xlsx
//	go run . backup FILE      copy the embedded store, consistent while serving
//	go run . restore FILE     replace the embedded store (servers stopped)
//	go run . reindex          rebuild the search index and swap it in
//	go run . healthcheck      exit 0 when the server on YURONG_ADDR is ready
//
// It owns the wiring: it opens the backends, builds the services and the
// HTTP surface in the order docs/architecture.md describes, and starts the
// background work. It may import every project package; no package imports
// it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/clinics"
	"github.com/yurong/yurong/demo"
	"github.com/yurong/yurong/events"
	"github.com/yurong/yurong/financing"
	"github.com/yurong/yurong/graph"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/graphiql"
	"github.com/yurong/yurong/internal/gqlpost"
	"github.com/yurong/yurong/linkage"
	"github.com/yurong/yurong/marketplace"
	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/metrics"
	"github.com/yurong/yurong/models"
	"github.com/yurong/yurong/persisted"
	"github.com/yurong/yurong/pubsub"
	"github.com/yurong/yurong/ratelimit"
	"github.com/yurong/yurong/resolvers"
	"github.com/yurong/yurong/search"
	"github.com/yurong/yurong/sheets"
	"github.com/yurong/yurong/statebackend"
	"github.com/yurong/yurong/store"
	"github.com/yurong/yurong/tracing"
)

func main() {
	cfg, err := configFromEnv(os.Getenv)
	if err != nil {
		slog.Error("bad configuration", "err", err)
		os.Exit(2)
	}
	// Every line logged with a request's context carries its request id.
	log := slog.New(tracing.LogHandler(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel})))
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if len(os.Args) > 1 {
		name := os.Args[1]
		cmd, ok := commandNamed(name)
		if !ok {
			log.Error("bad command line", "err", usage(name))
			os.Exit(2)
		}
		if err := cmd(ctx, cfg, log, os.Args[2:]); err != nil {
			log.Error(name+" failed", "err", err)
			os.Exit(1)
		}
		return
	}
	if err := run(ctx, cfg, log); err != nil {
		log.Error("yurong stopped", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg Config, log *slog.Logger) error {
	generated := ""
	if cfg.AdminToken == "" {
		token, err := auth.RandomToken()
		if err != nil {
			return err
		}
		cfg.AdminToken, generated = token, token
		fmt.Fprintf(os.Stderr, "\nYURONG_ADMIN_TOKEN was not set; this run's administrator token is:\n\n    %s\n\n", token)
	}
	// Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set; before the app, whose
	// clients take their tracers from it. Flushed after the app closes.
	stopTracing, err := tracing.Setup(ctx)
	if err != nil {
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := stopTracing(ctx); err != nil {
			log.Warn("flush the traces", "err", err)
		}
	}()
	app, err := newApp(ctx, cfg, log, time.Now)
	if err != nil {
		return err
	}
	defer app.Close()
	printDemoAccounts(os.Stderr, app.demoAccounts, generated)

	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           app.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("serving", "addr", cfg.Addr, "store", app.store.Backend(), "graphiql", "http://"+displayAddr(cfg.Addr)+"/")

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func displayAddr(addr string) string {
	if len(addr) > 0 && addr[0] == ':' {
		return "127.0.0.1" + addr
	}
	return addr
}

// app is one running instance: its backends and its HTTP surface.
type app struct {
	cfg      Config
	log      *slog.Logger
	store    *store.Store
	shared   *statebackend.Backend // Redis, or its in-process equivalents
	pairings pubsub.Broker         // pairingsChanged, heard from this instance's engine
	engine   *matching.Engine
	search   search.Engine   // Meilisearch, or Bleve under YURONG_DATA_DIR
	indexer  *search.Indexer // follows the change log into search
	// checkpoint is the index's position in the change log.
	checkpoint *search.Checkpoint
	metrics    *prometheus.Registry
	market     *marketplace.Service
	// financing runs the applications' workflow; applications carries
	// applicationChanged, heard from the market's listeners.
	financing    *financing.Service
	applications pubsub.Broker
	auth         *auth.Authenticator
	now          func() time.Time
	// allowList, when set, holds the only operations the server runs.
	allowList *persisted.AllowList
	stop      context.CancelFunc // ends the background work: the change feed and the indexer
	running   sync.WaitGroup     // the background goroutines, waited for by Close

	// feed announces writes between instances (the shared broker).
	feed pubsub.Broker
	// followPoll is how often the read model reads the change log unwoken,
	// and dayCheck how often the engine looks at the calendar.
	followPoll, dayCheck time.Duration
	// indexReady is closed once the search index can answer: at once when
	// it was built before, after the initial build otherwise.
	indexReady chan struct{}
	// demoAccounts are the accounts the demo data was given at this start,
	// with their tokens; empty when the store held data already.
	demoAccounts []demoAccount
	// demoLoaded is set when this start loaded the demo data, whose
	// financing history is played once the engine has matched it.
	demoLoaded bool

	// events runs the matchmaking events.
	events *events.Service
	// linkage keeps residencies, agreements and funds' interests, whose
	// links the engine weighs (setLinks).
	linkage *linkage.Service
	// clinics runs the clinics (一企一策诊疗会).
	clinics *clinics.Service
	// models keeps the institutions' scoring models (setScoringModels).
	models *models.Service
}

var _ marketplace.Matcher = (*matching.Engine)(nil)

// newApp opens an instance and starts its background work: the change
// feed and the search indexer.
func newApp(ctx context.Context, cfg Config, log *slog.Logger, now func() time.Time) (*app, error) {
	a, err := openApp(ctx, cfg, log, now)
	if err != nil {
		return nil, err
	}
	a.start()
	return a, nil
}

// openApp opens the backends, loads demo data into an empty store when
// asked, and builds the read model, the matching engine and the search
// engine, starting nothing in the background.
func openApp(ctx context.Context, cfg Config, log *slog.Logger, now func() time.Time) (*app, error) {
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	boot, err := st.BootstrapAdministrator(ctx)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("read the bootstrap administrator: %w", err)
	}
	a := &app{cfg: cfg, log: log, store: st, auth: auth.NewAuthenticator(cfg.AdminToken, boot.ID, st), now: now,
		followPoll: marketplace.FollowPoll, dayCheck: time.Minute, indexReady: make(chan struct{})}
	if cfg.PersistedQueries != "" {
		if a.allowList, err = persisted.LoadAllowList(cfg.PersistedQueries); err != nil {
			st.Close()
			return nil, fmt.Errorf("load persisted queries: %w", err)
		}
		log.Info("only persisted queries are served", "operations", a.allowList.Len())
	}
	if cfg.Demo {
		if err := a.loadDemo(ctx); err != nil {
			st.Close()
			return nil, err
		}
	}
	if a.shared, err = statebackend.Open(ctx, cfg.RedisURL, a.cacheOptions()); err != nil {
		st.Close()
		return nil, fmt.Errorf("open cache: %w", err)
	}
	a.feed = a.shared.Broker()
	// Every instance applies every write (the change feed below), so each
	// engine notices every pairing change itself: pairingsChanged stays local.
	a.pairings = pubsub.NewLocal(64)
	mcfg := matching.DefaultConfig()
	mcfg.Today = now
	// The read model gives the engine its own values, which it never
	// modifies after put: the engine keeps them instead of copies
	// (docs/adr/029-engine-memory-and-start-up.md).
	mcfg.SharedInputs = true
	a.engine = matching.New(mcfg)
	a.engine.OnPairingsChanged(resolvers.PublishPairingChanges(a.pairings, now))
	snapshot := ""
	if cfg.DataDir != "" {
		snapshot = filepath.Join(cfg.DataDir, engineSnapshotFile)
	}
	a.market = marketplace.New(st, &snapshotEngine{Engine: a.engine, path: snapshot, log: log}, now)
	a.financing = financing.New(st, a.market, resolvers.EngineVerdicts{Engine: a.engine}, now)
	a.linkage = linkage.New(st, a.market, a.market, now)
	a.models = models.New(st, a.market, a.engine)
	if err := a.relateEngine(ctx); err != nil {
		a.Close()
		return nil, err
	}
	start := time.Now()
	if err := a.market.Load(ctx); err != nil {
		a.Close()
		return nil, err
	}
	log.Info("read model loaded and matched", "counts", a.market.Counts(), "took", time.Since(start).String())
	if d, err := a.market.Snapshot(ctx); err == nil {
		if bad := d.InvalidEnumValues(); len(bad) > 0 {
			// An older version stored values the API no longer accepts
			// (lowercase enums came in through variables): name them, so
			// they are repaired by an update, not found by a filter that
			// silently misses them.
			log.Error("stored values the API does not accept; update these entities", "count", len(bad), "first", bad[:min(len(bad), 20)])
		}
	}

	// A write invalidates the responses it could change before it is
	// acknowledged (listeners run inside the write path). Applications and
	// competitions are never in a cached response (their fields mark the
	// response uncacheable).
	a.market.OnChange(func(c marketplace.Change) {
		switch c.Entity {
		case marketplace.EntityApplication, marketplace.EntityCompetition:
			return
		case marketplace.EntityResidency, marketplace.EntityAgreement, marketplace.EntityInterest:
			// No cached response reads them; the scores they move are
			// invalidated once the engine has the new links (setLinks).
			return
		}
		a.shared.Responses().Invalidate(context.Background(), resolvers.ChangeTags(c.Entity, c.ID)...)
	})
	a.applications = pubsub.NewLocal(64)
	a.market.OnChange(resolvers.PublishApplicationChanges(a.applications))
	a.financing.OnChange = func(id int64) { a.market.Announce(marketplace.EntityApplication, id) }
	a.events = events.New(st, a.market, a.engine, now)
	a.linkage.OnChange = a.market.Announce
	a.models.OnChange = a.market.Announce
	a.clinics = clinics.New(st, clinicsCatalog{a.market}, a.engine, now)
	if a.demoLoaded {
		start := time.Now()
		if err := a.loadDemoFinancing(ctx, boot.ID); err != nil {
			a.Close()
			return nil, err
		}
		log.Info("demo financing history played", "took", time.Since(start).String())
		start = time.Now()
		if err := a.loadDemoEvent(ctx, boot.ID); err != nil {
			a.Close()
			return nil, err
		}
		log.Info("demo matchmaking event scheduled", "took", time.Since(start).String())
		start = time.Now()
		if err := a.loadDemoLinkage(ctx, boot.ID); err != nil {
			a.Close()
			return nil, err
		}
		log.Info("demo agreements, residencies and fund interest recorded", "took", time.Since(start).String())
		if err := a.loadDemoClinicsAndTraining(ctx, boot.ID); err != nil {
			a.Close()
			return nil, err
		}
	}
	// Matching favours the top banks of the evaluation, weighs the links
	// and scores with the institutions' models from the first read.
	for _, step := range []func(context.Context) error{a.rankBanks, a.setLinks, a.setScoringModels, a.openSearch} {
		if err := step(ctx); err != nil {
			a.Close()
			return nil, err
		}
	}
	return a, nil
}

// start runs the background work until Close.
func (a *app) start() {
	bg, stop := context.WithCancel(context.Background())
	a.stop = stop
	a.market.StartFeed(bg, &a.running, a.feed, a.followPoll, a.log)
	a.startIndexer(bg)
	a.running.Go(func() { a.followCalendar(bg) })
	a.running.Go(func() { a.pruneLog(bg) })
	a.running.Go(func() { a.financing.RunScheduler(bg, a.dayCheck, a.log) })
	// The engine's state that no entity write carries: the top banks and
	// the links, recomputed from the store after the changes that move
	// them (listeners registered before any write can start).
	banksMoved := a.changesOf(marketplace.EntityApplication)
	a.running.Go(func() { a.recompute(bg, banksMoved, "rank the banks", a.rankBanks) })
	linksMoved := a.changesOf(marketplace.EntityResidency, marketplace.EntityAgreement, marketplace.EntityInterest,
		marketplace.EntityApplication) // a disbursed loan makes a borrower
	a.running.Go(func() { a.recompute(bg, linksMoved, "set the links", a.setLinks) })
	modelsMoved := a.changesOf(marketplace.EntityScoringModel)
	a.running.Go(func() { a.recompute(bg, modelsMoved, "set the scoring models", a.setScoringModels) })
}

// followCalendar moves the matching engine to the new day when the date
// changes, so reads use today's date without waiting for a write, then
// drops the cached answers of yesterday and wakes the indexer, which
// rebuilds the pairings the new day moved.
func (a *app) followCalendar(ctx context.Context) {
	t := time.NewTicker(a.dayCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if a.engine.Redate() {
			a.log.Info("a new day: every date rule re-evaluated", "asOf", a.engine.AsOf().Format(time.DateOnly))
			a.scoresMoved(ctx)
		}
	}
}

// changesOf returns a channel that fires, coalesced, after each change of
// one of the entities on any instance (this one's writes and, through the
// change feed, the others').
func (a *app) changesOf(entities ...string) <-chan struct{} {
	wake := make(chan struct{}, 1)
	a.market.OnChange(func(c marketplace.Change) {
		if slices.Contains(entities, c.Entity) {
			select {
			case wake <- struct{}{}:
			default: // a run is pending already
			}
		}
	})
	return wake
}

// recompute runs fn after the changes wake announces (many changes, one
// run) and at each day check (an agreement lapses, a year turns), until
// ctx ends, so every instance converges on the same state once writes
// stop. A failure is logged and retried at the next turn.
func (a *app) recompute(ctx context.Context, wake <-chan struct{}, what string, fn func(context.Context) error) {
	t := time.NewTicker(a.dayCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-t.C:
		}
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn(what, "err", err)
		}
	}
}

// logRetention is how long the change log keeps an entry. An instance
// that falls further behind reloads its read model whole.
const logRetention = 24 * time.Hour

// pruneLog deletes log entries older than logRetention, hourly.
func (a *app) pruneLog(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := a.store.PruneLog(ctx, time.Now().Add(-logRetention)); err != nil && ctx.Err() == nil {
			a.log.Warn("prune the change log", "err", err)
		} else if n > 0 {
			a.log.Info("change log pruned", "entries", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *app) loadDemo(ctx context.Context) error {
	empty, err := a.store.IsEmpty(ctx)
	if err != nil || !empty {
		return err
	}
	start := time.Now()
	d := demo.Generate(demoSeed, a.cfg.DemoSize, a.now())
	if err := a.store.BulkInsert(ctx, d); err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	if a.demoAccounts, err = a.createDemoAccounts(ctx, d); err != nil {
		return err
	}
	a.demoLoaded = true
	a.log.Info("demo data loaded", "enterprises", len(d.Enterprises), "accounts", len(a.demoAccounts), "took", time.Since(start).String())
	return nil
}

// openSearch opens the search engine and its indexer.
func (a *app) openSearch(ctx context.Context) error {
	scfg := search.Config{DataDir: a.cfg.DataDir, MeiliURL: a.cfg.MeiliURL, MeiliKey: a.cfg.MeiliKey}
	eng, err := search.Open(ctx, scfg)
	if err != nil {
		return fmt.Errorf("open search: %w", err)
	}
	a.search = search.Traced(eng)
	src := search.NewSource(a.market, a.engine, a.market.Snapshot, search.Limits{})
	// The index follows the change log from its own checkpoint: each
	// embedded index at its own pace, a shared Meilisearch one instance
	// at a time.
	a.checkpoint = search.NewCheckpoint(a.store, search.IndexName(scfg))
	a.indexer = search.NewIndexer(a.search, src, a.checkpoint, search.IndexerOptions{Logger: a.log})
	a.metrics = prometheus.NewRegistry()
	a.metrics.MustRegister(a.indexer)
	return nil
}

// startIndexer follows the change log into the index until ctx ends, woken
// by every change this instance applies, and fills an empty index from the
// read model (the demo data is bulk-loaded without log entries). The
// filled index reflects the log up to the head read before it, so the
// checkpoint starts there.
func (a *app) startIndexer(ctx context.Context) {
	a.market.OnChange(func(marketplace.Change) { a.indexer.Notify() })
	st, err := a.search.Stats(ctx)
	empty := err == nil && st.Documents[search.TypeEnterprise] == 0 && a.market.Counts()["enterprise"] > 0
	if empty {
		head, err := a.store.LogHead(ctx)
		if err == nil {
			err = a.checkpoint.Reset(ctx, head)
		}
		if err != nil {
			a.log.Warn("start the index at the log's head; it replays the log instead", "err", err)
		}
	}
	a.running.Go(func() { a.indexer.Run(ctx) })
	if !empty {
		close(a.indexReady)
		return
	}
	a.running.Go(func() {
		start := time.Now()
		for {
			err := a.indexer.Reindex(ctx, nil)
			if err == nil {
				break
			}
			if ctx.Err() != nil {
				return
			}
			a.log.Error("initial search index; retrying", "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(5 * time.Second):
			}
		}
		close(a.indexReady)
		a.log.Info("search index built", "took", time.Since(start).String())
	})
}

// Close releases the backends.
func (a *app) Close() error {
	if a.stop != nil {
		a.stop()
		a.running.Wait()
	}
	var errs []error
	if a.search != nil {
		errs = append(errs, a.search.Close())
	}
	return errors.Join(append(errs, a.shared.Close(), a.store.Close())...)
}

// Handler returns the HTTP surface: GraphQL, GraphiQL, health and metrics.
func (a *app) Handler() http.Handler {
	mux := http.NewServeMux()
	gql, limits := a.graphqlHandler()
	gql = a.auth.Middleware(limits.Middleware(limitBody(withDeadline(graphQLOverHTTP(gql), requestDeadline), maxBodyBytes)))
	mux.Handle("/graphql", gql)
	// The schedules' exports: public reads behind the same principal, rate
	// limit and deadline as /graphql.
	x := eventExports{events: a.events, limits: limits, log: a.log}
	export := func(h http.HandlerFunc) http.Handler {
		return a.auth.Middleware(limits.Middleware(withDeadline(h, requestDeadline)))
	}
	mux.Handle("GET /events/{id}/schedule.xlsx", export(x.workbook))
	mux.Handle("GET /events/{id}/agenda/{file}", export(x.calendar))
	// The official lists (listexports.go): private columns per enterprise,
	// as the API decides them.
	mux.Handle("GET /exports/{file}", export(a.listExports(limits).serve))
	// GraphiQL's examples show the first early-small-hard enterprise.
	ide, ideAssets := graphiql.Handler("豫融 Yurong GraphQL", "/graphql", func() string {
		if ids := a.engine.EarlySmallHardList(); len(ids) > 0 {
			return relay.IntID("Enterprise", ids[0])
		}
		return ""
	})
	mux.Handle("GET /{$}", ide)
	mux.Handle("GET "+graphiql.AssetPrefix, ideAssets)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", a.readyz)
	mux.Handle("POST /admin/reindex", a.auth.Middleware(search.ReindexHandler(a.indexer, administrator)))
	mux.Handle("POST /admin/import", a.auth.Middleware(sheets.ImportHandler(importWriter{a.market}, administrator, a.log)))
	// Profiles of the running server (net/http/pprof), to find what a
	// request costs under load (issue 16): administrators only, as a
	// profile costs CPU and a heap or goroutine dump can show data.
	for _, p := range []struct {
		path string
		h    http.HandlerFunc
	}{
		{"/debug/pprof/", pprof.Index}, {"/debug/pprof/cmdline", pprof.Cmdline}, {"/debug/pprof/profile", pprof.Profile},
		{"/debug/pprof/symbol", pprof.Symbol}, {"/debug/pprof/trace", pprof.Trace},
	} {
		mux.Handle("GET "+p.path, a.auth.Middleware(administratorOnly(p.h)))
	}
	mux.Handle("GET /metrics", promhttp.HandlerFor(prometheus.Gatherers{prometheus.DefaultGatherer, a.metrics}, promhttp.HandlerOpts{}))
	return tracing.HTTP((&tracing.RequestLog{Log: a.log}).Handler(mux))
}

// administratorOnly serves h to administrators and answers 401 to others.
func administratorOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := administrator(r); err != nil {
			http.Error(w, "administrator token required", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// administrator admits an administrator's request: the authorization the
// admin endpoints of search and sheets are given.
func administrator(r *http.Request) error {
	// SECURITY: the admin endpoints rewrite the index or write enterprises'
	// private figures; administrators only.
	return auth.Require(r.Context(), auth.Administrator)
}

// graphqlHandler builds the GraphQL server and returns it with its rate
// limit, whose middleware must wrap it.
func (a *app) graphqlHandler() (http.Handler, *ratelimit.Extension) {
	res := &resolvers.Resolver{Market: a.market, Store: a.store, Engine: a.engine, Broker: a.pairings, Search: a.search,
		Responses: a.shared.Responses(), Now: a.now, Financing: a.financing, Applications: a.applications, Events: a.events,
		Linkage: a.linkage, Clinics: a.clinics, Models: a.models}
	cfg := graph.Config{Resolvers: res, Complexity: resolvers.Complexity()}
	srv := handler.New(graph.NewExecutableSchema(cfg))
	srv.AddTransport(transport.Websocket{
		KeepAlivePingInterval: 10 * time.Second,
		// graphql-transport-ws carries credentials in connection_init.
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			principal, err := a.auth.FromHeader(ctx, p.Authorization())
			if err != nil {
				return ctx, nil, err
			}
			return resolvers.OverWebSocket(auth.With(ctx, principal)), nil, nil
		},
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(gqlpost.Transport{}) // transport.POST without re-encoding the data (ADR 031)
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(maxTokens)
	// First, so its operation span is the outermost and parents the
	// resolvers and the later extensions' reads.
	srv.Use(tracing.GraphQL{})
	srv.Use(extension.Introspection{})
	srv.Use(&resolvers.StrictEnums{})
	srv.Use(resolvers.SubscriptionsOverWebSocket{})
	// Before the cost limit, which expands every fragment where it is
	// spread: the bounds measure each fragment once and refuse what that
	// expansion would take minutes over.
	srv.Use(resolvers.DocumentBounds{MaxFields: maxFields, MaxDepth: maxDepth, MaxAliases: maxAliases})
	srv.Use(extension.FixedComplexityLimit(maxComplexity)) // before the rate limit, which charges its cost
	srv.Use(a.shared.PersistedQueries(a.allowList))
	limits := a.shared.RateLimit()
	limits.Identify = a.rateClient
	srv.Use(limits)
	// Before CachedReads, so it wraps it (the first extension is the
	// outermost): the cache must see whether a response hung on the
	// viewer's access.
	srv.Use(resolvers.AccessControl{Grants: a.store, Audit: a.store, Accounts: a.store, Now: a.now})
	if !a.cfg.NoResponseCache {
		srv.Use(resolvers.CachedReads{Cache: a.shared.Responses(), TTL: responseTTL})
	}
	srv.Use(metrics.NewTracer())
	srv.SetErrorPresenter(resolvers.ErrorPresenter)
	srv.SetRecoverFunc(resolvers.RecoverFunc)
	return srv, limits
}

func (a *app) cacheOptions() statebackend.Options {
	o := a.cfg.Cache
	if o.Logger == nil {
		o.Logger = a.log
	}
	return o
}

// rateClient names whom a request's cost is charged to: an authenticated
// principal by its token, anyone else by address, so inventing tokens buys
// no budget.
func (a *app) rateClient(r *http.Request) string {
	if p := auth.From(r.Context()); p.AccountID != 0 {
		return "account:" + strconv.FormatInt(p.AccountID, 10)
	}
	r2 := r.Clone(r.Context())
	r2.Header.Del("Authorization")
	return ratelimit.ClientID(r2)
}

// withDeadline gives each request's context a deadline, so the store reads
// and searches of a request that runs too long are cancelled; a WebSocket
// connection, which lives as long as its subscriptions, has none.
func withDeadline(next http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// limitBody refuses bodies over n bytes with 413 before GraphQL sees them;
// a body without a length is cut at n by http.MaxBytesReader.
func limitBody(next http.Handler, n int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			fmt.Fprintf(w, `{"errors":[{"message":"request body over %d bytes","extensions":{"code":"REQUEST_TOO_LARGE"}}]}`, n)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

// readyz reports each backend; 503 when one is down.
func (a *app) readyz(w http.ResponseWriter, r *http.Request) {
	// Each backend reports a state and, when it is not well, a code; the
	// error itself, which may name hosts and addresses, goes to the log.
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	st := map[string]any{"backend": a.store.Backend(), "ok": true}
	storeOK := true
	if err := a.store.Ping(ctx); err != nil {
		storeOK, st["ok"], st["code"] = false, false, "UNREACHABLE"
		a.log.WarnContext(ctx, "readyz: the store is unreachable", "err", err)
	}
	cs := a.shared.Status()
	cacheState := map[string]any{"backend": cs.Backend, "ok": cs.OK}
	if !cs.Since.IsZero() {
		cacheState["since"] = cs.Since
	}
	if !cs.OK {
		cacheState["code"] = "UNREACHABLE"
		a.log.WarnContext(ctx, "readyz: Redis is unreachable; serving from in-process state", "err", cs.Error)
	}
	search := a.searchStatus(ctx)
	building := false
	select {
	case <-a.indexReady:
	default:
		building = true
		search["ok"], search["building"], search["code"] = false, true, "BUILDING"
	}
	report := map[string]any{"store": st, "cache": cacheState, "search": search}
	w.Header().Set("Content-Type", "application/json")
	// Ready means every answer is right: the store is up and the search
	// index is built (while an instance builds its first index, search
	// answers nothing). With Redis down an instance degrades to in-process
	// state and says so, but stays in rotation; so it does with a search
	// engine down after the first build: writes go on and the log waits.
	if !storeOK || building {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	json.NewEncoder(w).Encode(report)
}

// searchStatus is the search engine's state and the indexer's lag. A
// search outage does not take the instance out of rotation: writes go on
// and the outbox drains when the engine is back.
func (a *app) searchStatus(ctx context.Context) map[string]any {
	out := map[string]any{"backend": a.search.Name(), "ok": true}
	if err := a.search.Ping(ctx); err != nil {
		out["ok"], out["code"] = false, "UNREACHABLE"
		a.log.WarnContext(ctx, "readyz: the search engine is unreachable", "err", err)
	}
	if lag, err := a.indexer.Lag(ctx); err == nil {
		out["pending"], out["oldestSeconds"] = lag.Pending, lag.Oldest.Seconds()
		if lag.LastError != "" {
			out["indexing"] = "FAILING"
			a.log.WarnContext(ctx, "readyz: indexing fails", "err", lag.LastError)
		}
		if lag.Reindex != nil {
			out["reindex"] = lag.Reindex
		}
	}
	return out
}

// clinicsCatalog is the read model as package clinics uses it.
type clinicsCatalog struct{ *marketplace.Service }

// EnterprisesIn returns the enterprises of the city.
func (c clinicsCatalog) EnterprisesIn(city catalog.City) []*catalog.Enterprise {
	var out []*catalog.Enterprise
	for after := int64(0); ; {
		p := c.Enterprises(marketplace.EnterpriseFilter{Cities: []catalog.City{city}}, after, 1000)
		out = append(out, p.Items...)
		if !p.HasNext || len(p.Items) == 0 {
			return out
		}
		after = p.Items[len(p.Items)-1].ID
	}
}
