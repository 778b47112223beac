package node

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/gpumarket/gpumarket"
)

// Source reads blocks and the logs of a fixed set of contracts from one node.
// Every answer is checked: a header's hash must match its contents and number,
// logs must lie in the block or range asked for with no duplicates, and a
// block whose bloom filter matches our contracts but whose log query comes
// back empty is cross-checked against its receipts.
type Source struct {
	rpc       *rpc.Client
	client    *ethclient.Client
	addresses []common.Address
	timeout   time.Duration
}

// Dial connects to the node at url (http, https, ws or wss) and reads logs of
// the given contracts. timeout bounds each call (0: 30s).
func Dial(ctx context.Context, url string, contracts []gpumarket.Address, timeout time.Duration) (*Source, error) {
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	c, err := rpc.DialOptions(ctx, url)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "rpc url %q: %v", url, err)
	}
	s := &Source{rpc: c, client: ethclient.NewClient(c), timeout: timeout}
	for _, a := range contracts {
		s.addresses = append(s.addresses, common.Address(a))
	}
	return s, nil
}

// Close closes the connection.
func (s *Source) Close() { s.rpc.Close() }

// ChainID returns the node's chain id (eth_chainId). It returns an
// EUNAVAILABLE error when the node cannot be reached.
func (s *Source) ChainID(ctx context.Context) (uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	id, err := s.client.ChainID(ctx)
	if err != nil {
		return 0, readErr("eth_chainId", err)
	}
	return id.Uint64(), nil
}

// Head returns the latest block.
func (s *Source) Head(ctx context.Context) (gpumarket.Block, error) {
	return s.header(ctx, "latest", nil)
}

// Finalized returns the node's finalized block, and false when the node has
// no finalized tag (the caller then falls back to a confirmation depth).
func (s *Source) Finalized(ctx context.Context) (gpumarket.Block, bool, error) {
	b, err := s.header(ctx, "finalized", big.NewInt(int64(rpc.FinalizedBlockNumber)))
	if err != nil {
		var rpcErr rpc.Error
		if errors.As(err, &rpcErr) || errors.Is(err, ethereum.NotFound) {
			return gpumarket.Block{}, false, nil
		}
		return gpumarket.Block{}, false, err
	}
	return b, true, nil
}

// BlockByNumber returns the canonical block at n, or an ENOTFOUND error when
// the node has no block there (yet).
func (s *Source) BlockByNumber(ctx context.Context, n uint64) (gpumarket.Block, error) {
	return s.header(ctx, strconv.FormatUint(n, 10), new(big.Int).SetUint64(n))
}

func (s *Source) header(ctx context.Context, what string, number *big.Int) (gpumarket.Block, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	h, err := s.client.HeaderByNumber(ctx, number)
	if err != nil {
		if errors.Is(err, ethereum.NotFound) {
			return gpumarket.Block{}, gpumarket.Errorf(gpumarket.ENOTFOUND, "block %s not found", what)
		}
		return gpumarket.Block{}, readErr("eth_getBlockByNumber "+what, err)
	}
	if number != nil && number.Sign() >= 0 && h.Number.Cmp(number) != 0 {
		return gpumarket.Block{}, fmt.Errorf("block %s: node returned block %v: %w", what, h.Number, gpumarket.ErrNodeInconsistent)
	}
	return toBlock(h), nil
}

// toBlock converts a header; its hash is computed from the contents, so a
// node cannot claim a hash its header does not have.
func toBlock(h *types.Header) gpumarket.Block {
	return gpumarket.Block{
		Number:     h.Number.Uint64(),
		Hash:       gpumarket.Hash(h.Hash()),
		ParentHash: gpumarket.Hash(h.ParentHash),
		Time:       h.Time,
	}
}

// RangeLogs returns the logs of our contracts in blocks from..to (eth_getLogs).
// It returns a *gpumarket.RangeTooLargeError when the node refuses the range,
// gpumarket.ErrNodeTimeout or ErrNodeRateLimited when it says so, and
// ErrNodeInconsistent for answers outside the range or with duplicates.
func (s *Source) RangeLogs(ctx context.Context, from, to uint64) ([]gpumarket.Log, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	q := ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from),
		ToBlock:   new(big.Int).SetUint64(to),
		Addresses: s.addresses,
	}
	raw, err := s.client.FilterLogs(ctx, q)
	if err != nil {
		return nil, LogsErr(from, to, err)
	}
	logs, err := s.checkLogs(raw, func(l *types.Log) bool { return l.BlockNumber >= from && l.BlockNumber <= to }, fmt.Sprintf("range %d-%d", from, to))
	if err != nil {
		return nil, err
	}
	if err := s.fillBlockTimes(ctx, logs); err != nil {
		return nil, err
	}
	return logs, nil
}

