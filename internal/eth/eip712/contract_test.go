package eip712

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestAssignmentMatchesContract pins the Go assignment type and domain to the
// ones the JobMarketplace contract exports (make generate writes them from the
// compiled contract), so a change on either side fails here.
func TestAssignmentMatchesContract(t *testing.T) {
	raw, err := os.ReadFile("../../../contracts/abi/typed-data/Assignment.type.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(raw)); got != AssignmentType {
		t.Fatalf("contract Assignment type = %q, Go AssignmentType = %q", got, AssignmentType)
	}
	raw, err = os.ReadFile("../../../contracts/abi/typed-data/Assignment.json")
	if err != nil {
		t.Fatal(err)
	}
	var td struct {
		Domain struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"domain"`
	}
	if err := json.Unmarshal(raw, &td); err != nil {
		t.Fatal(err)
	}
	if td.Domain.Name != MarketDomainName || td.Domain.Version != DomainVersion {
		t.Fatalf("contract domain = %q/%q, Go = %q/%q", td.Domain.Name, td.Domain.Version, MarketDomainName, DomainVersion)
	}
}
