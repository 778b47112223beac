package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/httpserve"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/relayer"
	"github.com/gpumarket/gpumarket/relayer/daemon"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/hardware"
)

// relayerConfig holds the relayer subcommands' settings.
type relayerConfig struct {
	contractFlags
	RPCURL     string
	MatcherURL string
	DataDir    string

	SignerKeystore       string
	SignerPasswordFile   string
	SignerPassword       string // secret: never printed
	OperatorKeystore     string
	OperatorPasswordFile string
	OperatorPassword     string // secret: never printed

	// register
	Profile      string
	HardwareFile string
	NvidiaSMI    string
	Stake        string
	MetadataURI  string
	Token        string

	// run
	Executor       string
	Engines        []string // --engine routes (engines.go)
	OpenAIModels   []string
	OpenAIVoice    string
	BlenderDevice  string
	BlenderThreads int
	openAIModels   map[string]string // parsed OpenAIModels
	Command        string
	CommandTimeout time.Duration
	// AllowPrivateInputs lets engines fetch job inputs from loopback and
	// private addresses (a matcher's blob store on this machine).
	AllowPrivateInputs bool
	HTTPURL            string
	ResultListen       string
	ResultBaseURL      string
	ResultMaxConns     int
	ResultRate         float64
	ResultBurst        int
	ResultCORSOrigins  []string
	Capacity           int
	MaxAttempts        int
	AttemptBackoff     time.Duration
	WithdrawSchedule   string
	WithdrawThreshold  string
	WithdrawTokens     []string
	Confirmations      uint64
	SolanaRail         bool
}

// String prints the settings with the passwords redacted.
func (rc relayerConfig) String() string {
	red := func(s string) string {
		if s == "" {
			return ""
		}
		return "xxxxx"
	}
	return fmt.Sprintf("chain-id=%d market=%s registry=%s rpc-url=%s matcher-url=%s data-dir=%s signer-keystore=%s signer-password=%s operator-keystore=%s operator-password=%s executor=%s engines=%s",
		rc.ChainID, rc.Market, rc.Registry, rc.RPCURL, rc.MatcherURL, rc.DataDir, rc.SignerKeystore, red(rc.SignerPassword),
		rc.OperatorKeystore, red(rc.OperatorPassword), rc.Executor, strings.Join(rc.Engines, ","))
}

// DefaultRelayerConfig returns the relayer subcommands' defaults; those the
// daemon also has come from daemon.DefaultConfig.
func DefaultRelayerConfig() relayerConfig {
	def := daemon.DefaultConfig()
	return relayerConfig{DataDir: "gpumarket-relayer", MatcherURL: "http://" + DefaultMatcherListen, Confirmations: 3,
		Executor: "demo", OpenAIVoice: "alloy", BlenderDevice: "CPU", CommandTimeout: 10 * time.Minute, ResultListen: daemon.DefaultResultListen,
		MaxAttempts: def.MaxAttempts, AttemptBackoff: def.AttemptBackoff,
		ResultMaxConns: daemon.DefaultResultMaxConns, ResultRate: daemon.DefaultResultRate, ResultBurst: daemon.DefaultResultBurst,
		WithdrawSchedule: def.WithdrawSchedule, WithdrawThreshold: def.WithdrawThreshold.String()}
}

// keystoreFlags are --<role>-keystore, the keystore file of the key that
// key describes, and its password: --<role>-password-file or
// --<role>-password, each read from GPUMARKET_ and its own name.
func keystoreFlags(role, key string, keystore, passwordFile, password *string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: role + "-keystore", Usage: "keystore file of the " + key, Sources: env(role + "-keystore"), Destination: keystore},
		&cli.StringFlag{Name: role + "-password-file", Usage: "file holding the " + role + " keystore's password (not readable by other users)", Sources: env(role + "-password-file"), Destination: passwordFile},
		&cli.StringFlag{Name: role + "-password", Usage: role + " keystore password (prefer the file; never printed)", Sources: env(role + "-password"), Destination: password},
	}
}

