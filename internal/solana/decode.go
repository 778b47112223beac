package solana

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	sol "github.com/gagliardetto/solana-go"
)

// Program ids the decoder understands.
const (
	systemProgram    = "11111111111111111111111111111111"
	tokenProgram     = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
	token2022Program = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"
	memoV1Program    = "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo"
	memoV2Program    = "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"
	ataProgram       = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL"
)

// Instruction discriminators of the binary encodings.
const (
	systemCreateAccountTag   = 0  // u32 LE, u64 lamports, u64 space, 32-byte owner
	systemTransferTag        = 2  // u32 LE, then u64 LE lamports
	systemTransferSeedTag    = 11 // u32 LE, u64 lamports, u64 seed length, seed, 32-byte owner
	systemCreateAccountLen   = 52
	systemTransferSeedMinLen = 52
	tokenTransferTag         = 3  // u8, then u64 LE amount
	tokenTransferCheckedTag  = 12 // u8, then u64 LE amount, u8 decimals
	systemTransferDataLen    = 12
	tokenTransferDataLen     = 9
	tokenTransferCheckedLen  = 10
	maxAccountsInTransaction = 256
	// maxWireTxSize is Solana's PACKET_DATA_SIZE: no transaction on chain
	// is larger.
	maxWireTxSize = 1232
)

// rawTx is a getTransaction result in any encoding.
type rawTx struct {
	Slot        *uint64         `json:"slot"`
	BlockTime   *int64          `json:"blockTime"`
	Meta        *rawMeta        `json:"meta"`
	Transaction json.RawMessage `json:"transaction"`
	Version     json.RawMessage `json:"version"`
}

type rawMeta struct {
	Err               json.RawMessage   `json:"err"`
	Status            json.RawMessage   `json:"status"`
	Fee               json.RawMessage   `json:"fee"`
	PreBalances       json.RawMessage   `json:"preBalances"`
	PostBalances      json.RawMessage   `json:"postBalances"`
	InnerInstructions []rawInner        `json:"innerInstructions"`
	PreTokenBalances  []rawTokenBalance `json:"preTokenBalances"`
	PostTokenBalances []rawTokenBalance `json:"postTokenBalances"`
	LoadedAddresses   *rawLoaded        `json:"loadedAddresses"`
}

type rawInner struct {
	Index        *int              `json:"index"`
	Instructions []json.RawMessage `json:"instructions"`
}

type rawLoaded struct {
	Writable []string `json:"writable"`
	Readonly []string `json:"readonly"`
}

type rawTokenBalance struct {
	AccountIndex  *int   `json:"accountIndex"`
	Mint          string `json:"mint"`
	Owner         string `json:"owner"`
	UITokenAmount *struct {
		Decimals *uint8 `json:"decimals"`
	} `json:"uiTokenAmount"`
}

// rawJSONTx is the "transaction" object of the json and jsonParsed
// encodings. AccountKeys holds strings (json) or objects (jsonParsed).
type rawJSONTx struct {
	Signatures []string `json:"signatures"`
	Message    *struct {
		AccountKeys         []json.RawMessage `json:"accountKeys"`
		Instructions        []json.RawMessage `json:"instructions"`
		AddressTableLookups []struct {
			WritableIndexes []int `json:"writableIndexes"`
			ReadonlyIndexes []int `json:"readonlyIndexes"`
		} `json:"addressTableLookups"`
	} `json:"message"`
}

// rawCompiledIx is an instruction of the json encoding (top-level or
// inner; inner ones of base64 transactions have the same shape).
type rawCompiledIx struct {
	ProgramIDIndex *int        `json:"programIdIndex"`
	Accounts       []int       `json:"accounts"`
	Data           *sol.Base58 `json:"data"`
	StackHeight    *int        `json:"stackHeight"`
}

// rawParsedIx is an instruction of the jsonParsed encoding: either parsed
// (Parsed set) or, for programs the node cannot parse, raw (Accounts and
// Data set).
type rawParsedIx struct {
	ProgramID   string          `json:"programId"`
	Parsed      json.RawMessage `json:"parsed"`
	Accounts    []string        `json:"accounts"`
	Data        *sol.Base58     `json:"data"`
	StackHeight *int            `json:"stackHeight"`
}

// instr is an instruction in a form common to all encodings.
type instr struct {
	program string
	// stackHeight is the CPI depth the node reports for an inner
	// instruction (2 for one invoked by a top-level instruction); nil
	// when the node does not say (before RPC 1.14).
	stackHeight *int
	// Raw form (json, base64, and unparsed jsonParsed instructions).
	raw      bool
	accounts []string
	data     []byte
	// Parsed form (jsonParsed).
	parsedType string
	info       json.RawMessage
	text       *string // a "parsed" that is a string, as memos are
}

// txView is a decoded transaction in a form common to all encodings.
type txView struct {
	signature string
	keys      []string // static keys, then loaded writable, then loaded readonly
	top       []instr
	inner     map[int][]instr
}

type tokenAccount struct {
	mint     string
	owner    string
	decimals uint8
}

