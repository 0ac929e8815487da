package sheets

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/yurong/yurong/catalog"
)

// Importing the 金融产品, 孵化载体 and 产业链需求 sheets.
//
// One row is one entity, found by the row's key columns: a product by its
// institution's name and its own name, an incubator by name and city, a
// demand by publisher and title. As with enterprises, a new key creates the
// entity; a stored one gets the row's non-empty cells written over it, an
// empty optional cell keeping the stored value; an upsert that changes
// nothing writes nothing. A bad cell refuses its row alone.

// The natural keys are catalog's.
type (
	ProductKey   = catalog.ProductKey
	IncubatorKey = catalog.IncubatorKey
	DemandKey    = catalog.DemandKey
)

// A KeyedUpsert is one product, incubator or demand to write, found by its
// key.
type KeyedUpsert[K comparable, T any] struct {
	Key K
	// Merge returns the entity to store given a copy of the stored one (nil
	// when the key is new), which it may modify. A product's institution is
	// the writer's to set, from the key.
	Merge func(cur *T) *T
}

// keyedDraft is one row of a keyed sheet.
type keyedDraft[K comparable] struct {
	key      K
	row      int
	cells    []string // by column index
	problems []Problem
}

// keyedImport is the part of one keyed sheet: rows read as R (a product
// row, an incubator, a demand), stored as T.
type keyedImport[K comparable, R, T any] struct {
	sheet  string
	cols   []Column[R]
	keyOf  func(*R) K
	wrap   func(cur *T) R // a row holding the stored entity
	unwrap func(*R) *T
	send   func(ctx context.Context, w Writer, batch []KeyedUpsert[K, T], mode Mode) ([]Result, error)
	counts func(*Report) *Counts

	drafts []*keyedDraft[K]
	good   []*keyedDraft[K]
}

func productImport() part {
	return &keyedImport[ProductKey, ProductRow, catalog.FinancialProduct]{
		sheet: ProductSheet, cols: ProductColumns,
		keyOf:  func(r *ProductRow) ProductKey { return ProductKey{Institution: r.Institution, Name: r.Product.Name} },
		wrap:   func(cur *catalog.FinancialProduct) ProductRow { return ProductRow{Product: *cur} },
		unwrap: func(r *ProductRow) *catalog.FinancialProduct { return &r.Product },
		send: func(ctx context.Context, w Writer, b []KeyedUpsert[ProductKey, catalog.FinancialProduct], mode Mode) ([]Result, error) {
			return w.ImportProducts(ctx, b, mode)
		},
		counts: func(r *Report) *Counts { return &r.Products },
	}
}

func incubatorImport() part {
	return &keyedImport[IncubatorKey, catalog.Incubator, catalog.Incubator]{
		sheet: IncubatorSheet, cols: IncubatorColumns,
		keyOf:  func(in *catalog.Incubator) IncubatorKey { return in.Key() },
		wrap:   func(cur *catalog.Incubator) catalog.Incubator { return *cur },
		unwrap: func(in *catalog.Incubator) *catalog.Incubator { return in },
		send: func(ctx context.Context, w Writer, b []KeyedUpsert[IncubatorKey, catalog.Incubator], mode Mode) ([]Result, error) {
			return w.ImportIncubators(ctx, b, mode)
		},
		counts: func(r *Report) *Counts { return &r.Incubators },
	}
}

func demandImport() part {
	return &keyedImport[DemandKey, catalog.SupplyChainDemand, catalog.SupplyChainDemand]{
		sheet: DemandSheet, cols: DemandColumns,
		keyOf:  func(d *catalog.SupplyChainDemand) DemandKey { return d.Key() },
		wrap:   func(cur *catalog.SupplyChainDemand) catalog.SupplyChainDemand { return *cur },
		unwrap: func(d *catalog.SupplyChainDemand) *catalog.SupplyChainDemand { return d },
		send: func(ctx context.Context, w Writer, b []KeyedUpsert[DemandKey, catalog.SupplyChainDemand], mode Mode) ([]Result, error) {
			return w.ImportDemands(ctx, b, mode)
		},
		counts: func(r *Report) *Counts { return &r.Demands },
	}
}

// read reads the sheet; a row whose key is blank or unreadable, or repeats
// an earlier row's, is refused at once.
func (ki *keyedImport[K, R, T]) read(wb *File, rep *Report, counted func(string) func()) error {
	first := map[K]int{} // the row of each key
	return read(wb, ki.sheet, ki.cols, rep, counted(ki.sheet), func(row int, v *R, cells []string, probs []Problem) {
		// Key columns are required: a blank key cell is a problem already.
		if slices.ContainsFunc(probs, func(p Problem) bool { return ki.isKey(p.Column) }) {
			rep.Problems = append(rep.Problems, probs...)
			ki.counts(rep).Refused++
			return
		}
		k := ki.keyOf(v)
		if at, dup := first[k]; dup {
			rep.Problems = append(rep.Problems, Problem{Sheet: ki.sheet, Row: row, Column: ki.cols[0].Header,
				Value: cells[0], Field: strings.Split(ki.cols[0].Field, "."), Code: catalog.CodeDuplicate,
				Message: fmt.Sprintf("与第 %d 行重复（%s）", at, ki.keyText(cells))})
			ki.counts(rep).Refused++
			return
		}
		first[k] = row
		ki.drafts = append(ki.drafts, &keyedDraft[K]{key: k, row: row, cells: cells, problems: probs})
	})
}

