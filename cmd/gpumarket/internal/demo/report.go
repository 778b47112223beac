package demo

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/txmgr"

	"github.com/gpumarket/gpumarket"
)

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// fmtUSDT formats base units of a 6-decimal token.
func fmtUSDT(v *big.Int) string {
	if v == nil {
		return "-"
	}
	neg := v.Sign() < 0
	a := new(big.Int).Abs(v)
	q, r := new(big.Int).QuoRem(a, big.NewInt(1_000_000), new(big.Int))
	s := fmt.Sprintf("%s.%06d", q, r.Int64())
	if neg {
		s = "-" + s
	}
	return s
}

// fmtE18 formats base units of an 18-decimal token, to 2 decimals.
func fmtE18(v *big.Int) string {
	q, r := new(big.Int).QuoRem(v, e18, new(big.Int))
	r.Div(r, new(big.Int).Exp(big.NewInt(10), big.NewInt(16), nil))
	return fmt.Sprintf("%s.%02d", q, r.Int64())
}

func (d *demo) progress(ctx context.Context) {
	t := time.NewTicker(d.cfg.ProgressEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.progressLine(ctx)
		}
	}
}

// progressLine prints one line of market state, read from PostgreSQL.
func (d *demo) progressLine(ctx context.Context) {
	p, err := d.chain().Progress(ctx)
	if err != nil {
		if ctx.Err() == nil {
			d.log.Warn("progress query", "err", err)
		}
		return
	}
	states := "none"
	if len(p.Jobs) > 0 {
		parts := make([]string, len(p.Jobs))
		for i, c := range p.Jobs {
			parts[i] = fmt.Sprintf("%s %d", c.State, c.Jobs)
		}
		states = strings.Join(parts, ", ")
	}
	d.printf("[%4.0fs] block %-4d jobs: %-48s providers online %d/%d  escrow %s USDT  earned: providers %s, protocol %s\n",
		time.Since(d.t0).Seconds(), p.Block, states, p.ProvidersOnline, len(d.providers), fmtUSDT(p.Escrowed), fmtUSDT(p.ProviderEarnings),
		fmtUSDT(p.ProtocolFees))
}

// Report is the demo's outcome.
type Report struct {
	Jobs     []JobOutcome
	Parties  []PartyBalance
	Fees     FeeSplit
	Reorg    ReorgOutcome
	Stages   []Timing // wall-clock phases of the demo
	Lifecyle []Timing // median chain time of each job stage
	Senders  []SenderTxs
	Problems []string // disagreements with the chain: empty when all is well
	Notes    []string
	Checks   int // checks made
}

// JobOutcome is one job's end.
type JobOutcome struct {
	ID                              gpumarket.JobID
	Name, Kind, Via, Provider       string
	State, Want                     gpumarket.JobState
	MaxPayment, Price, ProviderPaid *big.Int
	Fee, CreatorAmount, ClientBack  *big.Int
	Slashed                         *big.Int
}

// PartyBalance is an account's stablecoin in its wallet and owed to it by the
// marketplace, and its stake.
type PartyBalance struct {
	Name          string
	Address       gpumarket.Address
	Wallet, Owed  *big.Int
	Stake         *big.Int // providers only
	Compensation  *big.Int // slashing compensation (staking token)
	MirrorOwed    *big.Int // what v_balances_owed says is owed
	WalletAtStart *big.Int
}

// FeeSplit sums the settlement split over all jobs.
type FeeSplit struct {
	Locked, Protocol, Creator, Providers, ClientRefunds, Refunds *big.Int
}

// ReorgOutcome is the reorg the demo caused and what the system saw of it.
type ReorgOutcome struct {
	reorgInfo
	Detected    int   // reorgs the indexer recorded
	LogsRemoved int64 // logs it rolled back
}

// Timing is a named duration.
type Timing struct {
	Name string
	Took time.Duration
}

