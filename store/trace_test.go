package store

import "testing"

func TestStatementSummary(t *testing.T) {
	tests := []struct {
		name, query, op, table string
	}{
		{"a select", "SELECT id, name FROM enterprises WHERE id = $1", "SELECT", "enterprises"},
		{"an insert over lines", "INSERT INTO accounts (name, role)\n\t\tVALUES ($1, $2) RETURNING id", "INSERT", "accounts"},
		{"an update", "UPDATE accounts SET revoked_at = $1 WHERE id = $2", "UPDATE", "accounts"},
		{"a delete", "delete from change_log where at < $1", "DELETE", "change_log"},
		{"a subquery first", "SELECT COALESCE(MAX(n), 0) FROM (SELECT MAX(id) AS n FROM enterprises) t", "SELECT", "enterprises"},
		{"a quoted table", `SELECT 1 FROM "audit_log" LIMIT 1`, "SELECT", "audit_log"},
		{"no table", "SELECT nextval($1)", "SELECT", ""},
		{"a statement without a table", "PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA", ""},
		{"empty", "  ", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op, table := statementSummary(tt.query)
			if op != tt.op || table != tt.table {
				t.Errorf("statementSummary(%q) = %q, %q; want %q, %q", tt.query, op, table, tt.op, tt.table)
			}
		})
	}
}
