package marketplace

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"time"
)

// Digest returns a hash of everything the read model holds, in a form that
// does not depend on how a value arrived (a write on this instance, or a
// read from the store): times in UTC, empty lists as none. Two instances
// that applied the same changes have the same digest.
func (s *Service) Digest() string {
	d := s.dataset()
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, list := range []any{d.Institutions, d.Enterprises, d.Products, d.Incubators, d.Demands} {
		enc.Encode(canonical(reflect.ValueOf(list)))
	}
	return hex.EncodeToString(h.Sum(nil))
}

var timeType = reflect.TypeFor[time.Time]()

// canonical copies v into plain maps, lists and values, with times in UTC
// and empty lists and absent values alike.
func canonical(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return canonical(v.Elem())
	case reflect.Slice:
		if v.Len() == 0 {
			return nil
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = canonical(v.Index(i))
		}
		return out
	case reflect.Struct:
		if v.Type() == timeType {
			return v.Interface().(time.Time).UTC().Format(time.RFC3339Nano)
		}
		out := make(map[string]any, v.NumField())
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				out[v.Type().Field(i).Name] = canonical(v.Field(i))
			}
		}
		return out
	case reflect.Map:
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			k, _ := json.Marshal(canonical(it.Key()))
			out[string(k)] = canonical(it.Value())
		}
		return out
	default:
		return v.Interface()
	}
}
