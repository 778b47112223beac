package api_test

import (
	"net/url"
	"os"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/api"
)

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile("../../testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// checkInvalid fails unless err is nil or an EINVALID error: a decoder must
// never panic nor report bad input as anything else.
func checkInvalid(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil && gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("%s: error %v has code %q, want %q", what, err, gpumarket.ErrorCode(err), gpumarket.EINVALID)
	}
}

func FuzzDecodeAttestationRequest(f *testing.F) {
	att := readTestdata(f, "attestation.json")
	f.Add([]byte(`{"chain_id":31337,"attestation":` + string(att) + `,"signature":"0x` + string(make([]byte, 0)) + `"}`))
	f.Add([]byte(`{"chain_id":1,"attestation":{},"signature":"0x00"}`))
	f.Add([]byte(`{"chain_id":-1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		req, a, sig, err := api.DecodeAttestationRequest(b)
		checkInvalid(t, "DecodeAttestationRequest", err)
		if err == nil && (req == nil || a == nil || len(sig) != 65 || a.Validate() != nil) {
			t.Fatalf("DecodeAttestationRequest accepted %q with %v %v %x", b, req, a, sig)
		}
	})
}

func FuzzDecodeHeartbeatRequest(f *testing.F) {
	hb := readTestdata(f, "heartbeat.json")
	f.Add([]byte(`{"chain_id":31337,"heartbeat":` + string(hb) + `,"signature":"0x00"}`))
	f.Add([]byte(`{"chain_id":31337,"heartbeat":{"sequence":-1}}`))
	f.Add([]byte(`{"chain_id":1e309}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, h, sig, err := api.DecodeHeartbeatRequest(b)
		checkInvalid(t, "DecodeHeartbeatRequest", err)
		if err == nil && (h.Validate() != nil || len(sig) != 65) {
			t.Fatalf("DecodeHeartbeatRequest accepted %q", b)
		}
	})
}

func FuzzDecodeQuoteRequest(f *testing.F) {
	spec := readTestdata(f, "jobspec.json")
	f.Add([]byte(`{"spec":` + string(spec) + `,"token":"0x5fbdb2315678afecb367f032d93f642f64180aa3"}`))
	f.Add([]byte(`{"spec":null,"token":""}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		sp, _, err := api.DecodeQuoteRequest(b)
		checkInvalid(t, "DecodeQuoteRequest", err)
		if err == nil && sp.Validate() != nil {
			t.Fatalf("DecodeQuoteRequest accepted an invalid spec %q", b)
		}
	})
}

func FuzzParseProviderFilter(f *testing.F) {
	f.Add("capability=llm&model=llama-3-8b&min_vram_mib=16000&region=eu-west&limit=10")
	f.Add("model=x%27%20OR%201%3D1--&limit=-1")
	f.Add("after=0x0000000000000000000000000000000000000001&limit=500")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		fl, err := api.ParseProviderFilter(31337, q)
		if err != nil {
			return // every rejection is a 400 (checked by the API test)
		}
		if fl.Limit < 1 || fl.Limit > api.MaxLimit || fl.MinVRAMMiB > gpumarket.MaxVRAMMiB {
			t.Fatalf("ParseProviderFilter(%q) = %+v: limits out of bounds", raw, fl)
		}
		for _, s := range []string{fl.Model, fl.Region} {
			for _, c := range s {
				if c == '\'' || c == ';' || c == ' ' || c == '"' || c == '\\' || c < 0x20 {
					t.Fatalf("ParseProviderFilter(%q) let %q through", raw, s)
				}
			}
		}
	})
}

func FuzzParseJobFilter(f *testing.F) {
	f.Add("state=open&limit=10")
	f.Add("before=115792089237316195423570985008687907853269984665640564039457584007913129639935")
	f.Add("state=open%27%20OR%201=1&before=-1&limit=0")
	f.Add("limit=1&limit=2")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		jf, err := api.ParseJobFilter(31337, q)
		if err != nil {
			return // every rejection is a 400 (checked by the API test)
		}
		if jf.Limit < 1 || jf.Limit > api.MaxLimit || jf.ChainID != 31337 {
			t.Fatalf("ParseJobFilter(%q) = %+v: limit or chain out of range", raw, jf)
		}
		if _, err := gpumarket.ParseJobState(jf.State); jf.State != "" && err != nil {
			t.Fatalf("ParseJobFilter(%q) accepted state %q", raw, jf.State)
		}
	})
}
