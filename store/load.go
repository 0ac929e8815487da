package store

import (
	"context"
	"fmt"

	"github.com/yurong/yurong/catalog"
)

// IsEmpty reports whether the store holds no enterprise and no institution,
// as before the demo data is loaded.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var some bool
	err := s.reader().queryRow(ctx,
		"SELECT EXISTS (SELECT 1 FROM enterprises) OR EXISTS (SELECT 1 FROM institutions)").Scan(&some)
	if err != nil {
		return false, wrap("check empty", err)
	}
	return !some, nil
}

// Load reads the whole marketplace, each list sorted by ID, enterprises with
// their reports, subsidies and competition entries. It runs one query per
// table, eight in all, in one read-only transaction, so it sees a single
// consistent state whatever the size of the data.
func (s *Store) Load(ctx context.Context) (*catalog.Dataset, error) {
	d := &catalog.Dataset{}
	err := s.readTx(ctx, func(c conn) error {
		var err error
		if d.Institutions, err = readAll(ctx, c, "institutions", institutionCols, scanInstitution); err != nil {
			return err
		}
		if d.Enterprises, err = readAll(ctx, c, "enterprises", enterpriseCols, scanEnterprise); err != nil {
			return err
		}
		byID := make(map[int64]*catalog.Enterprise, len(d.Enterprises))
		for _, e := range d.Enterprises {
			byID[e.ID] = e
		}
		if err := readChildren(ctx, c, "", nil, func(id int64) *catalog.Enterprise { return byID[id] }); err != nil {
			return err
		}
		if d.Products, err = readAll(ctx, c, "financial_products", productCols, scanProduct); err != nil {
			return err
		}
		if d.Incubators, err = readAll(ctx, c, "incubators", incubatorCols, scanIncubator); err != nil {
			return err
		}
		d.Demands, err = readAll(ctx, c, "supply_chain_demands", demandCols, scanDemand)
		return err
	})
	if err != nil {
		return nil, wrap("load", err)
	}
	return d, nil
}

// readAll reads every row of table, ordered by id; cols are the columns
// after id, as scan expects them.
func readAll[T any](ctx context.Context, c conn, table, cols string, scan func(scanner) (*T, error)) ([]*T, error) {
	rows, err := c.query(ctx, selectSQL(table, "id, "+cols, "ORDER BY id"))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	var all []*T
	err = eachRow(rows, func() error {
		v, err := scan(rows)
		if err != nil {
			return err
		}
		all = append(all, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	return all, nil
}
