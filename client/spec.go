package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gpumarket/gpumarket"
)

// MaxInlineInputBytes is the largest input file embedded in a spec as a
// data: URI when the Client has no BlobStore: its base64 fits the spec's
// URI limit, and a few fit in gpumarket.MaxJobSpecBytes.
const MaxInlineInputBytes = 32 << 10

// SceneInput is the name of a render job's .blend input, as the blender
// engine reads it (the demo executor ignores it).
const SceneInput = "scene"

// ParamsInput is the name of the spec input holding the executor's
// parameters (a JSON object in a data: URI), as the demo executor reads it.
const ParamsInput = "params"

// Defaults of SpecRequest.
const (
	DefaultMinVRAMMiB = 8_000
	DefaultGPUCount   = 1
	defaultMaxTokens  = 128
)

// SpecRequest describes a job spec to build.
type SpecRequest struct {
	Kind  gpumarket.JobKind
	Model string
	// Params are the executor's parameters (a JSON object: prompt,
	// max_tokens, text, width, ...), embedded as the ParamsInput input.
	Params map[string]any
	// Inputs are files the job reads, uploaded to the BlobStore or embedded.
	Inputs     []InputFile
	MinVRAMMiB uint32             // 0: DefaultMinVRAMMiB
	GPUCount   uint32             // 0: DefaultGPUCount
	Estimate   gpumarket.Estimate // zero: EstimateFor(Kind, Params)
}

// InputFile is a file input: the name the executor knows it by, and its
// path.
type InputFile struct {
	Name string
	Path string
}

// EstimateFor estimates a job's work from its parameters: llm input tokens
// as one per 4 bytes of "prompt" and output tokens as "max_tokens" (128 by
// default), tts characters of "text", render "frames" (1 by default) or
// "frame_start" (1 by default) to "frame_end",
// stt "audio_seconds". A zero estimate is refused later by validation.
func EstimateFor(kind gpumarket.JobKind, params map[string]any) gpumarket.Estimate {
	num := func(key string, def uint64) uint64 {
		switch v := params[key].(type) {
		case int:
			if v > 0 {
				return uint64(v)
			}
		case uint64:
			return v
		case float64:
			if v > 0 {
				return uint64(v)
			}
		}
		return def
	}
	str, _ := params["prompt"].(string)
	switch kind {
	case gpumarket.JobKindLLM:
		return gpumarket.Estimate{InputTokens: uint64(len(str)/4 + 1), OutputTokens: num("max_tokens", defaultMaxTokens)}
	case gpumarket.JobKindTTS:
		text, _ := params["text"].(string)
		return gpumarket.Estimate{Characters: uint64(len([]rune(text)))}
	case gpumarket.JobKindRender:
		if end, ok := frameNumber(params["frame_end"]); ok {
			start, ok := frameNumber(params["frame_start"])
			if !ok {
				start = 1
			}
			if end >= start {
				return gpumarket.Estimate{Frames: end - start + 1}
			}
		}
		return gpumarket.Estimate{Frames: num("frames", 1)}
	case gpumarket.JobKindSTT:
		return gpumarket.Estimate{AudioSeconds: num("audio_seconds", 0)}
	}
	return gpumarket.Estimate{}
}

// frameNumber returns v as a frame number (a non-negative integer), or
// false.
func frameNumber(v any) (uint64, bool) {
	switch v := v.(type) {
	case int:
		return uint64(v), v >= 0
	case uint64:
		return v, true
	case float64:
		return uint64(v), v >= 0 && v == float64(uint64(v))
	}
	return 0, false
}

// BuildSpec builds, validates (gpumarket.DecodeJobSpec) and returns the JSON
// of the job spec req describes. Input files go to the BlobStore, or are
// embedded as data: URIs when there is none (and, with
// Config.InlineSmallInputs, when they are at most MaxInlineInputBytes). It returns an EINVALID error
// naming the problem: an input file that is missing, unreadable or over the
// limit, a spec that does not validate (unsupported kind, no model, empty
// estimate) or is larger than gpumarket.MaxJobSpecBytes.
func (c *Client) BuildSpec(ctx context.Context, req SpecRequest) ([]byte, error) {
	var blobs BlobStore
	inlineSmall := false
	if c != nil {
		blobs, inlineSmall = c.cfg.Blobs, c.cfg.InlineSmallInputs
	}
	return buildSpec(ctx, req, blobs, inlineSmall)
}

