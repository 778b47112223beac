// Package anvil runs and controls a local anvil node (Foundry's development
// chain), for the test harness, the demo and the benchmarks. It starts the
// anvil binary from the project's node_modules on 127.0.0.1 and an
// OS-chosen port, and wraps anvil's own RPC methods: mining, reorgs
// (anvil_reorg), rollbacks, snapshots, state dumps and the clock
// (evm_increaseTime, evm_setNextBlockTimestamp).
//
// The anvil process gets a parent-death signal, so it never outlives the
// process that started it, even after kill -9.
package anvil

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// DevKeys are the private keys of anvil's ten default accounts (the public
// "test test … junk" mnemonic). They hold test ether on every anvil node and
// must never hold anything real.
var DevKeys = [10]string{
	"ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
	"59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
	"5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
	"7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
	"47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
	"8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
	"92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
	"4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
	"dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
	"2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
}

// ChainID is anvil's default chain id.
const ChainID = 31337

// Config says how to start a node. The zero value is an automining node with
// anvil's defaults.
type Config struct {
	Bin          string        // path to anvil; empty: FindBin
	ChainID      uint64        // --chain-id; 0: ChainID (31337)
	BlockTime    time.Duration // interval mining; 0: automine
	NoMining     bool          // no mining until Mine is called
	SlotsInEpoch int           // finality depth: safe = latest - slots, finalized = latest - 2*slots; 0: anvil's 32
	LoadState    string        // a state file from DumpState to start from
	Args         []string      // further anvil flags
	Log          io.Writer     // anvil's output; nil: discarded
}

// Node is a running anvil process.
type Node struct {
	URL string
	rpc *rpcClient

	cmd  *exec.Cmd
	done chan struct{}
	once sync.Once
}

// Pid returns the anvil process's id (the benchmarks read its CPU time).
func (n *Node) Pid() int { return n.cmd.Process.Pid }

var listening = regexp.MustCompile(`Listening on (127\.0\.0\.1:\d+)`)

// Start launches anvil and returns once it answers RPC. The caller must Stop it.
func Start(ctx context.Context, cfg Config) (*Node, error) {
	bin := cfg.Bin
	if bin == "" {
		var err error
		if bin, err = FindBin(); err != nil {
			return nil, err
		}
	}
	chainID := cfg.ChainID
	if chainID == 0 {
		chainID = ChainID
	}
	args := []string{"--host", "127.0.0.1", "--port", "0", "--chain-id", strconv.FormatUint(chainID, 10)}
	if cfg.BlockTime > 0 {
		args = append(args, "--block-time", strconv.FormatFloat(cfg.BlockTime.Seconds(), 'f', -1, 64))
	}
	if cfg.NoMining {
		args = append(args, "--no-mining")
	}
	if cfg.SlotsInEpoch > 0 {
		args = append(args, "--slots-in-an-epoch", strconv.Itoa(cfg.SlotsInEpoch))
	}
	if cfg.LoadState != "" {
		args = append(args, "--load-state", cfg.LoadState)
	}
	args = append(args, cfg.Args...)

	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("anvil stdout: %w", err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start anvil %s: %w", bin, err)
	}
	n := &Node{cmd: cmd, done: make(chan struct{})}

	addr := make(chan string, 1)
	logw := cfg.Log
	if logw == nil {
		logw = io.Discard
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logw, line)
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { _ = cmd.Wait(); close(n.done) }()

	select {
	case a := <-addr:
		n.URL = "http://" + a
	case <-n.done:
		return nil, errors.New("anvil exited before listening (see its log)")
	case <-time.After(30 * time.Second):
		n.Stop()
		return nil, errors.New("anvil did not start listening within 30s")
	case <-ctx.Done():
		n.Stop()
		return nil, ctx.Err()
	}
	n.rpc = &rpcClient{url: n.URL, http: &http.Client{}}
	return n, nil
}

// Call sends one JSON-RPC request to the node and decodes its result into
// result (nil: ignored). Parameters are marshalled as JSON: pass quantities
// as Quantity or BigQuantity, addresses and data as 0x-prefixed hex strings.
func (n *Node) Call(ctx context.Context, result any, method string, params ...any) error {
	return n.call(ctx, result, method, params...)
}

// Stop kills the node and waits for it to exit. It is safe to call twice.
func (n *Node) Stop() {
	n.once.Do(func() {
		if n.rpc != nil {
			n.rpc.http.CloseIdleConnections()
		}
		_ = syscall.Kill(-n.cmd.Process.Pid, syscall.SIGKILL)
		<-n.done
	})
}

// Done is closed when the anvil process has exited.
func (n *Node) Done() <-chan struct{} { return n.done }

// Mine mines blocks empty or pending blocks at once (anvil_mine).
func (n *Node) Mine(ctx context.Context, blocks int) error {
	return n.call(ctx, nil, "anvil_mine", Quantity(blocks))
}

// SetAutomine turns automine on or off (evm_setAutomine).
func (n *Node) SetAutomine(ctx context.Context, on bool) error {
	return n.call(ctx, nil, "evm_setAutomine", on)
}

