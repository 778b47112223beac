package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"

	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/txmgr"

	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher/client"
)

// Registration is what `relayer register` does for a provider.
type Registration struct {
	ChainID     uint64
	Market      gpumarket.Address
	Registry    gpumarket.Address
	NodeURL     string
	MatcherURL  string
	Attestation *gpumarket.Attestation // Provider must be the operator's address
	Stake       *big.Int               // total active stake wanted (nil or 0: the registry's minimum)
	MetadataURI string
	// DocumentPath, when set, is where the signed attestation document is
	// saved (the run command re-posts it to the matcher at start).
	DocumentPath string
	// Wait bounds the wait for the matcher to see the registration through
	// the indexer (default 2 minutes).
	Wait time.Duration
	TxConfig
}

// SignedAttestation is the document saved by Register and posted to the
// matcher: the attestation and its signer's EIP-712 signature.
type SignedAttestation struct {
	Attestation json.RawMessage `json:"attestation"`
	Signature   string          `json:"signature"`
}

// RegisterResult reports what Register did.
type RegisterResult struct {
	Commitment gpumarket.Hash
	Actions    []string // journal keys of the transactions sent (or found sent)
	Stake      *big.Int
}

// Register makes the provider's on-chain registration match reg: registers
// it (signer = the hot key, commitment = the attestation's EIP-712 struct
// hash, expiry) or updates it when the signer or commitment changed, stakes
// up to reg.Stake, then signs the attestation with the hot key and submits it
// to the matcher, retrying while the indexer catches up. Every transaction
// goes through the operator's journaled transaction manager with a key
// naming the action and the commitment, so running Register again after a
// crash sends nothing twice. It returns an EINVALID error for a bad
// attestation and an EUNAVAILABLE one when the matcher never accepts it.
func Register(ctx context.Context, reg Registration, ks Keys, db *postgres.DB, log *slog.Logger) (*RegisterResult, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if ks.Signer == nil || ks.Operator == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "register: both the operator key and the hot signer key are required")
	}
	att := reg.Attestation
	operator, signer := keys.KeyAddress(ks.Operator), keys.KeyAddress(ks.Signer)
	if att == nil || att.Provider != operator {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "register: the attestation's provider must be the operator address %s", operator)
	}
	if err := att.Validate(); err != nil {
		return nil, err
	}
	if reg.Wait <= 0 {
		reg.Wait = 2 * time.Minute
	}
	commit, err := eip712.AttestationHash(att)
	if err != nil {
		return nil, err
	}
	domain := eip712.RegistryDomain(new(big.Int).SetUint64(reg.ChainID), reg.Registry)
	sig, err := eip712.SignAttestation(ks.Signer, domain, att)
	if err != nil {
		return nil, err
	}
	doc, err := json.Marshal(att)
	if err != nil {
		return nil, fmt.Errorf("encode attestation: %w", err)
	}
	mc, err := client.New(reg.MatcherURL, reg.ChainID, nil)
	if err != nil {
		return nil, err
	}
	mkt, closeRPC, err := market.DialMarket(ctx, reg.NodeURL, reg.ChainID, reg.Market, reg.Registry)
	if err != nil {
		return nil, err
	}
	defer closeRPC()
	url := reg.NodeURL
	tm, err := txmgr.New(ctx, reg.TxConfig.manager(func(context.Context) (string, error) { return url, nil },
		ks.Operator, postgres.NewJournal(db), reg.ChainID, log.With("role", "operator")))
	if err != nil {
		return nil, err
	}
	defer tm.Close()

	res := &RegisterResult{Commitment: commit}
	runCtx, stop := context.WithCancel(ctx)
	g, gctx := errgroup.WithContext(runCtx)
	g.Go(func() error { return tm.Run(gctx) })
	g.Go(func() error {
		defer stop()
		return register(gctx, reg, mkt, tm, signer, commit, res, log)
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// The matcher checks the document against the commitment it reads from
	// the indexer, which may lag the chain by a few blocks.
	deadline := time.Now().Add(reg.Wait)
	for {
		err = mc.PostAttestation(ctx, doc, sig)
		if err == nil {
			break
		}
		code := gpumarket.ErrorCode(err)
		if time.Now().After(deadline) || (code != gpumarket.EUNAVAILABLE && code != gpumarket.EUNAUTHORIZED && code != gpumarket.ENOTFOUND) {
			return nil, fmt.Errorf("submit attestation to the matcher: %w", err)
		}
		log.Info("matcher has not seen the registration yet; retrying", "err", gpumarket.ErrorMessage(err))
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
	if reg.DocumentPath != "" {
		b, err := json.MarshalIndent(SignedAttestation{Attestation: doc, Signature: fmt.Sprintf("0x%x", sig)}, "", "  ")
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(reg.DocumentPath), 0o700); err != nil {
			return nil, fmt.Errorf("save attestation: %w", err)
		}
		if err := os.WriteFile(reg.DocumentPath, append(b, '\n'), 0o600); err != nil {
			return nil, fmt.Errorf("save attestation: %w", err)
		}
	}
	log.Info("provider registered", "provider", operator, "signer", signer, "commitment", commit, "stake", res.Stake)
	return res, nil
}

func register(ctx context.Context, reg Registration, mkt *market.Market, tm *txmgr.Manager, signer gpumarket.Address,
	commit gpumarket.Hash, res *RegisterResult, log *slog.Logger) error {
	operator := tm.Sender()
	cur, err := mkt.Provider(ctx, operator)
	if err != nil {
		return err
	}
	tag := strings.TrimPrefix(commit.String(), "0x")[:16]
	send := func(key string, c market.Call, err error) error {
		if err != nil {
			return err
		}
		if _, err := tm.Submit(ctx, key, c.To, c.Data, nil); err != nil {
			return err
		}
		res.Actions = append(res.Actions, key)
		return waitDone(ctx, tm, key)
	}
	exp := uint64(reg.Attestation.ExpiresAt)
	switch {
	case !cur.Registered:
		c, err := mkt.Register(signer, commit, exp, reg.MetadataURI)
		if err := send("register-"+tag, c, err); err != nil {
			return err
		}
	case cur.Signer != signer || cur.AttestationHash != commit || string(cur.MetadataURI) != reg.MetadataURI:
		c, err := mkt.Update(signer, commit, exp, reg.MetadataURI)
		if err := send("update-"+tag, c, err); err != nil {
			return err
		}
	}
	want := reg.Stake
	if want == nil || want.Sign() == 0 {
		if want, err = mkt.MinStake(ctx); err != nil {
			return err
		}
	}
	if cur, err = mkt.Provider(ctx, operator); err != nil {
		return err
	}
	res.Stake = cur.Stake
	if cur.Stake.Cmp(want) >= 0 {
		return nil
	}
	more := new(big.Int).Sub(want, cur.Stake)
	token, err := mkt.StakingToken(ctx)
	if err != nil {
		return err
	}
	c, err := mkt.Approve(token, reg.Registry, more)
	if err := send(fmt.Sprintf("approve-stake-%s-%s", tag, more), c, err); err != nil {
		return err
	}
	c, err = mkt.Stake(more)
	if err := send(fmt.Sprintf("stake-%s-%s", tag, more), c, err); err != nil {
		return err
	}
	res.Stake = want
	return nil
}

// waitDone waits until the intent key is final; anything but confirmed is an
// error naming the state and reason.
func waitDone(ctx context.Context, tm *txmgr.Manager, key string) error {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		in, err := tm.Intent(ctx, key)
		if err != nil {
			return err
		}
		if in.State.Final() {
			if in.State != gpumarket.TxConfirmed {
				return gpumarket.Errorf(gpumarket.EINVALID, "%s ended %s: %s", key, in.State, in.Reason)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// LoadSignedAttestation reads a document saved by Register.
func LoadSignedAttestation(path string) (*SignedAttestation, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "read attestation %s: %v (run `gpumarket relayer register` first)", path, err)
	}
	var s SignedAttestation
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "attestation %s: %v", path, err)
	}
	return &s, nil
}
