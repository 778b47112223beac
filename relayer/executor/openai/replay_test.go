package openai

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"flag"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated testdata (WAV bodies)")

// recording is a recorded HTTP response: a status line, headers and the body
// bytes exactly as the server sent them.
type recording struct {
	status int
	header http.Header
	body   []byte
}

// loadRecording reads testdata/<name>: an HTTP/1.1 response head, an empty
// line, then the body to the end of the file.
func loadRecording(tb testing.TB, name string) recording {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	i := bytes.Index(raw, []byte("\n\n"))
	if i < 0 {
		tb.Fatalf("%s: no empty line after the head", name)
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw[:i+2])), nil)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return recording{status: resp.StatusCode, header: resp.Header, body: raw[i+2:]}
}

// seen is one request the replay server received.
type seen struct {
	method, path string
	header       http.Header
	body         []byte
}

// replayServer answers every request with rec, byte for byte (an event
// stream in small flushed pieces, as a streaming server sends it), and
// records the requests.
type replayServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []seen
}

func newReplay(tb testing.TB, rec recording) *replayServer {
	tb.Helper()
	rs := &replayServer{}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rs.mu.Lock()
		rs.requests = append(rs.requests, seen{r.Method, r.URL.Path, r.Header.Clone(), body})
		rs.mu.Unlock()
		for k, vs := range rec.header {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.status)
		f, _ := w.(http.Flusher)
		piece := len(rec.body)
		if strings.HasPrefix(rec.header.Get("Content-Type"), "text/event-stream") {
			piece = 512
		}
		for b := rec.body; len(b) > 0; {
			n := min(len(b), piece)
			w.Write(b[:n])
			b = b[n:]
			if f != nil {
				f.Flush()
			}
		}
	}))
	tb.Cleanup(rs.Close)
	return rs
}

func (rs *replayServer) last(tb testing.TB) seen {
	tb.Helper()
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if len(rs.requests) == 0 {
		tb.Fatal("the server received no request")
	}
	return rs.requests[len(rs.requests)-1]
}

func (rs *replayServer) count() int {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return len(rs.requests)
}

// wavSpec describes a generated WAV test file.
type wavSpec struct {
	rate, frames int
	channels     int
	unknownSize  bool     // 0xFFFFFFFF in the RIFF and data sizes (a streamed file)
	before       [][]byte // whole chunks written between fmt and data
}

// makeWAV writes a 16-bit PCM WAV of a 440 Hz tone rising to 880 Hz.
func makeWAV(s wavSpec) []byte {
	if s.channels == 0 {
		s.channels = 1
	}
	var data bytes.Buffer
	for i := 0; i < s.frames; i++ {
		f := 440 + 440*float64(i)/float64(max(s.frames, 1))
		v := int16(8000 * math.Sin(2*math.Pi*f*float64(i)/float64(s.rate)))
		for c := 0; c < s.channels; c++ {
			binary.Write(&data, binary.LittleEndian, v)
		}
	}
	var extra []byte
	for _, c := range s.before {
		extra = append(extra, c...)
	}
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	riff := uint32(4 + 24 + len(extra) + 8 + data.Len())
	dataSize := uint32(data.Len())
	if s.unknownSize {
		riff, dataSize = wavUnknownSize, wavUnknownSize
	}
	b.WriteString("RIFF")
	le(riff)
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1))
	le(uint16(s.channels))
	le(uint32(s.rate))
	le(uint32(s.rate * s.channels * 2))
	le(uint16(s.channels * 2))
	le(uint16(16))
	b.Write(extra)
	b.WriteString("data")
	le(dataSize)
	b.Write(data.Bytes())
	return b.Bytes()
}

// riffChunk returns a chunk with its pad byte when the body is odd.
func riffChunk(id string, body []byte) []byte {
	var b bytes.Buffer
	b.WriteString(id)
	binary.Write(&b, binary.LittleEndian, uint32(len(body)))
	b.Write(body)
	if len(body)%2 == 1 {
		b.WriteByte(0)
	}
	return b.Bytes()
}

// ffmpegList is the LIST/INFO chunk ffmpeg's WAV muxer writes (ISFT, the
// encoder's name), as openedai-speech's ffmpeg pipeline emits it.
func ffmpegList() []byte {
	isft := riffChunk("ISFT", []byte("Lavf60.16.100\x00"))
	return riffChunk("LIST", append([]byte("INFO"), isft...))
}

// generatedWAVs are the testdata files written by makeWAV (see
// testdata/SOURCES.md): the audio bodies of the TTS recordings and the STT
// inputs.
var generatedWAVs = []struct {
	file string
	head string // an HTTP response head, or "" for a bare WAV file
	spec wavSpec
}{
	{"kokoro/speech.http", "HTTP/1.1 200 OK\ncontent-disposition: attachment; filename=speech.wav\ncache-control: no-cache\ncontent-type: audio/wav\n\n",
		wavSpec{rate: 24000, frames: 12000}},
	{"kokoro/speech_stream.http", "HTTP/1.1 200 OK\ncontent-disposition: attachment; filename=speech.wav\nx-accel-buffering: no\ncache-control: no-cache\ncontent-type: audio/wav\n\n",
		wavSpec{rate: 24000, frames: 30000, unknownSize: true}},
	{"openedai-speech/speech.http", "HTTP/1.1 200 OK\ncontent-type: audio/wav\n\n",
		wavSpec{rate: 22050, frames: 13230, unknownSize: true, before: [][]byte{ffmpegList()}}},
	{"input/speech_16k.wav", "", wavSpec{rate: 16000, frames: 20000, before: [][]byte{ffmpegList(), riffChunk("junk", []byte("odd"))}}},
	{"input/speech_8k_stereo.wav", "", wavSpec{rate: 8000, channels: 2, frames: 8000}},
}

// TestGeneratedTestdata checks that the generated testdata files are what
// makeWAV writes (go test -run TestGeneratedTestdata -update rewrites them).
func TestGeneratedTestdata(t *testing.T) {
	for _, g := range generatedWAVs {
		want := append([]byte(g.head), makeWAV(g.spec)...)
		path := filepath.Join("testdata", g.file)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what makeWAV writes; run go test -run TestGeneratedTestdata -update", g.file)
		}
	}
}
