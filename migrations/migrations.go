// Package migrations embeds the PostgreSQL schema: numbered SQL files in
// goose format (-- +goose Up / -- +goose Down), applied in order by
// `gpumarket migrate up` through internal/postgres. Files are never edited
// once released; a change is a new numbered file.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
