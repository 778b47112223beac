package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"time"

	"github.com/mdp/qrterminal/v3"
	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/client"
	"github.com/gpumarket/gpumarket/internal/solana"
	matcherclient "github.com/gpumarket/gpumarket/matcher/client"
)

// solanaRunFlags are `job run`'s Solana rail flags.
func solanaRunFlags(jc *jobConfig) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "rail", Value: jc.Rail, Usage: "evm (escrow on the market chain) or solana (a Solana Pay transfer straight to the provider: no escrow)", Sources: jobEnv("rail"), Destination: &jc.Rail},
		&cli.StringFlag{Name: "solana-mint", Usage: "solana rail: SPL mint to pay in (default: the matcher's first accepted, usually SOL)", Sources: jobEnv("solana-mint"), Destination: &jc.SolanaMint},
		&cli.StringFlag{Name: "solana-keypair", Usage: "solana rail: the paying wallet's solana-keygen file; with it, wait for the result and save it at --out (the relayer serves it to this key's signature)", Sources: jobEnv("solana-keypair"), Destination: &jc.SolanaKeypair},
		&cli.DurationFlag{Name: "result-timeout", Value: jc.ResultTimeout, Usage: "solana rail, with --solana-keypair: how long to wait for the result once paid", Sources: jobEnv("result-timeout"), Destination: &jc.ResultTimeout},
		&cli.DurationFlag{Name: "pay-timeout", Value: jc.PayTimeout, Usage: "solana rail: how long to wait for the payment to be final", Sources: jobEnv("pay-timeout"), Destination: &jc.PayTimeout},
	}
}

// solanaMatcher returns the matcher client of the Solana rail commands.
func (jc *jobConfig) solanaMatcher(cmd *cli.Command) (*matcherclient.Client, error) {
	var errs []error
	if jc.MatcherURL == "" {
		errs = append(errs, flagErr(cmd, "matcher-url", "required"))
	}
	if jc.ChainID == 0 {
		errs = append(errs, flagErr(cmd, "chain-id", "required with --rail solana (the market chain the provider is registered on)"))
	}
	if err := invalid(errs...); err != nil {
		return nil, err
	}
	mc, err := matcherclient.New(jc.MatcherURL, jc.ChainID, nil)
	if err != nil {
		return nil, invalid(flagErr(cmd, "matcher-url", gpumarket.ErrorMessage(err)))
	}
	return mc, nil
}

// runSolanaJob is `job run --rail solana`: ask the matcher for a quote
// (402), print the Solana Pay transfer request and its QR code, and wait
// until the payment is final and funds the job, or is refused.
func runSolanaJob(ctx context.Context, cmd *cli.Command, jc *jobConfig, stdout, stderr io.Writer) error {
	mc, err := jc.solanaMatcher(cmd)
	if err != nil {
		return err
	}
	if jc.InputStore == "matcher" {
		return invalid(flagErr(cmd, "input-store", "matcher uploads are not available with --rail solana yet: inputs are embedded"))
	}
	if jc.PayTimeout <= 0 {
		return invalid(flagErr(cmd, "pay-timeout", "must be positive"))
	}
	var payer ed25519.PrivateKey
	if jc.SolanaKeypair != "" {
		if payer, err = solana.ReadKeypairFile(jc.SolanaKeypair); err != nil {
			return invalid(flagErr(cmd, "solana-keypair", gpumarket.ErrorMessage(err)))
		}
		if jc.Out == "" {
			return invalid(flagErr(cmd, "out", "required with --solana-keypair (where the result is saved)"))
		}
		if jc.ResultTimeout <= 0 {
			return invalid(flagErr(cmd, "result-timeout", "must be positive"))
		}
	}
	jc.InputStore = "inline"
	spec, err := jc.spec(ctx, cmd, nil)
	if err != nil {
		return err
	}
	q, err := mc.SolanaQuote(ctx, spec, jc.SolanaMint)
	if err != nil {
		return err
	}
	unit := "SOL"
	if q.Mint != "" {
		unit = "of mint " + q.Mint
	}
	fmt.Fprintf(stdout, "pay %s %s (%s base units) to provider %s's wallet %s before %s\n%s\n",
		q.AmountUI, unit, q.Amount, q.Provider, q.Recipient, q.ExpiresAt, q.URL)
	qrterminal.GenerateHalfBlock(q.URL, qrterminal.L, stdout)
	fmt.Fprintf(stderr, "%s\nwaiting for the payment to be finalized (reference %s); paid another way? gpumarket job confirm --reference %s --signature <tx>\n",
		q.Custody, q.Reference, q.Reference)
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, jc.PayTimeout)
	defer cancel()
	seen := map[string]bool{}
	for {
		pays, job, err := mc.SolanaQuoteStatus(ctx, q.Reference)
		if err != nil && ctx.Err() == nil {
			fmt.Fprintf(stderr, "status: %s (retrying)\n", gpumarket.ErrorMessage(err))
		}
		for _, p := range pays {
			if !seen[p.Signature+p.Verdict] && p.Verdict != "funds" {
				fmt.Fprintf(stderr, "payment %s does not fund the job: %s: %s\n", p.Signature, p.Verdict, p.Reason)
			}
			seen[p.Signature+p.Verdict] = true
		}
		if job != nil {
			fmt.Fprintf(stderr, "paid by %s in %s: job %s\n", job.Payer, job.Signature, job.State)
			fmt.Fprintln(stdout, q.Reference)
			if payer == nil {
				return nil
			}
			return waitRailResult(parent, cmd, jc, mc, q.Reference, payer, stdout, stderr)
		}
		select {
		case <-ctx.Done():
			if ctx.Err() == context.DeadlineExceeded {
				return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "no final payment funds quote %s after %s (%s)", q.Reference, jc.PayTimeout, flagRef(cmd, "pay-timeout"))
			}
			return ctx.Err()
		case <-time.After(jc.PollInterval):
		}
	}
}

