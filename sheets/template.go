package sheets

import (
	"fmt"
	"io"
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/yurong/yurong/catalog"
)

// WriteTemplate writes an empty import workbook: the six sheets with their
// headers, each header's format as a comment, required headers in bold red,
// and drop-down lists for the columns with one of fixed choices.
func WriteTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	cities := append(cityChoices(), "省外")
	tracks := valuesOf(catalog.TrackNames, catalog.Tracks, catalog.OtherTrack)
	yes := []string{"是", "否"}
	steps := []func() error{
		func() error {
			return templateSheet(f, EnterpriseSheet, EnterpriseColumns, map[string][]string{
				"所在地市": cities, "赛道": tracks, "信用状况": {"良好", "失信"}, "持有认股权贷款": yes})
		},
		func() error { return templateSheet(f, ReportSheet, ReportColumns, nil) },
		func() error { return templateSheet(f, SubsidySheet, SubsidyColumns, nil) },
		func() error {
			return templateSheet(f, ProductSheet, ProductColumns, map[string][]string{
				"产品类型": valuesOf(catalog.ProductKindNames, productKinds),
				"所属专项": valuesOf(catalog.ProgramNames, catalog.Programs),
				"免抵押":  yes, "须参加创新创业大赛": yes, "须获大赛奖项": yes, "须获财政补贴": yes})
		},
		func() error {
			return templateSheet(f, IncubatorSheet, IncubatorColumns, map[string][]string{
				"所在地市": cities[:len(cities)-1], // carriers are Henan's
				"载体类型": valuesOf(incubatorKindNames, incubatorKinds),
				"级别":   valuesOf(levelNames, levels),
				"创业导师": yes, "政策代办": yes, "中试基地使用": yes})
		},
		func() error {
			return templateSheet(f, DemandSheet, DemandColumns, map[string][]string{
				"需求类型": valuesOf(demandKindNames, demandKinds), "赛道": tracks, "所在地市": cities})
		},
		func() error { return f.DeleteSheet("Sheet1") },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err := f.WriteTo(w)
	return err
}

// templateSheet adds a sheet of the layout cols: its headers, and a
// drop-down list below each header choices names.
func templateSheet[T any](f *excelize.File, sheet string, cols []Column[T], choices map[string][]string) error {
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	required, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}})
	if err != nil {
		return err
	}
	optional, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sheet, cell, c.Header); err != nil {
			return err
		}
		style := optional
		if c.Required {
			style = required
		}
		if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, float64(max(12, 2*len([]rune(c.Header))+4))); err != nil {
			return err
		}
		note := c.Note
		if c.Required {
			note = "必填。" + note
		}
		if note != "" {
			if err := f.AddComment(sheet, excelize.Comment{Cell: cell, Author: "豫融", Text: note}); err != nil {
				return err
			}
		}
	}
	for i, c := range cols {
		list, ok := choices[c.Header]
		if !ok {
			continue
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s1048576", col, col)
		if err := dv.SetDropList(list); err != nil {
			return fmt.Errorf("sheets: the choices of %s「%s」: %w", sheet, c.Header, err)
		}
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func cityChoices() []string {
	out := make([]string, len(catalog.Cities))
	for i, c := range catalog.Cities {
		out[i] = catalog.CityNames[c]
	}
	return out
}

func valuesOf[E comparable](names map[E]string, order []E, extra ...E) []string {
	var out []string
	for _, v := range slices.Concat(order, extra) {
		out = append(out, names[v])
	}
	return out
}