// SetIntervalMining mines a block every interval; 0 turns it off (evm_setIntervalMining).
func (n *Node) SetIntervalMining(ctx context.Context, interval time.Duration) error {
	return n.call(ctx, nil, "evm_setIntervalMining", uint64(interval.Seconds()))
}

// ReorgTx is a transaction to include in a replacement block: either a raw
// signed transaction (0x-prefixed RLP) or a call object {from,to,data,…},
// placed Offset blocks above the reorg's base.
type ReorgTx struct {
	Tx     any
	Offset uint64
}

// Reorg replaces the last depth blocks with new blocks at the same heights
// (anvil_reorg). Transactions of the replaced blocks are dropped, not
// re-queued; txs go into the new blocks.
func (n *Node) Reorg(ctx context.Context, depth uint64, txs ...ReorgTx) error {
	list := make([][2]any, 0, len(txs))
	for _, t := range txs {
		list = append(list, [2]any{t.Tx, t.Offset})
	}
	return n.call(ctx, nil, "anvil_reorg", depth, list)
}

// Rollback removes the last depth blocks, lowering the chain height (anvil_rollback).
func (n *Node) Rollback(ctx context.Context, depth uint64) error {
	return n.call(ctx, nil, "anvil_rollback", depth)
}

// Snapshot records the chain state and returns its id (evm_snapshot).
func (n *Node) Snapshot(ctx context.Context) (string, error) {
	var id string
	err := n.call(ctx, &id, "evm_snapshot")
	return id, err
}

// Revert returns to a snapshot; each snapshot can be reverted to once (evm_revert).
func (n *Node) Revert(ctx context.Context, id string) error {
	var ok bool
	if err := n.call(ctx, &ok, "evm_revert", id); err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("evm_revert %s: snapshot unknown or already used", id)
	}
	return nil
}

// IncreaseTime moves the node's clock forward by seconds (evm_increaseTime):
// the next mined block's timestamp is at least the previous one plus seconds.
// Nothing is mined; a view call sees the new time only after the next block.
func (n *Node) IncreaseTime(ctx context.Context, seconds uint64) error {
	return n.call(ctx, nil, "evm_increaseTime", Quantity(seconds))
}

// SetNextBlockTimestamp fixes the timestamp (unix seconds) of the next mined
// block (evm_setNextBlockTimestamp). anvil rejects a timestamp not after the
// latest block's.
func (n *Node) SetNextBlockTimestamp(ctx context.Context, ts uint64) error {
	return n.call(ctx, nil, "evm_setNextBlockTimestamp", Quantity(ts))
}

// DumpState returns the node's whole state (anvil_dumpState), loadable with
// LoadState or Config.LoadState.
func (n *Node) DumpState(ctx context.Context) ([]byte, error) {
	var state hexData
	err := n.call(ctx, &state, "anvil_dumpState")
	return state, err
}

// LoadState merges a state from DumpState into the node (anvil_loadState).
func (n *Node) LoadState(ctx context.Context, state []byte) error {
	var ok bool
	return n.call(ctx, &ok, "anvil_loadState", hexData(state))
}

func (n *Node) call(ctx context.Context, result any, method string, args ...any) error {
	if err := n.rpc.call(ctx, result, method, args...); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	return nil
}

// FindBin locates the anvil binary: $GPUMARKET_ANVIL, then node_modules/.bin/anvil
// in the working directory or any parent (the repository root when run from a
// package directory) or beside the executable, then $PATH.
func FindBin() (string, error) {
	if p := os.Getenv("GPUMARKET_ANVIL"); p != "" {
		return p, nil
	}
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if exe, err := os.Executable(); err == nil {
		starts = append(starts, filepath.Dir(exe))
	}
	for _, dir := range starts {
		for {
			p := filepath.Join(dir, "node_modules", ".bin", "anvil")
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	if p, err := exec.LookPath("anvil"); err == nil {
		return p, nil
	}
	return "", errors.New("anvil not found: run `make setup` (npm ci installs it into node_modules/.bin) or set GPUMARKET_ANVIL")
}

// DumpStateFile writes the node's whole state, blocks and logs included, to
// path as the JSON that Config.LoadState reads (anvil_dumpState answers
// gzip-compressed; the file is plain JSON).
func (n *Node) DumpStateFile(ctx context.Context, path string) error {
	state, err := n.DumpState(ctx)
	if err != nil {
		return err
	}
	if len(state) > 2 && state[0] == 0x1f && state[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(state))
		if err != nil {
			return fmt.Errorf("decompress state: %w", err)
		}
		if state, err = io.ReadAll(zr); err != nil {
			return fmt.Errorf("decompress state: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create state directory: %w", err)
	}
	return os.WriteFile(path, state, 0o644)
}

// SetBalance sets the ether balance of the 20-byte address addr to wei
// (anvil_setBalance).
func (n *Node) SetBalance(ctx context.Context, addr [20]byte, wei *big.Int) error {
	return n.call(ctx, nil, "anvil_setBalance", hexData(addr[:]), BigQuantity(wei))
}

// BlockNumber returns the latest block number (eth_blockNumber).
func (n *Node) BlockNumber(ctx context.Context) (uint64, error) {
	var b Quantity
	err := n.call(ctx, &b, "eth_blockNumber")
	return uint64(b), err
}
