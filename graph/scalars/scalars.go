// Package scalars marshals the API's custom scalars — Decimal (exact yuan as
// a string) and Date (ISO 8601 calendar date) — and Int, held to the 32
// bits the GraphQL specification gives it.
//
// It owns the scalars' wire formats and their errors. It imports no project
// package but catalog; it must not import resolvers, marketplace or the
// generated graph.
package scalars

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/yurong/yurong/catalog"
)

// MarshalDecimal writes an amount as a JSON string with two decimals.
func MarshalDecimal(a catalog.Amount) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(a.String()))
	})
}

// UnmarshalDecimal accepts "5000000.00", "5000000" or a JSON number.
func UnmarshalDecimal(v any) (catalog.Amount, error) {
	switch v := v.(type) {
	case string:
		return catalog.ParseAmount(v)
	case json.Number:
		return catalog.ParseAmount(v.String())
	case int:
		return catalog.Yuan(int64(v)), nil
	case int64:
		return catalog.Yuan(v), nil
	case float64:
		return catalog.AmountFromFloat(v)
	}
	return 0, fmt.Errorf("%w: expected a decimal string, got %T", catalog.ErrInvalidAmount, v)
}

const dateLayout = "2006-01-02"

// MarshalDate writes a calendar date as "2024-03-01".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.Format(dateLayout)))
	})
}

// ErrInvalidDate reports a Date that is not YYYY-MM-DD.
var ErrInvalidDate = errors.New("scalars: invalid date, expected YYYY-MM-DD")

// UnmarshalDate reads "2024-03-01" as midnight UTC.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("%w: got %T", ErrInvalidDate, v)
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q", ErrInvalidDate, s)
	}
	return t, nil
}

// ErrIntRange reports an Int outside the 32-bit range the GraphQL
// specification gives the type.
var ErrIntRange = errors.New("scalars: Int out of the 32-bit range")

// MarshalInt writes an int.
func MarshalInt(i int) graphql.Marshaler { return graphql.MarshalInt(i) }

// UnmarshalInt reads an Int, refusing what does not fit in 32 bits
// (2147483648 for `first` or `employees`).
func UnmarshalInt(v any) (int, error) {
	i, err := graphql.UnmarshalInt64(v)
	if err != nil {
		return 0, err
	}
	if i < math.MinInt32 || i > math.MaxInt32 {
		return 0, fmt.Errorf("%w: %d", ErrIntRange, i)
	}
	return int(i), nil
}
