package gpumarket

import "math/big"

// Assignment is the matcher's offer of a job to a provider: the provider may
// accept the job on-chain at Price until Expiry (unix seconds), presenting the
// matcher's EIP-712 signature over exactly these fields.
//
// JobHash binds the offer to the job's terms: it is the job's hash as
// created (keccak256(abi.encode(job)) while the job is Open, the contract's
// jobHash(JobID) right after creation). The contract fills it in from the job
// being accepted, so after a reorg renumbers jobs a signed assignment cannot
// be used on another job that now holds JobID.
type Assignment struct {
	JobID    JobID
	JobHash  Hash
	Provider Address
	Price    *big.Int
	Expiry   int64
}

// Validate returns an EINVALID error naming the first invalid field.
func (a *Assignment) Validate() error {
	if a.JobHash.IsZero() {
		return invalidField("job_hash", "is missing: an assignment is bound to the job's hash as created")
	}
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
