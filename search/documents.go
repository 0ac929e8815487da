package search

import (
	"strconv"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/matching"
)

// Document is an index document: a *CatalogDoc or a *PairingDoc.
type Document interface {
	DocID() string
	DocType() DocType
	isDocument()
}

// CatalogDoc is the document of an enterprise, a financial product, an
// incubator or a supply-chain demand: one shape for the four, so a search
// across types ranks them on the same fields.
type CatalogDoc struct {
	ID       string
	Type     DocType
	EntityID int64
	// Name is the enterprise, product or incubator name, or the demand's
	// title.
	Name        string
	Keywords    []string
	Description string
	// Labels are Chinese names that describe the entity: its city, track,
	// qualifications, kind, programme, provider, owner…, so that a search
	// for "郑州 新材料" finds what is in Zhengzhou and on that track.
	Labels []string
	// CreditCode is an enterprise's unified social credit code, searched
	// exactly (no typo tolerance).
	CreditCode string
	// City and Track are the entity's own, when it has one ("" otherwise).
	City  catalog.City
	Track catalog.Track
}

// DocID implements Document.
func (d *CatalogDoc) DocID() string { return d.ID }

// DocType implements Document.
func (d *CatalogDoc) DocType() DocType { return d.Type }

func (*CatalogDoc) isDocument() {}

// PairingDoc is the document of one enterprise–resource pairing, with the
// enterprise's and the resource's searchable text and the enterprise's
// city and track copied in, so the pairings list filters and searches
// without joins.
type PairingDoc struct {
	ID           string
	Kind         catalog.PairingKind
	EnterpriseID int64
	ResourceID   int64
	// Score is the pairing score, 0–100, in hundredths (as the matching
	// engine computes it).
	Score        float64
	Eligible     bool
	GreenChannel bool
	// Track and City are the enterprise's.
	Track catalog.Track
	City  catalog.City

	EnterpriseName        string
	EnterpriseKeywords    []string
	EnterpriseDescription string
	// The resource's description is left out: product descriptions are
	// long boilerplate repeated in thousands of pairings (see ADR 005).
	ResourceName     string
	ResourceLabels   []string
	ResourceKeywords []string
}

// DocID implements Document.
func (d *PairingDoc) DocID() string { return d.ID }

// DocType implements Document.
func (d *PairingDoc) DocType() DocType { return TypePairing }

func (*PairingDoc) isDocument() {}

// EnterpriseDoc builds an enterprise's document from its public fields
// only: nothing of its reports, subsidies or financing need (not even the
// need's purpose, which may cite amounts) is indexed, so no search or
// highlight can show it.
func EnterpriseDoc(e *catalog.Enterprise) *CatalogDoc {
	labels := []string{catalog.CityNames[e.City], catalog.TrackNames[e.Track]}
	if e.IndustryChain != nil && *e.IndustryChain != "" {
		labels = append(labels, *e.IndustryChain)
	}
	for _, q := range e.Qualifications {
		labels = append(labels, catalog.QualificationNames[q])
	}
	return &CatalogDoc{
		ID:          DocID(TypeEnterprise, e.ID),
		Type:        TypeEnterprise,
		EntityID:    e.ID,
		Name:        e.Name,
		Keywords:    clean(e.Keywords),
		Description: e.Description,
		Labels:      clean(labels),
		CreditCode:  e.CreditCode,
		City:        e.City,
		Track:       e.Track,
	}
}

// ProductDoc builds a financial product's document. provider, the
// institution offering it, may be nil.
func ProductDoc(p *catalog.FinancialProduct, provider *catalog.Institution) *CatalogDoc {
	labels := []string{catalog.ProductKindNames[p.Kind], catalog.ProgramNames[p.Program]}
	if provider != nil {
		labels = append(labels, provider.Name)
	}
	if p.CollateralFree {
		labels = append(labels, "纯信用", "免抵押")
	}
	return &CatalogDoc{
		ID:          DocID(TypeProduct, p.ID),
		Type:        TypeProduct,
		EntityID:    p.ID,
		Name:        p.Name,
		Description: p.Description,
		Labels:      clean(labels),
	}
}

// Chinese names of the enums the catalog package does not name.
var (
	incubatorKindNames = map[catalog.IncubatorKind]string{
		catalog.SmartIsland: "智慧岛", catalog.IncubatorCarrier: "科技企业孵化器", catalog.Makerspace: "众创空间",
		catalog.UniversitySciencePark: "大学科技园", catalog.Accelerator: "加速器", catalog.PilotBase: "中试基地",
	}
	levelNames = map[catalog.CarrierLevel]string{
		catalog.NationalLevel: "国家级", catalog.ProvincialLevel: "省级", catalog.MunicipalLevel: "市级",
	}
	demandKindNames = map[catalog.DemandKind]string{
		catalog.TechTransfer: "技术转让", catalog.PurchaseOrder: "采购订单", catalog.JointRD: "联合研发", catalog.Supplier: "供应商征集",
	}
)

// IncubatorDoc builds an incubator's document.
func IncubatorDoc(in *catalog.Incubator) *CatalogDoc {
	labels := []string{incubatorKindNames[in.Kind], levelNames[in.Level], catalog.CityNames[in.City]}
	for _, t := range in.FocusTracks {
		labels = append(labels, catalog.TrackNames[t])
	}
	return &CatalogDoc{
		ID:          DocID(TypeIncubator, in.ID),
		Type:        TypeIncubator,
		EntityID:    in.ID,
		Name:        in.Name,
		Description: in.Description,
		Labels:      clean(labels),
		City:        in.City,
	}
}

// DemandDoc builds a supply-chain demand's document.
func DemandDoc(d *catalog.SupplyChainDemand) *CatalogDoc {
	labels := []string{demandKindNames[d.Kind], d.IndustryChain, catalog.TrackNames[d.Track], catalog.CityNames[d.City], d.OwnerName}
	return &CatalogDoc{
		ID:          DocID(TypeDemand, d.ID),
		Type:        TypeDemand,
		EntityID:    d.ID,
		Name:        d.Title,
		Keywords:    clean(d.Keywords),
		Description: d.Description,
		Labels:      clean(labels),
		City:        d.City,
		Track:       d.Track,
	}
}

// NewPairingDoc builds a pairing's document from the pairing and the
// documents of its enterprise and resource.
func NewPairingDoc(p matching.Pairing, ent, res *CatalogDoc) *PairingDoc {
	return &PairingDoc{
		ID:                    PairingDocID(p.Kind, p.EnterpriseID, p.ResourceID),
		Kind:                  p.Kind,
		EnterpriseID:          p.EnterpriseID,
		ResourceID:            p.ResourceID,
		Score:                 float64(centi(min(max(p.Score, 0), 100))) / 100,
		Eligible:              p.Eligible,
		GreenChannel:          p.GreenChannel,
		Track:                 ent.Track,
		City:                  ent.City,
		EnterpriseName:        ent.Name,
		EnterpriseKeywords:    ent.Keywords,
		EnterpriseDescription: ent.Description,
		ResourceName:          res.Name,
		ResourceLabels:        res.Labels,
		ResourceKeywords:      res.Keywords,
	}
}

// clean drops empty strings and duplicates, keeping the order.
func clean(xs []string) []string {
	out := make([]string, 0, len(xs))
	seen := make(map[string]bool, len(xs))
	for _, x := range xs {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// idString formats an entity id.
func idString(id int64) string { return strconv.FormatInt(id, 10) }
