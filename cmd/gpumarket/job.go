package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	matcherclient "github.com/gpumarket/gpumarket/matcher/client"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/client"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
)

// Exit codes of `gpumarket job` beyond the common ones (app.go).
const (
	exitNoProvider     = 4 // no provider can serve this job (kind, model, requirements)
	exitBelowBand      = 5 // the max price is below the market band (shown in the message)
	exitRefunded       = 6 // the deadline passed with no result; the job was refunded
	exitResultMismatch = 7 // the result's bytes do not hash to the chain's result hash (dispute offered)
)

// jobExitCode maps the client package's conditions to their exit codes.
func jobExitCode(err error) (int, bool) {
	switch {
	case errors.Is(err, client.ErrNoProvider):
		return exitNoProvider, true
	case errors.Is(err, client.ErrBelowBand):
		return exitBelowBand, true
	case errors.Is(err, client.ErrRefunded):
		return exitRefunded, true
	case errors.Is(err, client.ErrResultMismatch):
		return exitResultMismatch, true
	}
	return 0, false
}

// jobConfig holds `gpumarket job`'s settings; every flag is also read from
// GPUMARKET_JOB_<FLAG>.
type jobConfig struct {
	MatcherURL     string
	RPCURL         string
	Deployment     string
	ChainID        uint64
	Keystore       string
	PasswordFile   string
	Password       string // secret: never printed
	PrivateKeyFile string
	Token          string
	PollInterval   time.Duration
	InputStore     string
	Events         bool

	// spec
	SpecFile   string
	Kind       string
	Model      string
	Prompt     string
	PromptFile string
	MaxTokens  int
	Text       string
	TextFile   string
	Voice      string
	Inputs     []string
	Frames     string
	Width      int
	Height     int
	Samples    int
	Audio      string
	ParamsFile string
	MinVRAMMiB uint64
	GPUs       uint64

	// submit
	MaxPrice          string
	MaxPriceBase      string
	Lifetime          time.Duration
	PreferredProvider string
	Funding           string
	IgnoreBand        bool

	// job actions
	JobID  uint64
	Reason string
	Out    string
	Client string

	// the Solana rail (job_solana.go)
	Rail       string
	SolanaMint string
	Reference  string
	Signature  string
	PayTimeout time.Duration
	// SolanaKeypair is the payer's solana-keygen file: with it, job run
	// waits for the result and downloads it (ResultTimeout).
	SolanaKeypair string
	ResultTimeout time.Duration

	log *slog.Logger // warnings (and, at --log-level debug, everything) on stderr
}

// jobEnv is a flag's Sources: GPUMARKET_JOB_<NAME>.
func jobEnv(name string) cli.ValueSourceChain { return env("job-" + name) }

func defaultJobConfig() jobConfig {
	return jobConfig{MatcherURL: "http://" + DefaultMatcherListen, PollInterval: client.DefaultPollInterval, Lifetime: client.DefaultJobLifetime,
		Funding: "auto", Width: 64, Height: 64, Samples: 16, Frames: "1", InputStore: "auto", Events: true,
		Rail: "evm", PayTimeout: 20 * time.Minute, ResultTimeout: 30 * time.Minute}
}

