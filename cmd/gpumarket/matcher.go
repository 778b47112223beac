package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/big"
	"net/http"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/market"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/robfig/cron/v3"
	"github.com/urfave/cli/v3"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/bench"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/blobstore"
	"github.com/gpumarket/gpumarket/internal/httpserve"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/webui"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// matcherConfig holds the matcher subcommand's settings.
type matcherConfig struct {
	contractFlags
	Keystore     string
	PasswordFile string
	Password     string // secret: never printed
	// Gasless orders (POST /v1/orders): the operator key that sends them
	// and the node it sends to. No operator keystore: no order relay.
	RPCURL               string
	OperatorKeystore     string
	OperatorPasswordFile string
	OperatorPassword     string // secret: never printed
	Confirmations        uint64
	// The API's stale-tolerant reads on a streaming replica (empty: none)
	// while its replay lag is at most ReadMaxLag.
	ReadDatabaseURL string // secret password: printed redacted
	ReadMaxLag      time.Duration
	Listen          string
	Instance        string
	OfferTTL        time.Duration
	LeaseTTL        time.Duration // service.Config.LeaseTTL
	Batch           int
	AllowPrivate    bool
	FetchTimeout    time.Duration
	MinPrice        string
	FeeBps          uint64
	CreatorBps      uint64
	// The marketplace's stake reservation rule; each defaults to the
	// deployment file's.
	StakingToken     string
	ReservationBps   uint64
	ReservationFloor string
	ReservationCap   string
	rule             gpumarket.ReservationRule
	// Spec storage: each caller's upload quota and the collection of
	// specs no job references.
	SpecQuotaWindow time.Duration
	SpecQuotaCount  int
	SpecQuotaBytes  int64
	SpecGCGrace     time.Duration
	SpecGCSchedule  string
	// The input store (POST/GET /v1/blobs): a file:// or s3:// URL
	// (default: file:// + DataDir/blobs), one blob's size limit and each
	// caller's upload quota.
	DataDir         string
	BlobStore       string
	BlobMaxBytes    int64
	BlobQuotaWindow time.Duration
	BlobQuotaCount  int
	BlobQuotaBytes  int64
	// The input store's collection: blobs no on-chain job's spec references
	// go after BlobGCGrace, crashed uploads' staged bytes after
	// BlobStagedGrace, on BlobGCSchedule.
	BlobGCGrace     time.Duration
	BlobStagedGrace time.Duration
	BlobGCSchedule  string
	PublicURL       string
	// Status streams (GET /v1/jobs/{chainId}/{jobId}/events) open at once,
	// per client IP and overall.
	StreamsPerClient int
	Streams          int
	// The API server's limits (internal/httpserve).
	MaxConns       int
	WriteRate      float64
	WriteBurst     int
	ReadRate       float64
	ReadBurst      int
	CORSOrigins    []string
	TrustedProxies []string
	trusted        []netip.Prefix
	// The Solana payment rail (railsolana.go).
	Solana solanaRailConfig
	// The web page (internal/webui) at /: on unless UI is false; the
	// tokens it formats amounts of and the transaction link prefix.
	UI       bool
	UITokens []string
	UITxURL  string
	uiTokens []webui.Token
	// bench only
	BenchProviders  int
	BenchJobs       int
	BenchInstances  int
	BenchCPUProfile string
}

// String prints the settings with the password redacted.
func (mc matcherConfig) String() string {
	pw := ""
	if mc.Password != "" {
		pw = "xxxxx"
	}
	opw := ""
	if mc.OperatorPassword != "" {
		opw = "xxxxx"
	}
	return fmt.Sprintf("chain-id=%d market=%s registry=%s keystore=%s password-file=%s password=%s rpc-url=%s operator-keystore=%s operator-password-file=%s operator-password=%s read-database-url=%s read-max-lag=%s listen=%s instance=%s offer-ttl=%s lease-ttl=%s batch=%d",
		mc.ChainID, mc.Market, mc.Registry, mc.Keystore, mc.PasswordFile, pw, mc.RPCURL, mc.OperatorKeystore, mc.OperatorPasswordFile, opw,
		postgres.RedactDSN(mc.ReadDatabaseURL), mc.ReadMaxLag, mc.Listen, mc.Instance, mc.OfferTTL, mc.LeaseTTL, mc.Batch)
}

// MaxMatcherLeaseTTL caps --lease-ttl: a killed instance's claims stay
// with it that long.
const MaxMatcherLeaseTTL = time.Hour

// DefaultMatcherListen is the matcher API's default address; the relayer's
// default --matcher-url points at it.
const DefaultMatcherListen = "127.0.0.1:8090"

// The matcher API's default per-client-IP rate limits: requests per second
// and burst of the anonymous writes (specs, quotes, attestations,
// heartbeats) and of the expensive reads (providers, pricing, jobs).
const (
	DefaultMatcherWriteRate  = 5.0
	DefaultMatcherWriteBurst = 20
	DefaultMatcherReadRate   = 10.0
	DefaultMatcherReadBurst  = 40
)

