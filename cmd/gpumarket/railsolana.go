package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/solana"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/railpay"
)

// solanaRailConfig holds `matcher run`'s Solana rail settings: no RPC URL,
// no rail.
type solanaRailConfig struct {
	RPCURL   string
	Cluster  string
	Mints    []string
	QuoteTTL time.Duration
}

func (sc *solanaRailConfig) flags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "solana-rpc-url", Usage: "Solana JSON-RPC URL of the Solana payment rail (POST /v1/rail/solana/quotes); unset: no Solana rail", Sources: env("matcher-solana-rpc-url"), Destination: &sc.RPCURL},
		&cli.StringFlag{Name: "solana-cluster", Value: solana.GenesisMainnet, Usage: "genesis hash of the cluster quotes are paid on (mainnet-beta's by default; the node must be on it)", Sources: env("matcher-solana-cluster"), Destination: &sc.Cluster},
		&cli.StringSliceFlag{Name: "solana-mint", Usage: "accepted mint, the first the default: MINT:DECIMALS:PRICE_TOKEN:NUM/DEN (MINT is SOL or an SPL mint; NUM/DEN base units of it per base unit of the oracle's PRICE_TOKEN), e.g. SOL:9:0x…:20/3", Sources: env("matcher-solana-mints"), Destination: &sc.Mints},
		&cli.DurationFlag{Name: "solana-quote-ttl", Value: 15 * time.Minute, Usage: "how long a Solana quote may be paid", Sources: env("matcher-solana-quote-ttl"), Destination: &sc.QuoteTTL},
	}
}

// parseSolanaMint parses one --solana-mint value.
func parseSolanaMint(s string) (api.SolanaMint, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 4 {
		return api.SolanaMint{}, fmt.Errorf("%q: want MINT:DECIMALS:PRICE_TOKEN:NUM/DEN", s)
	}
	m := api.SolanaMint{Mint: parts[0]}
	if m.Mint == "SOL" {
		m.Mint = ""
	} else if _, err := solana.FormatMint(m.Mint); err != nil {
		return m, fmt.Errorf("%q: %v", s, err)
	}
	d, err := strconv.ParseUint(parts[1], 10, 8)
	if err != nil {
		return m, fmt.Errorf("%q: decimals %q: want 0..255", s, parts[1])
	}
	m.Decimals = uint8(d)
	if m.PriceToken, err = gpumarket.ParseAddress(parts[2]); err != nil {
		return m, fmt.Errorf("%q: price token: %s", s, gpumarket.ErrorMessage(err))
	}
	num, den, ok := strings.Cut(parts[3], "/")
	m.Num, _ = new(big.Int).SetString(num, 10)
	m.Den, _ = new(big.Int).SetString(den, 10)
	if !ok || m.Num == nil || m.Den == nil || m.Num.Sign() <= 0 || m.Den.Sign() <= 0 {
		return m, fmt.Errorf("%q: conversion %q: want positive integers NUM/DEN", s, parts[3])
	}
	return m, nil
}

// setup returns the API's Solana config and the payment path to run, or
// nils when --solana-rpc-url is unset. Errors name the flag.
func (sc solanaRailConfig) setup(ctx context.Context, cmd *cli.Command, db *postgres.DB, offers railpay.OfferSigner, log *slog.Logger) (*api.SolanaConfig, *railpay.Service, error) {
	if sc.RPCURL == "" {
		return nil, nil, nil
	}
	var mints []api.SolanaMint
	var errs []error
	for _, s := range sc.Mints {
		m, err := parseSolanaMint(s)
		if err != nil {
			errs = append(errs, flagErr(cmd, "solana-mint", err.Error()))
		}
		mints = append(mints, m)
	}
	if len(sc.Mints) == 0 {
		errs = append(errs, flagErr(cmd, "solana-mint", "required with --solana-rpc-url: at least one accepted mint"))
	}
	if sc.QuoteTTL < time.Minute {
		errs = append(errs, flagErr(cmd, "solana-quote-ttl", "at least 1m"))
	}
	if err := invalid(errs...); err != nil {
		return nil, nil, err
	}
	checker, err := solana.NewQuotePayments(ctx, solana.NewRPC(sc.RPCURL), sc.Cluster, log)
	if err != nil {
		return nil, nil, fmt.Errorf("%s / %s: %w", flagRef(cmd, "solana-rpc-url"), flagRef(cmd, "solana-cluster"), err)
	}
	// Funded jobs are offered to the quoted provider's relayer, signed by
	// the matcher key (GET /v1/rail/solana/offers/{addr}).
	store := postgres.NewRailQuoteStore(db)
	dispatch, err := railpay.NewOfferDispatcher(offers, store, 0, nil)
	if err != nil {
		return nil, nil, err
	}
	rail, err := railpay.New(railpay.Config{TTL: sc.QuoteTTL}, store, checker, dispatch, nil, nil, log)
	if err != nil {
		return nil, nil, err
	}
	return &api.SolanaConfig{Rail: rail, Mints: mints}, rail, nil
}
