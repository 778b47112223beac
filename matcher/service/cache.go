package service

import (
	"sync"

	"github.com/gpumarket/gpumarket"
)

// AttestationCache holds decoded attestation documents by commitment (the
// document's struct hash, so an entry never goes stale: a new attestation
// is a new commitment). The queue publishes the attestations of every
// candidate it loads (Config.Attestations) and the API's quotes read them,
// decoding only the documents the cache misses, so that a quote costs one
// filtered query instead of loading and decoding every provider's
// document. It is safe for concurrent use.
type AttestationCache struct {
	mu  sync.RWMutex
	m   map[gpumarket.Hash]*gpumarket.Attestation
	max int
}

// NewAttestationCache returns an empty cache holding at most max entries
// (when an insert would exceed it, the cache starts over; the next load
// refills it). max below 1 means 100,000.
func NewAttestationCache(max int) *AttestationCache {
	if max < 1 {
		max = 100_000
	}
	return &AttestationCache{m: map[gpumarket.Hash]*gpumarket.Attestation{}, max: max}
}

// Get returns the decoded attestation with commitment h, or nil.
func (c *AttestationCache) Get(h gpumarket.Hash) *gpumarket.Attestation {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[h]
}

// Put adds decoded attestations by commitment. The attestations must not
// be modified afterwards.
func (c *AttestationCache) Put(atts map[gpumarket.Hash]*gpumarket.Attestation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m)+len(atts) > c.max {
		c.m = make(map[gpumarket.Hash]*gpumarket.Attestation, len(atts))
	}
	for h, a := range atts {
		c.m[h] = a
	}
}

// Replace makes atts the cache's whole content (the queue calls it with
// every current candidate's attestation after each load, which drops the
// superseded ones). The attestations must not be modified afterwards.
func (c *AttestationCache) Replace(atts map[gpumarket.Hash]*gpumarket.Attestation) {
	m := make(map[gpumarket.Hash]*gpumarket.Attestation, len(atts))
	for h, a := range atts {
		m[h] = a
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = m
}

// Len returns how many attestations the cache holds.
func (c *AttestationCache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
