package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/daemon"
	"github.com/gpumarket/gpumarket/relayer/hardware"
)

// exitEngineFailed is the exit code of `relayer check` when an engine
// fails its check (the error names it).
const exitEngineFailed = 8

// errEngineCheck marks the error of a failed engine check.
var errEngineCheck = errors.New("engine check failed")

func (rc *relayerConfig) checkReportPath() string {
	return filepath.Join(rc.DataDir, hardware.CheckReportFile)
}

// checkFlags are the flags of `relayer check`: the data dir and the
// engine routes, as `relayer run` takes them.
func checkFlags(rc *relayerConfig) []cli.Flag {
	return join([]cli.Flag{
		&cli.StringFlag{Name: "data-dir", Value: rc.DataDir, Usage: "relayer state: saved attestation, check report", Sources: env("relayer-data-dir"), Destination: &rc.DataDir},
		&cli.DurationFlag{Name: "command-timeout", Value: rc.CommandTimeout, Usage: "longest a check job may run", Sources: env("relayer-command-timeout"), Destination: &rc.CommandTimeout},
	}, engineFlags(rc))
}

// checkEngines runs `relayer check`: every --engine route's executor that
// can check itself runs one real job and is measured; the table goes to
// stdout, with what `relayer register` would attest. When every engine
// passed, the report is saved in the data dir (check.json) for register;
// when one fails nothing is saved and the error (exit code 8) names it.
func checkEngines(ctx context.Context, cmd *cli.Command, cfg Config, rc relayerConfig, stdout, stderr io.Writer) error {
	if len(rc.Engines) == 0 {
		return invalid(flagErr(cmd, "engine", "required: the engines to check, as relayer run takes them (e.g. --engine render=blender)"))
	}
	router, err := rc.router(cmd, newLogger(cfg, stderr).With("component", "engines"))
	if err != nil {
		return err
	}
	served := map[gpumarket.JobKind][]string{}
	if saved, err := daemon.LoadSignedAttestation(rc.attestationPath()); err == nil {
		served, _ = daemon.ServedModels(saved)
	}
	now := time.Now()
	checks := router.Check(ctx)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	report := &hardware.CheckReport{CheckedAt: now.Unix()}
	var failed []string
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ENGINE\tKIND\tMODELS\tRESULT\tMETRIC\tVALUE\tWALL\tDETAIL")
	for _, c := range checks {
		models := c.Route.Models
		switch {
		case !c.Checked:
			fmt.Fprintf(tw, "%s\t%s\t%s\tnot checked\t-\t-\t-\tthe engine has no check\n", c.Route.Name, c.Route.Kind, modelList(models))
		case c.Err != nil:
			failed = append(failed, c.Route.Name)
			fmt.Fprintf(tw, "%s\t%s\t%s\tFAIL\t-\t-\t-\t%s\n", c.Route.Name, c.Route.Kind, modelList(models), oneLine(c.Err))
		default:
			for _, m := range c.Measurements {
				ms := m.Models
				if len(ms) == 0 {
					ms = models
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\tok\t%s\t%.3f\t%s\t%s\n", c.Route.Name, m.Kind, modelList(ms), m.Metric(), m.Value(), m.Wall.Round(time.Millisecond), m.Detail)
				report.Results = append(report.Results, hardware.CheckResult{Engine: c.Route.Name, Kind: m.Kind, Models: ms,
					Metric: m.Metric(), ValueMilli: m.ValueMilli(), MeasuredAt: now.Unix(), Detail: m.Detail})
			}
		}
	}
	tw.Flush()
	if len(failed) > 0 {
		return fmt.Errorf("relayer check: %w: %s (nothing saved)", errEngineCheck, strings.Join(failed, ", "))
	}
	fmt.Fprintln(stdout, "\nwould be attested (benchmarks, value in thousandths of the metric):")
	for _, r := range report.Results {
		models := r.Models
		if len(models) == 0 {
			models = served[r.Kind]
		}
		who := modelList(models)
		if len(models) == 0 {
			who = "every " + r.Kind.String() + " model of the profile"
		}
		fmt.Fprintf(stdout, "  %s %s: %s value_milli=%d measured_at=%d\n", r.Kind, who, r.Metric, r.ValueMilli, r.MeasuredAt)
	}
	if err := hardware.SaveCheckReport(rc.checkReportPath(), report); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "saved to %s: relayer register attaches it to the attestation\n", rc.checkReportPath())
	return nil
}

func modelList(models []string) string {
	if len(models) == 0 {
		return "*"
	}
	return strings.Join(models, ",")
}

// oneLine returns err's message on one line, clipped.
func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// attachCheckReport attaches the saved `relayer check` report, when there
// is one, to prof's benchmarks, and says so in the log.
func (rc *relayerConfig) attachCheckReport(prof *hardware.Profile, log *slog.Logger) error {
	r, err := hardware.LoadCheckReport(rc.checkReportPath())
	if errors.Is(err, fs.ErrNotExist) {
		log.Info("no relayer check report: attesting the profile's declared benchmarks only", "path", rc.checkReportPath())
		return nil
	}
	if err != nil {
		return err
	}
	n := prof.AttachBenchmarks(r)
	log.Info("attaching measured benchmarks", "path", rc.checkReportPath(), "checked_at", time.Unix(r.CheckedAt, 0).UTC(), "benchmarks", n)
	return nil
}

// warnUnattestedCheck tells `relayer run`'s operator when the saved
// `relayer check` report is newer than every benchmark of the registered
// attestation: the matcher still sees the registered figures until
// `relayer register` attests the new ones.
func (rc *relayerConfig) warnUnattestedCheck(log *slog.Logger) {
	r, err := hardware.LoadCheckReport(rc.checkReportPath())
	if err != nil {
		return
	}
	saved, err := daemon.LoadSignedAttestation(rc.attestationPath())
	if err != nil {
		return
	}
	att, err := gpumarket.DecodeAttestation(bytes.NewReader(saved.Attestation))
	if err != nil {
		return
	}
	var attested int64
	for _, b := range att.Benchmarks {
		attested = max(attested, b.MeasuredAt)
	}
	if r.CheckedAt > attested {
		log.Warn("relayer check measured figures the registered attestation does not carry: run relayer register to attest them",
			"checked_at", time.Unix(r.CheckedAt, 0).UTC(), "path", rc.checkReportPath())
	} else {
		log.Info("attested benchmarks", "benchmarks", len(att.Benchmarks), "checked_at", time.Unix(r.CheckedAt, 0).UTC())
	}
}