// DefaultMatcherConfig returns the matcher subcommands' defaults: the
// assignment queue's from service.DefaultConfig.
func DefaultMatcherConfig() matcherConfig {
	svc := service.DefaultConfig(0, "")
	quota := service.DefaultSpecQuota()
	bq := service.DefaultBlobQuota()
	return matcherConfig{DataDir: "gpumarket-matcher", StreamsPerClient: api.DefaultEventStreamsPerClient, Streams: api.DefaultEventStreams, BlobMaxBytes: api.DefaultBlobMaxBytes,
		BlobQuotaWindow: bq.Window, BlobQuotaCount: bq.MaxCount, BlobQuotaBytes: bq.MaxBytes, Listen: DefaultMatcherListen, Instance: indexer.LocalOwner(), OfferTTL: svc.OfferTTL, LeaseTTL: svc.LeaseTTL, Batch: svc.Batch,
		FetchTimeout: 5 * time.Second, ReadMaxLag: 5 * time.Second, MinPrice: "0", Confirmations: 3, FeeBps: 250, BenchProviders: 10_000, BenchJobs: 100_000, BenchInstances: 2,
		SpecQuotaWindow: quota.Window, SpecQuotaCount: quota.MaxCount, SpecQuotaBytes: quota.MaxBytes,
		SpecGCGrace: svc.SpecGCGrace, SpecGCSchedule: svc.SpecGCSchedule,
		BlobGCGrace: svc.BlobGCGrace, BlobStagedGrace: svc.BlobStagedGrace, BlobGCSchedule: svc.BlobGCSchedule,
		MaxConns: httpserve.DefaultMaxConns, WriteRate: DefaultMatcherWriteRate, WriteBurst: DefaultMatcherWriteBurst,
		ReadRate: DefaultMatcherReadRate, ReadBurst: DefaultMatcherReadBurst, UI: true}
}