// transfer is a SOL or SPL transfer found in an instruction, before it is
// matched against the watched address.
type transfer struct {
	payer, source, destination, mint string
	amount                           *big.Int
	decimals                         *uint8 // nil: take it from token balances
	spl                              bool
	// System instructions that move lamports but are not transfers:
	// seed is a TransferWithSeed (from an account derived from base),
	// create a CreateAccount (lamports funding the new account).
	seed, create bool
	base         string
}

// DecodeTransaction decodes a getTransaction result (the JSON value of
// "result", in the jsonParsed, json or base64 encoding, legacy or v0) and
// returns the payments to watched that it contains, in instruction order
// (each top-level instruction, then its inner instructions). status is
// copied into each payment. A successful transaction that pays watched
// nothing yields no payments and no error.
//
// It returns an error wrapping ErrNotFound if raw is JSON null, a
// *FailedError if the transaction failed (meta.err is not null), and an
// error wrapping ErrMalformed if raw or a transfer or memo in it is not
// well formed: missing fields, invalid keys, out-of-range account
// indexes, amounts above 2^64-1. It never panics.
func DecodeTransaction(raw []byte, watched string, status ConfirmationStatus) ([]Payment, error) {
	_, c, err := decodeTransaction(raw, watched, status)
	if err != nil {
		return nil, err
	}
	return c.Payments, nil
}

// Credits is what one successful transaction credits to a watched
// address: the payments, and the lamports that are deliberately not
// payments (see NotPaymentKind), each in instruction order.
type Credits struct {
	Signature   string
	Slot        uint64
	Payments    []Payment
	NotPayments []NotPayment
}

// DecodeCredits is DecodeTransaction that also reports the lamports the
// transaction moved into watched that are not payments: System
// TransferWithSeed, and the rent the Associated Token Account program
// moves into a token account it creates (attributed by the inner
// instructions' stackHeight; for old responses without it, by the
// top-level instruction). It returns the errors of DecodeTransaction.
func DecodeCredits(raw []byte, watched string, status ConfirmationStatus) (*Credits, error) {
	_, c, err := decodeTransaction(raw, watched, status)
	return c, err
}

// decodeTransaction is DecodeTransaction that also returns the
// transaction's signature as the node wrote it, read before anything else
// is checked ("" if even that cannot be read), so that a caller can tell a
// node that answered with another transaction from a malformed one.
func decodeTransaction(raw []byte, watched string, status ConfirmationStatus) (string, *Credits, error) {
	sig := probeSignature(raw)
	c, err := decodeCredits(raw, watched, status)
	if err != nil {
		return sig, nil, err
	}
	return sig, c, nil
}

func decodeCredits(raw []byte, watched string, status ConfirmationStatus) (*Credits, error) {
	if _, err := sol.PublicKeyFromBase58(watched); err != nil {
		return nil, fmt.Errorf("decode transaction: watched address %q: %v: %w", watched, err, ErrMalformed)
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, fmt.Errorf("decode transaction: empty result: %w", ErrMalformed)
	}
	if string(raw) == "null" {
		return nil, fmt.Errorf("decode transaction: %w", ErrNotFound)
	}
	var rt rawTx
	if err := decodeExact(raw, &rt); err != nil {
		return nil, fmt.Errorf("decode transaction: %v: %w", err, ErrMalformed)
	}
	if rt.Slot == nil || rt.Meta == nil || len(rt.Transaction) == 0 || isNull(rt.Transaction) {
		return nil, fmt.Errorf("decode transaction: missing slot, meta or transaction: %w", ErrMalformed)
	}
	if err := checkVersion(rt.Version); err != nil {
		return nil, fmt.Errorf("decode transaction at slot %d: %w", *rt.Slot, err)
	}
	v, err := decodeTxView(rt.Transaction, rt.Meta)
	if err != nil {
		return nil, fmt.Errorf("decode transaction at slot %d: %w", *rt.Slot, err)
	}
	failed, err := checkMeta(rt.Meta)
	if err != nil {
		return nil, fmt.Errorf("decode transaction %s: %w", v.signature, err)
	}
	if failed != "" {
		return nil, &FailedError{Signature: v.signature, Slot: *rt.Slot, Reason: failed}
	}
	var blockTime *time.Time
	if rt.BlockTime != nil {
		t := time.Unix(*rt.BlockTime, 0).UTC()
		blockTime = &t
	}
	tokens, err := tokenAccounts(v.keys, rt.Meta)
	if err != nil {
		return nil, fmt.Errorf("decode transaction %s: %w", v.signature, err)
	}

	c := &Credits{Signature: v.signature, Slot: *rt.Slot}
	var memos []string
	visit := func(ix instr, outer, inner int) error {
		if m, ok, err := memoOf(ix); err != nil {
			return err
		} else if ok {
			memos = append(memos, m)
			return nil
		}
		tr, ok, err := transferOf(ix)
		if err != nil || !ok {
			return err
		}
		if !tr.spl {
			var kind NotPaymentKind
			var reason string
			switch {
			case tr.seed:
				kind = NotPaymentTransferWithSeed
				reason = fmt.Sprintf("system transferWithSeed from %s (an account derived from %s): not accepted as a payment", tr.source, tr.base)
			case parentProgram(v, outer, inner) == ataProgram:
				kind = NotPaymentATARent
				op := "transfer"
				if tr.create {
					op = "createAccount"
				}
				reason = fmt.Sprintf("rent of a token account created by the associated token account program (system %s from %s): funds the account, pays no one", op, tr.source)
			case tr.create:
				return nil // a new account's funding, not a transfer
			}
			if kind != "" {
				if tr.destination == watched {
					c.NotPayments = append(c.NotPayments, NotPayment{Signature: v.signature, Slot: *rt.Slot, BlockTime: blockTime,
						Instruction: outer, InnerInstruction: inner, Kind: kind, Reason: reason, Source: tr.source,
						Recipient: tr.destination, Amount: tr.amount, Status: status})
				}
				return nil
			}
		}
		p, ok, err := paymentOf(tr, watched, tokens)
		if err != nil || !ok {
			return err
		}
		p.Signature, p.Slot, p.BlockTime = v.signature, *rt.Slot, blockTime
		p.Instruction, p.InnerInstruction = outer, inner
		p.FeePayer, p.Status = v.keys[0], status
		c.Payments = append(c.Payments, p)
		return nil
	}
	for i, ix := range v.top {
		if err := visit(ix, i, -1); err != nil {
			return nil, fmt.Errorf("decode transaction %s instruction %d: %w", v.signature, i, err)
		}
		for j, in := range v.inner[i] {
			if err := visit(in, i, j); err != nil {
				return nil, fmt.Errorf("decode transaction %s instruction %d inner %d: %w", v.signature, i, j, err)
			}
		}
	}
	memo := strings.Join(memos, "; ")
	ref, refErr := jobRefFromMemos(memos)
	for i := range c.Payments {
		c.Payments[i].Memo, c.Payments[i].JobRef, c.Payments[i].JobRefErr = memo, ref, refErr
	}
	return c, nil
}

