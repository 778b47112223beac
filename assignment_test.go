package gpumarket

import (
	"math/big"
	"testing"
)

func TestAssignmentValidate(t *testing.T) {
	valid := Assignment{JobID: 1, JobHash: Hash{0xab}, Provider: Address{1}, Price: big.NewInt(5), Expiry: 1790000000}
	tests := []struct {
		name   string
		mutate func(a *Assignment)
		field  string
	}{
		{"valid", func(a *Assignment) {}, ""},
		{"no job hash", func(a *Assignment) { a.JobHash = Hash{} }, "job_hash"},
		{"zero provider", func(a *Assignment) { a.Provider = Address{} }, "provider"},
		{"nil price", func(a *Assignment) { a.Price = nil }, "price"},
		{"no expiry", func(a *Assignment) { a.Expiry = 0 }, "expiry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid
			tt.mutate(&a)
			wantFieldError(t, "Assignment.Validate()", a.Validate(), tt.field)
		})
	}
}
