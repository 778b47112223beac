//go:build linux

package executor

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
)

// TestRunProgram: the arguments, environment and input files come from
// Prepare, the program runs in the work dir under the launcher (its
// RLIMIT_FSIZE in force), and its CPU time is measured.
func TestRunProgram(t *testing.T) {
	sb := newSandbox(t)
	prog := sb.script(t, "prog", `set -eu
{ printf '%s\n' "$@"; echo "home=$HOME"; echo "input=$(cat in/scene)"; ulimit -f; } > out.txt
i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done
`)
	c := newCommand(t, CommandConfig{Program: prog, Args: []string{"fixed"}, WorkRoot: sb.work, MaxOutputBytes: 1 << 20})
	var workPath string
	pr, err := c.RunProgram(t.Context(), Job{ID: 1, Kind: gpumarket.JobKindRender, Spec: []byte(`{}`)}, ProgramRun{
		Prepare: func(_ context.Context, dir *WorkDir) ([]string, []string, error) {
			workPath = dir.Path()
			if err := dir.Mkdir("in"); err != nil {
				return nil, nil, err
			}
			f, err := dir.Create("in/scene")
			if err != nil {
				return nil, nil, err
			}
			f.WriteString("blend bytes")
			f.Close()
			return []string{"-x", "two words"}, []string{"HOME=" + dir.Path()}, nil
		},
	})
	if err != nil {
		t.Fatalf("RunProgram: %v", err)
	}
	defer pr.Dir.Remove()
	if pr.Dir.Path() != workPath || filepath.Dir(workPath) != sb.work {
		t.Errorf("work dir %s (Prepare saw %s), want one under %s", pr.Dir.Path(), workPath, sb.work)
	}
	f, _, err := pr.Dir.Open("out.txt", 1<<10)
	if err != nil {
		t.Fatalf("Open(out.txt): %v", err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	// ulimit -f counts 512-byte blocks: (1 MiB + 1) bytes round down to 2048.
	want := "fixed\n-x\ntwo words\nhome=" + workPath + "\ninput=blend bytes\n2048\n"
	if string(b) != want {
		t.Errorf("program wrote\n%s\nwant\n%s", b, want)
	}
	if pr.UserCPU+pr.SystemCPU <= 0 || pr.Elapsed <= 0 {
		t.Errorf("UserCPU %v + SystemCPU %v, Elapsed %v: want measured times", pr.UserCPU, pr.SystemCPU, pr.Elapsed)
	}
	names, err := pr.Dir.ReadDir(".")
	if err != nil || len(names) != 3 {
		t.Errorf("ReadDir = %v, %v, want in, out.txt, spec.json", names, err)
	}
}

func TestRunProgramRefuses(t *testing.T) {
	sb := newSandbox(t)
	marker := filepath.Join(sb.base, "started")
	prog := sb.script(t, "prog", "touch "+marker+"\n")
	c := newCommand(t, CommandConfig{Program: prog, WorkRoot: sb.work})
	job := Job{ID: 1, Kind: gpumarket.JobKindRender, Spec: []byte(`{}`)}
	prepErr := errors.New("input unfit")
	tests := []struct {
		name    string
		prepare func(context.Context, *WorkDir) ([]string, []string, error)
		want    string
	}{
		{"prepare fails", func(context.Context, *WorkDir) ([]string, []string, error) { return nil, nil, prepErr }, "input unfit"},
		{"fixed env name", func(context.Context, *WorkDir) ([]string, []string, error) {
			return nil, []string{"PATH=/evil"}, nil
		}, `environment entry "PATH"`},
		{"env without =", func(context.Context, *WorkDir) ([]string, []string, error) {
			return nil, []string{"HOME"}, nil
		}, "want NAME=value"},
		{"NUL in arg", func(context.Context, *WorkDir) ([]string, []string, error) {
			return []string{"a\x00b"}, nil, nil
		}, "holds a NUL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.RunProgram(t.Context(), job, ProgramRun{Prepare: tt.prepare})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("RunProgram = %v, want an error with %q", err, tt.want)
			}
			if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
				t.Fatal("the program started")
			}
			if left, _ := os.ReadDir(sb.work); len(left) != 0 {
				t.Errorf("work root holds %d entries, want none", len(left))
			}
		})
	}
}

func TestRunProgramFailureRemovesWorkDir(t *testing.T) {
	sb := newSandbox(t)
	prog := sb.script(t, "prog", "echo boom >&2; exit 3\n")
	c := newCommand(t, CommandConfig{Program: prog, WorkRoot: sb.work})
	_, err := c.RunProgram(t.Context(), Job{ID: 1, Kind: gpumarket.JobKindRender, Spec: []byte(`{}`)}, ProgramRun{})
	var xe *ExitError
	if !errors.As(err, &xe) || xe.Status != 3 || !strings.Contains(string(xe.Stderr), "boom") {
		t.Fatalf("RunProgram = %v, want an ExitError with status 3 and stderr", err)
	}
	if left, _ := os.ReadDir(sb.work); len(left) != 0 {
		t.Errorf("work root holds %d entries, want none", len(left))
	}
}

func TestFileResult(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.png")
	if err := os.WriteFile(p, []byte("frame"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	released := false
	res := FileResult(p, f, 5, "image/png", gpumarket.Usage{Units1: 1}, func() error { released = true; return nil })
	os.Remove(p) // read through the descriptor, not the path
	r, err := res.Open()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	if string(b) != "frame" {
		t.Errorf("Open read %q, want %q", b, "frame")
	}
	if err := res.Release(); err != nil || !released {
		t.Errorf("Release = %v, released %v; want nil, true", err, released)
	}
}