func jobCommand(cfg *Config, stdout, stderr io.Writer) *cli.Command {
	jc := &jobConfig{}
	*jc = defaultJobConfig()
	conn := []cli.Flag{
		&cli.StringFlag{Name: "matcher-url", Value: jc.MatcherURL, Usage: "the matcher's API", Sources: jobEnv("matcher-url"), Destination: &jc.MatcherURL},
		&cli.StringFlag{Name: "rpc-url", Usage: "EVM node JSON-RPC URL", Sources: jobEnv("rpc-url"), Destination: &jc.RPCURL},
		&cli.StringFlag{Name: "deployment", Usage: "deployment file written by the deploy script (chain id, contracts, payment tokens)", Sources: jobEnv("deployment"), Destination: &jc.Deployment},
		&cli.Uint64Flag{Name: "chain-id", Usage: "chain id, checked against the deployment file and the node", Sources: jobEnv("chain-id"), Destination: &jc.ChainID},
		&cli.StringFlag{Name: "keystore", Usage: "keystore file of the client's wallet key", Sources: jobEnv("keystore"), Destination: &jc.Keystore},
		&cli.StringFlag{Name: "password-file", Usage: "file holding the keystore's password (not readable by other users)", Sources: jobEnv("password-file"), Destination: &jc.PasswordFile},
		&cli.StringFlag{Name: "password", Usage: "keystore password (prefer the file; never printed)", Sources: jobEnv("password"), Destination: &jc.Password},
		&cli.StringFlag{Name: "private-key-file", Usage: "file holding the wallet's hex private key (instead of a keystore; not readable by other users)", Sources: jobEnv("private-key-file"), Destination: &jc.PrivateKeyFile},
		&cli.StringFlag{Name: "token", Usage: "payment token: a symbol the deployment lists (USDT) or an address (default: the deployment's first)", Sources: jobEnv("token"), Destination: &jc.Token},
		&cli.DurationFlag{Name: "poll-interval", Value: jc.PollInterval, Usage: "how often watch re-reads the job", Sources: jobEnv("poll-interval"), Destination: &jc.PollInterval},
		&cli.StringFlag{Name: "input-store", Value: jc.InputStore, Usage: "where input files go: auto (files up to 32 KiB embedded in the spec as data: URIs, larger ones uploaded to the matcher's POST /v1/blobs), inline (embedded only) or matcher (all uploaded)", Sources: jobEnv("input-store"), Destination: &jc.InputStore},
		&cli.BoolFlag{Name: "events", Value: jc.Events, Usage: "let the matcher's event stream wake watch (it polls regardless; ignored when the matcher has none)", Sources: jobEnv("events"), Destination: &jc.Events},
	}
	specFlags := []cli.Flag{
		&cli.StringFlag{Name: "spec-file", Usage: "a ready job spec (JSON) instead of the flags below", Sources: jobEnv("spec-file"), Destination: &jc.SpecFile},
		&cli.StringFlag{Name: "kind", Usage: "render, tts, stt or llm", Sources: jobEnv("kind"), Destination: &jc.Kind},
		&cli.StringFlag{Name: "model", Usage: "model a provider serves (llama-3-8b-instruct-q4, blender-4.1-cycles, ...)", Sources: jobEnv("model"), Destination: &jc.Model},
		&cli.StringFlag{Name: "prompt", Usage: "llm: the prompt", Sources: jobEnv("prompt"), Destination: &jc.Prompt},
		&cli.StringFlag{Name: "prompt-file", Usage: "llm: file holding the prompt", Sources: jobEnv("prompt-file"), Destination: &jc.PromptFile},
		&cli.IntFlag{Name: "max-tokens", Usage: "llm: most tokens to generate (default 128)", Sources: jobEnv("max-tokens"), Destination: &jc.MaxTokens},
		&cli.StringFlag{Name: "text", Usage: "tts: the text to speak", Sources: jobEnv("text"), Destination: &jc.Text},
		&cli.StringFlag{Name: "text-file", Usage: "tts: file holding the text", Sources: jobEnv("text-file"), Destination: &jc.TextFile},
		&cli.StringFlag{Name: "voice", Usage: "tts: voice (low, mid, high)", Sources: jobEnv("voice"), Destination: &jc.Voice},
		&cli.StringFlag{Name: "audio", Usage: "stt: WAV file to transcribe", Sources: jobEnv("audio"), Destination: &jc.Audio},
		&cli.StringSliceFlag{Name: "input", Usage: "input file (repeatable; render: the scene): see --input-store", Sources: jobEnv("inputs"), Destination: &jc.Inputs},
		&cli.StringFlag{Name: "frames", Value: jc.Frames, Usage: "render: frame count (4: frames 1-4) or range (1-4)", Sources: jobEnv("frames"), Destination: &jc.Frames},
		&cli.IntFlag{Name: "width", Value: jc.Width, Usage: "render: width in pixels", Sources: jobEnv("width"), Destination: &jc.Width},
		&cli.IntFlag{Name: "height", Value: jc.Height, Usage: "render: height in pixels", Sources: jobEnv("height"), Destination: &jc.Height},
		&cli.IntFlag{Name: "samples", Value: jc.Samples, Usage: "render: Cycles samples per pixel", Sources: jobEnv("samples"), Destination: &jc.Samples},
		&cli.StringFlag{Name: "params-file", Usage: "the executor's parameters as a JSON object (instead of the kind's flags)", Sources: jobEnv("params-file"), Destination: &jc.ParamsFile},
		&cli.Uint64Flag{Name: "min-vram-mib", Usage: "least GPU memory a provider must have (default 8000)", Sources: jobEnv("min-vram-mib"), Destination: &jc.MinVRAMMiB},
		&cli.Uint64Flag{Name: "gpus", Usage: "GPUs the job needs (default 1)", Sources: jobEnv("gpus"), Destination: &jc.GPUs},
	}
	submitFlags := []cli.Flag{
		&cli.StringFlag{Name: "max-price", Usage: "most the job may cost, in the token's units (5 = 5 USDT; decimals read on-chain). Default: the quote", Sources: jobEnv("max-price"), Destination: &jc.MaxPrice},
		&cli.StringFlag{Name: "max-price-base", Usage: "most the job may cost, in exact base units (5000000 = 5 USDT)", Sources: jobEnv("max-price-base"), Destination: &jc.MaxPriceBase},
		&cli.DurationFlag{Name: "lifetime", Value: jc.Lifetime, Usage: "deadline: this long after the chain's current time", Sources: jobEnv("lifetime"), Destination: &jc.Lifetime},
		&cli.StringFlag{Name: "preferred-provider", Usage: "provider address that may take the job directly", Sources: jobEnv("preferred-provider"), Destination: &jc.PreferredProvider},
		&cli.StringFlag{Name: "funding", Value: jc.Funding, Usage: "auto (EIP-2612 permit when the token supports it, else approve), approve, none (use the existing allowance), or order (a signed order the matcher relays: gasless, the matcher pays the gas)", Sources: jobEnv("funding"), Destination: &jc.Funding},
		&cli.BoolFlag{Name: "ignore-band", Usage: "submit even below the market band or below every qualifying provider's price", Sources: jobEnv("ignore-band"), Destination: &jc.IgnoreBand},
	}
	jobFlag := &cli.Uint64Flag{Name: "job", Usage: "job id", Sources: jobEnv("id"), Destination: &jc.JobID}
	outFlag := func(usage string) cli.Flag {
		return &cli.StringFlag{Name: "out", Usage: usage, Sources: jobEnv("out"), Destination: &jc.Out}
	}
	act := func(f func(ctx context.Context, cmd *cli.Command, jc *jobConfig) error) cli.ActionFunc {
		return func(ctx context.Context, cmd *cli.Command) error { return f(ctx, cmd, jc) }
	}
	progress := func(c *client.Client, t client.Token) func(*client.Status) {
		return func(s *client.Status) { fmt.Fprintln(stderr, s.Line(t)) }
	}
	return &cli.Command{
		Name: "job",
		Before: func(ctx context.Context, cmd *cli.Command) (context.Context, error) {
			jc.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			if cfg.LogLevel == "debug" {
				jc.log = newLogger(*cfg, stderr)
			}
			return ctx, nil
		},
		Usage: "the client's side: build a spec, quote, submit, watch, download and verify the result, dispute, refund, cancel, list",
		Description: "Exit codes: 0 ok, 1 internal error, 2 bad flags or input (nothing sent), 3 node or matcher unreachable,\n" +
			"4 no provider can serve this job, 5 max price below the market band, 6 deadline passed and the job was refunded,\n" +
			"7 result bytes do not match the on-chain hash (dispute offered). Every flag is also read from GPUMARKET_JOB_<FLAG>.",
		Commands: []*cli.Command{
			{
				Name: "run", Usage: "spec + submit + watch + result: from flags and files to a verified result in one command",
				Flags: join(conn, specFlags, submitFlags, solanaRunFlags(jc), []cli.Flag{outFlag("where to save the result (a directory: job-<id>.result in it)")}),
				Action: act(func(ctx context.Context, cmd *cli.Command, jc *jobConfig) error {
					switch jc.Rail {
					case "evm":
					case "solana":
						return runSolanaJob(ctx, cmd, jc, stdout, stderr)
					default:
						return invalid(flagErr(cmd, "rail", fmt.Sprintf("%q: want evm (escrow on the market chain) or solana (pay the provider directly)", jc.Rail)))
					}
					c, err := jc.dial(ctx, cmd, true)
					if err != nil {
						return err
					}
					defer c.Close()
					if jc.Out == "" {
						return invalid(flagErr(cmd, "out", "required (the result's path)"))
					}
					spec, err := jc.spec(ctx, cmd, c)
					if err != nil {
						return err
					}
					sub, err := jc.submit(ctx, cmd, c, spec, stderr)
					if err != nil {
						return err
					}
					if _, err := c.AwaitResult(ctx, sub.JobID, progress(c, sub.Token)); err != nil {
						return err
					}
					res, err := c.SaveResult(ctx, sub.JobID, jc.Out)
					if err != nil {
						return err
					}
					fmt.Fprintf(stderr, "job %d: result %s verified against the chain (%d bytes)\n", res.JobID, res.Hash, res.Size)
					fmt.Fprintln(stdout, res.Path)
					return nil
				}),
			},
			solanaConfirmCommand(jc, conn, stdout),
			{
				Name: "spec", Usage: "build and validate a job spec from flags and files; print it or save it (--out)",
				Flags: join(specFlags, []cli.Flag{outFlag("file to write the spec to (default: stdout)")}),
				Action: act(func(ctx context.Context, cmd *cli.Command, jc *jobConfig) error {
					spec, err := jc.spec(ctx, cmd, nil)
					if err != nil {
						return err
					}
					if jc.Out != "" {
						if err := os.WriteFile(jc.Out, append(spec, '\n'), 0o644); err != nil {
							return gpumarket.Errorf(gpumarket.EINVALID, "%s: %v", flagRef(cmd, "out"), errors.Unwrap(err))
						}
						return nil
					}
					_, err = fmt.Fprintln(stdout, string(spec))
					return err
				}),
			},
			{
				Name: "quote", Usage: "what the market would charge for a spec: suggested max price, band, qualifying providers",
				Flags: join(conn, specFlags),
				Action: act(func(ctx context.Context, cmd *cli.Command, jc *jobConfig) error {
					c, err := jc.dial(ctx, cmd, false)
					if err != nil {
						return err
					}
					defer c.Close()
					spec, err := jc.spec(ctx, cmd, c)
					if err != nil {
						return err
					}
					t, err := c.Token(ctx, jc.Token)
					if err != nil {
						return err
					}
					q, err := c.Quote(ctx, spec, t)
					if err != nil {
						return err
					}
					fmt.Fprintf(stdout, "suggested max price %s (base units %s)\nmarket band %s – %s\n", t.Format(q.Total), q.Total, t.Format(q.BandLow), t.Format(q.BandHigh))
					for _, p := range q.Qualifying {
						fmt.Fprintf(stdout, "provider %s would charge %s\n", p.Provider, t.Format(p.Cost))
					}
					return nil
				}),
			},
			{
				Name: "submit", Usage: "create the job (checks quote, balance, allowance and gas first) and print its id",
				Flags: join(conn, specFlags, submitFlags),
				Action: act(func(ctx context.Context, cmd *cli.Command, jc *jobConfig) error {
					c, err := jc.dial(ctx, cmd, true)
					if err != nil {
						return err
					}
					defer c.Close()
					spec, err := jc.spec(ctx, cmd, c)
					if err != nil {
						return err
					}
					sub, err := jc.submit(ctx, cmd, c, spec, stderr)
					if err != nil {
						return err
					}
					fmt.Fprintln(stdout, sub.JobID)
					return nil
				}),
			},
			{
				Name: "watch", Usage: "show the job's live status (a line on stderr per change) until it is final",
				Flags: join(conn, []cli.Flag{jobFlag}),
				Action: act(func(ctx context.Context, cmd *cli.Command, jc *jobConfig) error {
					return jc.onJob(ctx, cmd, stdout, false, func(c *client.Client, id gpumarket.JobID) (any, error) {
						first, err := c.Status(ctx, id)
						if err != nil {
							return nil, err
						}
						t, err := c.Token(ctx, first.Job.Token.String())
						if err != nil {
							return nil, err
						}
						st, err := c.Watch(ctx, id, client.UntilFinal, progress(c, t))
						if err != nil {
							return nil, err
						}
						return st.State(), nil
					})
				}),
			},
			{
				Name: "result", Usage: "download the result, verify its hash against the chain and save it",
				Flags: join(conn, []cli.Flag{jobFlag, outFlag("where to save the result (a directory: job-<id>.result in it)")}),
				Action: act(func(ctx context.Context, cmd *cli.Command, jc *jobConfig) error {
					if jc.Out == "" {
						return invalid(flagErr(cmd, "out", "required (the result's path)"))
					}
					return jc.onJob(ctx, cmd, stdout, true, func(c *client.Client, id gpumarket.JobID) (any, error) {
						res, err := c.SaveResult(ctx, id, jc.Out)
						if err != nil {
							return nil, err
						}
						return res.Path, nil
					})
				}),
			},
			{
				Name: "dispute", Usage: "dispute a submitted result within the challenge window (posts the dispute bond)",
				Flags: join(conn, []cli.Flag{jobFlag, &cli.StringFlag{Name: "reason", Usage: "what is wrong (its keccak256 goes on-chain)", Sources: jobEnv("reason"), Destination: &jc.Reason}}),
				Action: act(func(ctx context.Context, cmd *cli.Command, jc *jobConfig) error {
					if jc.Reason == "" {
						return invalid(flagErr(cmd, "reason", "required"))
					}
					return jc.onJob(ctx, cmd, stdout, true, func(c *client.Client, id gpumarket.JobID) (any, error) {
						return c.Dispute(ctx, id, jc.Reason)
					})
				}),
			},
			{
				Name: "refund", Usage: "refund a job whose deadline passed with no result (anyone may)", Flags: join(conn, []cli.Flag{jobFlag}),
				Action: act(func(ctx context.Context, cmd *cli.Command, jc *jobConfig) error {
					return jc.txAction(ctx, cmd, stdout, (*client.Client).Refund)
				}),
			},
			{
				Name: "cancel", Usage: "cancel an open job (the client only)", Flags: join(conn, []cli.Flag{jobFlag}),
				Action: act(func(ctx context.Context, cmd *cli.Command, jc *jobConfig) error {
					return jc.txAction(ctx, cmd, stdout, (*client.Client).Cancel)
				}),
			},
			{
				Name: "list", Usage: "list a client's jobs with state and amounts (from the chain's logs since the deployment block)",
				Flags: join(conn, []cli.Flag{&cli.StringFlag{Name: "client", Usage: "client address (default: the key's)", Sources: jobEnv("client"), Destination: &jc.Client}}),
				Action: act(func(ctx context.Context, cmd *cli.Command, jc *jobConfig) error {
					return jc.list(ctx, cmd, stdout)
				}),
			},
		},
	}
}

