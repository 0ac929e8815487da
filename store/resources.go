package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/yurong/yurong/catalog"
)

// Column lists after id, in the order the code binds and scans them.
const (
	institutionCols = "name, kind, city, created_at"
	productCols     = "name, kind, program, provider_id, description, min_amount, max_amount, " +
		"annual_rate_percent, term_months, collateral_free, coverages, eligibility, created_at"
	incubatorCols = "name, kind, level, city, focus_tracks, vacancies, service_package, description, created_at"
	demandCols    = "title, description, kind, industry_chain, track, city, owner_name, keywords, " +
		"budget, deadline, created_at"
)

func institutionArgs(in *catalog.Institution, t time.Time) []any {
	return []any{in.Name, string(in.Kind), string(in.City), timeArg(t)}
}

func scanInstitution(sc scanner) (*catalog.Institution, error) {
	var in catalog.Institution
	var created timeCol
	if err := sc.Scan(&in.ID, &in.Name, &in.Kind, &in.City, &created); err != nil {
		return nil, err
	}
	in.CreatedAt = created.t
	return &in, nil
}

func productArgs(p *catalog.FinancialProduct, providerID int64, t time.Time) ([]any, error) {
	coverages, err := jsonArg(p.Coverages)
	if err != nil {
		return nil, err
	}
	elig, err := jsonArg(p.Eligibility)
	if err != nil {
		return nil, err
	}
	return []any{p.Name, string(p.Kind), string(p.Program), providerID, p.Description,
		nullInt(p.MinAmount), int64(p.MaxAmount), nullFloat(p.AnnualRatePercent), nullInt(p.TermMonths),
		p.CollateralFree, coverages, elig, timeArg(t)}, nil
}

func scanProduct(sc scanner) (*catalog.FinancialProduct, error) {
	var (
		p         catalog.FinancialProduct
		minAmount sql.NullInt64
		rate      sql.NullFloat64
		term      sql.NullInt64
		created   timeCol
	)
	err := sc.Scan(&p.ID, &p.Name, &p.Kind, &p.Program, &p.ProviderID, &p.Description, &minAmount,
		&p.MaxAmount, &rate, &term, &p.CollateralFree, jsonCol{&p.Coverages}, jsonCol{&p.Eligibility}, &created)
	if err != nil {
		return nil, err
	}
	if minAmount.Valid {
		a := catalog.Amount(minAmount.Int64)
		p.MinAmount = &a
	}
	if rate.Valid {
		p.AnnualRatePercent = &rate.Float64
	}
	if term.Valid {
		n := int(term.Int64)
		p.TermMonths = &n
	}
	p.CreatedAt = created.t
	return &p, nil
}

func incubatorArgs(in *catalog.Incubator, t time.Time) ([]any, error) {
	tracks, err := jsonArg(in.FocusTracks)
	if err != nil {
		return nil, err
	}
	var pkg any
	if in.ServicePackage != nil {
		if pkg, err = jsonArg(in.ServicePackage); err != nil {
			return nil, err
		}
	}
	return []any{in.Name, string(in.Kind), string(in.Level), string(in.City), tracks,
		int64(in.Vacancies), pkg, in.Description, timeArg(t)}, nil
}

func scanIncubator(sc scanner) (*catalog.Incubator, error) {
	var (
		in        catalog.Incubator
		vacancies int64
		pkg       *catalog.ServicePackage
		created   timeCol
	)
	err := sc.Scan(&in.ID, &in.Name, &in.Kind, &in.Level, &in.City, jsonCol{&in.FocusTracks},
		&vacancies, jsonCol{&pkg}, &in.Description, &created)
	if err != nil {
		return nil, err
	}
	in.Vacancies, in.ServicePackage, in.CreatedAt = int(vacancies), pkg, created.t
	return &in, nil
}

