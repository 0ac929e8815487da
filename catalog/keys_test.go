package catalog

import "testing"

func TestNaturalKeys(t *testing.T) {
	in := &Incubator{ID: 3, Name: "郑州众创空间", City: Zhengzhou, Vacancies: 4}
	if got, want := in.Key(), (IncubatorKey{Name: "郑州众创空间", City: Zhengzhou}); got != want {
		t.Errorf("incubator key %+v, want %+v", got, want)
	}
	d := &SupplyChainDemand{ID: 5, OwnerName: "链主", Title: "采购碳化硅", Track: NewMaterials}
	if got, want := d.Key(), (DemandKey{OwnerName: "链主", Title: "采购碳化硅"}); got != want {
		t.Errorf("demand key %+v, want %+v", got, want)
	}
	t.Run("an incubator of the same name in another city is another key", func(t *testing.T) {
		other := *in
		other.City = Luoyang
		if other.Key() == in.Key() {
			t.Error("same key for two cities")
		}
	})
}
