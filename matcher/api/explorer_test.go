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
	for _, path := range []string{"/v1/jobs", "/v1/jobs/{chainId}/{jobId}/timeline", "/v1/analytics/volume", "/v1/analytics/price-index", "/v1/analytics/funnel"} {
		if _, ok := doc.Paths[path]["get"]; !ok {
			t.Errorf("openapi.json lacks get %s", path)
		}
	}
	for _, s := range []string{"JobSummary", "VolumeDay", "PriceIndexHour", "FunnelDay"} {
		if _, ok := doc.Components.Schemas[s]; !ok {
			t.Errorf("openapi.json lacks the schema %s", s)
		}
	}
}
