package service

import (
	"time"

	"github.com/gpumarket/gpumarket"
)

// The explorer's read models: a page of recent jobs and the analyst views
// of migrations/00005_analytics.sql (v_market_volume_daily,
// v_price_index_hourly, v_job_funnel) for one chain.

// JobFilter selects recent jobs: of one state (empty: any), with an id
// below Before (HasBefore), newest first, at most Limit.
type JobFilter struct {
	ChainID   uint64
	State     string
	Before    gpumarket.JobID
	HasBefore bool
	Limit     int
}

// JobSummary is one row of the recent jobs list.
type JobSummary struct {
	JobID      gpumarket.JobID
	Kind       gpumarket.JobKind
	State      gpumarket.JobState
	Client     gpumarket.Address
	Provider   *gpumarket.Address
	Token      gpumarket.Address
	MaxPayment gpumarket.Amount
	Price      gpumarket.Amount
	CreatedAt  time.Time
	ClosedAt   *time.Time
	Finalized  bool
}

// VolumeDay is one row of v_market_volume_daily: one UTC day, token and
// kind. Amounts are token base units.
type VolumeDay struct {
	Day               time.Time
	Token             gpumarket.Address
	Kind              gpumarket.JobKind
	JobsCreated       int64
	JobsSettled       int64
	VolumeLocked      gpumarket.Amount
	VolumePaid        gpumarket.Amount
	VolumeToProviders gpumarket.Amount
	CreatorAmounts    gpumarket.Amount
	ProtocolFees      gpumarket.Amount
	Finalized         bool
}

// PriceIndexHour is one row of v_price_index_hourly: the realised price
// per unit of one kind and token in one UTC hour. The per-unit prices are
// decimal strings in token base units with six fractional digits (the
// view's NUMERIC(85,6)): exact, never floats.
type PriceIndexHour struct {
	Hour            time.Time
	Kind            gpumarket.JobKind
	Token           gpumarket.Address
	Unit            string
	Jobs            int64
	Units           string
	AmountDue       gpumarket.Amount
	PricePerUnit    string
	MinPricePerUnit string
	MaxPricePerUnit string
	Finalized       bool
}

// FunnelDay is one row of v_job_funnel: the jobs created on one UTC day,
// by kind, and how far they got.
type FunnelDay struct {
	Day        time.Time
	Kind       gpumarket.JobKind
	Created    int64
	Assigned   int64
	Submitted  int64
	Disputed   int64
	Settled    int64
	Refunded   int64
	Cancelled  int64
	InProgress int64
	Finalized  bool
}
