package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/yurong/yurong/catalog"
)

// BulkInsert writes a whole dataset, such as the demo data, in one
// transaction with multi-row INSERT statements. It assigns IDs in slice order
// and, on success only, stores them in the structs. Each product's ProviderID
// must be the 1-based index of its institution within d.Institutions; it is
// replaced by that institution's ID. A zero CreatedAt (or UpdatedAt) is set to
// the time of the load; others are kept, in UTC to the microsecond.
// Reports and competition entries are kept as [Store.CreateEnterprise] keeps
// them.
//
// BulkInsert writes no outbox events: whoever loads a dataset in bulk
// rebuilds the search index from the store instead of replaying one event
// per row.
func (s *Store) BulkInsert(ctx context.Context, d *catalog.Dataset) error {
	t := now()
	stamp := func(ts time.Time) time.Time {
		if ts.IsZero() {
			return t
		}
		return ts.UTC().Truncate(time.Microsecond)
	}
	var id struct{ inst, ent, prod, inc, dem []int64 } // reserved, in slice order
	providers := make([]int64, len(d.Products))
	reports := make([][]catalog.AnnualReport, len(d.Enterprises))
	entries := make([][]catalog.CompetitionEntry, len(d.Enterprises))
	for i, e := range d.Enterprises {
		reports[i], entries[i] = canonical(e)
	}

	err := s.write(ctx, func(c conn) error {
		var err error
		if id.inst, err = s.reserveIDs(ctx, c, "institutions", len(d.Institutions)); err != nil {
			return err
		}
		if id.ent, err = s.reserveIDs(ctx, c, "enterprises", len(d.Enterprises)); err != nil {
			return err
		}
		if id.prod, err = s.reserveIDs(ctx, c, "financial_products", len(d.Products)); err != nil {
			return err
		}
		if id.inc, err = s.reserveIDs(ctx, c, "incubators", len(d.Incubators)); err != nil {
			return err
		}
		if id.dem, err = s.reserveIDs(ctx, c, "supply_chain_demands", len(d.Demands)); err != nil {
			return err
		}

		b := newBatch(c, "institutions", "id, "+institutionCols)
		for i, in := range d.Institutions {
			if err := b.add(ctx, append([]any{id.inst[i]}, institutionArgs(in, stamp(in.CreatedAt))...)...); err != nil {
				return err
			}
		}
		if err := b.flush(ctx); err != nil {
			return err
		}

		// Parents first: both backends check foreign keys per statement.
		b = newBatch(c, "enterprises", "id, "+enterpriseCols)
		for i, e := range d.Enterprises {
			args, err := enterpriseArgs(e)
			if err != nil {
				return err
			}
			created := stamp(e.CreatedAt)
			updated := created
			if !e.UpdatedAt.IsZero() {
				updated = stamp(e.UpdatedAt)
			}
			args = append(append([]any{id.ent[i]}, args...), timeArg(created), timeArg(updated))
			if err := b.add(ctx, args...); err != nil {
				return creditCodeTaken(err, "in the dataset")
			}
		}
		if err := b.flush(ctx); err != nil {
			return creditCodeTaken(err, "in the dataset")
		}
		ch := newChildren(c)
		for i, e := range d.Enterprises {
			if err := ch.add(ctx, id.ent[i], reports[i], e.Subsidies, entries[i]); err != nil {
				return err
			}
		}
		if err := ch.flush(ctx); err != nil {
			return err
		}

		b = newBatch(c, "financial_products", "id, "+productCols)
		for i, p := range d.Products {
			k := p.ProviderID
			if k < 1 || k > int64(len(d.Institutions)) {
				return fmt.Errorf("%w: product %d names institution #%d of %d", ErrProviderNotFound, i, k, len(d.Institutions))
			}
			providers[i] = id.inst[k-1]
			args, err := productArgs(p, providers[i], stamp(p.CreatedAt))
			if err != nil {
				return err
			}
			if err := b.add(ctx, append([]any{id.prod[i]}, args...)...); err != nil {
				return err
			}
		}
		if err := b.flush(ctx); err != nil {
			return err
		}

		b = newBatch(c, "incubators", "id, "+incubatorCols)
		for i, in := range d.Incubators {
			args, err := incubatorArgs(in, stamp(in.CreatedAt))
			if err != nil {
				return err
			}
			if err := b.add(ctx, append([]any{id.inc[i]}, args...)...); err != nil {
				return err
			}
		}
		if err := b.flush(ctx); err != nil {
			return err
		}

		b = newBatch(c, "supply_chain_demands", "id, "+demandCols)
		for i, dm := range d.Demands {
			args, err := demandArgs(dm, stamp(dm.CreatedAt))
			if err != nil {
				return err
			}
			if err := b.add(ctx, append([]any{id.dem[i]}, args...)...); err != nil {
				return err
			}
		}
		return b.flush(ctx)
	})
	if err != nil {
		return wrap("bulk insert", err)
	}

	for i, in := range d.Institutions {
		in.ID, in.CreatedAt = id.inst[i], stamp(in.CreatedAt)
	}
	for i, e := range d.Enterprises {
		e.ID, e.CreatedAt = id.ent[i], stamp(e.CreatedAt)
		if e.UpdatedAt.IsZero() {
			e.UpdatedAt = e.CreatedAt
		} else {
			e.UpdatedAt = stamp(e.UpdatedAt)
		}
		e.Reports, e.CompetitionEntries = reports[i], entries[i]
	}
	for i, p := range d.Products {
		p.ID, p.ProviderID, p.CreatedAt = id.prod[i], providers[i], stamp(p.CreatedAt)
	}
	for i, in := range d.Incubators {
		in.ID, in.CreatedAt = id.inc[i], stamp(in.CreatedAt)
	}
	for i, dm := range d.Demands {
		dm.ID, dm.CreatedAt = id.dem[i], stamp(dm.CreatedAt)
	}
	return nil
}

// reserveIDs returns n new ids for table, ascending, that no other writer
// will use. On SQLite the write transaction holds the database's only write
// lock, so they follow the table's AUTOINCREMENT counter; on PostgreSQL they
// are drawn from the identity column's sequence.
func (s *Store) reserveIDs(ctx context.Context, c conn, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, n)
	if s.backend == Postgres {
		rows, err := c.query(ctx, "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)", table, int64(n))
		if err != nil {
			return nil, fmt.Errorf("reserve %s ids: %w", table, err)
		}
		err = eachRow(rows, func() error {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reserve %s ids: %w", table, err)
		}
		slices.Sort(ids)
		return ids, nil
	}
	var last int64
	err := c.queryRow(ctx, "SELECT COALESCE(MAX(n), 0) FROM (SELECT MAX(id) AS n FROM "+table+
		" UNION ALL SELECT seq FROM sqlite_sequence WHERE name = $1) AS t", table).Scan(&last)
	if err != nil {
		return nil, fmt.Errorf("reserve %s ids: %w", table, err)
	}
	for i := range n {
		ids = append(ids, last+1+int64(i))
	}
	return ids, nil
}
