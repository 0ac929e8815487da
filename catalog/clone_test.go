package catalog

import (
	"reflect"
	"testing"
	"time"
)

// TestCloneSharesNothing fills every pointer and slice field of each entity
// (nested structs included) and checks the clone holds none of the same
// memory, so a field added later without its copy fails here.
func TestCloneSharesNothing(t *testing.T) {
	tests := []struct {
		name  string
		value any
		clone func(any) any
	}{
		{"enterprise", &Enterprise{}, func(v any) any { return v.(*Enterprise).Clone() }},
		{"financial product", &FinancialProduct{}, func(v any) any { return v.(*FinancialProduct).Clone() }},
		{"incubator", &Incubator{}, func(v any) any { return v.(*Incubator).Clone() }},
		{"supply-chain demand", &SupplyChainDemand{}, func(v any) any { return v.(*SupplyChainDemand).Clone() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fill(reflect.ValueOf(tt.value).Elem())
			c := tt.clone(tt.value)
			if !reflect.DeepEqual(c, tt.value) {
				t.Fatalf("the clone differs: %+v", c)
			}
			shared(t, "", reflect.ValueOf(tt.value).Elem(), reflect.ValueOf(c).Elem())
		})
	}
}

// fill sets every pointer and slice of a struct to a non-empty value.
func fill(v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
			if f.Elem().Kind() == reflect.Struct && f.Type().Elem() != reflect.TypeOf(time.Time{}) {
				fill(f.Elem())
			}
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case reflect.Struct:
			if f.Type() != reflect.TypeOf(time.Time{}) {
				fill(f)
			}
		}
	}
}

func shared(t *testing.T, path string, a, b reflect.Value) {
	t.Helper()
	for i := range a.NumField() {
		name := path + a.Type().Field(i).Name
		fa, fb := a.Field(i), b.Field(i)
		switch fa.Kind() {
		case reflect.Pointer, reflect.Slice:
			if fa.Pointer() == fb.Pointer() {
				t.Errorf("%s is shared by the clone", name)
			}
			if fa.Kind() == reflect.Pointer && fa.Elem().Kind() == reflect.Struct && fa.Type().Elem() != reflect.TypeOf(time.Time{}) {
				shared(t, name+".", fa.Elem(), fb.Elem())
			}
		case reflect.Struct:
			if fa.Type() != reflect.TypeOf(time.Time{}) {
				shared(t, name+".", fa, fb)
			}
		}
	}
}
