package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// maxParams bounds the arguments of one statement, under SQLite's limit of
// 32,766 and PostgreSQL's of 65,535.
const maxParams = 30000

// maxBatchRows bounds the rows of one multi-row INSERT; beyond a few hundred
// rows bigger statements stop paying for themselves.
const maxBatchRows = 500

// Column lists are written "a, b, c".

// numCols returns the number of columns in the list cols.
func numCols(cols string) int { return strings.Count(cols, ",") + 1 }

// insertSQL returns "INSERT INTO table (cols) VALUES ($1, …), (…)" for rows
// rows, followed by suffix, with the placeholders of backend.
func insertSQL(backend, table, cols string, rows int, suffix string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, cols)
	n := numCols(cols)
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		b.WriteString(placeholders(backend, r*n+1, n))
		b.WriteByte(')')
	}
	b.WriteString(suffix)
	return b.String()
}

// selectSQL returns "SELECT cols FROM table" followed by rest.
func selectSQL(table, cols, rest string) string {
	return "SELECT " + cols + " FROM " + table + " " + rest
}

// placeholders returns the placeholders of n arguments, numbered from from:
// "$3, $4, …" on PostgreSQL, "?, ?, …" on SQLite. SQLite accepts $n too, and
// hand-written statements use it on both backends, but it looks each name up
// in a list, which makes a statement of thousands of arguments slow to
// prepare and bind.
func placeholders(backend string, from, n int) string {
	if backend == SQLite {
		return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
	}
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(from + i))
	}
	return b.String()
}

// batch inserts rows into one table with multi-row INSERT statements.
// Call add for each row and flush at the end.
type batch struct {
	c       conn
	table   string
	cols    string
	ncols   int
	maxRows int
	args    []any
	rows    int
	full    string // the statement for maxRows rows, built once
}

func newBatch(c conn, table, cols string) *batch {
	n := numCols(cols)
	return &batch{c: c, table: table, cols: cols, ncols: n, maxRows: min(maxBatchRows, maxParams/n)}
}

// add queues one row, values in the order of the batch's columns.
func (b *batch) add(ctx context.Context, values ...any) error {
	if len(values) != b.ncols {
		return fmt.Errorf("insert into %s: %d values for %d columns", b.table, len(values), b.ncols)
	}
	b.args = append(b.args, values...)
	b.rows++
	if b.rows == b.maxRows {
		return b.flush(ctx)
	}
	return nil
}

// flush inserts the queued rows.
func (b *batch) flush(ctx context.Context) error {
	if b.rows == 0 {
		return nil
	}
	var q string
	if b.rows == b.maxRows {
		if b.full == "" {
			b.full = insertSQL(b.c.backend, b.table, b.cols, b.maxRows, "")
		}
		q = b.full
	} else {
		q = insertSQL(b.c.backend, b.table, b.cols, b.rows, "")
	}
	if _, err := b.c.exec(ctx, q, b.args...); err != nil {
		return fmt.Errorf("insert into %s: %w", b.table, err)
	}
	b.args, b.rows = b.args[:0], 0
	return nil
}

// pageByID reads a keyset page of table: the rows matching where (whose
// parameters are args) with ids above after, limit of them in id order,
// with how many match in all and whether more follow. what names the rows
// in errors ("clinics").
func pageByID[T any](ctx context.Context, c conn, table, cols, where string, args []any, after int64, limit int,
	scan func(scanner) (*T, error), what string) ([]*T, int, bool, error) {
	var n int64
	if err := c.queryRow(ctx, "SELECT COUNT(*) FROM "+table+" "+where, args...).Scan(&n); err != nil {
		return nil, 0, false, wrap("count "+what, err)
	}
	page := where + numbered(" AND id > ?", &args, after) + numbered(" ORDER BY id LIMIT ?", &args, int64(limit+1))
	rows, err := c.query(ctx, selectSQL(table, cols, page), args...)
	if err != nil {
		return nil, 0, false, wrap("read "+what, err)
	}
	vs, err := collect(rows, scan, "read "+what)
	if err != nil {
		return nil, 0, false, err
	}
	hasNext := len(vs) > limit
	if hasNext {
		vs = vs[:limit]
	}
	return vs, int(n), hasNext, nil
}
