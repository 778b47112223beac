package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
)

// Flags shared by several subcommands are declared once, here. A flag's
// environment variable is named once, in its Sources: errors read it back
// from there (flagRef), so that they name the variable --help shows.

// env is the Sources of a flag read from GPUMARKET_<NAME>, name in the
// flag's own spelling: env("relayer-executor") is GPUMARKET_RELAYER_EXECUTOR.
func env(name string) cli.ValueSourceChain {
	return cli.EnvVars("GPUMARKET_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")))
}

// databaseURLFlag is --database-url (GPUMARKET_DATABASE_URL) into cfg.
// usage says what the command does with the server; empty: the usual words.
func databaseURLFlag(cfg *Config, usage string) cli.Flag {
	if usage == "" {
		usage = "PostgreSQL URL, e.g. postgres://user:pass@127.0.0.1:5432/gpumarket?sslmode=disable (the password is never printed)"
	}
	return &cli.StringFlag{Name: "database-url", Usage: usage, Sources: env("database-url"), Destination: &cfg.DatabaseURL}
}

// rpcURLFlag is --rpc-url (GPUMARKET_RPC_URL), the EVM node.
func rpcURLFlag(dst *string) cli.Flag {
	return &cli.StringFlag{Name: "rpc-url", Usage: "EVM node JSON-RPC URL (http(s) or ws(s)); the source of truth", Sources: env("rpc-url"), Destination: dst}
}

// chainIDFlag is --chain-id (GPUMARKET_CHAIN_ID).
func chainIDFlag(dst *uint64) cli.Flag {
	return &cli.Uint64Flag{Name: "chain-id", Usage: "chain id (from the deployment file when omitted)", Sources: env("chain-id"), Destination: dst}
}

// flags are --deployment, --chain-id, --market and --registry into c.
func (c *contractFlags) flags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "deployment", Usage: "deployment file written by the deploy script (chain id, deploy block, contract addresses)", Sources: env("deployment"), Destination: &c.Deployment},
		chainIDFlag(&c.ChainID),
		&cli.StringFlag{Name: "market", Usage: "JobMarketplace address (instead of the deployment file)", Sources: env("market"), Destination: &c.Market},
		&cli.StringFlag{Name: "registry", Usage: "ProviderRegistry address (instead of the deployment file)", Sources: env("registry"), Destination: &c.Registry},
	}
}

// join returns the flag lists one after the other, in a new slice.
func join(lists ...[]cli.Flag) []cli.Flag {
	var out []cli.Flag
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// lookupFlag finds the flag called name where cmd reads it: on cmd or on a
// command above it (whose flags its subcommands inherit).
func lookupFlag(cmd *cli.Command, name string) cli.Flag {
	if cmd == nil {
		return nil
	}
	for _, c := range cmd.Lineage() {
		for _, f := range c.Flags {
			if slices.Contains(f.Names(), name) {
				return f
			}
		}
	}
	return nil
}

// flagEnv returns the environment variable of cmd's flag name, "" when it
// has none.
func flagEnv(cmd *cli.Command, name string) string {
	if f, ok := lookupFlag(cmd, name).(interface{ GetEnvVars() []string }); ok {
		if vars := f.GetEnvVars(); len(vars) > 0 {
			return vars[0]
		}
	}
	return ""
}

// flagRef names cmd's flag name for a message: "--name (VARIABLE)", or
// "--name" when the flag has no variable.
func flagRef(cmd *cli.Command, name string) string {
	if v := flagEnv(cmd, name); v != "" {
		return fmt.Sprintf("--%s (%s)", name, v)
	}
	return "--" + name
}

// flagErr is the error for a bad value of cmd's flag name.
func flagErr(cmd *cli.Command, name, msg string) error {
	return fmt.Errorf("%s: %s", flagRef(cmd, name), msg)
}

// invalid returns nil without errs, and otherwise one EINVALID error
// listing them (each one naming its flag).
func invalid(errs ...error) error {
	if len(errs) == 0 {
		return nil
	}
	return gpumarket.Errorf(gpumarket.EINVALID, "configuration: %v", errors.Join(errs...))
}
