package api

import "testing"

// FuzzParseEventCursor: any accepted Last-Event-ID re-encodes to an id
// that parses to the same cursor; an id of seven fields has no block hash.
func FuzzParseEventCursor(f *testing.F) {
	for _, s := range []string{"", "1.2.3", "10.0.1.0.0.0.0", "10.0.1.5.3.2.1.1234567890123", "1.2.1.0.0.0.0.-1", "9.9.9.9.9.9.9.9.9", "1.4294967296.0.0.0.0.0.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseEventCursor(s)
		if err != nil {
			return
		}
		again, err := parseEventCursor(c.String())
		if err != nil || again != c {
			t.Fatalf("parse(%q) = %+v; its id %q parses to %+v, %v", s, c, c.String(), again, err)
		}
	})
}

func TestParseEventCursorFields(t *testing.T) {
	for _, tt := range []struct {
		id   string
		ok   bool
		fork uint64
	}{
		{"10.0.1.0.0.0.0", true, 0},
		{"10.0.1.0.0.0.0.77", true, 77},
		{"10.0.1.0.0.0.0.-1", false, 0},
		{"10.0.1.0.0.0.0.1.2", false, 0},
		{"10.0.2.0.0.0.0.1", false, 0},
	} {
		c, err := parseEventCursor(tt.id)
		if (err == nil) != tt.ok || c.fork != tt.fork {
			t.Errorf("parseEventCursor(%q) = %+v, %v; want ok %v, fork %d", tt.id, c, err, tt.ok, tt.fork)
		}
	}
}
