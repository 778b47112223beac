package openai

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func readEvents(r io.Reader, maxLine int) ([]string, error) {
	s := newSSEReader(r, maxLine)
	var out []string
	for {
		d, err := s.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, string(d))
	}
}

func TestSSEReader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr error
	}{
		{"LF", "data: a\n\ndata: b\n\n", []string{"a", "b"}, nil},
		{"CRLF", "data: a\r\n\r\ndata: b\r\n\r\n", []string{"a", "b"}, nil},
		{"CR", "data: a\r\rdata: b\r\r", []string{"a", "b"}, nil},
		{"no space after colon", "data:a\n\n", []string{"a"}, nil},
		{"two spaces keep one", "data:  a\n\n", []string{" a"}, nil},
		{"multi-line data", "data: {\"a\":\ndata: 1}\n\n", []string{"{\"a\":\n1}"}, nil},
		{"comments and other fields", ": ping\nevent: message\nid: 7\nretry: 10\ndata: x\n\n", []string{"x"}, nil},
		{"events without data are skipped", "event: ping\n\n\n\ndata: y\n\n", []string{"y"}, nil},
		{"unterminated last event", "data: a\n\ndata: [DONE]", []string{"a", "[DONE]"}, nil},
		{"field without colon", "data\n\n", []string{""}, nil},
		{"line too long", "data: " + strings.Repeat("x", 100) + "\n\n", nil, errSSELine},
		{"event too long across lines", strings.Repeat("data: xxxxxxxxxx\n", 10) + "\n", nil, errSSELine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readEvents(strings.NewReader(tt.in), 64)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("events = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestSSEReaderOneByteAtATime feeds a recorded stream one byte per Read, so
// that every line ending (CR then LF) straddles a read.
func TestSSEReaderOneByteAtATime(t *testing.T) {
	body := loadRecording(t, "llamacpp/chat_stream.http").body
	body = bytes.ReplaceAll(body, []byte("\n"), []byte("\r\n"))
	want, err := readEvents(bytes.NewReader(body), maxEventBytes)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readEvents(oneByteReader{bytes.NewReader(body)}, maxEventBytes)
	if err != nil || strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(want) != 21 {
		t.Errorf("one byte at a time: %d events, %v; whole: %d events", len(got), err, len(want))
	}
}

type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

// referenceEvents is a direct transcription of the WHATWG event stream
// parsing rules (data field only), used to check the reader.
func referenceEvents(in string) []string {
	in = strings.ReplaceAll(in, "\r\n", "\n")
	in = strings.ReplaceAll(in, "\r", "\n")
	var out []string
	var data []string
	has := false
	for _, line := range strings.Split(in, "\n") {
		if line == "" {
			if has {
				out = append(out, strings.Join(data, "\n"))
			}
			data, has = nil, false
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		field, value, found := strings.Cut(line, ":")
		if found {
			value = strings.TrimPrefix(value, " ")
		}
		if field == "data" {
			data = append(data, value)
			has = true
		}
	}
	// Unlike a browser, the reader delivers an event cut off by the end of
	// the stream (servers close right after their last data line).
	if has {
		out = append(out, strings.Join(data, "\n"))
	}
	return out
}

// FuzzSSEReader compares the reader with the reference on arbitrary input
// (when no event is over the limit) and checks that it never returns an
// event over the limit.
func FuzzSSEReader(f *testing.F) {
	for _, file := range []string{"vllm/chat_stream.http", "llamacpp/chat_stream.http", "ollama/chat_stream.http", "vllm/chat_stream_error.http"} {
		f.Add(string(loadRecording(f, file).body))
	}
	f.Add("data: a\r\rdata: b\r\n\r\n: c\n")
	f.Add("data:x\ndata\n\ndata: [DONE]")
	f.Fuzz(func(t *testing.T, in string) {
		const limit = 256
		got, err := readEvents(strings.NewReader(in), limit)
		for _, e := range got {
			if len(e) > limit {
				t.Fatalf("event of %d bytes over the limit %d", len(e), limit)
			}
		}
		if err != nil {
			if !errors.Is(err, errSSELine) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		want := referenceEvents(in)
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Fatalf("events %q, reference %q", got, want)
		}
	})
}