// fillBlockTimes sets BlockTime on logs from nodes that do not send
// blockTimestamp, reading the blocks' headers in one batch and checking that
// each header's hash is the one the logs claim.
func (s *Source) fillBlockTimes(ctx context.Context, logs []gpumarket.Log) error {
	var numbers []uint64
	idx := map[uint64]int{}
	for _, l := range logs {
		if l.BlockTime == 0 {
			if _, ok := idx[l.BlockNumber]; !ok {
				idx[l.BlockNumber] = len(numbers)
				numbers = append(numbers, l.BlockNumber)
			}
		}
	}
	if len(numbers) == 0 {
		return nil
	}
	headers := make([]*types.Header, len(numbers))
	batch := make([]rpc.BatchElem, len(numbers))
	for i, n := range numbers {
		batch[i] = rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.EncodeUint64(n), false}, Result: &headers[i]}
	}
	for start := 0; start < len(batch); start += 100 {
		end := min(start+100, len(batch))
		if err := s.rpc.BatchCallContext(ctx, batch[start:end]); err != nil {
			return readErr("eth_getBlockByNumber batch", err)
		}
	}
	for i, b := range batch {
		if b.Error != nil {
			return readErr("eth_getBlockByNumber", b.Error)
		}
		if headers[i] == nil {
			return fmt.Errorf("block %d: header missing: %w", numbers[i], gpumarket.ErrNodeInconsistent)
		}
	}
	for i := range logs {
		l := &logs[i]
		if l.BlockTime != 0 {
			continue
		}
		h := headers[idx[l.BlockNumber]]
		if gpumarket.Hash(h.Hash()) != l.BlockHash {
			return fmt.Errorf("block %d: header hash %s, logs say %s: %w", l.BlockNumber, h.Hash(), l.BlockHash, gpumarket.ErrNodeInconsistent)
		}
		l.BlockTime = h.Time
	}
	return nil
}

// BlockLogs returns the logs of our contracts in block b, queried by its hash.
// When the answer is empty but the block's bloom filter matches one of our
// contracts, the block's receipts decide: logs there mean the node lied
// (ErrNodeInconsistent); none means the bloom match was a false positive.
func (s *Source) BlockLogs(ctx context.Context, b gpumarket.Block) ([]gpumarket.Log, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	hash := common.Hash(b.Hash)
	raw, err := s.client.FilterLogs(ctx, ethereum.FilterQuery{BlockHash: &hash, Addresses: s.addresses})
	if err != nil {
		return nil, readErr(fmt.Sprintf("eth_getLogs block %d %s", b.Number, b.Hash), err)
	}
	logs, err := s.checkLogs(raw, func(l *types.Log) bool { return l.BlockHash == hash && l.BlockNumber == b.Number }, fmt.Sprintf("block %d", b.Number))
	if err != nil {
		return nil, err
	}
	if len(logs) > 0 {
		for i := range logs {
			logs[i].BlockTime = b.Time
		}
		return logs, nil
	}
	header, err := s.client.HeaderByHash(ctx, hash)
	if err != nil {
		if errors.Is(err, ethereum.NotFound) {
			// The block was reorganized away between the two calls; the caller will see the new chain.
			return nil, fmt.Errorf("block %d %s vanished: %w", b.Number, b.Hash, gpumarket.ErrNodeInconsistent)
		}
		return nil, readErr("eth_getBlockByHash", err)
	}
	if !s.bloomMatches(header.Bloom) {
		return nil, nil
	}
	var receipts []*types.Receipt
	if err := s.rpc.CallContext(ctx, &receipts, "eth_getBlockReceipts", hash); err != nil {
		return nil, readErr("eth_getBlockReceipts", err)
	}
	for _, r := range receipts {
		for _, l := range r.Logs {
			if s.watches(l.Address) {
				return nil, fmt.Errorf("block %d: eth_getLogs returned nothing but receipt of %s has a log of %s: %w",
					b.Number, r.TxHash, l.Address, gpumarket.ErrNodeInconsistent)
			}
		}
	}
	return nil, nil
}

func (s *Source) bloomMatches(bloom types.Bloom) bool {
	for _, a := range s.addresses {
		if types.BloomLookup(bloom, a) {
			return true
		}
	}
	return false
}

func (s *Source) watches(a common.Address) bool {
	for _, w := range s.addresses {
		if w == a {
			return true
		}
	}
	return false
}

