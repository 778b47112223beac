package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/hardware"
)

func needSpeechEngines(t *testing.T) {
	t.Helper()
	for _, p := range []string{"espeak-ng", "sox", "pocketsphinx_continuous"} {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing (run tools/ensure-engines.sh)", p)
			}
			t.Skipf("%s is missing (run tools/ensure-engines.sh)", p)
		}
	}
}

func TestRelayerCheckMeasuresAndSaves(t *testing.T) {
	needSpeechEngines(t)
	dir := t.TempDir()
	out, err := runRelayerCLI(context.Background(), t, "check", "--data-dir", dir, "--engine", "tts:espeak-en=espeak", "--engine", "stt=pocketsphinx", "--engine", "llm=demo")
	if err != nil {
		t.Fatalf("relayer check: %v\n%s", err, out)
	}
	for _, want := range []string{"espeak", "pocketsphinx", "realtime_factor", "not checked", "would be attested", "tts espeak-en: realtime_factor value_milli="} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	r, err := hardware.LoadCheckReport(filepath.Join(dir, hardware.CheckReportFile))
	if err != nil {
		t.Fatalf("saved report: %v", err)
	}
	if len(r.Results) != 2 || r.Results[0].Kind != gpumarket.JobKindTTS || r.Results[0].Models[0] != "espeak-en" ||
		r.Results[1].Kind != gpumarket.JobKindSTT || r.Results[0].ValueMilli == 0 || r.Results[1].ValueMilli == 0 {
		t.Errorf("saved report = %+v, want a tts figure for espeak-en and an stt figure", r)
	}
}

func TestRelayerCheckFailsNamingTheEngine(t *testing.T) {
	needSpeechEngines(t)
	dir := t.TempDir()
	out, err := runRelayerCLI(context.Background(), t, "check", "--data-dir", dir, "--engine", "tts=espeak",
		"--engine", "llm:llama-3-8b=openai:http://127.0.0.1:1")
	if !errors.Is(err, errEngineCheck) || exitCode(err) != exitEngineFailed || !strings.Contains(err.Error(), "openai:http://127.0.0.1:1") {
		t.Fatalf("relayer check with an unreachable server = %v (exit %d), want exit %d naming it\n%s", err, exitCode(err), exitEngineFailed, out)
	}
	if !strings.Contains(out, "FAIL") {
		t.Errorf("output lacks FAIL:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, hardware.CheckReportFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed check saved a report (stat: %v)", err)
	}
}

func TestRelayerCheckNeedsEngines(t *testing.T) {
	_, err := runRelayerCLI(context.Background(), t, "check", "--data-dir", t.TempDir())
	if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), "--engine") {
		t.Fatalf("relayer check without engines = %v, want EINVALID naming --engine", err)
	}
}
