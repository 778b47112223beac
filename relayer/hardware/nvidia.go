package hardware

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gpumarket/gpumarket"
)

// Limits of one Detect call.
const (
	DetectTimeout   = 10 * time.Second // for all of Detect's nvidia-smi runs together
	MaxDetectOutput = 1 << 20          // bytes of output read from one run
	maxStderr       = 512              // bytes of stderr quoted in an error
)

// ErrNoDetector is wrapped by the error of Detect when nvidia-smi is not
// installed (not on PATH, or absent at the given path), so that the caller
// can fall back to a declared hardware file.
var ErrNoDetector = errors.New("nvidia-smi not found")

var errDetectTimeout = errors.New("detect timeout")

// nvidiaQuery is the fixed query Detect runs; parseNvidiaSMI expects its
// columns in this order.
var nvidiaQuery = []string{
	"--query-gpu=name,memory.total,driver_version,compute_cap,uuid",
	"--format=csv,noheader,nounits",
}

// Detect describes the machine's NVIDIA GPUs by running nvidia-smi at path
// nvidiaSMI (looked up on PATH when empty) twice, with fixed arguments and
// without a shell: once with the CSV query above and once without arguments
// to read "CUDA Version: X.Y" from its banner. Both runs together are bounded
// by DetectTimeout and each reads at most MaxDetectOutput bytes.
//
// All GPUs must be the same model: an attestation describes one GPU class, so
// a mixed machine is an EINVALID error naming both models (declare the GPUs to
// offer in a hardware file instead). VRAMMiB is the smallest of the GPUs'
// memory, DeviceIDs their UUIDs, ComputeCapability "major.minor".
//
// Errors: one wrapping ErrNoDetector when nvidia-smi is absent; EUNAVAILABLE
// when it fails, times out or exits non-zero (its stderr, shortened, is in
// the message); EINVALID when its output is too large or does not parse;
// ctx's error when ctx ends first.
func Detect(ctx context.Context, nvidiaSMI string) (Hardware, error) {
	path := nvidiaSMI
	if path == "" {
		p, err := exec.LookPath("nvidia-smi")
		if err != nil {
			return Hardware{}, fmt.Errorf("detect GPUs: %w on PATH", ErrNoDetector)
		}
		path = p
	} else if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return Hardware{}, fmt.Errorf("detect GPUs: %w at %s", ErrNoDetector, path)
	}
	ctx, cancel := context.WithTimeoutCause(ctx, DetectTimeout, errDetectTimeout)
	defer cancel()
	csv, err := runTool(ctx, path, nvidiaQuery...)
	if err != nil {
		return Hardware{}, fmt.Errorf("detect GPUs: %w", err)
	}
	banner, err := runTool(ctx, path)
	if err != nil {
		return Hardware{}, fmt.Errorf("detect GPUs: %w", err)
	}
	cuda, err := parseCUDAVersion(banner)
	if err != nil {
		return Hardware{}, fmt.Errorf("detect GPUs: %w", err)
	}
	hw, err := parseNvidiaSMI(csv, cuda)
	if err != nil {
		return Hardware{}, fmt.Errorf("detect GPUs: %w", err)
	}
	return hw, nil
}

// runTool runs path with args (no shell) and returns its standard output,
// killing it as soon as the output exceeds MaxDetectOutput or ctx ends.
func runTool(ctx context.Context, path string, args ...string) ([]byte, error) {
	ctx, kill := context.WithCancel(ctx)
	defer kill()
	cmd := exec.CommandContext(ctx, path, args...)
	// Children that inherited the output pipes may outlive the killed
	// process; stop waiting for them shortly after.
	cmd.WaitDelay = time.Second
	stdout := &capWriter{max: MaxDetectOutput, full: kill}
	stderr := &capWriter{max: maxStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	name := "nvidia-smi"
	if len(args) > 0 {
		name += " " + strings.Join(args, " ")
	}
	err := cmd.Run()
	switch {
	case stdout.overflow():
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "%s: output exceeds %d bytes", name, MaxDetectOutput)
	case err == nil:
		return stdout.Bytes(), nil
	case errors.Is(context.Cause(ctx), errDetectTimeout):
		return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "%s: did not finish within %v", name, DetectTimeout)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%s: %w", name, ctx.Err())
	default:
		msg := strings.Join(strings.Fields(stderr.String()), " ")
		if msg == "" {
			msg = strings.Join(strings.Fields(stdout.String()), " ")
			if len(msg) > maxStderr {
				msg = msg[:maxStderr]
			}
		}
		return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "%s: %v: %q", name, err, msg)
	}
}

