package main

import (
	"context"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket/relayer/executor/speech"
)

// engineCommand is `gpumarket engine <recipe> …`: a shipped engine recipe
// (speech.RecipeESpeak, speech.RecipePocketsphinx) that the relayer's
// command executor starts for one job, in the job's working directory. Its
// arguments are written by the relayer (package speech); it is not meant
// to be run by hand.
func engineCommand() *cli.Command {
	return &cli.Command{
		Name:            "engine",
		Usage:           "run a shipped engine recipe for one job of the relayer's command executor (" + speech.RecipeESpeak + ", " + speech.RecipePocketsphinx + "); started by the relayer",
		Hidden:          true,
		SkipFlagParsing: true,
		Action: func(ctx context.Context, cmd *cli.Command) error {
			return speech.Run(ctx, cmd.Args().Slice())
		},
	}
}