// SenderTxs is one journaled sender's transactions.
type SenderTxs struct {
	Name                                string
	Address                             gpumarket.Address
	Intents, Confirmed, Skipped, Failed int64
	Nonces, ChainNonce                  uint64
	Stats                               txmgr.Stats
	hasStats                            bool
}

func (d *demo) report(ctx context.Context, plans []*jobPlan, reorg *reorgInfo, own []*txm) (*Report, error) {
	r := &Report{}
	problem := func(format string, args ...any) { r.Problems = append(r.Problems, fmt.Sprintf(format, args...)) }
	check := func() { r.Checks++ }
	for _, s := range d.stages {
		r.Stages = append(r.Stages, Timing{s.name, s.took})
	}

	// Every job: the outcome, the mirror against the chain's stored hash.
	jobs, err := d.chain().Jobs(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[gpumarket.JobID]*gpumarket.JobRecord{}
	for _, j := range jobs {
		byID[j.ID] = j
	}
	next, err := d.market.NextJobID(ctx)
	if err != nil {
		return nil, err
	}
	check()
	if int(next)-1 != len(jobs) || len(jobs) != len(plans) {
		problem("jobs: the chain has %d, the mirror %d, the scenario posted %d", next-1, len(jobs), len(plans))
	}
	// No job is left open or assigned past its deadline: the end state
	// refunds them (refundExpired).
	expired, err := d.expiredJobs(ctx)
	if err != nil {
		return nil, err
	}
	check()
	for _, j := range expired {
		problem("job %d is %s past its deadline %d: not refunded", j.ID, j.State, j.Deadline)
	}
	names := map[gpumarket.Address]string{}
	for _, p := range d.providers {
		names[p.operator.addr] = p.short
	}
	r.Fees = FeeSplit{Locked: new(big.Int), Protocol: new(big.Int), Creator: new(big.Int), Providers: new(big.Int),
		ClientRefunds: new(big.Int), Refunds: new(big.Int)}
	var assigned, submitted, settled []time.Duration
	for _, p := range plans {
		j := byID[p.id]
		if j == nil {
			check()
			problem("job %s (%d) is missing from the mirror", p.name, p.id)
			continue
		}
		via := "wallet"
		if p.order {
			via = "order"
		}
		o := JobOutcome{ID: j.ID, Name: p.name, Kind: j.Kind.String(), Via: via, Provider: names[j.Provider], State: j.State,
			Want: p.want, MaxPayment: j.MaxPayment, Price: j.Price, ProviderPaid: j.ProviderPaid, Slashed: j.Slashed}
		if o.Provider == "" {
			o.Provider = "-"
		}
		check()
		if j.State != p.want {
			problem("job %d (%s) ended %s, want %s", j.ID, p.name, j.State, p.want)
		}
		onchain, err := d.market.JobHash(ctx, j.ID)
		if err != nil {
			return nil, err
		}
		mirror, err := market.StoredJobHash(&j.Job)
		if err != nil {
			return nil, err
		}
		check()
		if onchain != mirror {
			problem("job %d: the chain's jobHash %s differs from the mirror's %s", j.ID, onchain, mirror)
		}
		// The settlement split as the mirror's columns hold it.
		split, err := d.chain().JobSplit(ctx, j.ID)
		if err != nil {
			return nil, err
		}
		o.Fee, o.CreatorAmount, o.ProviderPaid, o.ClientBack = split.ProtocolFee.Big(), split.CreatorAmount.Big(), split.ProviderAmount.Big(),
			split.ClientRefund.Big()
		r.Fees.Protocol.Add(r.Fees.Protocol, o.Fee)
		r.Fees.Creator.Add(r.Fees.Creator, o.CreatorAmount)
		r.Fees.Providers.Add(r.Fees.Providers, o.ProviderPaid)
		r.Fees.ClientRefunds.Add(r.Fees.ClientRefunds, o.ClientBack)
		released := new(big.Int).Add(o.Fee, o.CreatorAmount)
		released.Add(released, o.ProviderPaid).Add(released, o.ClientBack)
		if j.Refund != nil && j.Refund.Sign() > 0 {
			o.ClientBack = new(big.Int).Add(o.ClientBack, j.Refund)
			r.Fees.Refunds.Add(r.Fees.Refunds, j.Refund)
			released.Add(released, j.Refund)
		}
		if j.State.Terminal() {
			check()
			if released.Cmp(j.MaxPayment) != 0 {
				problem("job %d: released %s of the %s locked", j.ID, released, j.MaxPayment)
			}
		} else {
			r.Fees.Locked.Add(r.Fees.Locked, j.MaxPayment)
		}
		if j.AssignedAt > 0 {
			assigned = append(assigned, time.Duration(j.AssignedAt-j.CreatedAt)*time.Second)
		}
		if j.SubmittedAt > 0 && j.AssignedAt > 0 {
			submitted = append(submitted, time.Duration(j.SubmittedAt-j.AssignedAt)*time.Second)
		}
		if j.SettledAt > 0 && j.SubmittedAt > 0 && j.DisputedTime == 0 {
			settled = append(settled, time.Duration(j.SettledAt-j.SubmittedAt)*time.Second)
		}
		r.Jobs = append(r.Jobs, o)
	}
	r.Lifecyle = []Timing{
		{"created → accepted (median)", median(assigned)},
		{"accepted → result on-chain (median)", median(submitted)},
		{"result → settled, undisputed (median)", median(settled)},
	}

	// Balances: the chain's, the mirror's, and the escrow identity.
	parties := []party{d.alice, d.bob, d.gas, d.treasury, d.creator, d.arbiter}
	for _, p := range d.providers {
		parties = append(parties, p.operator, p.signer)
	}
	owedSum := new(big.Int)
	walletSum := new(big.Int)
	stakeToken, err := d.market.StakingToken(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range parties {
		pb := PartyBalance{Name: p.name, Address: p.addr}
		if pb.Wallet, err = d.market.TokenBalance(ctx, d.sys.Stablecoin, p.addr); err != nil {
			return nil, err
		}
		if pb.Owed, err = d.market.BalanceOf(ctx, d.sys.Stablecoin, p.addr); err != nil {
			return nil, err
		}
		if pb.Compensation, err = d.market.CompensationOf(ctx, p.addr); err != nil {
			return nil, err
		}
		if pb.MirrorOwed, err = d.chain().MarketplaceOwed(ctx, p.addr, d.sys.Stablecoin); err != nil {
			return nil, err
		}
		check()
		if pb.MirrorOwed.Cmp(pb.Owed) != 0 {
			problem("%s: the marketplace owes %s, the mirror says %s", p.name, pb.Owed, pb.MirrorOwed)
		}
		owedSum.Add(owedSum, pb.Owed)
		walletSum.Add(walletSum, pb.Wallet)
		r.Parties = append(r.Parties, pb)
	}
	for i, p := range d.providers {
		rec, err := d.market.Provider(ctx, p.operator.addr)
		if err != nil {
			return nil, err
		}
		for k := range r.Parties {
			if r.Parties[k].Address == p.operator.addr {
				r.Parties[k].Stake = rec.Stake
			}
		}
		_ = i
	}
	_ = stakeToken
	escrow, err := d.market.TokenBalance(ctx, d.sys.Stablecoin, d.sys.Market)
	if err != nil {
		return nil, err
	}
	check()
	if want := new(big.Int).Add(owedSum, r.Fees.Locked); escrow.Cmp(want) != 0 {
		problem("escrow: the marketplace holds %s USDT, but locked jobs (%s) plus balances owed (%s) are %s",
			fmtUSDT(escrow), fmtUSDT(r.Fees.Locked), fmtUSDT(owedSum), fmtUSDT(want))
	}
	// Nothing lost: what the clients paid went to the parties or is still held.
	minted := new(big.Int).Mul(usdt(100_000), big.NewInt(10))
	others := new(big.Int)          // the dev accounts not among the parties
	for _, i := range []int{0, 9} { // the deployer and the matcher
		b, err := d.market.TokenBalance(ctx, d.sys.Stablecoin, keys.KeyAddress(devKey(i)))
		if err != nil {
			return nil, err
		}
		others.Add(others, b)
	}
	check()
	if total := new(big.Int).Add(walletSum, escrow); total.Add(total, others).Cmp(minted) != 0 {
		problem("conservation: wallets %s + escrow %s + deployer and matcher %s != minted %s USDT", fmtUSDT(walletSum), fmtUSDT(escrow),
			fmtUSDT(others), fmtUSDT(minted))
	}

	// The reorg.
	r.Reorg.reorgInfo = *reorg
	reorgs, err := d.chain().Reorgs(ctx)
	if err != nil {
		return nil, err
	}
	r.Reorg.Detected, r.Reorg.LogsRemoved = int(reorgs.Reorgs), reorgs.LogsRemoved
	if reorgs.Reorgs == 0 {
		r.Notes = append(r.Notes, "the indexer did not see the reorg (it had not indexed the replaced blocks yet)")
	}

	// No orphan rows.
	orphans, err := d.chain().OrphanJobRows(ctx)
	if err != nil {
		return nil, err
	}
	check()
	if orphans != 0 {
		problem("mirror: %d orphan job rows or events", orphans)
	}

	// Nothing sent twice: per journaled sender, the chain's nonce equals the
	// number of distinct journaled nonces, which are exactly 0..n-1, and
	// every intent is final.
	if err := d.checkJournal(ctx, r, own, problem, check); err != nil {
		return nil, err
	}
	return r, nil
}

func (d *demo) checkJournal(ctx context.Context, r *Report, own []*txm, problem func(string, ...any), check func()) error {
	senders, err := d.journal().SenderSummaries(ctx, d.chainID)
	if err != nil {
		return err
	}
	names := map[gpumarket.Address]string{}
	stats := map[gpumarket.Address]txmgr.Stats{}
	for _, t := range own {
		names[t.Sender()] = t.who
		stats[t.Sender()] = t.Stats()
	}
	for _, p := range d.providers {
		names[p.operator.addr] = p.operator.name
		names[p.signer.addr] = p.signer.name
		stats[p.signer.addr] = p.d.Stats()
	}
	for _, s := range senders {
		a := s.Sender
		n, err := d.market.Nonce(ctx, a)
		if err != nil {
			return err
		}
		st := SenderTxs{Name: names[a], Address: a, Intents: s.Intents, Confirmed: s.Confirmed, Skipped: s.Skipped, Failed: s.Failed,
			Nonces: uint64(s.DistinctNonces), ChainNonce: n}
		st.Stats, st.hasStats = stats[a]
		r.Senders = append(r.Senders, st)
		check()
		if uint64(s.DistinctNonces) != n || s.MaxNonce+1 != int64(n) {
			problem("journal of %s: %d distinct nonces up to %d, the chain's next nonce is %d (a gap or a transaction outside the journal)",
				st.Name, s.DistinctNonces, s.MaxNonce, n)
		}
		check()
		if s.Open != 0 {
			problem("journal of %s: %d intents not final at the end", st.Name, s.Open)
		}
	}
	sort.Slice(r.Senders, func(i, j int) bool { return r.Senders[i].Name < r.Senders[j].Name })
	return nil
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func (r *Report) print(w io.Writer) {
	fmt.Fprintf(w, "\n================ summary ================\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tNAME\tKIND\tVIA\tPROVIDER\tOUTCOME\tLOCKED\tPRICE\tPROVIDER GOT\tPROTOCOL\tCREATOR\tCLIENT BACK")
	for _, j := range r.Jobs {
		outcome := j.State.String()
		if j.Slashed != nil && j.Slashed.Sign() > 0 {
			outcome += " (disputed, slashed " + fmtE18(j.Slashed) + " GPUS)"
		}
		if j.State != j.Want {
			outcome += " ≠ want " + j.Want.String()
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", j.ID, j.Name, j.Kind, j.Via, j.Provider, outcome,
			fmtUSDT(j.MaxPayment), fmtUSDT(j.Price), fmtUSDT(j.ProviderPaid), fmtUSDT(j.Fee), fmtUSDT(j.CreatorAmount), fmtUSDT(j.ClientBack))
	}
	_ = tw.Flush()

	f := r.Fees
	fmt.Fprintf(w, "\nfee split (USDT): providers %s, protocol treasury %s, model creator %s, back to clients %s (+ %s refunded); still locked %s\n",
		fmtUSDT(f.Providers), fmtUSDT(f.Protocol), fmtUSDT(f.Creator), fmtUSDT(f.ClientRefunds), fmtUSDT(f.Refunds), fmtUSDT(f.Locked))

	fmt.Fprintf(w, "\nbalances (USDT; GPUS for stake)\n")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PARTY\tADDRESS\tWALLET\tOWED BY MARKET\tMIRROR SAYS\tSTAKE\tCOMPENSATION")
	for _, p := range r.Parties {
		stake := "-"
		if p.Stake != nil {
			stake = fmtE18(p.Stake)
		}
		comp := "-"
		if p.Compensation != nil && p.Compensation.Sign() > 0 {
			comp = fmtE18(p.Compensation)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, p.Address, fmtUSDT(p.Wallet), fmtUSDT(p.Owed), fmtUSDT(p.MirrorOwed), stake, comp)
	}
	_ = tw.Flush()

	fmt.Fprintf(w, "\nreorg: depth %d at head %d with %d jobs in flight; the indexer recorded %d reorg(s), rolled back %d logs and re-derived the jobs; the transaction managers saw %d transactions reorged out and re-sent them\n",
		r.Reorg.Depth, r.Reorg.Head, r.Reorg.InFlight, r.Reorg.Detected, r.Reorg.LogsRemoved, r.Reorg.TxsDropped)

	fmt.Fprintf(w, "\ntransactions (every one journaled before broadcast, one per idempotency key)\n")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SENDER\tINTENTS\tCONFIRMED\tSKIPPED\tFAILED\tNONCES USED\tCHAIN NONCE\tRE-SENT\tREORGED")
	for _, s := range r.Senders {
		resent, reorged := "-", "-"
		if s.hasStats {
			resent, reorged = fmt.Sprint(s.Stats.Resent), fmt.Sprint(s.Stats.Reorged)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", s.Name, s.Intents, s.Confirmed, s.Skipped, s.Failed, s.Nonces, s.ChainNonce, resent, reorged)
	}
	_ = tw.Flush()

	fmt.Fprintf(w, "\ntimings\n")
	for _, t := range r.Stages {
		fmt.Fprintf(w, "  %-40s %6.1fs\n", t.Name, t.Took.Seconds())
	}
	for _, t := range r.Lifecyle {
		fmt.Fprintf(w, "  %-40s %6.0fs (chain time)\n", t.Name, t.Took.Seconds())
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if len(r.Problems) == 0 {
		fmt.Fprintf(w, "\nend state checked against the chain: %d checks, all agree (escrow = locked + owed, every job's hash, every balance, no nonce gaps, nothing sent twice, no orphan rows)\n", r.Checks)
		return
	}
	fmt.Fprintf(w, "\nEND STATE DISAGREES WITH THE CHAIN (%d of %d checks):\n", len(r.Problems), r.Checks)
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  - %s\n", strings.TrimSpace(p))
	}
}