// buildSpec builds req's spec, uploading input files to blobs (nil: every
// file embedded) except, with inlineSmall, those of at most
// MaxInlineInputBytes.
func buildSpec(ctx context.Context, req SpecRequest, blobs BlobStore, inlineSmall bool) ([]byte, error) {
	if !req.Kind.Valid() {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "spec: kind %d is not render, tts, stt or llm", req.Kind)
	}
	s := gpumarket.JobSpec{Kind: req.Kind, Model: req.Model,
		Requirements: gpumarket.Requirements{MinVRAMMiB: req.MinVRAMMiB, GPUCount: req.GPUCount, Estimate: req.Estimate}}
	if s.Requirements.MinVRAMMiB == 0 {
		s.Requirements.MinVRAMMiB = DefaultMinVRAMMiB
	}
	if s.Requirements.GPUCount == 0 {
		s.Requirements.GPUCount = DefaultGPUCount
	}
	if s.Requirements.Estimate == (gpumarket.Estimate{}) {
		s.Requirements.Estimate = EstimateFor(req.Kind, req.Params)
	}
	if req.Params != nil {
		p, err := json.Marshal(req.Params)
		if err != nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "spec: params: %v", err)
		}
		s.Inputs = append(s.Inputs, gpumarket.JobInput{Name: ParamsInput, URI: gpumarket.DataURI("application/json", p)})
	}
	for _, f := range req.Inputs {
		in, err := fileInput(ctx, f, blobs, inlineSmall)
		if err != nil {
			return nil, err
		}
		s.Inputs = append(s.Inputs, in)
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "spec: encode: %v", err)
	}
	if len(b) > gpumarket.MaxJobSpecBytes {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "spec is %d bytes, more than %d: use smaller inputs or a blob store", len(b), gpumarket.MaxJobSpecBytes)
	}
	if _, err := gpumarket.DecodeJobSpec(bytes.NewReader(b)); err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	return b, nil
}

// fileInput reads one input file and returns its spec entry: uploaded to
// blobs, or embedded when blobs is nil or, with inlineSmall, the file is
// at most MaxInlineInputBytes.
func fileInput(ctx context.Context, f InputFile, blobs BlobStore, inlineSmall bool) (gpumarket.JobInput, error) {
	name := f.Name
	if name == "" {
		name = filepath.Base(f.Path)
	}
	fi, err := os.Stat(f.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return gpumarket.JobInput{}, gpumarket.Errorf(gpumarket.EINVALID, "input file %s does not exist", f.Path)
	case err != nil:
		return gpumarket.JobInput{}, gpumarket.Errorf(gpumarket.EINVALID, "input file %s: %v", f.Path, errors.Unwrap(err))
	case !fi.Mode().IsRegular():
		return gpumarket.JobInput{}, gpumarket.Errorf(gpumarket.EINVALID, "input file %s is not a regular file", f.Path)
	case blobs == nil && fi.Size() > MaxInlineInputBytes:
		return gpumarket.JobInput{}, gpumarket.Errorf(gpumarket.EINVALID,
			"input file %s is %d bytes: without a blob store inputs are embedded in the spec, at most %d bytes each", f.Path, fi.Size(), MaxInlineInputBytes)
	}
	if blobs != nil && (!inlineSmall || fi.Size() > MaxInlineInputBytes) {
		sum, size, err := hashFile(f.Path)
		if err != nil {
			return gpumarket.JobInput{}, err
		}
		r, err := os.Open(f.Path)
		if err != nil {
			return gpumarket.JobInput{}, gpumarket.Errorf(gpumarket.EINVALID, "input file %s: %v", f.Path, errors.Unwrap(err))
		}
		defer r.Close()
		ref, err := blobs.Put(ctx, r, size, sum)
		if err != nil {
			return gpumarket.JobInput{}, fmt.Errorf("upload input %s: %w", f.Path, err)
		}
		if ref.SHA256 != sum || ref.SizeBytes != size {
			return gpumarket.JobInput{}, gpumarket.Errorf(gpumarket.EINVALID, "upload input %s: the store answered sha256 %s size %d, the file is %s size %d", f.Path, ref.SHA256, ref.SizeBytes, sum, size)
		}
		return gpumarket.JobInput{Name: name, URI: ref.URI, SHA256: sum, SizeBytes: uint64(size)}, nil
	}
	b, err := os.ReadFile(f.Path)
	if err != nil {
		return gpumarket.JobInput{}, gpumarket.Errorf(gpumarket.EINVALID, "input file %s: %v", f.Path, errors.Unwrap(err))
	}
	if len(b) > MaxInlineInputBytes { // grew since Stat
		return gpumarket.JobInput{}, gpumarket.Errorf(gpumarket.EINVALID, "input file %s is over %d bytes", f.Path, MaxInlineInputBytes)
	}
	sum := sha256.Sum256(b)
	return gpumarket.JobInput{Name: name, URI: gpumarket.DataURI(mediaType(f.Path), b), SHA256: hex.EncodeToString(sum[:]), SizeBytes: uint64(len(b))}, nil
}