// onJob dials the client for --job (with the wallet key when needKey),
// runs f and prints what it returns on a line of stdout.
func (jc *jobConfig) onJob(ctx context.Context, cmd *cli.Command, stdout io.Writer, needKey bool, f func(*client.Client, gpumarket.JobID) (any, error)) error {
	c, id, err := jc.dialJob(ctx, cmd, needKey)
	if err != nil {
		return err
	}
	defer c.Close()
	v, err := f(c, id)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, v)
	return nil
}

// txAction sends f's transaction for --job and prints its hash.
func (jc *jobConfig) txAction(ctx context.Context, cmd *cli.Command, stdout io.Writer, f func(*client.Client, context.Context, gpumarket.JobID) (gpumarket.Hash, error)) error {
	return jc.onJob(ctx, cmd, stdout, true, func(c *client.Client, id gpumarket.JobID) (any, error) { return f(c, ctx, id) })
}

func (jc *jobConfig) list(ctx context.Context, cmd *cli.Command, stdout io.Writer) error {
	var who gpumarket.Address
	if jc.Client != "" {
		a, err := gpumarket.ParseAddress(jc.Client)
		if err != nil {
			return invalid(flagErr(cmd, "client", gpumarket.ErrorMessage(err)))
		}
		who = a
	}
	c, err := jc.dial(ctx, cmd, who.IsZero())
	if err != nil {
		return err
	}
	defer c.Close()
	jobs, err := c.List(ctx, who)
	if err != nil {
		return err
	}
	tokens := map[gpumarket.Address]client.Token{}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tKIND\tSTATE\tMAX PRICE\tSPENT\tPROVIDER\tDEADLINE")
	for _, j := range jobs {
		t, ok := tokens[j.Token]
		if !ok {
			if t, err = c.Token(ctx, j.Token.String()); err != nil {
				return err
			}
			tokens[j.Token] = t
		}
		prov := "-"
		if !j.Provider.IsZero() {
			prov = j.Provider.String()
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", j.ID, j.Kind, j.State, t.Format(j.MaxPayment), t.Format(client.Spent(j)), prov,
			time.Unix(int64(j.Deadline), 0).UTC().Format(time.RFC3339))
	}
	return tw.Flush()
}

