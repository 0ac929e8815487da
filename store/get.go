package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/yurong/yurong/catalog"
)

// Single-entity reads, for an instance catching up with a write another
// instance made (the change feed names the entity; the store has its state).

// Institution reads one institution; ErrNotFound when there is none.
func (s *Store) Institution(ctx context.Context, id int64) (*catalog.Institution, error) {
	return readOne(ctx, s, "institutions", institutionCols, id, scanInstitution)
}

// FinancialProduct reads one product; ErrNotFound when there is none.
func (s *Store) FinancialProduct(ctx context.Context, id int64) (*catalog.FinancialProduct, error) {
	return readOne(ctx, s, "financial_products", productCols, id, scanProduct)
}

// Incubator reads one incubator; ErrNotFound when there is none.
func (s *Store) Incubator(ctx context.Context, id int64) (*catalog.Incubator, error) {
	return readOne(ctx, s, "incubators", incubatorCols, id, scanIncubator)
}

// Demand reads one supply-chain demand; ErrNotFound when there is none.
func (s *Store) Demand(ctx context.Context, id int64) (*catalog.SupplyChainDemand, error) {
	return readOne(ctx, s, "supply_chain_demands", demandCols, id, scanDemand)
}

func readOne[T any](ctx context.Context, s *Store, table, cols string, id int64, scan func(scanner) (*T, error)) (*T, error) {
	c := s.reader()
	v, err := scan(c.queryRow(ctx, selectSQL(table, "id, "+cols, "WHERE id = $1"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read %s %d: %w", table, id, ErrNotFound)
	}
	if err != nil {
		return nil, wrap("read "+table, err)
	}
	return v, nil
}
