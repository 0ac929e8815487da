// Package sheets owns the marketplace's spreadsheets: the column layouts
// with their Chinese headers (one per sheet of an import workbook), the
// templates written from them, the reading of workbooks and CSV files into
// catalogue entities with every bad cell named, and the writing of the
// official lists (早小硬 list, equity project list, enterprise lists, bank
// rankings) as .xlsx.
//
// It knows columns and cells, not the store or the API: importing goes
// through the small ports defined here, which the marketplace implements,
// and exports are given their rows by the caller, who has already decided
// what the reader may see. It must not import resolvers, store or
// marketplace.
//
// It imports no project package but catalog.
package sheets
