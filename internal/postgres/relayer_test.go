package postgres_test

import (
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// TestResultOwnersByHashAndClient: two jobs of two clients produced the same
// bytes at one provider; each client owns the result, nobody else does, and
// another provider's records do not count.
func TestResultOwnersByHashAndClient(t *testing.T) {
	ctx := t.Context()
	db := pgtest.New(t)
	provider, otherProvider := gpumarket.Address{0x9a}, gpumarket.Address{0x9b}
	owners := postgres.NewResultOwners(db, chainID, provider)
	others := postgres.NewResultOwners(db, chainID, otherProvider)
	same, unknown := gpumarket.Hash{0x5a, 1}, gpumarket.Hash{0x5a, 2}
	first, second, third, elsewhere := gpumarket.Address{0xc1}, gpumarket.Address{0xc2}, gpumarket.Address{0xc3}, gpumarket.Address{0xc4}
	for _, rec := range []struct {
		o      *postgres.ResultOwners
		job    gpumarket.JobID
		client gpumarket.Address
	}{{owners, 1, first}, {owners, 2, second}, {owners, 2, second}, {others, 3, elsewhere}} {
		if err := rec.o.SetOwner(ctx, same, rec.job, rec.client, 4); err != nil {
			t.Fatalf("SetOwner(job %d, %s) = %v", rec.job, rec.client, err)
		}
	}
	tests := []struct {
		name   string
		o      *postgres.ResultOwners
		hash   gpumarket.Hash
		client gpumarket.Address
		want   bool
		code   string
	}{
		{"first client", owners, same, first, true, ""},
		{"second client of identical bytes", owners, same, second, true, ""},
		{"third address", owners, same, third, false, ""},
		{"client of the same bytes at another provider", owners, same, elsewhere, false, ""},
		{"other provider's own client", others, same, elsewhere, true, ""},
		{"other provider, first client", others, same, first, false, ""},
		{"unknown hash", owners, unknown, first, false, gpumarket.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.o.IsOwner(ctx, tt.hash, tt.client)
			if gpumarket.ErrorCode(err) != tt.code {
				t.Fatalf("IsOwner(%s, %s) error = %v, want code %q", tt.hash, tt.client, err, tt.code)
			}
			if got != tt.want {
				t.Errorf("IsOwner(%s, %s) = %v, want %v", tt.hash, tt.client, got, tt.want)
			}
		})
	}
}
