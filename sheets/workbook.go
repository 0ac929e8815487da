package sheets

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/yurong/yurong/catalog"
)

// WriteEnterprises writes es as an import workbook: the 企业, 年报 and
// 财政补贴 sheets in the import layout, every column included, streamed row
// by row. Importing the result into the store it came from changes nothing.
// It is for administrators' round trips and tests: it holds the private
// figures of every enterprise.
func WriteEnterprises(w io.Writer, es []*catalog.Enterprise) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := streamSheet(f, EnterpriseSheet, EnterpriseColumns, func(emit func(*catalog.Enterprise) error) error {
		for _, e := range es {
			if err := emit(e); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := streamSheet(f, ReportSheet, ReportColumns, func(emit func(*ReportRow) error) error {
		for _, e := range es {
			for _, r := range e.Reports {
				if err := emit(&ReportRow{CreditCode: e.CreditCode, Report: r}); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := streamSheet(f, SubsidySheet, SubsidyColumns, func(emit func(*SubsidyRow) error) error {
		for _, e := range es {
			for _, s := range e.Subsidies {
				if err := emit(&SubsidyRow{CreditCode: e.CreditCode, Subsidy: s}); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

// streamSheet writes a sheet of rows in layout cols with excelize's stream
// writer: the header, then each row rows emits, as text cells.
func streamSheet[T any](f *excelize.File, sheet string, cols []Column[T], rows func(emit func(*T) error) error) error {
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	cells := make([]any, len(cols))
	for i, c := range cols {
		cells[i] = c.Header
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	n := 1
	err = rows(func(v *T) error {
		n++
		for i, c := range cols {
			cells[i] = c.Get(v)
		}
		return sw.SetRow(fmt.Sprintf("A%d", n), cells)
	})
	if err != nil {
		return err
	}
	return sw.Flush()
}