func relayerCommand(cfg *Config, stdout, stderr io.Writer) *cli.Command {
	rc := &relayerConfig{}
	*rc = DefaultRelayerConfig()
	common := join([]cli.Flag{databaseURLFlag(cfg, "PostgreSQL URL: the transaction journal and the indexer's mirror (the password is never printed)")},
		rc.contractFlags.flags(), []cli.Flag{
			rpcURLFlag(&rc.RPCURL),
			&cli.StringFlag{Name: "matcher-url", Value: rc.MatcherURL, Usage: "the matcher's API", Sources: env("matcher-url"), Destination: &rc.MatcherURL},
			&cli.StringFlag{Name: "data-dir", Value: rc.DataDir, Usage: "relayer state: saved attestation, results", Sources: env("relayer-data-dir"), Destination: &rc.DataDir},
		},
		keystoreFlags("signer", "hot signer key (accepts, results, heartbeats)", &rc.SignerKeystore, &rc.SignerPasswordFile, &rc.SignerPassword),
		keystoreFlags("operator", "operator key (the provider address: registration, stake, withdrawals)", &rc.OperatorKeystore, &rc.OperatorPasswordFile, &rc.OperatorPassword),
		[]cli.Flag{&cli.Uint64Flag{Name: "confirmations", Value: rc.Confirmations, Usage: "receipts this deep are final", Sources: env("relayer-confirmations"), Destination: &rc.Confirmations}})
	registerFlags := append(join(common),
		&cli.StringFlag{Name: "profile", Usage: "provider profile (JSON): region, slots, capabilities and prices, optional hardware", Sources: env("relayer-profile"), Destination: &rc.Profile},
		&cli.StringFlag{Name: "hardware-file", Usage: "declared hardware (JSON), used when the profile has none and instead of nvidia-smi", Sources: env("relayer-hardware-file"), Destination: &rc.HardwareFile},
		&cli.StringFlag{Name: "nvidia-smi", Usage: "nvidia-smi program (default: found on PATH)", Sources: env("relayer-nvidia-smi"), Destination: &rc.NvidiaSMI},
		&cli.StringFlag{Name: "stake", Usage: "total active stake wanted, staking token base units (default: the registry's minimum)", Sources: env("relayer-stake"), Destination: &rc.Stake},
		&cli.StringFlag{Name: "token", Usage: "payment token the prices are in, when the profile names none (default: the deployment's first payment token)", Sources: env("relayer-token"), Destination: &rc.Token},
		&cli.StringFlag{Name: "metadata-uri", Usage: "provider metadata URI recorded on-chain", Sources: env("relayer-metadata-uri"), Destination: &rc.MetadataURI},
	)
	runFlags := append(join(common, engineFlags(rc)),
		&cli.StringFlag{Name: "executor", Value: rc.Executor, Usage: "demo, command or http: one executor for every kind (see --engine for several)", Sources: env("relayer-executor"), Destination: &rc.Executor},
		&cli.StringFlag{Name: "command", Usage: "program the command executor runs (absolute path; gets the spec as a file)", Sources: env("relayer-command"), Destination: &rc.Command},
		&cli.DurationFlag{Name: "command-timeout", Value: rc.CommandTimeout, Usage: "longest a job may run", Sources: env("relayer-command-timeout"), Destination: &rc.CommandTimeout},
		&cli.BoolFlag{Name: "allow-private-inputs", Usage: "fetch job inputs from loopback and private addresses too, such as a matcher's blob store on this machine (development only)", Sources: env("relayer-allow-private-inputs"), Destination: &rc.AllowPrivateInputs},
		&cli.StringFlag{Name: "http-url", Usage: "local inference server the http executor posts specs to", Sources: env("relayer-http-url"), Destination: &rc.HTTPURL},
		&cli.BoolFlag{Name: "solana-rail", Usage: "also run jobs prepaid on the Solana rail (the matcher's signed rail offers); the database must be the matcher's, whose rail_jobs show each payment final", Sources: env("relayer-solana-rail"), Destination: &rc.SolanaRail},
		&cli.StringFlag{Name: "result-listen", Value: rc.ResultListen, Usage: "address of the result server", Sources: env("relayer-result-listen"), Destination: &rc.ResultListen},
		&cli.StringFlag{Name: "result-base-url", Usage: "public URL of the result server (default http://<result-listen>)", Sources: env("relayer-result-base-url"), Destination: &rc.ResultBaseURL},
		&cli.IntFlag{Name: "result-max-conns", Value: rc.ResultMaxConns, Usage: "result server connections open at once; more wait to be accepted", Sources: env("relayer-result-max-conns"), Destination: &rc.ResultMaxConns},
		&cli.FloatFlag{Name: "result-rate", Value: rc.ResultRate, Usage: "result downloads per second per client IP; 0: unlimited", Sources: env("relayer-result-rate"), Destination: &rc.ResultRate},
		&cli.IntFlag{Name: "result-burst", Value: rc.ResultBurst, Usage: "result downloads a client IP may start at once", Sources: env("relayer-result-burst"), Destination: &rc.ResultBurst},
		&cli.StringSliceFlag{Name: "result-cors-origins", Usage: "origins (scheme://host[:port], or *) allowed to download results from a browser (default: none, same origin only)", Sources: env("relayer-result-cors-origins"), Destination: &rc.ResultCORSOrigins},
		&cli.IntFlag{Name: "capacity", Usage: "jobs at once (default: the attestation's slots)", Sources: env("relayer-capacity"), Destination: &rc.Capacity},
		&cli.IntFlag{Name: "max-attempts", Value: rc.MaxAttempts, Usage: "runs of an accepted job before it is abandoned", Sources: env("relayer-max-attempts"), Destination: &rc.MaxAttempts},
		&cli.DurationFlag{Name: "attempt-backoff", Value: rc.AttemptBackoff, Usage: "wait after a failed run, doubled after each further failure", Sources: env("relayer-attempt-backoff"), Destination: &rc.AttemptBackoff},
		&cli.StringFlag{Name: "withdraw-schedule", Value: rc.WithdrawSchedule, Usage: "cron schedule of withdrawals (robfig/cron syntax)", Sources: env("relayer-withdraw-schedule"), Destination: &rc.WithdrawSchedule},
		&cli.StringFlag{Name: "withdraw-threshold", Value: rc.WithdrawThreshold, Usage: "least balance worth withdrawing, token base units", Sources: env("relayer-withdraw-threshold"), Destination: &rc.WithdrawThreshold},
		&cli.StringSliceFlag{Name: "withdraw-token", Usage: "payment token to withdraw (repeatable; default: the attestation's token)", Sources: env("relayer-withdraw-tokens"), Destination: &rc.WithdrawTokens},
	)
	return &cli.Command{
		Name:  "relayer",
		Usage: "the provider's daemon: register and attest, heartbeats, accept assignments, run jobs, submit results, settle, withdraw",
		Commands: []*cli.Command{
			{
				Name:  "keys",
				Usage: "create an encrypted keystore file for a new key (the hot signer or the operator)",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "out", Usage: "keystore file to create (never overwritten)", Required: true},
					&cli.StringFlag{Name: "password-file", Usage: "file holding the new keystore's password", Required: true},
				},
				Action: func(_ context.Context, cmd *cli.Command) error {
					return newKeystore(cmd, cmd.String("out"), cmd.String("password-file"), stdout)
				},
			},
			{
				Name:  "register",
				Usage: "register the provider on-chain (signer, attestation commitment), stake, and submit the signed attestation to the matcher",
				Flags: registerFlags,
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return registerProvider(ctx, cmd, *cfg, *rc, stdout, stderr)
				},
			},
			{
				Name: "check",
				Usage: "verify each --engine (reachable, serves its models, one real job per capability), measure its benchmark " +
					"(frames/s, tokens/s, real-time factor), print what would be attested and save it in the data dir for register; exit 8 when an engine fails",
				Flags: checkFlags(rc),
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return checkEngines(ctx, cmd, *cfg, *rc, stdout, stderr)
				},
			},
			{
				Name:  "run",
				Usage: "run the provider's daemon until stopped",
				Flags: runFlags,
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return runRelayer(ctx, cmd, *cfg, *rc, stderr)
				},
			},
			{
				Name:  "withdraw",
				Usage: "withdraw the provider's earnings now (operator key)",
				Flags: runFlags,
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return withdrawNow(ctx, cmd, *cfg, *rc, stdout, stderr)
				},
			},
		},
	}
}