func (ki *keyedImport[K, R, T]) isKey(header string) bool {
	for i, c := range ki.cols {
		if c.Header == header {
			return i == 0 || c.Key
		}
	}
	return false
}

// keyText names a row's key by its cells, e.g. "中原银行 / 科技贷".
func (ki *keyedImport[K, R, T]) keyText(cells []string) string {
	var parts []string
	for i, c := range ki.cols {
		if i == 0 || c.Key {
			parts = append(parts, cells[i])
		}
	}
	return strings.Join(parts, " / ")
}

func (ki *keyedImport[K, R, T]) settle(rep *Report) int {
	for _, d := range ki.drafts {
		if len(d.problems) == 0 {
			ki.good = append(ki.good, d)
			continue
		}
		ki.counts(rep).Refused++
		rep.Problems = append(rep.Problems, d.problems...)
	}
	return len(ki.good)
}

func (ki *keyedImport[K, R, T]) refuseAll(rep *Report) { ki.counts(rep).Refused += len(ki.good) }

func (ki *keyedImport[K, R, T]) upserts(ds []*keyedDraft[K]) []KeyedUpsert[K, T] {
	ups := make([]KeyedUpsert[K, T], len(ds))
	for i, d := range ds {
		ups[i] = KeyedUpsert[K, T]{Key: d.key, Merge: ki.merge(d)}
	}
	return ups
}

func (ki *keyedImport[K, R, T]) check(ctx context.Context, w Writer, rep *Report) (bool, error) {
	if len(ki.good) == 0 {
		return false, nil
	}
	results, err := ki.send(ctx, w, ki.upserts(ki.good), CheckOnly)
	if err != nil {
		return false, err
	}
	var keep []*keyedDraft[K]
	for i, r := range results {
		if r.Outcome != Refused {
			keep = append(keep, ki.good[i])
			continue
		}
		ki.counts(rep).Refused++
		rep.Problems = append(rep.Problems, ki.locate(ki.good[i], r.Problems)...)
	}
	refused := len(keep) < len(ki.good)
	ki.good = keep
	return refused, nil
}

func (ki *keyedImport[K, R, T]) write(ctx context.Context, w Writer, rep *Report, size int, mode Mode, done func(int)) (bool, error) {
	refused := false
	c := ki.counts(rep)
	for lo := 0; lo < len(ki.good); lo += size {
		batch := ki.good[lo:min(lo+size, len(ki.good))]
		results, err := ki.send(ctx, w, ki.upserts(batch), mode)
		if err != nil {
			return false, err
		}
		for i, r := range results {
			switch r.Outcome {
			case Created:
				c.Created++
			case Updated:
				c.Updated++
			case Unchanged:
				c.Unchanged++
			default:
				c.Refused++
				refused = true
				rep.Problems = append(rep.Problems, ki.locate(batch[i], r.Problems)...)
			}
		}
		done(len(batch))
	}
	return refused, nil
}

// merge makes the entity to store from the stored one (nil when new) and
// the row's non-empty cells.
func (ki *keyedImport[K, R, T]) merge(d *keyedDraft[K]) func(cur *T) *T {
	return func(cur *T) *T {
		var r R
		if cur != nil {
			r = ki.wrap(cur)
		}
		for i, c := range ki.cols {
			if d.cells[i] != "" {
				_ = c.Set(&r, d.cells[i]) // read once without error already
			}
		}
		return ki.unwrap(&r)
	}
}

// locate turns the problems the writer found, by API field path, into the
// row's cells: the column whose field is the longest prefix of the path
// (["eligibility", "tracks", "1"] is the 适用赛道 cell).
func (ki *keyedImport[K, R, T]) locate(d *keyedDraft[K], ps catalog.Problems) []Problem {
	out := make([]Problem, 0, len(ps))
	for _, p := range ps {
		pr := Problem{Sheet: ki.sheet, Row: d.row, Field: p.Field, Code: p.Code, Message: p.Message}
		for n := len(p.Field); n > 0 && pr.Column == ""; n-- {
			if i := slices.IndexFunc(ki.cols, func(c Column[R]) bool { return c.Field == strings.Join(p.Field[:n], ".") }); i >= 0 {
				pr.Column, pr.Value = ki.cols[i].Header, d.cells[i]
			}
		}
		out = append(out, pr)
	}
	if len(out) == 0 { // refused with no reason given: all or nothing, another row was bad
		out = append(out, Problem{Sheet: ki.sheet, Row: d.row, Code: CodeSkipped, Message: "同批有其他错误（全部导入或全不导入），本行未导入"})
	}
	return out
}