// parentProgram returns the program that invoked inner instruction inner
// of top-level instruction outer: the nearest earlier inner instruction
// one level up by stackHeight, or the top-level instruction for level 2.
// Without stackHeight (old responses) it is taken to be the top-level
// instruction. "" for a top-level instruction or inconsistent heights.
func parentProgram(v *txView, outer, inner int) string {
	if inner < 0 {
		return ""
	}
	list := v.inner[outer]
	h := list[inner].stackHeight
	if h == nil || *h <= 2 {
		return v.top[outer].program
	}
	for k := inner - 1; k >= 0; k-- {
		if hk := list[k].stackHeight; hk != nil && *hk == *h-1 {
			return list[k].program
		}
	}
	return ""
}

// checkMeta checks the outcome fields of a transaction's meta and returns
// the failure reason as compact JSON ("" for a success). err and status
// must both be present and agree: err null with status {"Ok":null}, or
// err E with status {"Err":E}; fee, preBalances and postBalances must be
// present (the RPC always writes them). Anything else is malformed, so a
// meta that hides a failure behind a missing or contradicting field is
// never credited.
func checkMeta(m *rawMeta) (string, error) {
	for _, f := range []struct {
		name string
		v    json.RawMessage
	}{{"fee", m.Fee}, {"preBalances", m.PreBalances}, {"postBalances", m.PostBalances}, {"status", m.Status}} {
		if isNull(f.v) {
			return "", fmt.Errorf("meta.%s missing or null: %w", f.name, ErrMalformed)
		}
	}
	if len(m.Err) == 0 {
		return "", fmt.Errorf("meta.err missing: %w", ErrMalformed)
	}
	var st map[string]json.RawMessage
	if err := json.Unmarshal(m.Status, &st); err != nil || len(st) != 1 {
		return "", fmt.Errorf("meta.status %.80s: want {\"Ok\":null} or {\"Err\":...}: %w", compactJSON(m.Status), ErrMalformed)
	}
	ok, isOk := st["Ok"]
	stErr, isErr := st["Err"]
	switch {
	case isOk && isNull(ok) && isNull(m.Err):
		return "", nil
	case isErr && !isNull(stErr) && !isNull(m.Err) && compactJSON(stErr) == compactJSON(m.Err):
		return compactJSON(m.Err), nil
	default:
		return "", fmt.Errorf("meta.err %.80s and meta.status %.80s disagree: %w", compactJSON(m.Err), compactJSON(m.Status), ErrMalformed)
	}
}