// keys loads the signer key and, when configured (or required), the
// operator key. Passwords are read and dropped; they never reach a log or an
// error.
func (rc *relayerConfig) keys(cmd *cli.Command, needOperator bool) (daemon.Keys, error) {
	var k daemon.Keys
	load := func(flag, path, pwFile, pw string) (*ecdsa.PrivateKey, error) {
		if path == "" {
			return nil, invalid(flagErr(cmd, flag+"-keystore", "required"))
		}
		var secret []byte
		if pwFile != "" || pw == "" {
			// The variable is the flag's own source; ReadPassword reads
			// the file, or names both options when neither is set.
			b, err := keys.ReadPassword(pwFile, flagEnv(cmd, flag+"-password"))
			if err != nil {
				return nil, err
			}
			secret = b
		} else {
			secret = []byte(pw)
		}
		key, _, err := keys.LoadKey(path, secret)
		return key, err
	}
	var err error
	if k.Signer, err = load("signer", rc.SignerKeystore, rc.SignerPasswordFile, rc.SignerPassword); err != nil {
		return k, err
	}
	if rc.OperatorKeystore != "" || needOperator {
		if k.Operator, err = load("operator", rc.OperatorKeystore, rc.OperatorPasswordFile, rc.OperatorPassword); err != nil {
			return k, err
		}
	}
	return k, nil
}