func matcherCommand(cfg *Config, stdout, stderr io.Writer) *cli.Command {
	mc := &matcherConfig{}
	*mc = DefaultMatcherConfig()
	batch := &cli.IntFlag{Name: "batch", Value: mc.Batch, Usage: "jobs claimed per step", Sources: env("matcher-batch"), Destination: &mc.Batch}
	runFlags := join([]cli.Flag{databaseURLFlag(cfg, "")}, mc.contractFlags.flags(), []cli.Flag{
		batch,
		&cli.StringFlag{Name: "keystore", Usage: "go-ethereum keystore file of the matcher key (required)", Sources: env("matcher-keystore"), Destination: &mc.Keystore},
		&cli.StringFlag{Name: "password-file", Usage: "file holding the keystore password (not readable by other users)", Sources: env("matcher-password-file"), Destination: &mc.PasswordFile},
		&cli.StringFlag{Name: "password", Usage: "keystore password (prefer --password-file; never printed)", Sources: env("matcher-password"), Destination: &mc.Password},
		rpcURLFlag(&mc.RPCURL),
		&cli.StringFlag{Name: "operator-keystore", Usage: "keystore file of the operator key that sends gasless orders (POST /v1/orders) and pays their gas; must differ from --keystore; unset: no order relay", Sources: env("matcher-operator-keystore"), Destination: &mc.OperatorKeystore},
		&cli.StringFlag{Name: "operator-password-file", Usage: "file holding the operator keystore's password (not readable by other users)", Sources: env("matcher-operator-password-file"), Destination: &mc.OperatorPasswordFile},
		&cli.StringFlag{Name: "operator-password", Usage: "operator keystore password (prefer the file; never printed)", Sources: env("matcher-operator-password"), Destination: &mc.OperatorPassword},
		&cli.Uint64Flag{Name: "confirmations", Value: mc.Confirmations, Usage: "blocks deep an order's transaction must be before the operator's manager calls it final", Sources: env("matcher-confirmations"), Destination: &mc.Confirmations},
		&cli.StringFlag{Name: "read-database-url", Usage: "PostgreSQL URL of a streaming replica (hot standby) of --database-url for the API's stale-tolerant reads (providers, pricing, quotes, specs); writes and the reads that need the newest state stay on the primary (the password is never printed)", Sources: env("matcher-read-database-url"), Destination: &mc.ReadDatabaseURL},
		&cli.DurationFlag{Name: "read-max-lag", Value: mc.ReadMaxLag, Usage: "replay lag of --read-database-url above which its reads go to the primary", Sources: env("matcher-read-max-lag"), Destination: &mc.ReadMaxLag},
		&cli.StringFlag{Name: "listen", Value: mc.Listen, Usage: "HTTP API address (/v1, /healthz, /readyz, /metrics)", Sources: env("matcher-listen"), Destination: &mc.Listen},
		&cli.StringFlag{Name: "instance", Value: mc.Instance, Usage: "lease owner id, unique per process", Sources: env("matcher-instance"), Destination: &mc.Instance},
		&cli.DurationFlag{Name: "offer-ttl", Value: mc.OfferTTL, Usage: "time a provider has to accept an assignment on-chain", Sources: env("matcher-offer-ttl"), Destination: &mc.OfferTTL},
		&cli.DurationFlag{Name: "lease-ttl", Value: mc.LeaseTTL, Usage: "how long this instance's claim on a job (and, at 3/4 of it, on a provider partition) lasts unrenewed: a killed instance's jobs pass to the others within it", Sources: env("matcher-lease-ttl"), Destination: &mc.LeaseTTL},
		&cli.BoolFlag{Name: "allow-private-spec-fetch", Usage: "allow fetching specs from loopback/private addresses (development only)", Sources: env("matcher-allow-private-spec-fetch"), Destination: &mc.AllowPrivate},
		&cli.DurationFlag{Name: "spec-fetch-timeout", Value: mc.FetchTimeout, Usage: "time limit of an http(s) spec fetch", Sources: env("matcher-spec-fetch-timeout"), Destination: &mc.FetchTimeout},
		&cli.StringFlag{Name: "minimum-price", Value: mc.MinPrice, Usage: "least a quoted job costs, token base units", Sources: env("matcher-minimum-price"), Destination: &mc.MinPrice},
		&cli.Uint64Flag{Name: "protocol-fee-bps", Value: mc.FeeBps, Usage: "protocol fee used in quotes", Sources: env("matcher-protocol-fee-bps"), Destination: &mc.FeeBps},
		&cli.Uint64Flag{Name: "creator-share-bps", Usage: "creator share used in quotes", Sources: env("matcher-creator-share-bps"), Destination: &mc.CreatorBps},
		&cli.StringFlag{Name: "staking-token", Usage: "the registry's staking token (default: the deployment file's)", Sources: env("matcher-staking-token"), Destination: &mc.StakingToken},
		&cli.Uint64Flag{Name: "reservation-bps", Usage: "share of a staking-token price an accepted job reserves from its provider's stake (default: the deployment file's)", Sources: env("matcher-reservation-bps"), Destination: &mc.ReservationBps},
		&cli.StringFlag{Name: "reservation-floor", Usage: "least stake an accepted job reserves, staking-token base units (default: the deployment file's)", Sources: env("matcher-reservation-floor"), Destination: &mc.ReservationFloor},
		&cli.DurationFlag{Name: "spec-quota-window", Value: mc.SpecQuotaWindow, Usage: "window of the per-caller spec upload quota (POST /v1/specs, keyed on the client IP)", Sources: env("matcher-spec-quota-window"), Destination: &mc.SpecQuotaWindow},
		&cli.IntFlag{Name: "spec-quota-count", Value: mc.SpecQuotaCount, Usage: "new specs one caller may upload per --spec-quota-window", Sources: env("matcher-spec-quota-count"), Destination: &mc.SpecQuotaCount},
		&cli.Int64Flag{Name: "spec-quota-bytes", Value: mc.SpecQuotaBytes, Usage: "bytes of new specs one caller may upload per --spec-quota-window", Sources: env("matcher-spec-quota-bytes"), Destination: &mc.SpecQuotaBytes},
		&cli.DurationFlag{Name: "spec-gc-grace", Value: mc.SpecGCGrace, Usage: "how long a stored spec that no on-chain job references is kept before it is deleted (referenced specs are kept forever)", Sources: env("matcher-spec-gc-grace"), Destination: &mc.SpecGCGrace},
		&cli.StringFlag{Name: "spec-gc-schedule", Value: mc.SpecGCSchedule, Usage: "when unreferenced specs are collected (robfig/cron syntax)", Sources: env("matcher-spec-gc-schedule"), Destination: &mc.SpecGCSchedule},
		&cli.StringFlag{Name: "reservation-cap", Usage: "most stake an accepted job reserves, staking-token base units (default: the deployment file's)", Sources: env("matcher-reservation-cap"), Destination: &mc.ReservationCap},
		&cli.StringFlag{Name: "data-dir", Value: mc.DataDir, Usage: "matcher state on disk: the default input store (blobs/)", Sources: env("matcher-data-dir"), Destination: &mc.DataDir},
		&cli.StringFlag{Name: "blob-store", Usage: "input store URL: file:///dir or s3://bucket?region=...[&endpoint=...&use_path_style=true] (default: file:// + --data-dir/blobs)", Sources: env("matcher-blob-store"), Destination: &mc.BlobStore},
		&cli.Int64Flag{Name: "blob-max-bytes", Value: mc.BlobMaxBytes, Usage: "largest input one POST /v1/blobs may store", Sources: env("matcher-blob-max-bytes"), Destination: &mc.BlobMaxBytes},
		&cli.DurationFlag{Name: "blob-quota-window", Value: mc.BlobQuotaWindow, Usage: "window of the per-caller input upload quota (POST /v1/blobs, keyed on the client IP)", Sources: env("matcher-blob-quota-window"), Destination: &mc.BlobQuotaWindow},
		&cli.IntFlag{Name: "blob-quota-count", Value: mc.BlobQuotaCount, Usage: "new inputs one caller may upload per --blob-quota-window", Sources: env("matcher-blob-quota-count"), Destination: &mc.BlobQuotaCount},
		&cli.Int64Flag{Name: "blob-quota-bytes", Value: mc.BlobQuotaBytes, Usage: "bytes of new inputs one caller may upload per --blob-quota-window", Sources: env("matcher-blob-quota-bytes"), Destination: &mc.BlobQuotaBytes},
		&cli.DurationFlag{Name: "blob-gc-grace", Value: mc.BlobGCGrace, Usage: "how long a stored input that no on-chain job's spec references is kept after its last upload before it is deleted (referenced inputs are kept forever)", Sources: env("matcher-blob-gc-grace"), Destination: &mc.BlobGCGrace},
		&cli.DurationFlag{Name: "blob-staged-grace", Value: mc.BlobStagedGrace, Usage: "how long the staged bytes of an upload that never finished (a crash) are kept before they are deleted; above the longest upload", Sources: env("matcher-blob-staged-grace"), Destination: &mc.BlobStagedGrace},
		&cli.StringFlag{Name: "blob-gc-schedule", Value: mc.BlobGCSchedule, Usage: "when the input store is collected (robfig/cron syntax)", Sources: env("matcher-blob-gc-schedule"), Destination: &mc.BlobGCSchedule},
		&cli.StringFlag{Name: "public-url", Usage: "scheme and host clients reach the API at, for the uri of stored inputs (default: the request's own)", Sources: env("matcher-public-url"), Destination: &mc.PublicURL},
		&cli.IntFlag{Name: "event-streams-per-client", Value: mc.StreamsPerClient, Usage: "job status streams (GET /v1/jobs/{chainId}/{jobId}/events) one client IP may hold open; more get 429", Sources: env("matcher-event-streams-per-client"), Destination: &mc.StreamsPerClient},
		&cli.IntFlag{Name: "event-streams", Value: mc.Streams, Usage: "job status streams open at once overall; more get 503 (each holds a connection: keep --max-conns above it)", Sources: env("matcher-event-streams"), Destination: &mc.Streams},
		&cli.IntFlag{Name: "max-conns", Value: mc.MaxConns, Usage: "HTTP connections open at once; more wait to be accepted", Sources: env("matcher-max-conns"), Destination: &mc.MaxConns},
		&cli.FloatFlag{Name: "write-rate", Value: mc.WriteRate, Usage: "anonymous writes (POST /v1/specs, /v1/quote, /v1/attestations, /v1/heartbeats) per second per client IP; 0: unlimited", Sources: env("matcher-write-rate"), Destination: &mc.WriteRate},
		&cli.IntFlag{Name: "write-burst", Value: mc.WriteBurst, Usage: "anonymous writes a client IP may send at once", Sources: env("matcher-write-burst"), Destination: &mc.WriteBurst},
		&cli.FloatFlag{Name: "read-rate", Value: mc.ReadRate, Usage: "expensive reads (GET /v1/providers, /v1/pricing/*, /v1/jobs/*) per second per client IP; 0: unlimited", Sources: env("matcher-read-rate"), Destination: &mc.ReadRate},
		&cli.IntFlag{Name: "read-burst", Value: mc.ReadBurst, Usage: "expensive reads a client IP may send at once", Sources: env("matcher-read-burst"), Destination: &mc.ReadBurst},
		&cli.BoolFlag{Name: "ui", Value: mc.UI, Usage: "serve the explorer and post-a-job page at / (--ui=false: the API only)", Sources: env("matcher-ui"), Destination: &mc.UI},
		&cli.StringSliceFlag{Name: "ui-token", Usage: "a payment token the page shows and offers, as ADDRESS:SYMBOL:DECIMALS (repeatable)", Sources: env("matcher-ui-token"), Destination: &mc.UITokens},
		&cli.StringFlag{Name: "ui-tx-url", Usage: "prefix the page links transaction hashes with (e.g. https://etherscan.io/tx/; default: unlinked)", Sources: env("matcher-ui-tx-url"), Destination: &mc.UITxURL},
		&cli.StringSliceFlag{Name: "cors-origins", Usage: "origins (scheme://host[:port], or *) allowed to call the API from a browser (default: none, same origin only)", Sources: env("matcher-cors-origins"), Destination: &mc.CORSOrigins},
		&cli.StringSliceFlag{Name: "trusted-proxies", Usage: "reverse proxies (IPs or CIDRs) whose X-Forwarded-For names the client for rate limits (default: none)", Sources: env("matcher-trusted-proxies"), Destination: &mc.TrustedProxies},
	}, mc.Solana.flags())
	benchFlags := []cli.Flag{
		databaseURLFlag(cfg, "PostgreSQL URL of an empty database (the password is never printed)"),
		chainIDFlag(&mc.ChainID),
		batch,
		&cli.IntFlag{Name: "providers", Value: mc.BenchProviders, Usage: "providers to seed", Destination: &mc.BenchProviders},
		&cli.IntFlag{Name: "jobs", Value: mc.BenchJobs, Usage: "open jobs to seed", Destination: &mc.BenchJobs},
		&cli.IntFlag{Name: "instances", Value: mc.BenchInstances, Usage: "matcher instances racing over the jobs", Destination: &mc.BenchInstances},
		&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile of the matching phase's process to this file (go tool pprof)", Destination: &mc.BenchCPUProfile},
	}
	return &cli.Command{
		Name:  "matcher",
		Usage: "match open jobs to attested providers, sign assignments, run the pricing oracle and serve the /v1 API",
		Commands: []*cli.Command{
			{
				Name:  "run",
				Usage: "run the matcher and its HTTP API until stopped",
				Flags: runFlags,
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return runMatcher(ctx, cmd, *cfg, *mc, stderr)
				},
			},
			{
				Name:  "bench",
				Usage: "seed a fresh database with providers and open jobs and measure assignments per second and p99 decision time (destroys matcher data; use an empty database)",
				Flags: benchFlags,
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return benchMatcher(ctx, cmd, *cfg, *mc, stdout, stderr)
				},
			},
		},
	}
}