// checkLogs converts logs and rejects the whole answer when any log is
// removed, outside what was asked, from another contract, a duplicate
// (block hash, index), or disagrees with another log on its block's hash.
func (s *Source) checkLogs(raw []types.Log, inside func(*types.Log) bool, what string) ([]gpumarket.Log, error) {
	type key struct {
		block common.Hash
		index uint
	}
	seen := make(map[key]bool, len(raw))
	hashAt := make(map[uint64]common.Hash)
	out := make([]gpumarket.Log, 0, len(raw))
	for i := range raw {
		l := &raw[i]
		switch {
		case l.Removed:
			return nil, fmt.Errorf("%s: log %d of block %d is marked removed: %w", what, l.Index, l.BlockNumber, gpumarket.ErrNodeInconsistent)
		case !inside(l):
			return nil, fmt.Errorf("%s: got a log of block %d %s: %w", what, l.BlockNumber, l.BlockHash, gpumarket.ErrNodeInconsistent)
		case !s.watches(l.Address):
			return nil, fmt.Errorf("%s: got a log of unwatched contract %s: %w", what, l.Address, gpumarket.ErrNodeInconsistent)
		case seen[key{l.BlockHash, l.Index}]:
			return nil, fmt.Errorf("%s: duplicate log %d in block %s: %w", what, l.Index, l.BlockHash, gpumarket.ErrNodeInconsistent)
		}
		if h, ok := hashAt[l.BlockNumber]; ok && h != l.BlockHash {
			return nil, fmt.Errorf("%s: block %d has two hashes %s and %s: %w", what, l.BlockNumber, h, l.BlockHash, gpumarket.ErrNodeInconsistent)
		}
		seen[key{l.BlockHash, l.Index}] = true
		hashAt[l.BlockNumber] = l.BlockHash
		out = append(out, DomainLog(l, l.BlockTimestamp))
	}
	return out, nil
}

// readErr is the read path's view of a node error: Classify's class turned
// into the domain's node errors, with the failed call named.
// LogsErr classifies the error of an eth_getLogs of blocks from..to as
// RangeLogs returns it: a *gpumarket.RangeTooLargeError (with the node's
// limits, as parsed) when the node refuses the range, wrapping
// gpumarket.ErrNodeTimeout or ErrNodeRateLimited when it says so, an
// EUNAVAILABLE error when it cannot be reached.
func LogsErr(from, to uint64, err error) error {
	err = readErr(fmt.Sprintf("eth_getLogs %d-%d", from, to), err)
	var tooLarge *gpumarket.RangeTooLargeError
	if errors.As(err, &tooLarge) {
		tooLarge.From, tooLarge.To = from, to
	}
	return err
}

func readErr(op string, err error) error {
	c := Classify(err)
	var re *RPCError
	if !errors.As(c, &re) {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "%s: %v", op, err)
	}
	switch re.Class {
	case ErrRangeTooLarge:
		return fmt.Errorf("%s: %w", op, re.rangeTooLarge)
	case ErrRateLimited, ErrTimeout:
		return fmt.Errorf("%s: %w: %v", op, re.Class, err)
	case ErrUnavailable:
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "%s: %v", op, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// CheckContracts returns an EINVALID error naming every watched address that
// has no code on the node (a typo, or the wrong chain).
func (s *Source) CheckContracts(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var missing []string
	for _, a := range s.addresses {
		code, err := s.client.CodeAt(ctx, a, nil)
		if err != nil {
			return readErr("eth_getCode "+a.Hex(), err)
		}
		if len(code) == 0 {
			missing = append(missing, a.Hex())
		}
	}
	if len(missing) > 0 {
		return gpumarket.Errorf(gpumarket.EINVALID, "no contract code at %s on this chain", strings.Join(missing, ", "))
	}
	return nil
}

// DomainLog converts a go-ethereum log, with its block's time, into the
// root package's Log.
func DomainLog(l *types.Log, blockTime uint64) gpumarket.Log {
	topics := make([]gpumarket.Hash, len(l.Topics))
	for i, t := range l.Topics {
		topics[i] = gpumarket.Hash(t)
	}
	return gpumarket.Log{
		BlockNumber: l.BlockNumber, BlockHash: gpumarket.Hash(l.BlockHash), BlockTime: blockTime,
		TxHash: gpumarket.Hash(l.TxHash), TxIndex: l.TxIndex, Index: l.Index,
		Address: gpumarket.Address(l.Address), Topics: topics, Data: l.Data,
	}
}
