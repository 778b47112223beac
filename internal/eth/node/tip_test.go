package node_test

import (
	"context"
	"testing"

	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/eth/node"
)

// TestTipMatchesHeadAndFinalized: the one-round-trip Tip returns what Head
// and Finalized return one call at a time, on anvil with a short epoch
// (finalized = head - 2*slots).
func TestTipMatchesHeadAndFinalized(t *testing.T) {
	c := ethtest.New(t, anvil.Config{SlotsInEpoch: 2})
	ctx := context.Background()
	if err := c.Mine(ctx, 10); err != nil {
		t.Fatal(err)
	}
	src, err := node.Dial(ctx, c.URL, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	head, fin, tagged, err := src.Tip(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantHead, err := src.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantFin, wantTagged, err := src.Finalized(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if head != wantHead || fin != wantFin || tagged != wantTagged {
		t.Fatalf("Tip() = %+v, %+v, %v; Head and Finalized = %+v, %+v, %v", head, fin, tagged, wantHead, wantFin, wantTagged)
	}
	if !tagged || head.Number != 10 || fin.Number != 6 {
		t.Fatalf("Tip() head %d, finalized %d (tagged %v); want 10 and 6", head.Number, fin.Number, tagged)
	}
}