// dial checks the connection flags and connects; needKey loads the wallet.
func (jc *jobConfig) dial(ctx context.Context, cmd *cli.Command, needKey bool) (*client.Client, error) {
	var errs []error
	if jc.RPCURL == "" {
		errs = append(errs, flagErr(cmd, "rpc-url", "required"))
	}
	if jc.Deployment == "" {
		errs = append(errs, flagErr(cmd, "deployment", "required (the deploy script's file)"))
	}
	if jc.MatcherURL == "" {
		errs = append(errs, flagErr(cmd, "matcher-url", "required"))
	}
	if err := invalid(errs...); err != nil {
		return nil, err
	}
	d, err := gpumarket.LoadDeployment(jc.Deployment)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flagRef(cmd, "deployment"), err)
	}
	if jc.ChainID != 0 && jc.ChainID != d.ChainID {
		return nil, invalid(flagErr(cmd, "chain-id", fmt.Sprintf("%d differs from the deployment file's %d", jc.ChainID, d.ChainID)))
	}
	var key *ecdsa.PrivateKey
	if needKey || jc.Keystore != "" || jc.PrivateKeyFile != "" {
		if key, err = jc.key(cmd); err != nil {
			return nil, err
		}
	}
	cc := client.Config{MatcherURL: jc.MatcherURL, RPCURL: jc.RPCURL, Deployment: d, Key: key, PollInterval: jc.PollInterval, Log: jc.log}
	switch jc.InputStore {
	case "inline":
	case "auto", "matcher":
		cc.Blobs = &client.MatcherBlobs{BaseURL: jc.MatcherURL}
		cc.InlineSmallInputs = jc.InputStore == "auto"
	default:
		return nil, invalid(flagErr(cmd, "input-store", fmt.Sprintf("%.64q is not auto, inline or matcher", jc.InputStore)))
	}
	if jc.Events {
		cc.Notifier = &client.MatcherEvents{BaseURL: jc.MatcherURL}
	}
	mc, err := matcherclient.New(jc.MatcherURL, d.ChainID, nil)
	if err != nil {
		return nil, invalid(flagErr(cmd, "matcher-url", err.Error()))
	}
	cc.Orders = &client.MatcherOrders{Matcher: mc}
	return client.Dial(ctx, cc)
}

