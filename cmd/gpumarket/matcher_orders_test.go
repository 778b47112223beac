package main

import (
	"context"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/orders"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/matcher/client"
)

// TestMatcherRelaysOrders runs `matcher run --operator-keystore ...` in
// process: a client's signed order posted to /v1/orders is mined as a job
// paid from the client, with the operator paying the gas.
func TestMatcherRelaysOrders(t *testing.T) {
	sys := ethtest.DeploySystem(t, ethtest.SystemConfig{})
	dir := t.TempDir()
	deployment := filepath.Join(dir, "deployment.json")
	if err := sys.WriteDeploymentFile(deployment); err != nil {
		t.Fatal(err)
	}
	const password = "a long password"
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keystore := func(name string, i int) string {
		p := filepath.Join(dir, name+".json")
		if _, err := keys.WriteKey(p, sys.Key(i), []byte(password), true); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const operator, alice = 1, 2
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	var runErr error
	var out string
	go func() {
		defer close(done)
		out, runErr = runMatcherCLI(ctx, t, "run", "--database-url", pgtest.URL(t), "--deployment", deployment,
			"--keystore", keystore("matcher", sys.Matcher), "--password-file", pw, "--listen", addr,
			"--rpc-url", sys.URL, "--operator-keystore", keystore("operator", operator), "--operator-password-file", pw, "--confirmations", "1", "--data-dir", t.TempDir())
	}()
	defer func() {
		cancel()
		<-done
		if runErr != nil {
			t.Errorf("matcher run after cancel = %v, want nil", runErr)
		}
		if strings.Contains(out, password) {
			t.Errorf("the password appears in the output")
		}
	}()
	for i := 0; i < 100; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(100 * time.Millisecond)
	}

	m, err := market.NewMarket(sys.ChainID, gpumarket.Address(sys.Market), gpumarket.Address(sys.Registry), sys.Client)
	if err != nil {
		t.Fatal(err)
	}
	approve, err := m.Approve(gpumarket.Address(sys.Stablecoin), m.Address(), big.NewInt(5_000_000))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Transact(ctx, sys.Opts(t, alice), approve); err != nil {
		t.Fatal(err)
	}
	_, now, err := m.ChainTime(ctx)
	if err != nil {
		t.Fatal(err)
	}
	o := &eip712.JobOrder{
		Params: eip712.JobParams{Kind: gpumarket.JobKindLLM, Token: gpumarket.Address(sys.Stablecoin), MaxPayment: big.NewInt(5_000_000),
			Deadline: now + 1800, SpecHash: gpumarket.Hash{0xcd}, SpecURI: "https://specs.example/cd"},
		Auth: eip712.OrderAuth{Client: gpumarket.Address(sys.Addrs[alice]), Nonce: big.NewInt(42), Expiry: now + 600},
	}
	sig, err := eip712.SignJobOrder(sys.Key(alice), m.Domain(), o)
	if err != nil {
		t.Fatal(err)
	}
	req, err := orders.Request(o, sig, nil)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := client.New("http://"+addr, sys.ChainID.Uint64(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mc.SubmitOrder(ctx, req); err != nil {
		t.Fatalf("SubmitOrder = %v", err)
	}
	aliceETH, err := sys.Client.BalanceAt(ctx, sys.Addrs[alice], nil)
	if err != nil {
		t.Fatal(err)
	}
	var st gpumarket.OrderStatus
	for i := 0; i < 300; i++ {
		if st, err = mc.Order(ctx, req.Auth.Client, req.Auth.Nonce); err != nil {
			t.Fatalf("Order = %v", err)
		}
		if st.State != gpumarket.OrderPending {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if st.State != gpumarket.OrderMined || st.JobID == nil || *st.JobID != "1" {
		t.Fatalf("order status = %+v, want mined as job 1", st)
	}
	if after, err := sys.Client.BalanceAt(ctx, sys.Addrs[alice], nil); err != nil || after.Cmp(aliceETH) != 0 {
		t.Fatalf("alice's ETH %v -> %v (%v): the client paid gas", aliceETH, after, err)
	}
}