// resolveReservation fills the reservation rule from the deployment file,
// then the flags, and names every flag still missing or malformed.
func (mc *matcherConfig) resolveReservation(cmd *cli.Command, d *gpumarket.Deployment) []error {
	var errs []error
	if d != nil {
		rule, ok, err := d.ReservationRule()
		if err != nil {
			errs = append(errs, flagErr(cmd, "deployment", gpumarket.ErrorMessage(err)))
		} else if ok {
			mc.rule = rule
		}
	}
	const why = "required: the deployment file does not record the marketplace's reservation rule"
	if mc.StakingToken != "" {
		a, err := gpumarket.ParseAddress(mc.StakingToken)
		if err != nil {
			errs = append(errs, flagErr(cmd, "staking-token", gpumarket.ErrorMessage(err)))
		}
		mc.rule.StakingToken = a
	} else if mc.rule.StakingToken.IsZero() {
		errs = append(errs, flagErr(cmd, "staking-token", why))
	}
	if cmd.IsSet("reservation-bps") {
		if mc.ReservationBps > 10_000 {
			errs = append(errs, flagErr(cmd, "reservation-bps", fmt.Sprintf("%d exceeds 10000", mc.ReservationBps)))
		}
		mc.rule.Bps = uint16(min(mc.ReservationBps, 10_000))
	}
	for _, f := range []struct {
		name  string
		value string
		dst   **big.Int
	}{{"reservation-floor", mc.ReservationFloor, &mc.rule.Floor}, {"reservation-cap", mc.ReservationCap, &mc.rule.Cap}} {
		if f.value != "" {
			v, err := gpumarket.ParseAmount(f.value)
			if err != nil {
				errs = append(errs, flagErr(cmd, f.name, gpumarket.ErrorMessage(err)))
				continue
			}
			*f.dst = v
		} else if *f.dst == nil {
			errs = append(errs, flagErr(cmd, f.name, why))
		}
	}
	if mc.rule.Floor != nil && mc.rule.Cap != nil && mc.rule.Floor.Cmp(mc.rule.Cap) > 0 {
		errs = append(errs, flagErr(cmd, "reservation-floor", fmt.Sprintf("%s exceeds --reservation-cap %s", mc.rule.Floor, mc.rule.Cap)))
	}
	return errs
}