func (rc *relayerConfig) resolve(cmd *cli.Command) (market, registry gpumarket.Address, err error) {
	market, registry, _, errs, err := rc.contractFlags.resolve(cmd)
	if err != nil {
		return market, registry, err
	}
	if rc.RPCURL == "" {
		errs = append(errs, flagErr(cmd, "rpc-url", "required"))
	}
	if rc.MatcherURL == "" {
		errs = append(errs, flagErr(cmd, "matcher-url", "required"))
	}
	errs = append(errs, rc.checkResultServer(cmd)...)
	return market, registry, invalid(errs...)
}

// paymentToken returns --token, or the deployment file's first payment
// token, or the zero address.
func (rc *relayerConfig) paymentToken(cmd *cli.Command) (gpumarket.Address, error) {
	if rc.Token != "" {
		a, err := gpumarket.ParseAddress(rc.Token)
		if err != nil {
			return a, invalid(flagErr(cmd, "token", gpumarket.ErrorMessage(err)))
		}
		return a, nil
	}
	if rc.Deployment == "" {
		return gpumarket.Address{}, nil
	}
	d, err := gpumarket.LoadDeployment(rc.Deployment)
	if err != nil {
		return gpumarket.Address{}, err
	}
	ts, err := d.PaymentTokens()
	if err != nil || len(ts) == 0 {
		return gpumarket.Address{}, err
	}
	return ts[0], nil
}

func (rc *relayerConfig) attestationPath() string {
	return filepath.Join(rc.DataDir, "attestation.json")
}