func (jc *jobConfig) dialJob(ctx context.Context, cmd *cli.Command, needKey bool) (*client.Client, gpumarket.JobID, error) {
	if jc.JobID == 0 {
		return nil, 0, invalid(flagErr(cmd, "job", "required (the job id submit printed)"))
	}
	c, err := jc.dial(ctx, cmd, needKey)
	return c, gpumarket.JobID(jc.JobID), err
}

// key loads the wallet key: --private-key-file, or --keystore with its
// password. Secrets never reach a log or an error.
func (jc *jobConfig) key(cmd *cli.Command) (*ecdsa.PrivateKey, error) {
	switch {
	case jc.PrivateKeyFile != "" && jc.Keystore != "":
		return nil, invalid(flagErr(cmd, "private-key-file", "give it or "+flagRef(cmd, "keystore")+", not both"))
	case jc.PrivateKeyFile != "":
		k, err := keys.ReadKeyFile(jc.PrivateKeyFile)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flagRef(cmd, "private-key-file"), err)
		}
		return k, nil
	case jc.Keystore == "":
		return nil, invalid(flagErr(cmd, "keystore", "required (or "+flagRef(cmd, "private-key-file")+")"))
	}
	var secret []byte
	if jc.PasswordFile != "" || jc.Password == "" {
		b, err := keys.ReadPassword(jc.PasswordFile, flagEnv(cmd, "password"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flagRef(cmd, "password-file"), err)
		}
		secret = b
	} else {
		secret = []byte(jc.Password)
	}
	k, _, err := keys.LoadKey(jc.Keystore, secret)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flagRef(cmd, "keystore"), err)
	}
	return k, nil
}

