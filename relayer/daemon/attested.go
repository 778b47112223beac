package daemon

import (
	"bytes"
	"fmt"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/gpumarket/gpumarket"
)

// FromAttestation returns cfg completed from saved, the signed attestation
// Register saved (LoadSignedAttestation reads it): Provider becomes the
// attested provider and Attestation saved (re-posted to the matcher at
// start); Capacity, when zero, becomes the attested slots; CanServe, when
// nil, serves the attested capabilities' kinds; WithdrawTokens, when empty,
// becomes the attested payment token.
//
// It returns an EINVALID error when the saved document does not decode, or
// when ks holds an operator key that is not the attested provider.
func FromAttestation(cfg Config, saved *SignedAttestation, ks Keys) (Config, error) {
	att, err := gpumarket.DecodeAttestation(bytes.NewReader(saved.Attestation))
	if err != nil {
		return cfg, fmt.Errorf("saved attestation: %w", err)
	}
	if ks.Operator != nil && keys.KeyAddress(ks.Operator) != att.Provider {
		return cfg, gpumarket.Errorf(gpumarket.EINVALID, "operator key %s is not the attested provider %s", keys.KeyAddress(ks.Operator), att.Provider)
	}
	cfg.Provider, cfg.Attestation = att.Provider, saved
	if cfg.Capacity == 0 {
		cfg.Capacity = int(att.Slots)
	}
	if cfg.CanServe == nil {
		serves := map[gpumarket.JobKind]bool{}
		for _, c := range att.Capabilities {
			serves[c.Kind] = true
		}
		cfg.CanServe = func(k gpumarket.JobKind) bool { return serves[k] }
	}
	if len(cfg.WithdrawTokens) == 0 {
		cfg.WithdrawTokens = []gpumarket.Address{att.Token}
	}
	return cfg, nil
}

// ServedModels returns the models saved attests per kind (the kinds and
// models the provider serves), for an executor's PreflightConfig.Models. It
// returns an EINVALID error when the saved document does not decode.
func ServedModels(saved *SignedAttestation) (map[gpumarket.JobKind][]string, error) {
	att, err := gpumarket.DecodeAttestation(bytes.NewReader(saved.Attestation))
	if err != nil {
		return nil, fmt.Errorf("saved attestation: %w", err)
	}
	models := map[gpumarket.JobKind][]string{}
	for _, c := range att.Capabilities {
		models[c.Kind] = append(models[c.Kind], c.Models...)
	}
	return models, nil
}
