// Package wav measures WAV audio: the format in a RIFF/WAVE (or RF64)
// header and the duration of the audio bytes actually present. It is the
// one WAV parser of the executors that measure audio usage (the
// OpenAI-compatible TTS and STT executors, the CPU engines).
//
// Invariants:
//   - Durations are computed from the bytes present, never from a length
//     the file declares.
//   - Parse never reads past its input and returns errors wrapping
//     [ErrNotWAV] that name the problem without quoting the input beyond a
//     four-byte chunk id made printable.
package wav

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Info is what a reader learns from a WAV file's header and the bytes
// that follow it. The durations are computed from the audio bytes actually
// present, never from a length the file declares: servers that stream their
// output write 0 or 0xFFFFFFFF as the data size, and a truncated file
// declares more than it holds.
type Info struct {
	Format        uint16 // 1 PCM, 3 IEEE float, 6 A-law, 7 µ-law, 0xFFFE extensible
	Channels      uint16
	SampleRate    uint32
	BitsPerSample uint16
	BlockAlign    uint16
	// DataOffset and DataBytes locate the audio in the file: whole frames
	// only (a trailing partial frame is not counted).
	DataOffset int
	DataBytes  int
}

// Frames returns the number of sample frames in the data chunk.
func (w Info) Frames() uint64 { return uint64(w.DataBytes) / uint64(w.BlockAlign) }

// Milliseconds returns the audio's duration rounded down to the millisecond
// (how TTS output audio is counted: never more than was made).
func (w Info) Milliseconds() uint64 { return w.Frames() * 1000 / uint64(w.SampleRate) }

// Seconds returns the audio's duration rounded up to the second (how STT
// audio is counted: a started second is a second).
func (w Info) Seconds() uint64 {
	return (w.Frames() + uint64(w.SampleRate) - 1) / uint64(w.SampleRate)
}

// ErrNotWAV is returned (wrapped) by Parse for bytes that are not a WAV
// file the executor can measure.
var ErrNotWAV = errors.New("not a WAV file")

// UnknownSize is the RIFF or data size a streaming writer puts in the header
// when it does not know the length yet.
const UnknownSize = 0xFFFFFFFF

// Parse reads the RIFF/WAVE header of b: the fmt chunk, then the data
// chunk, skipping any other chunk (LIST, fact, cue, JUNK, …) on the way and
// honouring the pad byte after odd-sized chunks. RF64 files are accepted
// with the same rule as streamed WAVs: the data runs to the end of b. The
// data chunk's declared size is trusted only when it is no larger than the
// bytes present; 0 and 0xFFFFFFFF mean "to the end". It returns an error
// wrapping ErrNotWAV naming what is wrong: not RIFF/WAVE, a missing or
// malformed fmt chunk, no data chunk, a truncated chunk, or an implausible
// format (channels, rate, sample size).
func Parse(b []byte) (Info, error) {
	bad := func(format string, args ...any) (Info, error) {
		return Info{}, fmt.Errorf("%w: %s", ErrNotWAV, fmt.Sprintf(format, args...))
	}
	if len(b) < 12 {
		return bad("%d bytes, shorter than a RIFF header", len(b))
	}
	if id := string(b[0:4]); id != "RIFF" && id != "RF64" || string(b[8:12]) != "WAVE" {
		return bad("no RIFF/WAVE signature")
	}
	var w Info
	haveFmt := false
	off := 12
	for {
		if len(b)-off < 8 {
			return bad("no data chunk")
		}
		id := string(b[off : off+4])
		size := binary.LittleEndian.Uint32(b[off+4 : off+8])
		body := off + 8
		rest := len(b) - body
		if id == "data" {
			if !haveFmt {
				return bad("data chunk before the fmt chunk")
			}
			n := rest
			if size != 0 && size != UnknownSize && uint64(size) < uint64(rest) {
				n = int(size)
			}
			w.DataOffset = body
			w.DataBytes = n - n%int(w.BlockAlign)
			return w, nil
		}
		if uint64(size) > uint64(rest) {
			return bad("chunk %q declares %d bytes, %d present", printableID(id), size, rest)
		}
		if id == "fmt " {
			if size < 16 {
				return bad("fmt chunk of %d bytes, want at least 16", size)
			}
			f := b[body : body+16]
			w.Format = binary.LittleEndian.Uint16(f[0:2])
			w.Channels = binary.LittleEndian.Uint16(f[2:4])
			w.SampleRate = binary.LittleEndian.Uint32(f[4:8])
			w.BlockAlign = binary.LittleEndian.Uint16(f[12:14])
			w.BitsPerSample = binary.LittleEndian.Uint16(f[14:16])
			if err := w.checkFormat(); err != nil {
				return bad("%v", err)
			}
			haveFmt = true
		}
		off = body + int(size) + int(size&1)
		if off > len(b) { // the pad byte of a last odd chunk may be missing
			off = len(b)
		}
	}
}

func (w Info) checkFormat() error {
	switch w.Format {
	case 1, 3, 6, 7, 0xFFFE:
	default:
		return fmt.Errorf("format tag 0x%04x is not PCM, float, A-law or µ-law", w.Format)
	}
	if w.Channels == 0 || w.Channels > 32 {
		return fmt.Errorf("%d channels", w.Channels)
	}
	if w.SampleRate < 1000 || w.SampleRate > 768000 {
		return fmt.Errorf("sample rate %d Hz", w.SampleRate)
	}
	if w.BitsPerSample == 0 || w.BitsPerSample > 64 {
		return fmt.Errorf("%d bits per sample", w.BitsPerSample)
	}
	if want := uint32(w.Channels) * ((uint32(w.BitsPerSample) + 7) / 8); uint32(w.BlockAlign) != want {
		return fmt.Errorf("block align %d, want %d for %d channels of %d bits", w.BlockAlign, want, w.Channels, w.BitsPerSample)
	}
	return nil
}

// printableID returns a chunk id for an error message, with bytes outside
// printable ASCII replaced.
func printableID(id string) string {
	b := []byte(id)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}

// Trim returns a copy of b (a RIFF file info was parsed from) holding
// exactly the audio info measured: cut after the data chunk's whole frames,
// with the RIFF and data sizes written in. A reader that trusts the
// declared sizes (sox, an engine) then hears the audio that was counted,
// no more and no less. An RF64 file is returned cut but with its sizes as
// they were (its real sizes live in the ds64 chunk).
func Trim(b []byte, info Info) []byte {
	end := info.DataOffset + info.DataBytes
	out := append([]byte(nil), b[:end]...)
	if string(out[0:4]) == "RIFF" && info.DataOffset >= 8 {
		binary.LittleEndian.PutUint32(out[info.DataOffset-4:info.DataOffset], uint32(info.DataBytes))
		binary.LittleEndian.PutUint32(out[4:8], uint32(end-8))
	}
	return out
}
