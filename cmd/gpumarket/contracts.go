package main

import (
	"fmt"

	"github.com/gpumarket/gpumarket"
)

// contractFlags locate the contracts: a deployment file written by the
// deploy script, or explicit values, which win over the file.
type contractFlags struct {
	Deployment string
	ChainID    uint64
	Market     string
	Registry   string
}

// resolve fills the chain id from the deployment file when the flag is
// unset and returns the contract addresses, the loaded deployment (nil
// without --deployment), and one field-naming error per problem in errs.
// err is set only when the deployment file cannot be read.
func (c *contractFlags) resolve() (market, registry gpumarket.Address, d *gpumarket.Deployment, errs []error, err error) {
	if c.Deployment != "" {
		if d, err = gpumarket.LoadDeployment(c.Deployment); err != nil {
			return market, registry, nil, nil, err
		}
		if c.ChainID == 0 {
			c.ChainID = d.ChainID
		} else if c.ChainID != d.ChainID {
			errs = append(errs, fieldErr("chain-id", fmt.Sprintf("%d differs from the deployment file's %d", c.ChainID, d.ChainID)))
		}
		market, registry = d.Contracts[gpumarket.ContractMarket], d.Contracts[gpumarket.ContractRegistry]
	}
	for _, f := range []struct {
		flag, value string
		dst         *gpumarket.Address
	}{{"market", c.Market, &market}, {"registry", c.Registry, &registry}} {
		if f.value != "" {
			a, perr := gpumarket.ParseAddress(f.value)
			if perr != nil {
				errs = append(errs, fieldErr(f.flag, gpumarket.ErrorMessage(perr)))
				continue
			}
			*f.dst = a
		}
		if f.dst.IsZero() {
			errs = append(errs, fieldErr(f.flag, "required (or --deployment)"))
		}
	}
	if c.ChainID == 0 {
		errs = append(errs, fieldErr("chain-id", "required (or --deployment)"))
	}
	return market, registry, d, errs, nil
}
