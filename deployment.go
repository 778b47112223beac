package gpumarket

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// Deployment is what the deploy script (contracts/script/Deploy.s.sol)
// writes: where the contracts live on one chain and from which block.
type Deployment struct {
	ChainID     uint64             `json:"chainId"`
	DeployBlock uint64             `json:"deployBlock"`
	Deployer    Address            `json:"deployer"`
	Contracts   map[string]Address `json:"contracts"`
	Tokens      json.RawMessage    `json:"tokens"`
	Roles       map[string]Address `json:"roles"`
	Config      json.RawMessage    `json:"config"`
}

// The contract names in a deployment file.
const (
	ContractRegistry = "ProviderRegistry"
	ContractMarket   = "JobMarketplace"
)

// LoadDeployment reads and checks a deployment file. It returns an EINVALID
// error naming the problem for malformed JSON, a zero chain id or deploy
// block, or a missing contract.
func LoadDeployment(path string) (*Deployment, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, Errorf(EINVALID, "read deployment file: %v", err)
	}
	var d Deployment
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&d); err != nil {
		return nil, Errorf(EINVALID, "deployment file %s: %v", path, err)
	}
	// deployBlock 0 is legitimate (a script run on a fresh chain); only a missing key is an error.
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return nil, Errorf(EINVALID, "deployment file %s: %v", path, err)
	}
	switch {
	case d.ChainID == 0:
		return nil, Errorf(EINVALID, "deployment file %s: chainId missing", path)
	case keys["deployBlock"] == nil:
		return nil, Errorf(EINVALID, "deployment file %s: deployBlock missing", path)
	}
	for _, name := range []string{ContractRegistry, ContractMarket} {
		if d.Contracts[name].IsZero() {
			return nil, Errorf(EINVALID, "deployment file %s: contracts.%s missing", path, name)
		}
	}
	return &d, nil
}

// ContractAddresses returns the deployment's contract addresses, sorted.
func (d *Deployment) ContractAddresses() []Address {
	out := make([]Address, 0, len(d.Contracts))
	for _, a := range d.Contracts {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Address) int { return bytes.Compare(a[:], b[:]) })
	return out
}

// String names the deployment for logs.
func (d *Deployment) String() string {
	return fmt.Sprintf("chain %d, deploy block %d, market %s, registry %s", d.ChainID, d.DeployBlock, d.Contracts[ContractMarket], d.Contracts[ContractRegistry])
}

// PaymentTokens returns the deployment's allowlisted payment tokens
// ("tokens.paymentTokens"), empty when the file lists none.
func (d *Deployment) PaymentTokens() ([]Address, error) {
	if len(d.Tokens) == 0 {
		return nil, nil
	}
	var t struct {
		PaymentTokens []Address `json:"paymentTokens"`
	}
	if err := json.Unmarshal(d.Tokens, &t); err != nil {
		return nil, Errorf(EINVALID, "deployment tokens: %v", err)
	}
	return t.PaymentTokens, nil
}

// ReservationRule returns the marketplace's stake reservation rule as the
// deploy script recorded it: "tokens.stakingToken" and "config.reservationBps",
// "config.reservationFloor", "config.reservationCap". ok is false when the
// file does not record it (a deployment before contracts v2, or one written
// by hand); an EINVALID error means the fields are there but malformed.
func (d *Deployment) ReservationRule() (rule ReservationRule, ok bool, err error) {
	var t struct {
		StakingToken *Address `json:"stakingToken"`
	}
	var c struct {
		Bps   *uint16 `json:"reservationBps"`
		Floor *string `json:"reservationFloor"`
		Cap   *string `json:"reservationCap"`
	}
	if len(d.Tokens) > 0 {
		if err := json.Unmarshal(d.Tokens, &t); err != nil {
			return rule, false, Errorf(EINVALID, "deployment tokens: %v", err)
		}
	}
	if len(d.Config) > 0 {
		if err := json.Unmarshal(d.Config, &c); err != nil {
			return rule, false, Errorf(EINVALID, "deployment config: %v", err)
		}
	}
	if t.StakingToken == nil || c.Bps == nil || c.Floor == nil || c.Cap == nil {
		return rule, false, nil
	}
	floor, err := ParseAmount(*c.Floor)
	if err != nil {
		return rule, false, Errorf(EINVALID, "deployment config: reservationFloor: %s", ErrorMessage(err))
	}
	ceiling, err := ParseAmount(*c.Cap)
	if err != nil {
		return rule, false, Errorf(EINVALID, "deployment config: reservationCap: %s", ErrorMessage(err))
	}
	if *c.Bps > 10_000 || floor.Cmp(ceiling) > 0 {
		return rule, false, Errorf(EINVALID, "deployment config: reservation bps %d or floor %s > cap %s out of range", *c.Bps, floor, ceiling)
	}
	return ReservationRule{StakingToken: *t.StakingToken, Bps: *c.Bps, Floor: floor, Cap: ceiling}, true, nil
}
