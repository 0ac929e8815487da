package sheets

import (
	"fmt"
	"io"
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/yurong/yurong/catalog"
)

// WriteTemplate writes an empty enterprise workbook: the three sheets with
// their headers, each header's format as a comment, required headers in
// bold red, and drop-down lists for the columns with fixed choices.
func WriteTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := templateSheet(f, EnterpriseSheet, EnterpriseColumns); err != nil {
		return err
	}
	if err := templateSheet(f, ReportSheet, ReportColumns); err != nil {
		return err
	}
	if err := templateSheet(f, SubsidySheet, SubsidyColumns); err != nil {
		return err
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	choices := map[string][]string{
		"所在地市":    append(cityChoices(), "省外"),
		"赛道":      valuesOf(catalog.TrackNames, catalog.Tracks, catalog.OtherTrack),
		"信用状况":    {"良好", "失信"},
		"持有认股权贷款": {"是", "否"},
	}
	for i, c := range EnterpriseColumns {
		list, ok := choices[c.Header]
		if !ok {
			continue
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s1048576", col, col)
		if err := dv.SetDropList(list); err != nil {
			return err
		}
		if err := f.AddDataValidation(EnterpriseSheet, dv); err != nil {
			return err
		}
	}
	_, err := f.WriteTo(w)
	return err
}

func templateSheet[T any](f *excelize.File, sheet string, cols []Column[T]) error {
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
