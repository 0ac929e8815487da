package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
)

// Batch writes of products, incubators and demands, for imports: each
// function writes its whole slice in one transaction, inserting an entity
// with ID 0 and replacing the stored row of any other, every one with its
// change-log entry. Either all are written or, on an error, none; the
// structs get their ID and CreatedAt only on success.

// SaveFinancialProducts writes ps. A ProviderID that is no institution's is
// ErrProviderNotFound; an unknown ID is ErrNotFound.
func (s *Store) SaveFinancialProducts(ctx context.Context, ps []*catalog.FinancialProduct) error {
	err := saveRows(ctx, s, "financial_products", productCols, EntityProduct, ps,
		func(p *catalog.FinancialProduct) *int64 { return &p.ID },
		func(p *catalog.FinancialProduct) *time.Time { return &p.CreatedAt },
		func(p *catalog.FinancialProduct, t time.Time) ([]any, error) { return productArgs(p, p.ProviderID, t) })
	if isForeignKeyViolation(err) {
		err = fmt.Errorf("%w: %v", ErrProviderNotFound, err)
	}
	return wrap("save financial products", err)
}

// SaveIncubators writes ins; an unknown ID is ErrNotFound. The stored
// vacancies are replaced too, like every other column.
func (s *Store) SaveIncubators(ctx context.Context, ins []*catalog.Incubator) error {
	return wrap("save incubators", saveRows(ctx, s, "incubators", incubatorCols, EntityIncubator, ins,
		func(in *catalog.Incubator) *int64 { return &in.ID },
		func(in *catalog.Incubator) *time.Time { return &in.CreatedAt },
		incubatorArgs))
}

// SaveDemands writes ds; an unknown ID is ErrNotFound.
func (s *Store) SaveDemands(ctx context.Context, ds []*catalog.SupplyChainDemand) error {
	return wrap("save demands", saveRows(ctx, s, "supply_chain_demands", demandCols, EntityDemand, ds,
		func(d *catalog.SupplyChainDemand) *int64 { return &d.ID },
		func(d *catalog.SupplyChainDemand) *time.Time { return &d.CreatedAt },
		demandArgs))
}

// saveRows inserts or updates each of vs in table, whose column list cols
// ends with created_at (argsOf's last argument), in one transaction.
func saveRows[T any](ctx context.Context, s *Store, table, cols, entity string, vs []*T,
	id func(*T) *int64, createdAt func(*T) *time.Time, argsOf func(*T, time.Time) ([]any, error)) error {
	if !strings.HasSuffix(cols, ", created_at") {
		return fmt.Errorf("%s: the column list must end with created_at", table)
	}
	// Every column but created_at, set from $2 on; $1 is the id.
	names := strings.Split(strings.TrimSuffix(cols, ", created_at"), ", ")
	set := make([]string, len(names))
	for i, col := range names {
		set[i] = fmt.Sprintf("%s = $%d", col, i+2)
	}
	update := "UPDATE " + table + " SET " + strings.Join(set, ", ") + " WHERE id = $1 RETURNING created_at"

	t := now()
	ids := make([]int64, len(vs))
	created := make([]time.Time, len(vs))
	err := s.write(ctx, func(c conn) error {
		for i, v := range vs {
			args, err := argsOf(v, t)
			if err != nil {
				return err
			}
			if ids[i] = *id(v); ids[i] == 0 {
				if err := c.queryRow(ctx, insertSQL(c.backend, table, cols, 1, " RETURNING id"), args...).Scan(&ids[i]); err != nil {
					return err
				}
				created[i] = t
			} else {
				var at timeCol
				err := c.queryRow(ctx, update, append([]any{ids[i]}, args[:len(args)-1]...)...).Scan(&at)
				if errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("%w: %s %d", ErrNotFound, entity, ids[i])
				}
				if err != nil {
					return err
				}
				created[i] = at.t
			}
			if err := addOutbox(ctx, c, entity, ids[i], t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, v := range vs {
		*id(v), *createdAt(v) = ids[i], created[i]
	}
	return nil
}
