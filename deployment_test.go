package gpumarket

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadDeployment(t *testing.T) {
	const market, registry = `"JobMarketplace":"0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"`, `"ProviderRegistry":"0x5FbDB2315678afecb367f032d93F642f64180aa3"`
	tests := []struct {
		name    string
		json    string
		wantErr string
	}{
		{"fresh chain: deploy block 0", `{"chainId":31337,"deployBlock":0,"contracts":{` + market + `,` + registry + `}}`, ""},
		{"later block", `{"chainId":31337,"deployBlock":12,"contracts":{` + market + `,` + registry + `}}`, ""},
		{"deploy block missing", `{"chainId":31337,"contracts":{` + market + `,` + registry + `}}`, "deployBlock missing"},
		{"chain id missing", `{"deployBlock":3,"contracts":{` + market + `,` + registry + `}}`, "chainId missing"},
		{"registry missing", `{"chainId":1,"deployBlock":3,"contracts":{` + market + `}}`, "contracts.ProviderRegistry missing"},
		{"bad address", `{"chainId":1,"deployBlock":3,"contracts":{"JobMarketplace":"0x12"}}`, "deployment file"},
		{"not json", `{"chainId":`, "deployment file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "deployment.json")
			if err := os.WriteFile(path, []byte(tt.json), 0o600); err != nil {
				t.Fatal(err)
			}
			d, err := LoadDeployment(path)
			if tt.wantErr == "" {
				if err != nil || d.Contracts[ContractMarket].IsZero() || len(d.ContractAddresses()) != 2 {
					t.Fatalf("LoadDeployment = %+v, %v", d, err)
				}
				return
			}
			if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("LoadDeployment error = %v, want %s containing %q", err, EINVALID, tt.wantErr)
			}
		})
	}
}

func TestPaymentTokens(t *testing.T) {
	tests := []struct {
		name, tokens string
		want         int
		wantErr      bool
	}{
		{"none", ``, 0, false},
		{"one", `{"stablecoin":"0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0","paymentTokens":["0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"]}`, 1, false},
		{"malformed", `{"paymentTokens":["0x12"]}`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Deployment{Tokens: []byte(tt.tokens)}
			got, err := d.PaymentTokens()
			if (err != nil) != tt.wantErr || len(got) != tt.want {
				t.Fatalf("PaymentTokens() = %v, %v; want %d tokens, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
