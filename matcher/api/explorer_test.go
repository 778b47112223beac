package api_test

import (
	"encoding/json"
	"testing"

	"github.com/gpumarket/gpumarket/matcher/api"
)

// TestOpenAPIDocumentsExplorerRoutes: the explorer's reads and their
// schemas are in openapi.json.
func TestOpenAPIDocumentsExplorerRoutes(t *testing.T) {
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/v1/jobs", "/v1/jobs/{chainId}/{jobId}/timeline", "/v1/analytics/volume", "/v1/analytics/price-index", "/v1/analytics/funnel", "/v1/rail/solana/jobs"} {
		if _, ok := doc.Paths[path]["get"]; !ok {
			t.Errorf("openapi.json lacks get %s", path)
		}
	}
	for _, s := range []string{"JobSummary", "VolumeDay", "PriceIndexHour", "FunnelDay", "RailJobSummary"} {
		if _, ok := doc.Components.Schemas[s]; !ok {
			t.Errorf("openapi.json lacks the schema %s", s)
		}
	}
}

// TestOpenAPIRailJobSummary: every field GET /v1/rail/solana/jobs writes
// is a property of the documented RailJobSummary schema, and required.
func TestOpenAPIRailJobSummary(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Required   []string                   `json:"required"`
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(api.RailJobSummary{})
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas["RailJobSummary"]
	if len(s.Required) != len(fields) {
		t.Errorf("RailJobSummary requires %d fields, the handler writes %d", len(s.Required), len(fields))
	}
	for f := range fields {
		if _, ok := s.Properties[f]; !ok {
			t.Errorf("openapi.json's RailJobSummary lacks %s", f)
		}
	}
}
