package speech

import (
	"context"
	"strings"
	"testing"
)

// TestJSONUtterances reads pocketsphinx 5.x's output of `single`: one JSON
// object per utterance, its text in "t".
func TestJSONUtterances(t *testing.T) {
	tests := []struct {
		name, out, want, wantErr string
	}{
		{"two utterances", `{"b":0.000,"d":1.230,"p":0.9,"t":"hello world","w":[]}` + "\n" + `{"b":1.5,"d":0.5,"p":1,"t":"again"}` + "\n", "hello world again", ""},
		{"silence", `{"b":0,"d":0.1,"p":1,"t":""}` + "\n\n", "", ""},
		{"not JSON", "hello world\n", "", "not JSON lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jsonUtterances([]byte(tt.out))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("jsonUtterances = %q, %v; want an error naming %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("jsonUtterances = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestRunRefusesWithoutAJob(t *testing.T) {
	t.Setenv(envJobID, "")
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"no recipe", nil, nil, "name a recipe"},
		{"not started by the command executor", []string{RecipeESpeak}, nil, envJobID},
		{"unknown recipe", []string{"festival"}, map[string]string{envJobID: "1", envJobKind: "tts", envSpecFile: "/w/spec.json", envOutputFile: "/w/output"}, `unknown recipe "festival"`},
		{"relative output", []string{RecipeESpeak}, map[string]string{envJobID: "1", envJobKind: "tts", envSpecFile: "/w/spec.json", envOutputFile: "output"}, "absolute paths"},
		{"bad arguments", []string{RecipeESpeak, "-espeak", "espeak-ng"}, map[string]string{envJobID: "1", envJobKind: "tts", envSpecFile: "/w/spec.json", envOutputFile: "/w/output"}, "absolute -espeak"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if err := Run(context.Background(), tt.args); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Run = %v, want an error naming %q", err, tt.wantErr)
			}
		})
	}
}