// probeSignature reads the first signature of a getTransaction result in
// any encoding without checking anything else; "" if it cannot.
func probeSignature(raw []byte) string {
	var rt struct {
		Transaction json.RawMessage `json:"transaction"`
	}
	if json.Unmarshal(raw, &rt) != nil {
		return ""
	}
	var obj struct {
		Signatures []string `json:"signatures"`
	}
	if json.Unmarshal(rt.Transaction, &obj) == nil {
		if len(obj.Signatures) == 0 {
			return ""
		}
		if _, err := sol.SignatureFromBase58(obj.Signatures[0]); err != nil {
			return ""
		}
		return obj.Signatures[0]
	}
	var pair []string
	if json.Unmarshal(rt.Transaction, &pair) != nil || len(pair) != 2 || pair[1] != "base64" {
		return ""
	}
	data, err := base64.StdEncoding.DecodeString(pair[0])
	// Wire format: compact-u16 signature count (1..127 fits one byte),
	// then 64-byte signatures.
	if err != nil || len(data) < 1+sol.SignatureLength || data[0] == 0 || data[0] >= 0x80 {
		return ""
	}
	return sol.SignatureFromBytes(data[1 : 1+sol.SignatureLength]).String()
}

// decodeExact decodes a node answer with numbers kept exact and rejects
// trailing data. Unknown fields are allowed: RPC nodes add fields over
// time (gpumarket.UnmarshalStrict is for what users send).
func decodeExact(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after JSON value")
	}
	return nil
}

func isNull(m json.RawMessage) bool {
	return len(m) == 0 || string(bytes.TrimSpace(m)) == "null"
}

func compactJSON(m json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, m); err != nil {
		return string(m)
	}
	return b.String()
}

func checkVersion(v json.RawMessage) error {
	switch s := string(bytes.TrimSpace(v)); s {
	case "", "null", `"legacy"`, "0":
		return nil
	default:
		return fmt.Errorf("unsupported transaction version %.20s: %w", s, ErrMalformed)
	}
}

// decodeTxView dispatches on the encoding of the "transaction" value.
func decodeTxView(txRaw json.RawMessage, meta *rawMeta) (*txView, error) {
	var v *txView
	var err error
	trimmed := bytes.TrimSpace(txRaw)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("transaction is empty: %w", ErrMalformed)
	}
	switch trimmed[0] {
	case '[':
		v, err = decodeBinaryTx(txRaw, meta)
	case '{':
		v, err = decodeJSONTx(txRaw, meta)
	default:
		return nil, fmt.Errorf("transaction is neither an object nor [data, encoding]: %w", ErrMalformed)
	}
	if err != nil {
		return nil, err
	}
	if len(v.keys) == 0 {
		return nil, fmt.Errorf("transaction %s has no account keys: %w", v.signature, ErrMalformed)
	}
	v.inner = make(map[int][]instr, len(meta.InnerInstructions))
	for k, in := range meta.InnerInstructions {
		if in.Index == nil || *in.Index < 0 || *in.Index >= len(v.top) {
			return nil, fmt.Errorf("inner instructions %d: index missing or outside the %d instructions: %w", k, len(v.top), ErrMalformed)
		}
		if _, dup := v.inner[*in.Index]; dup {
			return nil, fmt.Errorf("inner instructions %d: index %d listed twice: %w", k, *in.Index, ErrMalformed)
		}
		list := make([]instr, 0, len(in.Instructions))
		for j, r := range in.Instructions {
			ix, err := decodeAnyIx(r, v.keys)
			if err != nil {
				return nil, fmt.Errorf("inner instruction %d.%d: %w", *in.Index, j, err)
			}
			list = append(list, ix)
		}
		v.inner[*in.Index] = list
	}
	return v, nil
}

// decodeAnyIx decodes an instruction in either the compiled (indexes) or
// the jsonParsed (program id string) shape; inner instructions come in the
// same encoding as the transaction.
func decodeAnyIx(r json.RawMessage, keys []string) (instr, error) {
	var probe struct {
		ProgramID      *string `json:"programId"`
		ProgramIDIndex *int    `json:"programIdIndex"`
	}
	if err := json.Unmarshal(r, &probe); err != nil {
		return instr{}, fmt.Errorf("%v: %w", err, ErrMalformed)
	}
	if probe.ProgramID != nil {
		return decodeParsedIx(r)
	}
	return decodeCompiledIx(r, keys)
}

func decodeCompiledIx(r json.RawMessage, keys []string) (instr, error) {
	var c rawCompiledIx
	if err := decodeExact(r, &c); err != nil {
		return instr{}, fmt.Errorf("%v: %w", err, ErrMalformed)
	}
	if c.ProgramIDIndex == nil || c.Data == nil {
		return instr{}, fmt.Errorf("missing programIdIndex or data: %w", ErrMalformed)
	}
	prog, err := keyAt(keys, *c.ProgramIDIndex)
	if err != nil {
		return instr{}, err
	}
	ix := instr{program: prog, raw: true, data: *c.Data, stackHeight: c.StackHeight}
	for _, a := range c.Accounts {
		k, err := keyAt(keys, a)
		if err != nil {
			return instr{}, err
		}
		ix.accounts = append(ix.accounts, k)
	}
	return ix, nil
}

