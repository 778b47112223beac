package gpumarket

import "math/big"

// Assignment is the matcher's offer of a job to a provider: the provider may
// accept the job on-chain at Price until Expiry (unix seconds), presenting the
// matcher's EIP-712 signature over exactly these fields.
type Assignment struct {
	JobID    JobID
	Provider Address
	Price    *big.Int
	Expiry   int64
}

// Validate returns an EINVALID error naming the first invalid field.
func (a *Assignment) Validate() error {
	if a.Provider.IsZero() {
		return invalidField("provider", "is the zero address")
	}
	if err := CheckAmount("price", a.Price); err != nil {
		return err
	}
	if a.Expiry <= 0 {
		return invalidField("expiry", "%d is not a unix time", a.Expiry)
	}
	return nil
}