// resolve fills chain id and addresses from the deployment file and flags.
func (mc *matcherConfig) resolve(cmd *cli.Command) (market, registry gpumarket.Address, err error) {
	market, registry, d, errs, err := mc.contractFlags.resolve(cmd)
	if err != nil {
		return market, registry, err
	}
	errs = append(errs, mc.resolveReservation(cmd, d)...)
	if mc.Keystore == "" {
		errs = append(errs, flagErr(cmd, "keystore", "required: the matcher key's keystore file"))
	}
	if mc.PasswordFile == "" && mc.Password == "" {
		errs = append(errs, flagErr(cmd, "password-file", "required (or "+flagRef(cmd, "password")+")"))
	}
	if mc.OperatorKeystore != "" {
		if mc.RPCURL == "" {
			errs = append(errs, flagErr(cmd, "rpc-url", "required with "+flagRef(cmd, "operator-keystore")+" (the node orders are sent to)"))
		}
		if mc.OperatorPasswordFile == "" && mc.OperatorPassword == "" {
			errs = append(errs, flagErr(cmd, "operator-password-file", "required with "+flagRef(cmd, "operator-keystore")+" (or "+flagRef(cmd, "operator-password")+")"))
		}
		if mc.Confirmations < 1 {
			errs = append(errs, flagErr(cmd, "confirmations", "0 is below 1"))
		}
	}
	if mc.FeeBps+mc.CreatorBps > 10_000 {
		errs = append(errs, flagErr(cmd, "protocol-fee-bps", "protocol fee plus creator share exceed 10000"))
	}
	if _, perr := gpumarket.ParseAmount(mc.MinPrice); perr != nil {
		errs = append(errs, flagErr(cmd, "minimum-price", gpumarket.ErrorMessage(perr)))
	}
	// The service's own checks name its config fields; these name the flags.
	if mc.Batch < 1 || mc.Batch > 10_000 {
		errs = append(errs, flagErr(cmd, "batch", fmt.Sprintf("%d is not in [1, 10000]", mc.Batch)))
	}
	if mc.OfferTTL < time.Second {
		errs = append(errs, flagErr(cmd, "offer-ttl", fmt.Sprintf("%v is below 1s", mc.OfferTTL)))
	}
	if mc.LeaseTTL < time.Second || mc.LeaseTTL > MaxMatcherLeaseTTL {
		errs = append(errs, flagErr(cmd, "lease-ttl", fmt.Sprintf("%v is not in [1s, %v]", mc.LeaseTTL, MaxMatcherLeaseTTL)))
	}
	if mc.ReadMaxLag <= 0 {
		errs = append(errs, flagErr(cmd, "read-max-lag", fmt.Sprintf("%v is not positive", mc.ReadMaxLag)))
	}
	if mc.FetchTimeout <= 0 {
		errs = append(errs, flagErr(cmd, "spec-fetch-timeout", fmt.Sprintf("%v is not positive", mc.FetchTimeout)))
	}
	if mc.SpecQuotaWindow <= 0 {
		errs = append(errs, flagErr(cmd, "spec-quota-window", fmt.Sprintf("%v is not positive", mc.SpecQuotaWindow)))
	}
	if mc.SpecQuotaCount < 1 {
		errs = append(errs, flagErr(cmd, "spec-quota-count", fmt.Sprintf("%d is below 1", mc.SpecQuotaCount)))
	}
	if mc.SpecQuotaBytes < 1 {
		errs = append(errs, flagErr(cmd, "spec-quota-bytes", fmt.Sprintf("%d is below 1", mc.SpecQuotaBytes)))
	}
	if mc.SpecGCGrace < time.Minute {
		errs = append(errs, flagErr(cmd, "spec-gc-grace", fmt.Sprintf("%v is below 1m", mc.SpecGCGrace)))
	}
	if _, perr := cron.ParseStandard(mc.SpecGCSchedule); perr != nil {
		errs = append(errs, flagErr(cmd, "spec-gc-schedule", fmt.Sprintf("%q: %v", mc.SpecGCSchedule, perr)))
	}
	errs = append(errs, mc.checkBlobFlags(cmd)...)
	errs = append(errs, mc.checkServerLimits(cmd)...)
	return market, registry, invalid(errs...)
}

