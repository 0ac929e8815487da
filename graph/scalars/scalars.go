// Package scalars marshals the API's custom scalars: Decimal (exact yuan as
// a string) and Date (ISO 8601 calendar date).
package scalars

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