func decodeParsedIx(r json.RawMessage) (instr, error) {
	var p rawParsedIx
	if err := decodeExact(r, &p); err != nil {
		return instr{}, fmt.Errorf("%v: %w", err, ErrMalformed)
	}
	if err := checkKey(p.ProgramID); err != nil {
		return instr{}, fmt.Errorf("programId: %w", err)
	}
	ix := instr{program: p.ProgramID, stackHeight: p.StackHeight}
	switch {
	case !isNull(p.Parsed):
		if bytes.TrimSpace(p.Parsed)[0] == '"' {
			var s string
			if err := json.Unmarshal(p.Parsed, &s); err != nil {
				return instr{}, fmt.Errorf("parsed: %v: %w", err, ErrMalformed)
			}
			ix.text = &s
			return ix, nil
		}
		var body struct {
			Type string          `json:"type"`
			Info json.RawMessage `json:"info"`
		}
		if err := json.Unmarshal(p.Parsed, &body); err != nil {
			return instr{}, fmt.Errorf("parsed: %v: %w", err, ErrMalformed)
		}
		ix.parsedType, ix.info = body.Type, body.Info
	case p.Data != nil:
		for i, a := range p.Accounts {
			if err := checkKey(a); err != nil {
				return instr{}, fmt.Errorf("account %d: %w", i, err)
			}
		}
		ix.raw, ix.accounts, ix.data = true, p.Accounts, *p.Data
	default:
		return instr{}, fmt.Errorf("instruction of %s has neither parsed nor data: %w", p.ProgramID, ErrMalformed)
	}
	return ix, nil
}

// decodeJSONTx decodes the json and jsonParsed encodings.
func decodeJSONTx(txRaw json.RawMessage, meta *rawMeta) (*txView, error) {
	var t rawJSONTx
	if err := decodeExact(txRaw, &t); err != nil {
		return nil, fmt.Errorf("transaction: %v: %w", err, ErrMalformed)
	}
	if len(t.Signatures) == 0 || t.Message == nil {
		return nil, fmt.Errorf("transaction: missing signatures or message: %w", ErrMalformed)
	}
	if _, err := sol.SignatureFromBase58(t.Signatures[0]); err != nil {
		return nil, fmt.Errorf("transaction signature %.100q: %v: %w", t.Signatures[0], err, ErrMalformed)
	}
	v := &txView{signature: t.Signatures[0]}
	parsed := false
	for i, k := range t.Message.AccountKeys {
		var key string
		if trimmed := bytes.TrimSpace(k); len(trimmed) > 0 && trimmed[0] == '{' {
			parsed = true
			var obj struct {
				Pubkey string `json:"pubkey"`
			}
			if err := json.Unmarshal(k, &obj); err != nil {
				return nil, fmt.Errorf("account key %d: %v: %w", i, err, ErrMalformed)
			}
			key = obj.Pubkey
		} else if err := json.Unmarshal(k, &key); err != nil {
			return nil, fmt.Errorf("account key %d: %v: %w", i, err, ErrMalformed)
		}
		if err := checkKey(key); err != nil {
			return nil, fmt.Errorf("account key %d: %w", i, err)
		}
		v.keys = append(v.keys, key)
	}
	if !parsed {
		// json encoding: indexes continue into the loaded addresses.
		var writable, readonly int
		for _, l := range t.Message.AddressTableLookups {
			writable += len(l.WritableIndexes)
			readonly += len(l.ReadonlyIndexes)
		}
		keys, err := appendLoaded(v.keys, meta.LoadedAddresses, writable, readonly)
		if err != nil {
			return nil, err
		}
		v.keys = keys
	}
	for i, r := range t.Message.Instructions {
		var ix instr
		var err error
		if parsed {
			ix, err = decodeParsedIx(r)
		} else {
			ix, err = decodeCompiledIx(r, v.keys)
		}
		if err != nil {
			return nil, fmt.Errorf("instruction %d: %w", i, err)
		}
		v.top = append(v.top, ix)
	}
	return v, nil
}

// decodeBinaryTx decodes the base64 (or base58) encoding: ["<data>", "base64"].
func decodeBinaryTx(txRaw json.RawMessage, meta *rawMeta) (*txView, error) {
	var pair []string
	if err := json.Unmarshal(txRaw, &pair); err != nil || len(pair) != 2 {
		return nil, fmt.Errorf("transaction: want [data, encoding]: %w", ErrMalformed)
	}
	var data []byte
	var err error
	switch pair[1] {
	case "base64":
		data, err = base64.StdEncoding.DecodeString(pair[0])
	case "base58":
		var b sol.Base58
		err = b.UnmarshalJSON([]byte(`"` + pair[0] + `"`))
		data = b
	default:
		return nil, fmt.Errorf("transaction: unsupported encoding %.20q: %w", pair[1], ErrMalformed)
	}
	if err != nil {
		return nil, fmt.Errorf("transaction: %s: %v: %w", pair[1], err, ErrMalformed)
	}
	if len(data) > maxWireTxSize {
		return nil, fmt.Errorf("transaction: %d bytes, larger than a packet (%d): %w", len(data), maxWireTxSize, ErrMalformed)
	}
	tx, err := parseWireTx(data)
	if err != nil {
		return nil, fmt.Errorf("transaction: %v: %w", err, ErrMalformed)
	}
	if len(tx.Signatures) == 0 {
		return nil, fmt.Errorf("transaction has no signature: %w", ErrMalformed)
	}
	v := &txView{signature: tx.Signatures[0].String()}
	for _, k := range tx.Message.AccountKeys {
		v.keys = append(v.keys, k.String())
	}
	var writable, readonly int
	for _, l := range tx.Message.AddressTableLookups {
		writable += len(l.WritableIndexes)
		readonly += len(l.ReadonlyIndexes)
	}
	if v.keys, err = appendLoaded(v.keys, meta.LoadedAddresses, writable, readonly); err != nil {
		return nil, err
	}
	for i, c := range tx.Message.Instructions {
		prog, err := keyAt(v.keys, int(c.ProgramIDIndex))
		if err != nil {
			return nil, fmt.Errorf("instruction %d: %w", i, err)
		}
		ix := instr{program: prog, raw: true, data: c.Data}
		for _, a := range c.Accounts {
			k, err := keyAt(v.keys, int(a))
			if err != nil {
				return nil, fmt.Errorf("instruction %d: %w", i, err)
			}
			ix.accounts = append(ix.accounts, k)
		}
		v.top = append(v.top, ix)
	}
	return v, nil
}