// spec returns --spec-file's spec, or builds one from the kind's flags.
func (jc *jobConfig) spec(ctx context.Context, cmd *cli.Command, c *client.Client) ([]byte, error) {
	if jc.SpecFile != "" {
		b, err := readFlagFile(cmd, "spec-file", jc.SpecFile, gpumarket.MaxJobSpecBytes)
		if err != nil {
			return nil, err
		}
		if _, err := gpumarket.DecodeJobSpec(strings.NewReader(string(b))); err != nil {
			return nil, fmt.Errorf("%s: %w", flagRef(cmd, "spec-file"), err)
		}
		return b, nil
	}
	kind, err := gpumarket.ParseJobKind(jc.Kind)
	if err != nil {
		return nil, invalid(flagErr(cmd, "kind", fmt.Sprintf("%q is not render, tts, stt or llm", jc.Kind)))
	}
	if jc.Model == "" {
		return nil, invalid(flagErr(cmd, "model", "required (a model a provider serves)"))
	}
	req := client.SpecRequest{Kind: kind, Model: jc.Model, MinVRAMMiB: uint32(min(jc.MinVRAMMiB, 1<<31)), GPUCount: uint32(min(jc.GPUs, 1<<31))}
	for i, in := range jc.Inputs {
		f := client.InputFile{Path: in}
		if kind == gpumarket.JobKindRender && i == 0 {
			f.Name = client.SceneInput
		}
		req.Inputs = append(req.Inputs, f)
	}
	params := map[string]any{}
	if jc.ParamsFile != "" {
		b, err := readFlagFile(cmd, "params-file", jc.ParamsFile, gpumarket.MaxJobSpecBytes)
		if err != nil {
			return nil, err
		}
		if err := gpumarket.UnmarshalStrict(b, &params); err != nil {
			return nil, invalid(flagErr(cmd, "params-file", "not a JSON object: "+gpumarket.ErrorMessage(err)))
		}
	} else if err := jc.kindParams(cmd, kind, params, &req); err != nil {
		return nil, err
	}
	req.Params = params
	if c == nil {
		return (*client.Client)(nil).BuildSpec(ctx, req)
	}
	return c.BuildSpec(ctx, req)
}

