package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// Exit codes.
const (
	exitOK          = 0
	exitFailure     = 1 // an internal error
	exitInvalid     = 2 // bad flags, configuration or input
	exitUnavailable = 3 // a dependency (database, node) cannot be reached
)

// run builds the command tree, runs it with args and returns the exit code.
// An error is printed once, on stderr; a usage error (an unknown command or
// flag, a flag value that does not parse, a missing required flag) is
// followed by a one-line hint instead of the whole help.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg := DefaultConfig()
	app := newApp(&cfg, stdout, stderr)
	err := app.Run(ctx, args)
	if err == nil || errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "gpumarket: %v\n", err)
	var usage usageError
	if errors.As(err, &usage) {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", usage.command)
		return exitInvalid
	}
	return exitCode(err)
}

// exitCode maps an error to the exit code the README promises.
func exitCode(err error) int {
	if errors.Is(err, errEngineCheck) {
		return exitEngineFailed
	}
	if code, ok := jobExitCode(err); ok {
		return code
	}
	switch gpumarket.ErrorCode(err) {
	case "":
		return exitOK
	case gpumarket.EINVALID:
		return exitInvalid
	case gpumarket.EUNAVAILABLE:
		return exitUnavailable
	}
	return exitFailure
}

// usageError is a command line the parser refused, and the command (its
// full name) whose help explains it.
type usageError struct {
	error
	command string
}

func (e usageError) Unwrap() error { return e.error }

// onUsageError makes every command in the tree report a usage error to run
// instead of printing it, and the whole help, itself; a command that only
// groups subcommands shows its help, or refuses an unknown one.
func onUsageError(cmd *cli.Command) *cli.Command {
	cmd.OnUsageError = func(_ context.Context, c *cli.Command, err error, _ bool) error {
		return usageError{err, c.FullName()}
	}
	if cmd.Action == nil && len(cmd.Commands) > 0 {
		cmd.Action = groupAction
	}
	for _, sub := range cmd.Commands {
		onUsageError(sub)
	}
	return cmd
}

// groupAction runs a command that only groups subcommands.
func groupAction(_ context.Context, cmd *cli.Command) error {
	if cmd.Args().Present() {
		return usageError{fmt.Errorf("unknown command %q", cmd.Args().First()), cmd.FullName()}
	}
	if cmd.Root() == cmd {
		return cli.ShowRootCommandHelp(cmd)
	}
	return cli.ShowSubcommandHelp(cmd)
}

func newApp(cfg *Config, stdout, stderr io.Writer) *cli.Command {
	return onUsageError(&cli.Command{
		Name:      "gpumarket",
		Usage:     "settlement and matching for a decentralized GPU compute market",
		UsageText: "gpumarket [global options] <command> [command options]",
		Description: "gpumarket settles GPU jobs (render, tts, stt, llm) between clients and providers with the money in\n" +
			"contracts on an EVM chain. Flags can also be set by the GPUMARKET_* environment variable --help shows beside them.",
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "log-level", Value: cfg.LogLevel, Usage: "debug, info, warn or error", Sources: env("log-level"), Destination: &cfg.LogLevel},
			&cli.StringFlag{Name: "log-format", Value: cfg.LogFormat, Usage: "text or json", Sources: env("log-format"), Destination: &cfg.LogFormat},
		},
		ExitErrHandler: func(context.Context, *cli.Command, error) {
			// Errors are reported and mapped to exit codes by run, never by os.Exit here.
		},
		Commands: []*cli.Command{
			{
				Name:  "migrate",
				Usage: "apply or inspect the PostgreSQL schema (safe to run from several processes at once)",
				Flags: []cli.Flag{databaseURLFlag(cfg, "")},
				Commands: []*cli.Command{
					{
						Name:  "up",
						Usage: "apply every pending migration; does nothing when the schema is current",
						Action: func(ctx context.Context, cmd *cli.Command) error {
							return migrateUp(ctx, cmd, *cfg, stdout, stderr)
						},
					},
					{
						Name:  "status",
						Usage: "list every migration and whether it is applied",
						Action: func(ctx context.Context, cmd *cli.Command) error {
							return migrateStatus(ctx, cmd, *cfg, stdout)
						},
					},
				},
			},
			indexerCommand(cfg, stdout, stderr),
			matcherCommand(cfg, stdout, stderr),
			relayerCommand(cfg, stdout, stderr),
			benchCommand(cfg, stdout, stderr),
			demoCommand(cfg, stdout, stderr),
			engineCommand(),
			jobCommand(cfg, stdout, stderr),
			{
				Name:  "config",
				Usage: "print the effective configuration (secrets redacted), check it and connect to the database",
				Flags: []cli.Flag{databaseURLFlag(cfg, "")},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return checkConfig(ctx, cmd, *cfg, stdout)
				},
			},
			{
				Name:  "version",
				Usage: "print the version and build information",
				Action: func(_ context.Context, _ *cli.Command) error {
					fmt.Fprintln(stdout, versionString())
					return nil
				},
			},
		},
	})
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	level, _ := parseLevel(cfg.LogLevel) // validated before
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func openDB(ctx context.Context, cmd *cli.Command, cfg Config) (*postgres.DB, error) {
	if err := cfg.Validate(cmd, true); err != nil {
		return nil, err
	}
	return postgres.Open(ctx, cfg.DatabaseURL)
}

func migrateUp(ctx context.Context, cmd *cli.Command, cfg Config, stdout, stderr io.Writer) error {
	db, err := openDB(ctx, cmd, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	log := newLogger(cfg, stderr)
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	log.Info("migrations checked", "applied", len(applied))
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "schema is current; nothing applied")
		return nil
	}
	for _, v := range applied {
		fmt.Fprintf(stdout, "applied %05d\n", v)
	}
	return nil
}

// migrationStatus opens the database (after validating cfg) and lists its
// migrations, applied or pending.
func migrationStatus(ctx context.Context, cmd *cli.Command, cfg Config) ([]postgres.Migration, error) {
	db, err := openDB(ctx, cmd, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.MigrationStatus(ctx)
}

func migrateStatus(ctx context.Context, cmd *cli.Command, cfg Config, stdout io.Writer) error {
	status, err := migrationStatus(ctx, cmd, cfg)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tSTATE\tAPPLIED AT\tFILE")
	for _, m := range status {
		state, at := "pending", "-"
		if m.Applied {
			state, at = "applied", m.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
		}
		fmt.Fprintf(tw, "%05d\t%s\t%s\t%s\n", m.Version, state, at, m.Source)
	}
	return tw.Flush()
}

func versionString() string {
	version, revision := "(devel)", "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				revision = s.Value
			}
		}
	}
	return fmt.Sprintf("gpumarket %s (commit %s, %s %s/%s)", version, revision, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