// parseWireTx decodes a wire-format transaction with solana-go. The
// recover turns a panic inside the third-party decoder on hostile input
// into an error, so DecodeTransaction keeps its no-panic promise.
func parseWireTx(data []byte) (tx *sol.Transaction, err error) {
	defer func() {
		if r := recover(); r != nil {
			tx, err = nil, fmt.Errorf("wire decoder panicked: %v", r)
		}
	}()
	return sol.TransactionFromBytes(data)
}

// appendLoaded appends the addresses loaded from lookup tables: writable
// first, then readonly, as account indexes count them. The counts must
// match the message's lookups.
func appendLoaded(keys []string, loaded *rawLoaded, writable, readonly int) ([]string, error) {
	var w, r []string
	if loaded != nil {
		w, r = loaded.Writable, loaded.Readonly
	}
	if len(w) != writable || len(r) != readonly {
		return nil, fmt.Errorf("loadedAddresses has %d writable and %d readonly, the lookups want %d and %d: %w",
			len(w), len(r), writable, readonly, ErrMalformed)
	}
	out := append([]string(nil), keys...)
	for _, k := range append(append([]string(nil), w...), r...) {
		if err := checkKey(k); err != nil {
			return nil, fmt.Errorf("loaded address: %w", err)
		}
		out = append(out, k)
	}
	if len(out) > maxAccountsInTransaction {
		return nil, fmt.Errorf("%d accounts, more than %d: %w", len(out), maxAccountsInTransaction, ErrMalformed)
	}
	return out, nil
}

func keyAt(keys []string, i int) (string, error) {
	if i < 0 || i >= len(keys) {
		return "", fmt.Errorf("account index %d outside the %d accounts: %w", i, len(keys), ErrMalformed)
	}
	return keys[i], nil
}

func checkKey(k string) error {
	if _, err := sol.PublicKeyFromBase58(k); err != nil {
		return fmt.Errorf("public key %.60q: %v: %w", k, err, ErrMalformed)
	}
	return nil
}

// tokenAccounts maps token account addresses to their mint, owner and
// decimals from the pre- and post-transaction token balances.
func tokenAccounts(keys []string, meta *rawMeta) (map[string]tokenAccount, error) {
	out := make(map[string]tokenAccount)
	for _, list := range [][]rawTokenBalance{meta.PreTokenBalances, meta.PostTokenBalances} {
		for _, b := range list {
			if b.AccountIndex == nil || b.UITokenAmount == nil || b.UITokenAmount.Decimals == nil {
				return nil, fmt.Errorf("token balance: missing accountIndex or decimals: %w", ErrMalformed)
			}
			addr, err := keyAt(keys, *b.AccountIndex)
			if err != nil {
				return nil, fmt.Errorf("token balance: %w", err)
			}
			if err := checkKey(b.Mint); err != nil {
				return nil, fmt.Errorf("token balance of %s: mint: %w", addr, err)
			}
			if b.Owner != "" {
				if err := checkKey(b.Owner); err != nil {
					return nil, fmt.Errorf("token balance of %s: owner: %w", addr, err)
				}
			}
			ta := tokenAccount{mint: b.Mint, owner: b.Owner, decimals: *b.UITokenAmount.Decimals}
			if prev, ok := out[addr]; ok {
				if prev.mint != ta.mint || prev.decimals != ta.decimals {
					return nil, fmt.Errorf("token balances of %s disagree on mint or decimals: %w", addr, ErrMalformed)
				}
				if ta.owner == "" {
					ta.owner = prev.owner
				}
			}
			out[addr] = ta
		}
	}
	return out, nil
}

// memoOf returns the memo text of a memo program instruction.
func memoOf(ix instr) (string, bool, error) {
	if ix.program != memoV1Program && ix.program != memoV2Program {
		return "", false, nil
	}
	switch {
	case ix.text != nil:
		return *ix.text, true, nil
	case ix.raw:
		if !utf8.Valid(ix.data) {
			// The memo programs refuse such data, so a successful
			// transaction should not hold it; if one does, it names
			// no job (and the transaction's payments still count).
			return UnparsableMemo, true, nil
		}
		return string(ix.data), true, nil
	default:
		return "", false, fmt.Errorf("memo instruction without text: %w", ErrMalformed)
	}
}

