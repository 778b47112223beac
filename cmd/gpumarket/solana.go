package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/solana"
)

// solanaConfig holds `indexer solana`'s settings.
type solanaConfig struct {
	RPCURL     string
	Addresses  []string
	Commitment string
	Genesis    string
	Every      time.Duration
}

// DefaultSolanaConfig returns `indexer solana`'s defaults.
func DefaultSolanaConfig() solanaConfig {
	return solanaConfig{Commitment: string(solana.StatusFinalized), Every: 10 * time.Second}
}

func solanaCommand(cfg *Config, stderr io.Writer) *cli.Command {
	sc := &solanaConfig{}
	*sc = DefaultSolanaConfig()
	return &cli.Command{
		Name:  "solana",
		Usage: "follow the Solana payment rail: payments (SOL, SPL tokens) into watched deposit addresses, with their job memos, into rail_payments",
		Flags: []cli.Flag{
			databaseURLFlag(cfg, ""),
			&cli.StringFlag{Name: "solana-rpc-url", Usage: "Solana JSON-RPC URL", Sources: env("solana-rpc-url"), Destination: &sc.RPCURL},
			&cli.StringSliceFlag{Name: "address", Usage: "watched deposit address, base58 (repeatable; for SPL tokens also each token account)", Sources: env("solana-addresses"), Destination: &sc.Addresses},
			&cli.StringFlag{Name: "commitment", Value: sc.Commitment, Usage: "finalized or confirmed (payments are recorded final only when finalized)", Sources: env("solana-commitment"), Destination: &sc.Commitment},
			&cli.StringFlag{Name: "genesis-hash", Usage: "expected genesis hash of the cluster, base58 (mainnet-beta: 5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d); empty: pinned by the first poll of each address", Sources: env("solana-genesis-hash"), Destination: &sc.Genesis},
			&cli.DurationFlag{Name: "every", Value: sc.Every, Usage: "poll interval", Sources: env("solana-every"), Destination: &sc.Every},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error { return runSolana(ctx, cmd, *cfg, *sc, stderr) },
	}
}

func runSolana(ctx context.Context, cmd *cli.Command, cfg Config, sc solanaConfig, stderr io.Writer) error {
	if err := cfg.Validate(cmd, true); err != nil {
		return err
	}
	var errs []error
	if sc.RPCURL == "" {
		errs = append(errs, flagErr(cmd, "solana-rpc-url", "required"))
	}
	if len(sc.Addresses) == 0 {
		errs = append(errs, flagErr(cmd, "address", "required: at least one watched address"))
	}
	if sc.Every < time.Second {
		errs = append(errs, flagErr(cmd, "every", "at least 1s"))
	}
	if sc.Genesis != "" {
		if err := solana.CheckGenesisHash(sc.Genesis); err != nil {
			errs = append(errs, flagErr(cmd, "genesis-hash", err.Error()))
			sc.Genesis = ""
		}
	}
	log := newLogger(cfg, stderr)
	node := solana.NewRPC(sc.RPCURL)
	var sources []indexer.RailSource
	for _, a := range sc.Addresses {
		f, err := solana.NewFollower(node, solana.Config{Address: a, Commitment: solana.ConfirmationStatus(sc.Commitment), GenesisHash: sc.Genesis}, log)
		if err != nil {
			errs = append(errs, flagErr(cmd, "address", err.Error()))
			continue
		}
		sources = append(sources, f)
	}
	if err := invalid(errs...); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("following the solana rail", "addresses", len(sources), "every", sc.Every.String())
	if err := indexer.NewRailFollower(gpumarket.RailSolana, sources, postgres.NewRailStore(db), sc.Every, log).Run(ctx); err != nil {
		return fmt.Errorf("solana rail: %w", err)
	}
	return nil
}
