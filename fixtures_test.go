package main

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// Fixtures of the access tests, created through the API as the
// administrator.

// createBank creates a bank and returns its ID.
func createBank(t *testing.T, srv *httptest.Server, name, city string) string {
	t.Helper()
	var p struct {
		Institution struct{ ID string } `json:"institution"`
	}
	post(t, srv, testToken, fmt.Sprintf(`mutation { createInstitution(input: {name: %q, kind: BANK, city: %s}) { institution { id } } }`, name, city), nil).
		decode(t, "createInstitution", &p)
	if p.Institution.ID == "" {
		t.Fatalf("institution %s refused", name)
	}
	return p.Institution.ID
}

// createProduct creates a product of provider from its input as JSON, in
// which PROVIDER stands for the provider's ID, and returns its ID.
func createProduct(t *testing.T, srv *httptest.Server, provider, input string) string {
	t.Helper()
	var p struct {
		FinancialProduct *struct{ ID string } `json:"financialProduct"`
		UserErrors       []userError          `json:"userErrors"`
	}
	post(t, srv, testToken, `mutation($input: CreateFinancialProductInput!) { createFinancialProduct(input: $input) { financialProduct { id } userErrors { field code message } } }`,
		map[string]any{"input": json.RawMessage(strings.ReplaceAll(input, "PROVIDER", provider))}).decode(t, "createFinancialProduct", &p)
	if p.FinancialProduct == nil {
		t.Fatalf("product refused: %+v", p.UserErrors)
	}
	return p.FinancialProduct.ID
}

// createTestEnterprise creates enterpriseInput(name, code + its check
// character) and returns its ID.
func createTestEnterprise(t *testing.T, srv *httptest.Server, name, code string) string {
	t.Helper()
	var p payload
	post(t, srv, testToken, createEnterprise, map[string]any{"input": enterpriseInput(name, code+checkChar(t, code))}).
		decode(t, "createEnterprise", &p)
	if p.Enterprise == nil {
		t.Fatalf("createEnterprise: %+v", p.UserErrors)
	}
	return p.Enterprise.ID
}
