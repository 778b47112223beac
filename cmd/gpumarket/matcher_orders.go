package main

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/orders"
	"github.com/gpumarket/gpumarket/internal/eth/txmgr"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher/api"
)

// operatorKey loads the order relay's operator key, or returns nil when
// --operator-keystore is not set. The key must not be the matcher's
// assignment key (matcher): the assignment key is the MATCHER_ROLE trust
// root and should hold no ETH nor face the public; and every matcher
// instance shares it, while a journaled transaction manager sends for one
// key from one process at a time (its sender lock), so instances need
// operator keys of their own. The password is read and dropped.
func (mc matcherConfig) operatorKey(cmd *cli.Command, matcher gpumarket.Address) (*ecdsa.PrivateKey, error) {
	if mc.OperatorKeystore == "" {
		return nil, nil
	}
	var secret []byte
	if mc.OperatorPasswordFile != "" || mc.OperatorPassword == "" {
		b, err := keys.ReadPassword(mc.OperatorPasswordFile, flagEnv(cmd, "operator-password"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flagRef(cmd, "operator-password-file"), err)
		}
		secret = b
	} else {
		secret = []byte(mc.OperatorPassword)
	}
	key, addr, err := keys.LoadKey(mc.OperatorKeystore, secret)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flagRef(cmd, "operator-keystore"), err)
	}
	if addr == matcher {
		return nil, invalid(flagErr(cmd, "operator-keystore", fmt.Sprintf("holds the matcher's assignment key %s; give the order relay a key of its own", addr)))
	}
	return key, nil
}

// orderRelay is the matcher's gasless order relay: the operator's
// journaled transaction manager and the relay in front of it.
type orderRelay struct {
	tm       *txmgr.Manager
	relay    *orders.Relay
	closeRPC func()
}

func newOrderRelay(ctx context.Context, mc matcherConfig, marketAddr, registry gpumarket.Address, key *ecdsa.PrivateKey, db *postgres.DB, log *slog.Logger) (*orderRelay, error) {
	m, closeRPC, err := market.DialMarket(ctx, mc.RPCURL, mc.ChainID, marketAddr, registry)
	if err != nil {
		return nil, err
	}
	url := mc.RPCURL
	tm, err := txmgr.New(ctx, txmgr.Config{Endpoint: func(context.Context) (string, error) { return url, nil }, Key: key,
		Journal: postgres.NewJournal(db), ChainID: mc.ChainID, Confirmations: mc.Confirmations, Logger: log.With("role", "order-relay")})
	if err != nil {
		closeRPC()
		return nil, err
	}
	relay, err := orders.New(m, tm, 0)
	if err != nil {
		tm.Close()
		closeRPC()
		return nil, err
	}
	log.Info("order relay enabled", "operator", tm.Sender())
	return &orderRelay{tm: tm, relay: relay, closeRPC: closeRPC}, nil
}

// api returns the relay as the API's OrderRelay, nil (no relay) for a nil r.
func (r *orderRelay) api() api.OrderRelay {
	if r == nil {
		return nil
	}
	return r.relay
}

func (r *orderRelay) close() {
	r.tm.Close()
	r.closeRPC()
}
