//go:build linux

package blender_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/blender"
)

// A provider renders on its GPU with OptiX, up to 4K and 1024 samples; the
// job's .blend comes from the matcher's blob store. (The binary's main must
// call executor.RunLimitedMain first.)
func ExampleNew() {
	e, err := blender.New(blender.Config{
		Binary:        "/opt/blender-4.1/blender", // a blender.org build: Debian's has no CUDA/OptiX
		Device:        blender.DeviceOptiX,
		Models:        []string{"cycles-4.1"},
		MaxResolution: 3840,
		MaxSamples:    1024,
		MaxFrames:     100,
		Timeout:       time.Hour,
	}, slog.Default())
	if err != nil {
		fmt.Println(err)
		return
	}
	params, _ := json.Marshal(blender.Params{Width: 1920, Height: 1080, Samples: 128})
	spec, _ := json.Marshal(gpumarket.JobSpec{
		Kind: gpumarket.JobKindRender, Model: "cycles-4.1",
		Inputs: []gpumarket.JobInput{
			{Name: blender.SceneInput, URI: "https://matcher.example/v1/blobs/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
				SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", SizeBytes: 1 << 20},
			{Name: blender.ParamsInput, URI: gpumarket.DataURI("application/json", params)},
		},
		Requirements: gpumarket.Requirements{GPUCount: 1, Estimate: gpumarket.Estimate{Frames: 1}},
	})
	job := executor.Job{ID: 42, Kind: gpumarket.JobKindRender, Spec: spec}
	ctx := context.Background()
	if err := e.Preflight(ctx, job); err != nil {
		fmt.Println(err)
		return
	}
	res, err := e.Run(ctx, job)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	fmt.Println(res.ContentType, res.Usage.Units1, "frame(s),", res.Usage.Units2, "GPU-seconds")
}