// capWriter keeps the first max bytes written to it and drops the rest;
// when it first drops bytes it calls full (if set).
type capWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	max     int
	dropped bool
	full    func()
}

func (w *capWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	room := w.max - w.buf.Len()
	if len(p) > room {
		w.buf.Write(p[:max(room, 0)])
		if !w.dropped && w.full != nil {
			w.full()
		}
		w.dropped = true
		return len(p), nil
	}
	return w.buf.Write(p)
}

func (w *capWriter) overflow() bool { w.mu.Lock(); defer w.mu.Unlock(); return w.dropped }
func (w *capWriter) Bytes() []byte  { w.mu.Lock(); defer w.mu.Unlock(); return w.buf.Bytes() }
func (w *capWriter) String() string { return string(w.Bytes()) }

var cudaVersionRE = regexp.MustCompile(`CUDA Version:\s*([0-9]{1,4}\.[0-9]{1,4})\b`)

// parseCUDAVersion finds "CUDA Version: X.Y" in nvidia-smi's banner. It
// returns an EINVALID error when there is none.
func parseCUDAVersion(out []byte) (string, error) {
	m := cudaVersionRE.FindSubmatch(out)
	if m == nil {
		return "", gpumarket.Errorf(gpumarket.EINVALID, "nvidia-smi output has no \"CUDA Version: X.Y\"")
	}
	return string(m[1]), nil
}

// parseNvidiaSMI parses the output of the CSV query (one GPU per line:
// name, memory.total in MiB, driver_version, compute_cap, uuid; blank lines
// ignored) into a validated Hardware with the given CUDA version. Every
// failure is an EINVALID error naming the line and column.
func parseNvidiaSMI(out []byte, cudaVersion string) (Hardware, error) {
	hw := Hardware{Architecture: gpumarket.ArchNVIDIA, CUDAVersion: cudaVersion}
	lines := strings.Split(string(out), "\n")
	for i, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		where := fmt.Sprintf("nvidia-smi line %d", i+1)
		if hw.GPUCount == gpumarket.MaxGPUCount {
			return Hardware{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: more than %d GPUs", where, gpumarket.MaxGPUCount)
		}
		f := strings.Split(line, ",")
		if len(f) != 5 {
			return Hardware{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: %d columns, want 5 (name, memory.total, driver_version, compute_cap, uuid): %s", where, len(f), quote(line))
		}
		for j := range f {
			f[j] = strings.TrimSpace(f[j])
		}
		name, mem, driver, cc, uuid := f[0], f[1], f[2], f[3], f[4]
		vram, err := strconv.ParseUint(mem, 10, 32)
		if err != nil || vram == 0 || vram > gpumarket.MaxVRAMMiB {
			return Hardware{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: memory.total %s is not a MiB count in [1, %d]", where, quote(mem), gpumarket.MaxVRAMMiB)
		}
		if !isVersion(cc) {
			return Hardware{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: compute_cap %s is not major.minor (for example 8.9)", where, quote(cc))
		}
		if hw.GPUCount == 0 {
			hw.GPUModel, hw.VRAMMiB, hw.DriverVersion, hw.ComputeCapability = name, uint32(vram), driver, cc
		} else {
			switch {
			case name != hw.GPUModel:
				return Hardware{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: mixed GPU models %s and %s: an attestation describes one GPU class; declare the GPUs to offer in a hardware file", where, quote(hw.GPUModel), quote(name))
			case driver != hw.DriverVersion:
				return Hardware{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: driver_version %s differs from %s", where, quote(driver), quote(hw.DriverVersion))
			case cc != hw.ComputeCapability:
				return Hardware{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: compute_cap %s differs from %s", where, quote(cc), quote(hw.ComputeCapability))
			}
			hw.VRAMMiB = min(hw.VRAMMiB, uint32(vram))
		}
		hw.DeviceIDs = append(hw.DeviceIDs, uuid)
		hw.GPUCount++
	}
	if hw.GPUCount == 0 {
		return Hardware{}, gpumarket.Errorf(gpumarket.EINVALID, "nvidia-smi reported no GPUs")
	}
	if err := hw.Validate(); err != nil {
		return Hardware{}, fmt.Errorf("nvidia-smi output: %w", err)
	}
	return hw, nil
}

// quote quotes s for an error message, shortened to 80 bytes.
func quote(s string) string {
	if len(s) > 80 {
		return strconv.Quote(s[:80]) + "..."
	}
	return strconv.Quote(s)
}