// kindParams fills the executor's parameters from the kind's flags.
func (jc *jobConfig) kindParams(cmd *cli.Command, kind gpumarket.JobKind, params map[string]any, req *client.SpecRequest) error {
	text := func(flag, value, fileFlag, file string) (string, error) {
		if file != "" {
			b, err := readFlagFile(cmd, fileFlag, file, 1<<20)
			return string(b), err
		}
		if value == "" {
			return "", invalid(flagErr(cmd, flag, fmt.Sprintf("required for %s jobs (or %s)", kind, flagRef(cmd, fileFlag))))
		}
		return value, nil
	}
	switch kind {
	case gpumarket.JobKindLLM:
		p, err := text("prompt", jc.Prompt, "prompt-file", jc.PromptFile)
		if err != nil {
			return err
		}
		params["prompt"] = p
		if jc.MaxTokens > 0 {
			params["max_tokens"] = jc.MaxTokens
		}
	case gpumarket.JobKindTTS:
		t, err := text("text", jc.Text, "text-file", jc.TextFile)
		if err != nil {
			return err
		}
		params["text"] = t
		if jc.Voice != "" {
			params["voice"] = jc.Voice
		}
	case gpumarket.JobKindRender:
		first, last, err := client.ParseFrameRange(jc.Frames)
		if err != nil {
			return invalid(flagErr(cmd, "frames", gpumarket.ErrorMessage(err)))
		}
		params["frame_start"], params["frame_end"] = first, last
		params["width"], params["height"], params["samples"] = jc.Width, jc.Height, jc.Samples
	case gpumarket.JobKindSTT:
		if jc.Audio == "" {
			return invalid(flagErr(cmd, "audio", "required for stt jobs (a WAV file)"))
		}
		b, err := readFlagFile(cmd, "audio", jc.Audio, client.MaxInlineInputBytes)
		if err != nil {
			return err
		}
		secs, err := client.WAVSeconds(b)
		if err != nil {
			return invalid(flagErr(cmd, "audio", gpumarket.ErrorMessage(err)))
		}
		params["audio"] = base64.StdEncoding.EncodeToString(b)
		req.Estimate = gpumarket.Estimate{AudioSeconds: max(secs, 1)}
	}
	return nil
}

