package blender

import (
	"fmt"

	"github.com/gpumarket/gpumarket"
)

// Names of a render job's inputs.
const (
	// SceneInput is the input holding the .blend file.
	SceneInput = "scene"
	// ParamsInput is the data: input holding the JSON of Params.
	ParamsInput = "params"
)

// MaxFrameNumber is the highest frame number Blender renders (its MAXFRAME).
const MaxFrameNumber = 1048574

// Params are a render job's parameters, in its ParamsInput.
type Params struct {
	// FrameStart is the first frame to render, 0..MaxFrameNumber. Default 1.
	FrameStart *int `json:"frame_start,omitempty"`
	// FrameEnd is the last frame to render, FrameStart..MaxFrameNumber; the
	// range holds at most Config.MaxFrames frames. Default FrameStart.
	FrameEnd *int `json:"frame_end,omitempty"`
	// Width and Height are the output's size in pixels, 1..MaxResolution
	// each, and Width*Height at most MaxPixels. Required.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Samples is the Cycles samples per pixel, 1..MaxSamples. Required.
	Samples int `json:"samples"`
}

// render is a job's validated parameters.
type render struct {
	start, end, width, height, samples int
}

func (r render) frames() int { return r.end - r.start + 1 }

// validate checks p against cfg's bounds and returns the render it asks for.
func (p Params) validate(id gpumarket.JobID, cfg *Config) (render, error) {
	bad := func(format string, args ...any) error {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: render params: %s", id, fmt.Sprintf(format, args...))
	}
	r := render{start: 1, width: p.Width, height: p.Height, samples: p.Samples}
	if p.FrameStart != nil {
		r.start = *p.FrameStart
	}
	r.end = r.start
	if p.FrameEnd != nil {
		r.end = *p.FrameEnd
	}
	switch {
	case r.start < 0 || r.start > MaxFrameNumber:
		return render{}, bad("frame_start %d out of range [0, %d]", r.start, MaxFrameNumber)
	case r.end < r.start || r.end > MaxFrameNumber:
		return render{}, bad("frame_end %d out of range [%d, %d]", r.end, r.start, MaxFrameNumber)
	case r.frames() > cfg.MaxFrames:
		return render{}, bad("%d frames, limit %d", r.frames(), cfg.MaxFrames)
	case r.width < 1 || r.width > cfg.MaxResolution:
		return render{}, bad("width %d out of range [1, %d]", r.width, cfg.MaxResolution)
	case r.height < 1 || r.height > cfg.MaxResolution:
		return render{}, bad("height %d out of range [1, %d]", r.height, cfg.MaxResolution)
	case int64(r.width)*int64(r.height) > cfg.MaxPixels:
		return render{}, bad("%dx%d is over %d pixels", r.width, r.height, cfg.MaxPixels)
	case r.samples < 1 || r.samples > cfg.MaxSamples:
		return render{}, bad("samples %d out of range [1, %d]", r.samples, cfg.MaxSamples)
	}
	return r, nil
}
