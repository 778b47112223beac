package matcher

import "github.com/gpumarket/gpumarket"

type indexKey struct {
	kind  gpumarket.JobKind
	model string
}

// Index groups candidates by the (kind, model) pairs their attestations
// serve, so that a decision looks only at providers that could run the job.
// It holds the caller's *Candidate pointers: the owner keeps their mutable
// fields (Status, InFlight, LoadBps, …) current and rebuilds the index when
// attestations change. It is read-only after NewIndex and safe for
// concurrent reads. Attestations are treated as immutable: a new
// attestation is a new *Attestation, which DecideIndexed notices (it then
// looks the capability up again); editing an indexed attestation in place is
// not supported.
type Index struct {
	byKey   map[indexKey][]*Candidate
	entries map[indexKey][]indexEntry
	all     []*Candidate
}

// indexEntry remembers which attestation and capability put a candidate in
// a bucket, with a compact copy of the attestation fields the filters read,
// so that DecideIndexed touches one small record per candidate instead of
// chasing pointers through the attestation.
type indexEntry struct {
	c          *Candidate
	att        *gpumarket.Attestation
	capab      *gpumarket.Capability
	expiresAt  int64
	token      gpumarket.Address
	gpuCount   uint32
	vramMiB    uint32
	slots      uint32
	fastPrices bool      // every unit's price fits in prices
	prices     [2]uint64 // in the order of Kind.Units()
}

func newIndexEntry(c *Candidate, a *gpumarket.Attestation, capab *gpumarket.Capability) indexEntry {
	e := indexEntry{c: c, att: a, capab: capab, expiresAt: a.ExpiresAt, token: a.Token,
		gpuCount: a.GPUCount, vramMiB: a.VRAMMiB, slots: a.Slots}
	units := capab.Kind.Units()
	e.fastPrices = len(units) <= len(e.prices)
	for i, u := range units {
		price := capab.Price(u)
		if !e.fastPrices || price == nil || !price.IsUint64() {
			e.fastPrices = false
			break
		}
		e.prices[i] = price.Uint64()
	}
	return e
}

// NewIndex indexes candidates; those without an attestation are kept only in
// All.
func NewIndex(candidates []*Candidate) *Index {
	x := &Index{byKey: map[indexKey][]*Candidate{}, entries: map[indexKey][]indexEntry{}, all: candidates}
	for _, c := range candidates {
		a := c.Attestation
		if a == nil {
			continue
		}
		for i := range a.Capabilities {
			capab := &a.Capabilities[i]
			for _, m := range capab.Models {
				k := indexKey{capab.Kind, m}
				x.byKey[k] = append(x.byKey[k], c)
				x.entries[k] = append(x.entries[k], newIndexEntry(c, a, capab))
			}
		}
	}
	return x
}

// Candidates returns the candidates that serve model for kind. The caller
// must not modify the slice.
func (x *Index) Candidates(kind gpumarket.JobKind, model string) []*Candidate {
	return x.byKey[indexKey{kind, model}]
}

// All returns every indexed candidate.
func (x *Index) All() []*Candidate { return x.all }