// readFlagFile reads the file a flag names, refusing one over limit bytes.
func readFlagFile(cmd *cli.Command, flag, path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, invalid(flagErr(cmd, flag, fmt.Sprintf("file %s does not exist", path)))
		}
		return nil, invalid(flagErr(cmd, flag, fmt.Sprintf("file %s: %v", path, errors.Unwrap(err))))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, invalid(flagErr(cmd, flag, fmt.Sprintf("file %s: %v", path, err)))
	}
	if int64(len(b)) > limit {
		return nil, invalid(flagErr(cmd, flag, fmt.Sprintf("file %s is larger than %d bytes", path, limit)))
	}
	return b, nil
}

// submit resolves the token and max price and submits spec.
func (jc *jobConfig) submit(ctx context.Context, cmd *cli.Command, c *client.Client, spec []byte, stderr io.Writer) (*client.Submission, error) {
	t, err := c.Token(ctx, jc.Token)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flagRef(cmd, "token"), err)
	}
	var max *big.Int
	switch {
	case jc.MaxPrice != "" && jc.MaxPriceBase != "":
		return nil, invalid(flagErr(cmd, "max-price", "give it or "+flagRef(cmd, "max-price-base")+", not both"))
	case jc.MaxPrice != "":
		if max, err = t.Parse(jc.MaxPrice); err != nil {
			return nil, invalid(flagErr(cmd, "max-price", gpumarket.ErrorMessage(err)))
		}
	case jc.MaxPriceBase != "":
		if max, err = gpumarket.ParseAmount(jc.MaxPriceBase); err != nil {
			return nil, invalid(flagErr(cmd, "max-price-base", gpumarket.ErrorMessage(err)))
		}
	}
	funding := map[string]client.Funding{"auto": client.FundAuto, "approve": client.FundApprove, "none": client.FundNone, "order": client.FundOrder}
	f, ok := funding[jc.Funding]
	if !ok {
		return nil, invalid(flagErr(cmd, "funding", fmt.Sprintf("%q is not auto, approve, none or order", jc.Funding)))
	}
	req := client.SubmitRequest{Spec: spec, Token: t, MaxPrice: max, Lifetime: jc.Lifetime, Funding: f, IgnoreBand: jc.IgnoreBand}
	if jc.PreferredProvider != "" {
		if req.PreferredProvider, err = gpumarket.ParseAddress(jc.PreferredProvider); err != nil {
			return nil, invalid(flagErr(cmd, "preferred-provider", gpumarket.ErrorMessage(err)))
		}
	}
	sub, err := c.Submit(ctx, req)
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("job %d created in %s: max %s, funded by %s, deadline %s", sub.JobID, sub.TxHash, t.Format(sub.MaxPayment), sub.FundedBy,
		time.Unix(int64(sub.Deadline), 0).UTC().Format(time.RFC3339))
	if sub.Quote != nil {
		msg += fmt.Sprintf(" (quote %s, band %s – %s)", t.Format(sub.Quote.Total), t.Format(sub.Quote.BandLow), t.Format(sub.Quote.BandHigh))
	}
	fmt.Fprintln(stderr, msg)
	return sub, nil
}