func registerProvider(ctx context.Context, cmd *cli.Command, cfg Config, rc relayerConfig, stdout, stderr io.Writer) error {
	if err := cfg.Validate(cmd, true); err != nil {
		return err
	}
	market, registry, err := rc.resolve(cmd)
	if err != nil {
		return err
	}
	token, err := rc.paymentToken(cmd)
	if err != nil {
		return err
	}
	if rc.Profile == "" {
		return invalid(flagErr(cmd, "profile", "required: the provider profile (JSON)"))
	}
	var stake *big.Int
	if rc.Stake != "" {
		if stake, err = gpumarket.ParseAmount(rc.Stake); err != nil {
			return invalid(flagErr(cmd, "stake", gpumarket.ErrorMessage(err)))
		}
	}
	ks, err := rc.keys(cmd, true)
	if err != nil {
		return err
	}
	prof, err := hardware.LoadProfile(rc.Profile)
	if err != nil {
		return err
	}
	if prof.Token.IsZero() {
		if token.IsZero() {
			return invalid(flagErr(cmd, "token", "required: the profile names no payment token and the deployment file lists none"))
		}
		prof.Token = token
	}
	log := newLogger(cfg, stderr)
	if err := rc.attachCheckReport(prof, log); err != nil {
		return err
	}
	hw, source, err := hardware.Resolve(ctx, prof, rc.NvidiaSMI, rc.HardwareFile)
	if err != nil {
		return err
	}
	att, err := prof.Attestation(keys.KeyAddress(ks.Operator), hw, time.Now())
	if err != nil {
		return err
	}
	log.Info("registering provider", "provider", att.Provider, "gpu", att.GPUModel, "gpus", att.GPUCount, "hardware_from", source, "config", rc)
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := daemon.Register(ctx, daemon.Registration{ChainID: rc.ChainID, Market: market, Registry: registry, NodeURL: rc.RPCURL,
		MatcherURL: rc.MatcherURL, Attestation: att, Stake: stake, MetadataURI: rc.MetadataURI, DocumentPath: rc.attestationPath(),
		TxConfig: daemon.TxConfig{Confirmations: rc.Confirmations}}, ks, db, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "provider %s registered\nsigner %s\ncommitment %s\nstake %s\nattestation saved to %s\ntransactions: %s\n",
		att.Provider, keys.KeyAddress(ks.Signer), res.Commitment, res.Stake, rc.attestationPath(), strings.Join(res.Actions, ", "))
	return nil
}

// daemonConfig builds the daemon's configuration from the flags and the
// saved attestation (daemon.FromAttestation fills what it decides).
func (rc *relayerConfig) daemonConfig(cmd *cli.Command, market, registry gpumarket.Address, ks daemon.Keys) (daemon.Config, error) {
	saved, err := daemon.LoadSignedAttestation(rc.attestationPath())
	if err != nil {
		return daemon.Config{}, err
	}
	threshold, err := gpumarket.ParseAmount(rc.WithdrawThreshold)
	if err != nil {
		return daemon.Config{}, invalid(flagErr(cmd, "withdraw-threshold", gpumarket.ErrorMessage(err)))
	}
	var tokens []gpumarket.Address
	for _, s := range rc.WithdrawTokens {
		a, err := gpumarket.ParseAddress(s)
		if err != nil {
			return daemon.Config{}, invalid(flagErr(cmd, "withdraw-token", gpumarket.ErrorMessage(err)))
		}
		tokens = append(tokens, a)
	}
	limits, rate := rc.resultServer()
	return daemon.FromAttestation(daemon.Config{Config: relayer.Config{Market: market, ResultBaseURL: rc.ResultBaseURL, Capacity: rc.Capacity,
		MaxAttempts: rc.MaxAttempts, AttemptBackoff: rc.AttemptBackoff},
		ChainID: rc.ChainID, Registry: registry, NodeURL: rc.RPCURL,
		MatcherURL: rc.MatcherURL, ResultDir: filepath.Join(rc.DataDir, "results"), ResultListen: rc.ResultListen,
		ResultServer: limits, ResultRate: rate,
		WithdrawSchedule: rc.WithdrawSchedule, WithdrawThreshold: threshold, WithdrawTokens: tokens,
		TxConfig: daemon.TxConfig{Confirmations: rc.Confirmations}, SolanaRail: rc.SolanaRail}, saved, ks)
}