// checkBlobFlags checks the input store's flags and fills the default
// store URL from --data-dir.
func (mc *matcherConfig) checkBlobFlags(cmd *cli.Command) []error {
	var errs []error
	if mc.BlobStore == "" {
		if mc.DataDir == "" {
			errs = append(errs, flagErr(cmd, "data-dir", "required without --blob-store"))
		} else if dir, err := filepath.Abs(filepath.Join(mc.DataDir, "blobs")); err != nil {
			errs = append(errs, flagErr(cmd, "data-dir", err.Error()))
		} else {
			mc.BlobStore = (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String()
		}
	} else if u, err := url.Parse(mc.BlobStore); err != nil || (u.Scheme != "file" && u.Scheme != "s3") {
		errs = append(errs, flagErr(cmd, "blob-store", "want file:///dir or s3://bucket?..."))
	}
	if mc.BlobMaxBytes < 1 {
		errs = append(errs, flagErr(cmd, "blob-max-bytes", fmt.Sprintf("%d is below 1", mc.BlobMaxBytes)))
	}
	if mc.BlobQuotaWindow <= 0 {
		errs = append(errs, flagErr(cmd, "blob-quota-window", fmt.Sprintf("%v is not positive", mc.BlobQuotaWindow)))
	}
	if mc.BlobQuotaCount < 1 {
		errs = append(errs, flagErr(cmd, "blob-quota-count", fmt.Sprintf("%d is below 1", mc.BlobQuotaCount)))
	}
	if mc.BlobQuotaBytes < 1 {
		errs = append(errs, flagErr(cmd, "blob-quota-bytes", fmt.Sprintf("%d is below 1", mc.BlobQuotaBytes)))
	}
	if mc.BlobGCGrace < time.Minute {
		errs = append(errs, flagErr(cmd, "blob-gc-grace", fmt.Sprintf("%v is below 1m", mc.BlobGCGrace)))
	}
	// An upload may take the blob routes' 10-minute deadline.
	if mc.BlobStagedGrace < 15*time.Minute {
		errs = append(errs, flagErr(cmd, "blob-staged-grace", fmt.Sprintf("%v is below 15m (an upload may take 10m)", mc.BlobStagedGrace)))
	}
	if _, perr := cron.ParseStandard(mc.BlobGCSchedule); perr != nil {
		errs = append(errs, flagErr(cmd, "blob-gc-schedule", fmt.Sprintf("%q: %v", mc.BlobGCSchedule, perr)))
	}
	if mc.StreamsPerClient < 1 {
		errs = append(errs, flagErr(cmd, "event-streams-per-client", fmt.Sprintf("%d is below 1", mc.StreamsPerClient)))
	}
	if mc.Streams < 1 {
		errs = append(errs, flagErr(cmd, "event-streams", fmt.Sprintf("%d is below 1", mc.Streams)))
	} else if mc.Streams >= mc.MaxConns {
		errs = append(errs, flagErr(cmd, "event-streams", fmt.Sprintf("%d leaves no connection of %s %d for the rest of the API", mc.Streams, flagRef(cmd, "max-conns"), mc.MaxConns)))
	}
	if mc.PublicURL != "" {
		if u, err := url.Parse(mc.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			errs = append(errs, flagErr(cmd, "public-url", "want http(s)://host[:port]"))
		}
	}
	return errs
}

// checkServerLimits checks the API server's flags and parses the trusted
// proxies, naming each bad flag.
func (mc *matcherConfig) checkServerLimits(cmd *cli.Command) []error {
	var errs []error
	if mc.MaxConns < 1 {
		errs = append(errs, flagErr(cmd, "max-conns", fmt.Sprintf("%d is below 1", mc.MaxConns)))
	}
	for _, f := range []struct {
		rateFlag, burstFlag string
		rate                float64
		burst               int
	}{{"write-rate", "write-burst", mc.WriteRate, mc.WriteBurst}, {"read-rate", "read-burst", mc.ReadRate, mc.ReadBurst}} {
		if f.rate < 0 || math.IsNaN(f.rate) || math.IsInf(f.rate, 0) {
			errs = append(errs, flagErr(cmd, f.rateFlag, fmt.Sprintf("%v is not a non-negative number", f.rate)))
		} else if f.rate > 0 && f.burst < 1 {
			errs = append(errs, flagErr(cmd, f.burstFlag, fmt.Sprintf("%d is below 1 (with %s %v)", f.burst, flagRef(cmd, f.rateFlag), f.rate)))
		}
	}
	for _, o := range mc.CORSOrigins {
		if err := httpserve.ValidateOrigin(o); err != nil {
			errs = append(errs, flagErr(cmd, "cors-origins", gpumarket.ErrorMessage(err)))
		}
	}
	mc.uiTokens = nil
	for _, t := range mc.UITokens {
		tok, err := webui.ParseToken(t)
		if err != nil {
			errs = append(errs, flagErr(cmd, "ui-token", gpumarket.ErrorMessage(err)))
			continue
		}
		mc.uiTokens = append(mc.uiTokens, tok)
	}
	if err := (webui.Config{ChainID: 1, Market: gpumarket.Address{1}, TxURL: mc.UITxURL}).Validate(); err != nil {
		errs = append(errs, flagErr(cmd, "ui-tx-url", gpumarket.ErrorMessage(err)))
	}
	var err error
	if mc.trusted, err = httpserve.ParsePrefixes(mc.TrustedProxies); err != nil {
		errs = append(errs, flagErr(cmd, "trusted-proxies", gpumarket.ErrorMessage(err)))
	}
	return errs
}

func runMatcher(ctx context.Context, cmd *cli.Command, cfg Config, mc matcherConfig, stderr io.Writer) error {
	if err := cfg.Validate(cmd, true); err != nil {
		return err
	}
	marketAddr, registry, err := mc.resolve(cmd)
	if err != nil {
		return err
	}
	// The password is read here and dropped: it is never logged (String
	// redacts it) nor put in an error (ReadPassword and LoadKey do not echo
	// it). The password file is held to the relayer's policy: not readable
	// by other users.
	pw := []byte(strings.TrimRight(mc.Password, "\r\n"))
	if mc.PasswordFile != "" {
		if pw, err = keys.ReadPassword(mc.PasswordFile, ""); err != nil {
			return fmt.Errorf("%s: %w", flagRef(cmd, "password-file"), err)
		}
	}
	key, _, err := keys.LoadKey(mc.Keystore, pw)
	if err != nil {
		return err
	}
	operatorKey, err := mc.operatorKey(cmd, keys.KeyAddress(key))
	if err != nil {
		return err
	}
	chain := new(big.Int).SetUint64(mc.ChainID)
	signer, err := eip712.NewAssignmentSigner(key, eip712.MarketDomain(chain, marketAddr))
	if err != nil {
		return err
	}
	minPrice, _ := gpumarket.ParseAmount(mc.MinPrice)
	log := newLogger(cfg, stderr)
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	apiStore := postgres.NewMatcherAPIStore(db)
	var replica *postgres.Replica
	if mc.ReadDatabaseURL != "" {
		rdb, err := postgres.Open(ctx, mc.ReadDatabaseURL)
		if err != nil {
			return fmt.Errorf("%s: %w", flagRef(cmd, "read-database-url"), err)
		}
		defer rdb.Close()
		replica = postgres.NewReplica(db, rdb, mc.ReadMaxLag)
		apiStore = postgres.NewMatcherAPIStoreWithReplica(db, replica)
	}
	scfg := service.DefaultConfig(mc.ChainID, mc.Instance)
	scfg.OfferTTL, scfg.LeaseTTL, scfg.Batch = mc.OfferTTL, mc.LeaseTTL, mc.Batch
	scfg.Reservation, scfg.JobHash = mc.rule, market.JobHashAtCreation
	// The queue and the quotes share the decoded attestations.
	scfg.Attestations = service.NewAttestationCache(0)
	scfg.SpecGCGrace, scfg.SpecGCSchedule = mc.SpecGCGrace, mc.SpecGCSchedule
	blobs, err := blobstore.Open(ctx, mc.BlobStore)
	if err != nil {
		return fmt.Errorf("%s: %w", flagRef(cmd, "blob-store"), err)
	}
	defer blobs.Close()
	scfg.Inputs, scfg.BlobGCGrace, scfg.BlobStagedGrace, scfg.BlobGCSchedule = blobs, mc.BlobGCGrace, mc.BlobStagedGrace, mc.BlobGCSchedule
	svc, err := service.New(scfg, postgres.NewMatcherQueue(db), postgres.NewMatcherMaintenance(db), signer, service.NewFetcher(0, mc.FetchTimeout, mc.AllowPrivate), log, nil)
	if err != nil {
		return err
	}
	verifier, err := eip712.NewRegistryVerifier(mc.ChainID, registry)
	if err != nil {
		return err
	}
	var relay *orderRelay
	if operatorKey != nil {
		if relay, err = newOrderRelay(ctx, mc, marketAddr, registry, operatorKey, db, log); err != nil {
			return err
		}
		defer relay.close()
	}
	railOffers, err := eip712.NewRailOfferSigner(key, eip712.MarketDomain(chain, marketAddr))
	if err != nil {
		return err
	}
	solanaAPI, solanaRail, err := mc.Solana.setup(ctx, cmd, db, railOffers, log)
	if err != nil {
		return err
	}
	apiSrv, err := api.New(api.Config{Solana: solanaAPI, ChainID: mc.ChainID, Params: scfg.Params,
		Quote:    matcher.QuoteParams{MinimumPrice: minPrice, ProtocolFeeBps: uint32(mc.FeeBps), CreatorShareBps: uint32(mc.CreatorBps)},
		Liveness: scfg.Liveness, Attestations: scfg.Attestations,
		SpecQuota: service.SpecQuota{Window: mc.SpecQuotaWindow, MaxCount: mc.SpecQuotaCount, MaxBytes: mc.SpecQuotaBytes},
		Writes:    httpserve.RateConfig{Rate: mc.WriteRate, Burst: mc.WriteBurst},
		Reads:     httpserve.RateConfig{Rate: mc.ReadRate, Burst: mc.ReadBurst},
		Orders:    relay.api(),
		Blobs:     blobs, BlobMaxBytes: mc.BlobMaxBytes, PublicURL: mc.PublicURL,
		BlobQuota:             service.SpecQuota{Window: mc.BlobQuotaWindow, MaxCount: mc.BlobQuotaCount, MaxBytes: mc.BlobQuotaBytes},
		EventStreamsPerClient: mc.StreamsPerClient, EventStreams: mc.Streams,
	}, apiStore, verifier, log, nil)
	if err != nil {
		return err
	}
	log.Info("matcher starting", "chain_id", mc.ChainID, "matcher", signer.Address(), "market", marketAddr, "registry", registry,
		"instance", mc.Instance, "listen", mc.Listen, "blob_store", blobs.String(), "read_database_url", postgres.RedactDSN(mc.ReadDatabaseURL), "config", cfg)

	g, ctx := errgroup.WithContext(ctx)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	limits := mc.serverLimits(reg)
	// Each route caps its own body; the server's cap is the largest.
	limits.MaxBodyBytes = apiSrv.MaxBodyBytes()
	if replica != nil {
		registerReplicaMetrics(reg, replica)
		g.Go(func() error { return replica.Run(ctx, time.Second, log) })
	}
	var ui *webui.Config
	if mc.UI {
		ui = &webui.Config{ChainID: mc.ChainID, Market: marketAddr, Registry: registry, Tokens: mc.uiTokens, TxURL: mc.UITxURL}
	}
	mux, err := matcherMux(apiSrv, db, reg, replica, ui)
	if err != nil {
		return err
	}
	if _, err := serveHTTP(ctx, g, cmd, "listen", mc.Listen, mux, limits, log); err != nil {
		return err
	}
	g.Go(func() error { return svc.Run(ctx, db) })
	if relay != nil {
		g.Go(func() error { return relay.tm.Run(ctx) })
	}
	g.Go(func() error { return apiSrv.RunEvents(ctx, db) }) // one LISTEN for every status stream
	if solanaRail != nil {
		g.Go(func() error { return solanaRail.Run(ctx) })
	}
	err = g.Wait()
	log.Info("matcher stopped")
	return err
}

// serverLimits returns the API server's limits (httpserve's defaults, the
// flags' connection cap, CORS origins and trusted proxies) and registers its
// request metrics with reg.
func (mc matcherConfig) serverLimits(reg *prometheus.Registry) httpserve.Config {
	limits := httpserve.DefaultConfig()
	limits.MaxConns = mc.MaxConns
	limits.CORS = httpserve.CORSConfig{Origins: mc.CORSOrigins}
	limits.TrustedProxies = mc.trusted
	limits.Metrics = httpserve.NewMetrics(reg, "matcher")
	return limits
}

// matcherMux serves the API under /v1/, the database's health at /healthz,
// readiness with the replica's lag at /readyz (see readyz), reg's metrics at
// /metrics and, with ui, the web page at / (webui.Register).
func matcherMux(apiSrv *api.Server, db interface{ Ping(context.Context) error }, reg *prometheus.Registry, replica *postgres.Replica, ui *webui.Config) (*http.ServeMux, error) {
	mux := http.NewServeMux()
	if ui != nil {
		if err := webui.Register(mux, *ui); err != nil {
			return nil, err
		}
	}
	mux.Handle("/v1/", apiSrv.Handler())
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := db.Ping(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) { readyz(w, r, db, replica) })
	return mux, nil
}

func benchMatcher(ctx context.Context, cmd *cli.Command, cfg Config, mc matcherConfig, stdout, stderr io.Writer) error {
	if err := cfg.Validate(cmd, true); err != nil {
		return err
	}
	if mc.ChainID == 0 {
		mc.ChainID = 31337 // anvil's: the seeded rows need one
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	stop, err := startCPUProfile(cmd, "cpuprofile", mc.BenchCPUProfile)
	if err != nil {
		return err
	}
	defer stop()
	res, err := bench.Matcher(ctx, postgres.NewMatcherBench(db), bench.MatcherConfig{
		ChainID: mc.ChainID, Providers: mc.BenchProviders, Jobs: mc.BenchJobs, Instances: mc.BenchInstances, Batch: mc.Batch,
	}, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, res)
	return nil
}
