package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/demo"
)

// repoRoot is the repository root seen from this package's directory.
var repoRoot = filepath.Join("..", "..", "..", "..")

// tourOrder is the order the README's tours run in on one kept demo: the
// provider registers after the dApp's jobs are served, so none of them
// goes to a provider that only idles for a few seconds.
var tourOrder = []string{"dapp", "provider", "analyst"}

var tourBlock = regexp.MustCompile("(?s)```sh tour=([a-z]+)\n(.*?)```")

// readmeTours returns the README's runnable blocks (```sh tour=NAME) by
// name, each exactly as printed.
func readmeTours(tb testing.TB) map[string]string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		tb.Fatal(err)
	}
	tours := map[string]string{}
	for _, m := range tourBlock.FindAllStringSubmatch(string(b), -1) {
		if _, dup := tours[m[1]]; dup {
			tb.Fatalf("README.md has two blocks marked tour=%s", m[1])
		}
		tours[m[1]] = m[2]
	}
	return tours
}

// TestReadmeTourBlocks checks the README's tours without a stack: each tour
// is there, and the analyst tour runs the queries the kept demo prints.
// TestShortScenario runs the blocks themselves (runReadmeTours).
func TestReadmeTourBlocks(t *testing.T) {
	tours := readmeTours(t)
	var names []string
	for name := range tours {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := slices.Sorted(slices.Values(tourOrder)); !slices.Equal(names, want) {
		t.Fatalf("README.md tours = %v, want %v", names, want)
	}
	var queries []string
	for _, m := range regexp.MustCompile(`(?m)^psql "\$DATABASE_URL" -c '(.*)'$`).FindAllStringSubmatch(tours["analyst"], -1) {
		queries = append(queries, m[1])
	}
	if !slices.Equal(queries, demo.TourQueries()) {
		t.Errorf("the analyst tour's queries differ from the ones the kept demo prints\nREADME: %q\ndemo:   %q", queries, demo.TourQueries())
	}
	for _, want := range []string{"gpumarket job run ", "examples/render.json", "examples/stt.json", "examples/tts.json", "gpumarket job submit ", "gpumarket job watch ", "gpumarket job result ", "cast send $MARKET 'createJob("} {
		if !strings.Contains(tours["dapp"], want) {
			t.Errorf("the dApp tour lacks %q", want)
		}
	}
	for _, want := range []string{"relayer keys ", "--value 1ether", "'mint(address,uint256)' $OPERATOR", "relayer register ", "relayer run ", "relayer withdraw"} {
		if !strings.Contains(tours["provider"], want) {
			t.Errorf("the provider tour lacks %q (funding a new provider with ETH and stake)", want)
		}
	}
}

// tourExports is the line the kept demo prints that sets the tours'
// variables.
var tourExports = regexp.MustCompile(`(?m)^  (export RPC=.*)$`)

// buildGpumarket builds the binary the tours call into a fresh directory
// and returns that directory.
func buildGpumarket(ctx context.Context, t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, "gpumarket"), "./cmd/gpumarket")
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/gpumarket: %v\n%s", err, out)
	}
	return dir
}

// tourDir is a fresh directory that looks like the repository root to the
// tours (a link to each top-level entry: examples/, node_modules/,
// relayer/…), so the files they write (keys, results) land outside the
// checkout.
func tourDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == ".git" || e.Name() == ".data" {
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// tourCheck is what a tour's run must show besides exiting 0.
type tourCheck struct {
	output []string // substrings of its output
	files  []string // non-empty files it writes
}

var tourChecks = map[string]tourCheck{
	"dapp":     {output: []string{`"state"`}, files: []string{"answer.txt", "render.png", "transcript.txt", "speech.wav"}},
	"provider": {output: []string{" registered\n", "\nsigner 0x"}, files: []string{"operator.json", "signer.json"}},
	"analyst":  {output: []string{"slashed_staking_token", "runners_up"}},
}

// runReadmeTours runs each README tour, exactly as printed, with bash in
// dir after the export line the demo printed (what a user pastes), the
// built gpumarket first on PATH; a line that fails fails the tour (set
// -e, pipefail).
func runReadmeTours(ctx context.Context, t *testing.T, binDir, dir, printed string) error {
	m := tourExports.FindStringSubmatch(printed)
	if m == nil {
		return fmt.Errorf("the kept demo printed no export line for the tours")
	}
	tours := readmeTours(t)
	for _, name := range tourOrder {
		out, err := runTour(ctx, binDir, dir, m[1], tours[name])
		t.Logf("README tour %s:\n%s", name, out)
		if err != nil {
			return fmt.Errorf("README tour %s: %w (output above)", name, err)
		}
		for _, want := range tourChecks[name].output {
			if !strings.Contains(out, want) {
				return fmt.Errorf("README tour %s: output lacks %q", name, want)
			}
		}
		for _, f := range tourChecks[name].files {
			if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
				return fmt.Errorf("README tour %s wrote no %s (%v)", name, f, err)
			}
		}
	}
	return nil
}

// runTour runs one tour block with bash in dir after the exports line,
// binDir first on PATH, stopping at the first line that fails (set -e,
// pipefail); it returns stdout and stderr together.
func runTour(ctx context.Context, binDir, dir, exports, block string) (string, error) {
	cmd := exec.CommandContext(ctx, "bash", "-c", "set -e -o pipefail\n"+exports+"\n"+block)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// TestRunTourStopsAtAFailingLine: a tour line that fails (a wrong flag, a
// command not found, a failing stage of a pipe) fails the tour, and lines
// after it do not run; continuation lines and the exports work as a pasted
// block does.
func TestRunTourStopsAtAFailingLine(t *testing.T) {
	tests := []struct {
		name, block string
		ok          bool
		output      string
	}{
		{"continued lines and exports", "echo $RPC \\\n  done\n", true, "http://node done"},
		{"a failing command", "echo before\nfalse\necho after\n", false, "before"},
		{"a command not found", "no-such-gpumarket-command --flag\necho after\n", false, "not found"},
		{"a failing pipe stage", "false | cat\necho after\n", false, ""},
		{"a substitution that fails", "ID=$(false)\necho after\n", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runTour(context.Background(), t.TempDir(), t.TempDir(), "export RPC=http://node", tt.block)
			if (err == nil) != tt.ok {
				t.Fatalf("runTour err = %v, want ok %v (output %q)", err, tt.ok, out)
			}
			if !strings.Contains(out, tt.output) {
				t.Errorf("output %q lacks %q", out, tt.output)
			}
			if !tt.ok && strings.Contains(out, "after") {
				t.Errorf("a line after the failing one ran: %q", out)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer the demo writes while a tour reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
