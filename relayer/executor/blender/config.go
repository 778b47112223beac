package blender

import (
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// Device is the Cycles device a provider renders on.
type Device string

// The devices Config.Device may name.
const (
	DeviceCPU   Device = "CPU"
	DeviceCUDA  Device = "CUDA"
	DeviceOptiX Device = "OPTIX"
	DeviceHIP   Device = "HIP"
	DeviceMetal Device = "METAL"
)

// devices maps each device to the integer settings.py takes (its DEVICES).
var devices = map[Device]int{DeviceCPU: 0, DeviceCUDA: 1, DeviceOptiX: 2, DeviceHIP: 3, DeviceMetal: 4}

// Config configures an [Executor]. Zero values take the defaults named on
// each field.
type Config struct {
	// Binary is the Blender executable: an absolute path, or a name looked
	// up in PATH when New runs. Default "blender".
	Binary string
	// WorkRoot is the existing directory under which each job's work dir is
	// created (it holds the .blend, the frames and the tar). Default
	// os.TempDir().
	WorkRoot string
	// Device is the Cycles device: CPU, CUDA, OPTIX, HIP or METAL (every
	// device of that type Blender finds is used; none found fails the job).
	// Default CPU.
	Device Device
	// Threads is Blender's render threads (-t), 1..1024; 0 leaves Blender's
	// default (one per CPU).
	Threads int
	// Models lists the market model names served (such as "cycles-3.4");
	// empty: every model name.
	Models []string
	// MaxResolution bounds a job's width and height, each. Default 4096.
	MaxResolution int
	// MaxPixels bounds width*height. Default MaxResolution squared.
	MaxPixels int64
	// MaxSamples bounds a job's Cycles samples. Default 4096.
	MaxSamples int
	// MaxFrames bounds the frames of one job. Default 250.
	MaxFrames int
	// Timeout bounds each job, the download of its .blend included (the
	// job's deadline may bound it further). Default 30m.
	Timeout time.Duration
	// MaxInputBytes bounds the .blend file. Default 512 MiB.
	MaxInputBytes int64
	// MaxOutputBytes bounds the frames Blender writes, together (the
	// command executor's work dir cap and RLIMIT_FSIZE are this plus
	// MaxInputBytes and 64 MiB of slack). Default 2 GiB.
	MaxOutputBytes int64
	// MaxSpecBytes bounds the job spec. Default gpumarket.MaxJobSpecBytes.
	MaxSpecBytes int
	// AllowPrivateInputs permits a .blend on loopback, private and other
	// non-public addresses (a matcher on the provider's own network, the
	// tests); off, such a URL is refused without being contacted.
	AllowPrivateInputs bool
}

// Defaults of Config.
const (
	DefaultBinary         = "blender"
	DefaultMaxResolution  = 4096
	DefaultMaxSamples     = 4096
	DefaultMaxFrames      = 250
	DefaultTimeout        = 30 * time.Minute
	DefaultMaxInputBytes  = 512 << 20
	DefaultMaxOutputBytes = 2 << 30
	maxLogBytes           = 16 << 20 // Blender prints a progress line per update
	workDirSlack          = 64 << 20
)

func (c *Config) setDefaults() {
	c.Binary = cmp.Or(c.Binary, DefaultBinary)
	c.WorkRoot = cmp.Or(c.WorkRoot, os.TempDir())
	c.Device = cmp.Or(c.Device, DeviceCPU)
	c.MaxResolution = cmp.Or(c.MaxResolution, DefaultMaxResolution)
	c.MaxPixels = cmp.Or(c.MaxPixels, int64(c.MaxResolution)*int64(c.MaxResolution))
	c.MaxSamples = cmp.Or(c.MaxSamples, DefaultMaxSamples)
	c.MaxFrames = cmp.Or(c.MaxFrames, DefaultMaxFrames)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.MaxInputBytes = cmp.Or(c.MaxInputBytes, DefaultMaxInputBytes)
	c.MaxOutputBytes = cmp.Or(c.MaxOutputBytes, DefaultMaxOutputBytes)
	c.MaxSpecBytes = cmp.Or(c.MaxSpecBytes, gpumarket.MaxJobSpecBytes)
}

// validate checks the settings and resolves Binary to an absolute path.
func (c *Config) validate() error {
	bad := func(field, format string, args ...any) error {
		return &executor.ConfigError{Executor: "blender", Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	path, err := exec.LookPath(c.Binary)
	if err != nil {
		return bad("Binary", "%v", err)
	}
	c.Binary = path
	if _, ok := devices[c.Device]; !ok {
		return bad("Device", "%q: want CPU, CUDA, OPTIX, HIP or METAL", c.Device)
	}
	if c.Threads < 0 || c.Threads > 1024 {
		return bad("Threads", "%d: want 0 to 1024", c.Threads)
	}
	for _, m := range c.Models {
		if m == "" || len(m) > 128 {
			return bad("Models", "want names of 1 to 128 bytes")
		}
	}
	switch {
	case c.MaxResolution < 1 || c.MaxResolution > 65536:
		return bad("MaxResolution", "%d: want 1 to 65536", c.MaxResolution)
	case c.MaxPixels < 1:
		return bad("MaxPixels", "%d: want at least 1", c.MaxPixels)
	case c.MaxSamples < 1 || c.MaxSamples > 1<<20:
		return bad("MaxSamples", "%d: want 1 to %d", c.MaxSamples, 1<<20)
	case c.MaxFrames < 1 || c.MaxFrames > 100000:
		return bad("MaxFrames", "%d: want 1 to 100000", c.MaxFrames)
	case c.Timeout < 0:
		return bad("Timeout", "negative")
	case c.MaxInputBytes < 1 || c.MaxOutputBytes < 1 || c.MaxSpecBytes < 1:
		return bad("MaxInputBytes/MaxOutputBytes/MaxSpecBytes", "want positive sizes")
	}
	return nil
}
