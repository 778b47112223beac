package main

import (
	"fmt"

	"github.com/urfave/cli/v3"

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

// resolve fills the chain id and the contract addresses from the deployment
// file where the flags leave them unset (so that logs and String show the
// values in use) and returns the addresses, the loaded deployment (nil
// without --deployment), and one error naming cmd's flag per problem in
// errs. err is set only when the deployment file cannot be read.
func (c *contractFlags) resolve(cmd *cli.Command) (market, registry gpumarket.Address, d *gpumarket.Deployment, errs []error, err error) {
	if c.Deployment != "" {
		if d, err = gpumarket.LoadDeployment(c.Deployment); err != nil {
			return market, registry, nil, nil, err
		}
		if c.ChainID == 0 {
			c.ChainID = d.ChainID
		} else if c.ChainID != d.ChainID {
			errs = append(errs, flagErr(cmd, "chain-id", fmt.Sprintf("%d differs from the deployment file's %d", c.ChainID, d.ChainID)))
		}
		market, registry = d.Contracts[gpumarket.ContractMarket], d.Contracts[gpumarket.ContractRegistry]
	}
	for _, f := range []struct {
		flag  string
		value *string
		dst   *gpumarket.Address
	}{{"market", &c.Market, &market}, {"registry", &c.Registry, &registry}} {
		if *f.value != "" {
			a, perr := gpumarket.ParseAddress(*f.value)
			if perr != nil {
				errs = append(errs, flagErr(cmd, f.flag, gpumarket.ErrorMessage(perr)))
				continue
			}
			*f.dst = a
		}
		if f.dst.IsZero() {
			errs = append(errs, flagErr(cmd, f.flag, "required (or --deployment)"))
			continue
		}
		*f.value = f.dst.String()
	}
	if c.ChainID == 0 {
		errs = append(errs, flagErr(cmd, "chain-id", "required (or --deployment)"))
	}
	return market, registry, d, errs, nil
}