func hashFile(path string) (string, int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", 0, gpumarket.Errorf(gpumarket.EINVALID, "input file %s: %v", path, errors.Unwrap(err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), int64(len(b)), nil
}

func mediaType(path string) string {
	if t := mime.TypeByExtension(filepath.Ext(path)); t != "" {
		if mt, _, err := mime.ParseMediaType(t); err == nil {
			return mt
		}
	}
	return "application/octet-stream"
}

// ParseFrames parses a frame range "1-4" or a count "4" and returns the
// number of frames. It returns an EINVALID error for anything else.
func ParseFrames(s string) (uint64, error) {
	first, last, err := ParseFrameRange(s)
	if err != nil {
		return 0, err
	}
	return last - first + 1, nil
}

// ParseFrameRange parses a frame range "first-last" (0-4; frame numbers
// start at 0 in Blender) or a count "4" (frames 1 to 4) and returns its
// first and last frame. It returns an EINVALID error for anything else.
func ParseFrameRange(s string) (first, last uint64, err error) {
	a, b, isRange := strings.Cut(s, "-")
	first, err1 := strconv.ParseUint(a, 10, 32)
	if !isRange {
		if err1 != nil || first == 0 {
			return 0, 0, gpumarket.Errorf(gpumarket.EINVALID, "frames %.64q: want a count (4) or a range (1-4)", s)
		}
		return 1, first, nil
	}
	last, err2 := strconv.ParseUint(b, 10, 32)
	if err1 != nil || err2 != nil || last < first {
		return 0, 0, gpumarket.Errorf(gpumarket.EINVALID, "frames %.64q: want a count (4) or a range first-last (1-4)", s)
	}
	return first, last, nil
}

// WAVSeconds returns the duration of a PCM WAV file's audio, rounded up,
// from its header (for an stt estimate). It returns an EINVALID error for a
// file that is not a RIFF/WAVE with fmt and data chunks.
func WAVSeconds(b []byte) (uint64, error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return 0, gpumarket.Errorf(gpumarket.EINVALID, "audio is not a WAV (RIFF/WAVE) file")
	}
	var byteRate uint32
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(le32(b[p+4:p+8]))
		body := p + 8
		switch id {
		case "fmt ":
			if body+12 > len(b) {
				return 0, gpumarket.Errorf(gpumarket.EINVALID, "WAV fmt chunk is truncated")
			}
			byteRate = le32(b[body+8 : body+12])
		case "data":
			if byteRate == 0 {
				return 0, gpumarket.Errorf(gpumarket.EINVALID, "WAV data before a valid fmt chunk")
			}
			if size > len(b)-body {
				size = len(b) - body
			}
			return (uint64(size) + uint64(byteRate) - 1) / uint64(byteRate), nil
		}
		p = body + size + size%2
	}
	return 0, gpumarket.Errorf(gpumarket.EINVALID, "WAV file has no data chunk")
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