// resultServer returns the result server's limits and rate limit from the
// flags (checked by checkResultServer).
func (rc *relayerConfig) resultServer() (httpserve.Config, httpserve.RateConfig) {
	limits := daemon.DefaultResultServer()
	limits.MaxConns = rc.ResultMaxConns
	limits.CORS.Origins = rc.ResultCORSOrigins
	return limits, httpserve.RateConfig{Rate: rc.ResultRate, Burst: rc.ResultBurst}
}

// checkResultServer checks the result server's flags, naming each bad one.
func (rc *relayerConfig) checkResultServer(cmd *cli.Command) []error {
	var errs []error
	if rc.ResultMaxConns < 1 {
		errs = append(errs, flagErr(cmd, "result-max-conns", fmt.Sprintf("%d is below 1", rc.ResultMaxConns)))
	}
	if rc.ResultRate < 0 || math.IsNaN(rc.ResultRate) || math.IsInf(rc.ResultRate, 0) {
		errs = append(errs, flagErr(cmd, "result-rate", fmt.Sprintf("%v is not a non-negative number", rc.ResultRate)))
	} else if rc.ResultRate > 0 && rc.ResultBurst < 1 {
		errs = append(errs, flagErr(cmd, "result-burst", fmt.Sprintf("%d is below 1 (with %s %v)", rc.ResultBurst, flagRef(cmd, "result-rate"), rc.ResultRate)))
	}
	for _, o := range rc.ResultCORSOrigins {
		if err := httpserve.ValidateOrigin(o); err != nil {
			errs = append(errs, flagErr(cmd, "result-cors-origins", gpumarket.ErrorMessage(err)))
		}
	}
	return errs
}

// executorFlags are the flags that set each executor config field, for
// errors that name the flag instead of the field.
var executorFlags = map[string]map[string]string{
	"command": {"Program": "command", "WorkRoot": "data-dir", "Timeout/KillGrace/PollInterval": "command-timeout"},
	"http":    {"URL": "http-url", "Timeout/MaxResponseBytes/MaxSpecBytes": "command-timeout"},
}

func (rc *relayerConfig) executor(cmd *cli.Command, cfg Config, stderr io.Writer) (executor.Executor, error) {
	log := newLogger(cfg, stderr)
	if len(rc.Engines) > 0 {
		return rc.router(cmd, log.With("component", "engines"))
	}
	var exec executor.Executor
	var err error
	switch rc.Executor {
	case "demo":
		return synthetic.New(log), nil
	case "command":
		root, aerr := filepath.Abs(filepath.Join(rc.DataDir, "work"))
		if aerr == nil {
			aerr = os.MkdirAll(root, 0o700)
		}
		if aerr != nil {
			return nil, invalid(flagErr(cmd, "data-dir", aerr.Error()))
		}
		exec, err = executor.NewCommand(executor.CommandConfig{Program: rc.Command, WorkRoot: root, Timeout: rc.CommandTimeout,
			Preflight: rc.preflight()}, log)
	case "http":
		exec, err = executor.NewHTTP(executor.HTTPConfig{URL: rc.HTTPURL, Timeout: rc.CommandTimeout, Preflight: rc.preflight()}, log)
	default:
		return nil, invalid(flagErr(cmd, "executor", fmt.Sprintf("%q: want demo, command or http", rc.Executor)))
	}
	var ce *executor.ConfigError
	if errors.As(err, &ce) {
		if flag, ok := executorFlags[ce.Executor][ce.Field]; ok {
			return nil, invalid(flagErr(cmd, flag, ce.Reason+" (--executor "+ce.Executor+")"))
		}
	}
	return exec, err
}