// transferOf recognizes a SOL or SPL transfer instruction. Other
// instructions yield ok false.
func transferOf(ix instr) (transfer, bool, error) {
	switch ix.program {
	case systemProgram:
		if ix.raw {
			return rawSystemTransfer(ix)
		}
		switch ix.parsedType {
		case "transfer", "transferWithSeed", "createAccount":
		default:
			return transfer{}, false, nil
		}
		var info struct {
			Source      string      `json:"source"`
			Destination string      `json:"destination"`
			NewAccount  string      `json:"newAccount"`
			SourceBase  string      `json:"sourceBase"`
			Lamports    json.Number `json:"lamports"`
		}
		if err := decodeExact(ix.info, &info); err != nil {
			return transfer{}, false, fmt.Errorf("system %s: %v: %w", ix.parsedType, err, ErrMalformed)
		}
		amt, err := parseU64(info.Lamports.String())
		if err != nil {
			return transfer{}, false, fmt.Errorf("system %s lamports: %w", ix.parsedType, err)
		}
		tr := transfer{payer: info.Source, source: info.Source, destination: info.Destination, amount: amt}
		keys := []string{tr.source, tr.destination}
		switch ix.parsedType {
		case "transferWithSeed":
			tr.seed, tr.base = true, info.SourceBase
			keys = append(keys, tr.base)
		case "createAccount":
			tr.create, tr.destination = true, info.NewAccount
			keys = []string{tr.source, tr.destination}
		}
		return tr, true, checkKeys("system "+ix.parsedType, keys...)
	case tokenProgram, token2022Program:
		if ix.raw {
			return rawTokenTransfer(ix)
		}
		if ix.parsedType != "transfer" && ix.parsedType != "transferChecked" {
			return transfer{}, false, nil
		}
		var info struct {
			Source            string `json:"source"`
			Destination       string `json:"destination"`
			Mint              string `json:"mint"`
			Authority         string `json:"authority"`
			MultisigAuthority string `json:"multisigAuthority"`
			Amount            string `json:"amount"`
			TokenAmount       *struct {
				Amount   string `json:"amount"`
				Decimals *uint8 `json:"decimals"`
			} `json:"tokenAmount"`
		}
		if err := decodeExact(ix.info, &info); err != nil {
			return transfer{}, false, fmt.Errorf("token %s: %v: %w", ix.parsedType, err, ErrMalformed)
		}
		tr := transfer{source: info.Source, destination: info.Destination, payer: info.Authority, spl: true}
		if info.MultisigAuthority != "" {
			tr.payer = info.MultisigAuthority
		}
		amount := info.Amount
		if ix.parsedType == "transferChecked" {
			if info.TokenAmount == nil || info.TokenAmount.Decimals == nil {
				return transfer{}, false, fmt.Errorf("token transferChecked: missing tokenAmount: %w", ErrMalformed)
			}
			if err := checkKey(info.Mint); err != nil {
				return transfer{}, false, fmt.Errorf("token transferChecked mint: %w", err)
			}
			amount, tr.mint, tr.decimals = info.TokenAmount.Amount, info.Mint, info.TokenAmount.Decimals
		}
		amt, err := parseU64(amount)
		if err != nil {
			return transfer{}, false, fmt.Errorf("token %s amount: %w", ix.parsedType, err)
		}
		tr.amount = amt
		return tr, true, checkKeys("token "+ix.parsedType, tr.source, tr.destination, tr.payer)
	}
	return transfer{}, false, nil
}

func rawSystemTransfer(ix instr) (transfer, bool, error) {
	if len(ix.data) < 4 {
		return transfer{}, false, nil
	}
	switch binary.LittleEndian.Uint32(ix.data) {
	case systemTransferTag:
	case systemCreateAccountTag:
		if len(ix.data) < systemCreateAccountLen || len(ix.accounts) < 2 {
			return transfer{}, false, fmt.Errorf("system createAccount: %d data bytes and %d accounts, want at least %d and 2: %w",
				len(ix.data), len(ix.accounts), systemCreateAccountLen, ErrMalformed)
		}
		amt := new(big.Int).SetUint64(binary.LittleEndian.Uint64(ix.data[4:]))
		return transfer{payer: ix.accounts[0], source: ix.accounts[0], destination: ix.accounts[1], amount: amt, create: true}, true, nil
	case systemTransferSeedTag:
		// Accounts: the derived source, its base (signer), the destination.
		if len(ix.data) < systemTransferSeedMinLen || len(ix.accounts) < 3 ||
			binary.LittleEndian.Uint64(ix.data[12:]) > uint64(len(ix.data)-systemTransferSeedMinLen) {
			return transfer{}, false, fmt.Errorf("system transferWithSeed: %d data bytes and %d accounts, want a seed and owner and 3: %w",
				len(ix.data), len(ix.accounts), ErrMalformed)
		}
		amt := new(big.Int).SetUint64(binary.LittleEndian.Uint64(ix.data[4:]))
		return transfer{payer: ix.accounts[0], source: ix.accounts[0], base: ix.accounts[1], destination: ix.accounts[2],
			amount: amt, seed: true}, true, nil
	default:
		return transfer{}, false, nil
	}
	// The system program decodes its instruction with bincode allowing
	// trailing bytes (limited_deserialize), so longer data is a valid
	// transfer of the lamports in bytes 4..12; shorter data or a missing
	// account fails on chain and cannot be in a successful transaction.
	if len(ix.data) < systemTransferDataLen || len(ix.accounts) < 2 {
		return transfer{}, false, fmt.Errorf("system transfer: %d data bytes and %d accounts, want at least %d and 2: %w",
			len(ix.data), len(ix.accounts), systemTransferDataLen, ErrMalformed)
	}
	amt := new(big.Int).SetUint64(binary.LittleEndian.Uint64(ix.data[4:]))
	return transfer{payer: ix.accounts[0], source: ix.accounts[0], destination: ix.accounts[1], amount: amt}, true, nil
}

