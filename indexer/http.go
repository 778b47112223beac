package indexer

import (
	"encoding/json"
	"net/http"
)

// Health serves /healthz (200 unless the indexer stopped on a critical
// error or is stuck: behind the head, failing, and without progress for
// Config.StuckAfter) and /readyz (200 only when caught up: not backfilling, healthy and
// within maxLag blocks of the head).
func (ix *Indexer) Health(maxLag uint64) http.Handler {
	mux := http.NewServeMux()
	write := func(w http.ResponseWriter, ok bool, st Status) {
		w.Header().Set("Content-Type", "application/json")
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(st)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		st := ix.Status()
		write(w, st.Healthy && !st.Stuck, st)
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		st := ix.Status()
		write(w, st.Healthy && !st.Stuck && !st.Backfilling && st.Head <= st.Indexed+maxLag, st)
	})
	return mux
}