func demandArgs(d *catalog.SupplyChainDemand, t time.Time) ([]any, error) {
	keywords, err := jsonArg(d.Keywords)
	if err != nil {
		return nil, err
	}
	var deadline any
	if d.Deadline != nil {
		deadline = dateArg(*d.Deadline)
	}
	return []any{d.Title, d.Description, string(d.Kind), d.IndustryChain, string(d.Track), string(d.City),
		d.OwnerName, keywords, nullInt(d.Budget), deadline, timeArg(t)}, nil
}

func scanDemand(sc scanner) (*catalog.SupplyChainDemand, error) {
	var (
		d        catalog.SupplyChainDemand
		budget   sql.NullInt64
		deadline dateCol
		created  timeCol
	)
	err := sc.Scan(&d.ID, &d.Title, &d.Description, &d.Kind, &d.IndustryChain, &d.Track, &d.City,
		&d.OwnerName, jsonCol{&d.Keywords}, &budget, &deadline, &created)
	if err != nil {
		return nil, err
	}
	if budget.Valid {
		a := catalog.Amount(budget.Int64)
		d.Budget = &a
	}
	d.Deadline, d.CreatedAt = deadline.ptr(), created.t
	return &d, nil
}

// create inserts one row into table, the outbox event for it, and returns
// the new id.
func (s *Store) create(ctx context.Context, table, cols, entity string, t time.Time, args []any) (int64, error) {
	var id int64
	err := s.write(ctx, func(c conn) error {
		if err := c.queryRow(ctx, insertSQL(c.backend, table, cols, 1, " RETURNING id"), args...).Scan(&id); err != nil {
			return err
		}
		return addOutbox(ctx, c, entity, id, t)
	})
	return id, err
}

// CreateInstitution inserts in and sets in.ID and in.CreatedAt.
func (s *Store) CreateInstitution(ctx context.Context, in *catalog.Institution) error {
	t := now()
	id, err := s.create(ctx, "institutions", institutionCols, EntityInstitution, t, institutionArgs(in, t))
	if err != nil {
		return wrap("create institution", err)
	}
	in.ID, in.CreatedAt = id, t
	return nil
}

// CreateFinancialProduct inserts p and sets p.ID and p.CreatedAt. A
// p.ProviderID that is no institution's is ErrProviderNotFound.
func (s *Store) CreateFinancialProduct(ctx context.Context, p *catalog.FinancialProduct) error {
	t := now()
	args, err := productArgs(p, p.ProviderID, t)
	if err != nil {
		return wrap("create financial product", err)
	}
	id, err := s.create(ctx, "financial_products", productCols, EntityProduct, t, args)
	if isForeignKeyViolation(err) {
		err = fmt.Errorf("%w: institution %d", ErrProviderNotFound, p.ProviderID)
	}
	if err != nil {
		return wrap("create financial product", err)
	}
	p.ID, p.CreatedAt = id, t
	return nil
}

// CreateIncubator inserts in and sets in.ID and in.CreatedAt.
func (s *Store) CreateIncubator(ctx context.Context, in *catalog.Incubator) error {
	t := now()
	args, err := incubatorArgs(in, t)
	if err != nil {
		return wrap("create incubator", err)
	}
	id, err := s.create(ctx, "incubators", incubatorCols, EntityIncubator, t, args)
	if err != nil {
		return wrap("create incubator", err)
	}
	in.ID, in.CreatedAt = id, t
	return nil
}

// CreateDemand inserts d and sets d.ID and d.CreatedAt.
func (s *Store) CreateDemand(ctx context.Context, d *catalog.SupplyChainDemand) error {
	t := now()
	args, err := demandArgs(d, t)
	if err != nil {
		return wrap("create demand", err)
	}
	id, err := s.create(ctx, "supply_chain_demands", demandCols, EntityDemand, t, args)
	if err != nil {
		return wrap("create demand", err)
	}
	d.ID, d.CreatedAt = id, t
	return nil
}