func rawTokenTransfer(ix instr) (transfer, bool, error) {
	if len(ix.data) == 0 {
		return transfer{}, false, nil
	}
	switch ix.data[0] {
	case tokenTransferTag:
		// The token programs' TokenInstruction::unpack reads the amount
		// (and decimals) from the front and ignores trailing bytes, as
		// the chain does; too few bytes or accounts fail on chain.
		if len(ix.data) < tokenTransferDataLen || len(ix.accounts) < 3 {
			return transfer{}, false, fmt.Errorf("token transfer: %d data bytes and %d accounts, want at least %d and 3: %w",
				len(ix.data), len(ix.accounts), tokenTransferDataLen, ErrMalformed)
		}
		amt := new(big.Int).SetUint64(binary.LittleEndian.Uint64(ix.data[1:]))
		return transfer{source: ix.accounts[0], destination: ix.accounts[1], payer: ix.accounts[2], amount: amt, spl: true}, true, nil
	case tokenTransferCheckedTag:
		if len(ix.data) < tokenTransferCheckedLen || len(ix.accounts) < 4 {
			return transfer{}, false, fmt.Errorf("token transferChecked: %d data bytes and %d accounts, want at least %d and 4: %w",
				len(ix.data), len(ix.accounts), tokenTransferCheckedLen, ErrMalformed)
		}
		amt := new(big.Int).SetUint64(binary.LittleEndian.Uint64(ix.data[1:]))
		dec := ix.data[9]
		return transfer{source: ix.accounts[0], mint: ix.accounts[1], destination: ix.accounts[2], payer: ix.accounts[3],
			amount: amt, decimals: &dec, spl: true}, true, nil
	}
	return transfer{}, false, nil
}

func checkKeys(op string, keys ...string) error {
	for _, k := range keys {
		if err := checkKey(k); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	return nil
}

// parseU64 parses a base-unit amount: decimal digits without sign or
// leading zeros, at most 2^64-1.
func parseU64(s string) (*big.Int, error) {
	if err := checkDecimal(s); err != nil {
		return nil, fmt.Errorf("amount %.40q: %v: %w", s, err, ErrMalformed)
	}
	n, ok := new(big.Int).SetString(s, 10)
	if !ok || !n.IsUint64() {
		return nil, fmt.Errorf("amount %.40q overflows u64 (max %d): %w", s, uint64(math.MaxUint64), ErrMalformed)
	}
	return n, nil
}

// paymentOf turns a transfer into a Payment if it pays watched.
func paymentOf(tr transfer, watched string, tokens map[string]tokenAccount) (Payment, bool, error) {
	if !tr.spl {
		if tr.destination != watched {
			return Payment{}, false, nil
		}
		return Payment{Payer: tr.payer, Source: tr.source, Recipient: tr.destination, RecipientOwner: tr.destination,
			Amount: tr.amount, Decimals: SOLDecimals}, true, nil
	}
	dst, known := tokens[tr.destination]
	if tr.destination != watched && (!known || dst.owner != watched) {
		return Payment{}, false, nil
	}
	p := Payment{Payer: tr.payer, Source: tr.source, Recipient: tr.destination, RecipientOwner: dst.owner,
		Mint: tr.mint, Amount: tr.amount}
	switch {
	case tr.mint == "" && !known:
		return Payment{}, false, fmt.Errorf("token transfer to %s: mint unknown (no token balance): %w", tr.destination, ErrMalformed)
	case tr.mint == "":
		p.Mint, p.Decimals = dst.mint, dst.decimals
	default:
		if known && (dst.mint != tr.mint || dst.decimals != *tr.decimals) {
			return Payment{}, false, fmt.Errorf("token transferChecked to %s: mint %s/%d decimals, token balance says %s/%d: %w",
				tr.destination, tr.mint, *tr.decimals, dst.mint, dst.decimals, ErrMalformed)
		}
		p.Decimals = *tr.decimals
	}
	return p, true, nil
}