// preflight returns what the command and http executors accept before a
// job is accepted: the kinds and models of the saved attestation (every
// kind and model when it cannot be read: run then fails on it anyway), and
// whether inputs may come from private addresses (--allow-private-inputs).
func (rc *relayerConfig) preflight() executor.PreflightConfig {
	cfg := executor.PreflightConfig{AllowPrivateInputs: rc.AllowPrivateInputs}
	saved, err := daemon.LoadSignedAttestation(rc.attestationPath())
	if err != nil {
		return cfg
	}
	if cfg.Models, err = daemon.ServedModels(saved); err != nil {
		cfg.Models = nil
	}
	return cfg
}

// open resolves the configuration, loads the keys and connects to the
// database: what run and withdraw share. The caller closes the database.
func (rc *relayerConfig) open(ctx context.Context, cmd *cli.Command, cfg Config, needOperator bool) (daemon.Config, daemon.Keys, *postgres.DB, error) {
	var dc daemon.Config
	if err := cfg.Validate(cmd, true); err != nil {
		return dc, daemon.Keys{}, nil, err
	}
	market, registry, err := rc.resolve(cmd)
	if err != nil {
		return dc, daemon.Keys{}, nil, err
	}
	ks, err := rc.keys(cmd, needOperator)
	if err != nil {
		return dc, ks, nil, err
	}
	if dc, err = rc.daemonConfig(cmd, market, registry, ks); err != nil {
		return dc, ks, nil, err
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	return dc, ks, db, err
}

func runRelayer(ctx context.Context, cmd *cli.Command, cfg Config, rc relayerConfig, stderr io.Writer) error {
	if rc.MaxAttempts < 1 {
		return invalid(flagErr(cmd, "max-attempts", fmt.Sprintf("%d: want at least 1", rc.MaxAttempts)))
	}
	exec, err := rc.executor(cmd, cfg, stderr)
	if err != nil {
		return err
	}
	dc, ks, db, err := rc.open(ctx, cmd, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	log := newLogger(cfg, stderr)
	rc.warnUnattestedCheck(log)
	if router, ok := exec.(*executor.Router); ok {
		// Bid only on the kinds an engine runs (and the attestation offers).
		attested := dc.CanServe
		dc.CanServe = func(k gpumarket.JobKind) bool { return router.Serves(k) && (attested == nil || attested(k)) }
	}
	d, err := daemon.New(ctx, dc, ks, db, exec, log)
	if err != nil {
		return err
	}
	log.Info("relayer starting", "provider", dc.Provider, "signer", d.Signer(), "market", dc.Market, "registry", dc.Registry,
		"results", d.ResultBaseURL(), "config", rc)
	return d.Run(ctx)
}

func withdrawNow(ctx context.Context, cmd *cli.Command, cfg Config, rc relayerConfig, stdout, stderr io.Writer) error {
	dc, ks, db, err := rc.open(ctx, cmd, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	dc.ResultListen = "127.0.0.1:0"
	d, err := daemon.New(ctx, dc, ks, db, synthetic.New(nil), newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := d.WithdrawAndWait(ctx)
	if err != nil {
		return err
	}
	for _, r := range res {
		fmt.Fprintf(stdout, "%s: %s %s\n", r.Token, r.Amount, r.State)
	}
	return nil
}

// newKeystore creates a keystore file (standard scrypt) for a new random
// key and prints its address (never the key).
func newKeystore(cmd *cli.Command, out, pwFile string, stdout io.Writer) error {
	pw, err := keys.ReadPassword(pwFile, "")
	if err != nil {
		return err
	}
	if len(pw) < 8 {
		return invalid(flagErr(cmd, "password-file", "the password must be at least 8 characters"))
	}
	key, _, err := keys.GenerateKey()
	if err != nil {
		return err
	}
	addr, err := keys.WriteKey(out, key, pw, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "address %s\nkeystore %s\n", addr, out)
	return nil
}