// waitRailResult waits until the paid job of quote ref is delivered and
// saves its result, downloaded with the payer key's signature and checked
// against the delivered hash, at --out.
func waitRailResult(ctx context.Context, cmd *cli.Command, jc *jobConfig, mc *matcherclient.Client, ref string, payer ed25519.PrivateKey, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, jc.ResultTimeout)
	defer cancel()
	last := ""
	for {
		_, job, err := mc.SolanaQuoteStatus(ctx, ref)
		switch {
		case err != nil && ctx.Err() == nil:
			fmt.Fprintf(stderr, "status: %s (retrying)\n", gpumarket.ErrorMessage(err))
		case job == nil:
		case job.Payer != solana.PublicKeyString(payer):
			return invalid(flagErr(cmd, "solana-keypair", fmt.Sprintf("the job was paid by %s, not by this key (%s): its result is served to the payer", job.Payer, solana.PublicKeyString(payer))))
		case job.State == "failed":
			return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "the provider failed the paid job: %s (no escrow: take it up with the provider, whose stake and reputation stand behind it)", job.Failure)
		case job.State == "delivered":
			want, err := gpumarket.ParseHash(job.ResultHash)
			if err != nil {
				return gpumarket.Errorf(gpumarket.EINVALID, "matcher: delivered job has a malformed result hash")
			}
			res, err := client.SaveRailResult(ctx, nil, payer, ref, job.ResultURI, want, jc.Out)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "saved %d bytes at %s (keccak256 %s)\n", res.Size, res.Path, res.Hash)
			return nil
		case job.State != last:
			fmt.Fprintf(stderr, "job %s\n", job.State)
			last = job.State
		}
		select {
		case <-ctx.Done():
			if ctx.Err() == context.DeadlineExceeded {
				return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "the paid job of quote %s has no result after %s (%s)", ref, jc.ResultTimeout, flagRef(cmd, "result-timeout"))
			}
			return ctx.Err()
		case <-time.After(jc.PollInterval):
		}
	}
}

// solanaConfirmCommand is `job confirm`: present a transaction paid out of
// band for a Solana quote.
func solanaConfirmCommand(jc *jobConfig, conn []cli.Flag, stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name: "confirm", Usage: "solana rail: present the signature of a transaction that paid a quote (e.g. from another wallet); it is checked at finalized commitment",
		Flags: join(conn, []cli.Flag{
			&cli.StringFlag{Name: "reference", Usage: "the quote's reference key (job run --rail solana prints it)", Sources: jobEnv("reference"), Destination: &jc.Reference},
			&cli.StringFlag{Name: "signature", Usage: "the paying transaction's signature (base58)", Sources: jobEnv("signature"), Destination: &jc.Signature},
		}),
		Action: func(ctx context.Context, cmd *cli.Command) error {
			var errs []error
			if jc.Reference == "" {
				errs = append(errs, flagErr(cmd, "reference", "required"))
			}
			if jc.Signature == "" {
				errs = append(errs, flagErr(cmd, "signature", "required"))
			}
			if err := invalid(errs...); err != nil {
				return err
			}
			mc, err := jc.solanaMatcher(cmd)
			if err != nil {
				return err
			}
			p, job, err := mc.ConfirmSolana(ctx, jc.Reference, jc.Signature)
			if err != nil {
				return err
			}
			if job == nil || job.Signature != p.Signature {
				return gpumarket.Errorf(gpumarket.EINVALID, "payment %s does not fund the quote: %s: %s", p.Signature, p.Verdict, p.Reason)
			}
			fmt.Fprintf(stdout, "payment %s funds the job (%s arrived, %s over): %s\n", p.Signature, p.Arrived, p.Excess, job.State)
			return nil
		},
	}
}
