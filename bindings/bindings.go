// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// Assignment is an auto generated low-level Go binding around an user-defined struct.
type Assignment struct {
	JobId    *big.Int
	Provider common.Address
	Price    *big.Int
	Expiry   uint64
}

// IProviderRegistryProvider is an auto generated low-level Go binding around an user-defined struct.
type IProviderRegistryProvider struct {
	Signer            common.Address
	AttestationExpiry *big.Int
	Active            bool
	Registered        bool
	AttestationHash   [32]byte
	Stake             *big.Int
	Reserved          *big.Int
	Unbonding         *big.Int
	UnbondingReadyAt  *big.Int
	MetadataURI       string
}

// Job is an auto generated low-level Go binding around an user-defined struct.
type Job struct {
	Client            common.Address
	Token             common.Address
	MaxPayment        *big.Int
	Kind              uint8
	State             uint8
	Deadline          *big.Int
	FeeBps            uint16
	CreatorShareBps   uint16
	PreferredProvider common.Address
	Creator           common.Address
	Treasury          common.Address
	SpecHash          [32]byte
	Provider          common.Address
	Price             *big.Int
	AmountDue         *big.Int
	ChallengeEnd      *big.Int
	DisputedAt        *big.Int
	DisputeBond       *big.Int
}

// JobParams is an auto generated low-level Go binding around an user-defined struct.
type JobParams struct {
	Kind              uint8
	Token             common.Address
	MaxPayment        *big.Int
	Deadline          *big.Int
	PreferredProvider common.Address
	Creator           common.Address
	CreatorShareBps   uint16
	SpecHash          [32]byte
	SpecURI           string
}

// MarketConfig is an auto generated low-level Go binding around an user-defined struct.
type MarketConfig struct {
	Treasury           common.Address
	ProtocolFeeBps     uint16
	MaxProtocolFeeBps  uint16
	MaxCreatorShareBps uint16
	ChallengeWindow    *big.Int
	DisputeTimeout     *big.Int
	MaxJobDuration     *big.Int
	ReservationBps     uint16
	ReservationFloor   *big.Int
	ReservationCap     *big.Int
	DisputeBondBps     uint16
	AdminDelay         *big.Int
}

// OrderAuth is an auto generated low-level Go binding around an user-defined struct.
type OrderAuth struct {
	Client common.Address
	Nonce  *big.Int
	Expiry uint64
}

// Payout is an auto generated low-level Go binding around an user-defined struct.
type Payout struct {
	Treasury       common.Address
	ProtocolFee    *big.Int
	CreatorAmount  *big.Int
	ProviderAmount *big.Int
	ClientRefund   *big.Int
}

// PermitData is an auto generated low-level Go binding around an user-defined struct.
type PermitData struct {
	Value    *big.Int
	Deadline *big.Int
	V        uint8
	R        [32]byte
	S        [32]byte
}

// Usage is an auto generated low-level Go binding around an user-defined struct.
type Usage struct {
	Units      uint64
	ExtraUnits uint64
}

// FeeOnTransferTokenMetaData contains all meta data concerning the FeeOnTransferToken contract.
var FeeOnTransferTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"feeBps_\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"feeBps\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"allowance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"ERC20InsufficientAllowance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"ERC20InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"approver\",\"type\":\"address\"}],\"name\":\"ERC20InvalidApprover\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"receiver\",\"type\":\"address\"}],\"name\":\"ERC20InvalidReceiver\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"ERC20InvalidSender\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"}],\"name\":\"ERC20InvalidSpender\",\"type\":\"error\"}]",
	ID:  "bbe21b0740fcce2609eefee4abd6014abe",
	Bin: "0x60a060405234801561000f575f5ffd5b50604051610cf1380380610cf183398101604081905261002e916100d5565b6040518060400160405280600f81526020016e2332b29027b7102a3930b739b332b960891b815250604051806040016040528060038152602001621193d560ea1b81525081600390816100819190610184565b50600461008e8282610184565b5050506127108111156100cd5760405162461bcd60e51b815260206004820152600360248201526266656560e81b604482015260640160405180910390fd5b60805261023e565b5f602082840312156100e5575f5ffd5b5051919050565b634e487b7160e01b5f52604160045260245ffd5b600181811c9082168061011457607f821691505b60208210810361013257634e487b7160e01b5f52602260045260245ffd5b50919050565b601f82111561017f57805f5260205f20601f840160051c8101602085101561015d5750805b601f840160051c820191505b8181101561017c575f8155600101610169565b50505b505050565b81516001600160401b0381111561019d5761019d6100ec565b6101b1816101ab8454610100565b84610138565b6020601f8211600181146101e3575f83156101cc5750848201515b5f19600385901b1c1916600184901b17845561017c565b5f84815260208120601f198516915b8281101561021257878501518255602094850194600190920191016101f2565b508482101561022f57868401515f19600387901b60f8161c191681555b50505050600190811b01905550565b608051610a9461025d5f395f818161013301526106810152610a945ff3fe608060405234801561000f575f5ffd5b50600436106100c4575f3560e01c8063313ce5671161007d57806395d89b411161005857806395d89b41146101ae578063a9059cbb146101b6578063dd62ed3e146101c9575f5ffd5b8063313ce5671461015557806340c10f191461016457806370a0823114610179575f5ffd5b806318160ddd116100ad57806318160ddd1461010957806323b872dd1461011b57806324a9d8531461012e575f5ffd5b806306fdde03146100c8578063095ea7b3146100e6575b5f5ffd5b6100d061020e565b6040516100dd9190610873565b60405180910390f35b6100f96100f43660046108ee565b61029e565b60405190151581526020016100dd565b6002545b6040519081526020016100dd565b6100f9610129366004610916565b6102b7565b61010d7f000000000000000000000000000000000000000000000000000000000000000081565b604051601281526020016100dd565b6101776101723660046108ee565b6102da565b005b61010d610187366004610950565b73ffffffffffffffffffffffffffffffffffffffff165f9081526020819052604090205490565b6100d06102e8565b6100f96101c43660046108ee565b6102f7565b61010d6101d7366004610970565b73ffffffffffffffffffffffffffffffffffffffff9182165f90815260016020908152604080832093909416825291909152205490565b60606003805461021d906109a1565b80601f0160208091040260200160405190810160405280929190818152602001828054610249906109a1565b80156102945780601f1061026b57610100808354040283529160200191610294565b820191905f5260205f20905b81548152906001019060200180831161027757829003601f168201915b5050505050905090565b5f336102ab818585610304565b60019150505b92915050565b5f336102c4858285610316565b6102cf8585856103e9565b506001949350505050565b6102e48282610492565b5050565b60606004805461021d906109a1565b5f336102ab8185856103e9565b61031183838360016104ec565b505050565b73ffffffffffffffffffffffffffffffffffffffff8381165f908152600160209081526040808320938616835292905220547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8110156103e357818110156103d5576040517ffb8f41b200000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8416600482015260248101829052604481018390526064015b60405180910390fd5b6103e384848484035f6104ec565b50505050565b73ffffffffffffffffffffffffffffffffffffffff8316610438576040517f96c6fd1e0000000000000000000000000000000000000000000000000000000081525f60048201526024016103cc565b73ffffffffffffffffffffffffffffffffffffffff8216610487576040517fec442f050000000000000000000000000000000000000000000000000000000081525f60048201526024016103cc565b610311838383610631565b73ffffffffffffffffffffffffffffffffffffffff82166104e1576040517fec442f050000000000000000000000000000000000000000000000000000000081525f60048201526024016103cc565b6102e45f8383610631565b73ffffffffffffffffffffffffffffffffffffffff841661053b576040517fe602df050000000000000000000000000000000000000000000000000000000081525f60048201526024016103cc565b73ffffffffffffffffffffffffffffffffffffffff831661058a576040517f94280d620000000000000000000000000000000000000000000000000000000081525f60048201526024016103cc565b73ffffffffffffffffffffffffffffffffffffffff8085165f90815260016020908152604080832093871683529290522082905580156103e3578273ffffffffffffffffffffffffffffffffffffffff168473ffffffffffffffffffffffffffffffffffffffff167f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b9258460405161062391815260200190565b60405180910390a350505050565b73ffffffffffffffffffffffffffffffffffffffff83161580610668575073ffffffffffffffffffffffffffffffffffffffff8216155b15610678576103118383836106cc565b5f6127106106a67f000000000000000000000000000000000000000000000000000000000000000084610a1f565b6106b09190610a36565b90506106bd845f836106cc565b6103e384846106cc8486610a6e565b73ffffffffffffffffffffffffffffffffffffffff8316610703578060025f8282546106f89190610a81565b909155506107b39050565b73ffffffffffffffffffffffffffffffffffffffff83165f9081526020819052604090205481811015610788576040517fe450d38c00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8516600482015260248101829052604481018390526064016103cc565b73ffffffffffffffffffffffffffffffffffffffff84165f9081526020819052604090209082900390555b73ffffffffffffffffffffffffffffffffffffffff82166107dc57600280548290039055610807565b73ffffffffffffffffffffffffffffffffffffffff82165f9081526020819052604090208054820190555b8173ffffffffffffffffffffffffffffffffffffffff168373ffffffffffffffffffffffffffffffffffffffff167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef8360405161086691815260200190565b60405180910390a3505050565b602081525f82518060208401528060208501604085015e5f6040828501015260407fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f83011684010191505092915050565b803573ffffffffffffffffffffffffffffffffffffffff811681146108e9575f5ffd5b919050565b5f5f604083850312156108ff575f5ffd5b610908836108c6565b946020939093013593505050565b5f5f5f60608486031215610928575f5ffd5b610931846108c6565b925061093f602085016108c6565b929592945050506040919091013590565b5f60208284031215610960575f5ffd5b610969826108c6565b9392505050565b5f5f60408385031215610981575f5ffd5b61098a836108c6565b9150610998602084016108c6565b90509250929050565b600181811c908216806109b557607f821691505b6020821081036109ec577f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd5b50919050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b80820281158282048414176102b1576102b16109f2565b5f82610a69577f4e487b71000000000000000000000000000000000000000000000000000000005f52601260045260245ffd5b500490565b818103818111156102b1576102b16109f2565b808201808211156102b1576102b16109f256",
}

// FeeOnTransferToken is an auto generated Go binding around an Ethereum contract.
type FeeOnTransferToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *FeeOnTransferToken) GetABI() abi.ABI {
	return c.abi
}

// NewFeeOnTransferToken creates a new instance of FeeOnTransferToken.
func NewFeeOnTransferToken() *FeeOnTransferToken {
	parsed, err := FeeOnTransferTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &FeeOnTransferToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *FeeOnTransferToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(uint256 feeBps_) returns()
func (feeOnTransferToken *FeeOnTransferToken) PackConstructor(feeBps_ *big.Int) []byte {
	enc, err := feeOnTransferToken.abi.Pack("", feeBps_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address owner, address spender) view returns(uint256)
func (feeOnTransferToken *FeeOnTransferToken) PackAllowance(owner common.Address, spender common.Address) []byte {
	enc, err := feeOnTransferToken.abi.Pack("allowance", owner, spender)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address owner, address spender) view returns(uint256)
func (feeOnTransferToken *FeeOnTransferToken) TryPackAllowance(owner common.Address, spender common.Address) ([]byte, error) {
	return feeOnTransferToken.abi.Pack("allowance", owner, spender)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address owner, address spender) view returns(uint256)
func (feeOnTransferToken *FeeOnTransferToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := feeOnTransferToken.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (feeOnTransferToken *FeeOnTransferToken) PackApprove(spender common.Address, value *big.Int) []byte {
	enc, err := feeOnTransferToken.abi.Pack("approve", spender, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (feeOnTransferToken *FeeOnTransferToken) TryPackApprove(spender common.Address, value *big.Int) ([]byte, error) {
	return feeOnTransferToken.abi.Pack("approve", spender, value)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (feeOnTransferToken *FeeOnTransferToken) UnpackApprove(data []byte) (bool, error) {
	out, err := feeOnTransferToken.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address account) view returns(uint256)
func (feeOnTransferToken *FeeOnTransferToken) PackBalanceOf(account common.Address) []byte {
	enc, err := feeOnTransferToken.abi.Pack("balanceOf", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address account) view returns(uint256)
func (feeOnTransferToken *FeeOnTransferToken) TryPackBalanceOf(account common.Address) ([]byte, error) {
	return feeOnTransferToken.abi.Pack("balanceOf", account)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address account) view returns(uint256)
func (feeOnTransferToken *FeeOnTransferToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := feeOnTransferToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (feeOnTransferToken *FeeOnTransferToken) PackDecimals() []byte {
	enc, err := feeOnTransferToken.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (feeOnTransferToken *FeeOnTransferToken) TryPackDecimals() ([]byte, error) {
	return feeOnTransferToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (feeOnTransferToken *FeeOnTransferToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := feeOnTransferToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackFeeBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x24a9d853.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function feeBps() view returns(uint256)
func (feeOnTransferToken *FeeOnTransferToken) PackFeeBps() []byte {
	enc, err := feeOnTransferToken.abi.Pack("feeBps")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFeeBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x24a9d853.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function feeBps() view returns(uint256)
func (feeOnTransferToken *FeeOnTransferToken) TryPackFeeBps() ([]byte, error) {
	return feeOnTransferToken.abi.Pack("feeBps")
}

// UnpackFeeBps is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x24a9d853.
//
// Solidity: function feeBps() view returns(uint256)
func (feeOnTransferToken *FeeOnTransferToken) UnpackFeeBps(data []byte) (*big.Int, error) {
	out, err := feeOnTransferToken.abi.Unpack("feeBps", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (feeOnTransferToken *FeeOnTransferToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := feeOnTransferToken.abi.Pack("mint", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (feeOnTransferToken *FeeOnTransferToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return feeOnTransferToken.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (feeOnTransferToken *FeeOnTransferToken) PackName() []byte {
	enc, err := feeOnTransferToken.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (feeOnTransferToken *FeeOnTransferToken) TryPackName() ([]byte, error) {
	return feeOnTransferToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (feeOnTransferToken *FeeOnTransferToken) UnpackName(data []byte) (string, error) {
	out, err := feeOnTransferToken.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (feeOnTransferToken *FeeOnTransferToken) PackSymbol() []byte {
	enc, err := feeOnTransferToken.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (feeOnTransferToken *FeeOnTransferToken) TryPackSymbol() ([]byte, error) {
	return feeOnTransferToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (feeOnTransferToken *FeeOnTransferToken) UnpackSymbol(data []byte) (string, error) {
	out, err := feeOnTransferToken.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (feeOnTransferToken *FeeOnTransferToken) PackTotalSupply() []byte {
	enc, err := feeOnTransferToken.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (feeOnTransferToken *FeeOnTransferToken) TryPackTotalSupply() ([]byte, error) {
	return feeOnTransferToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (feeOnTransferToken *FeeOnTransferToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := feeOnTransferToken.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (feeOnTransferToken *FeeOnTransferToken) PackTransfer(to common.Address, value *big.Int) []byte {
	enc, err := feeOnTransferToken.abi.Pack("transfer", to, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (feeOnTransferToken *FeeOnTransferToken) TryPackTransfer(to common.Address, value *big.Int) ([]byte, error) {
	return feeOnTransferToken.abi.Pack("transfer", to, value)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (feeOnTransferToken *FeeOnTransferToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := feeOnTransferToken.abi.Unpack("transfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (feeOnTransferToken *FeeOnTransferToken) PackTransferFrom(from common.Address, to common.Address, value *big.Int) []byte {
	enc, err := feeOnTransferToken.abi.Pack("transferFrom", from, to, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (feeOnTransferToken *FeeOnTransferToken) TryPackTransferFrom(from common.Address, to common.Address, value *big.Int) ([]byte, error) {
	return feeOnTransferToken.abi.Pack("transferFrom", from, to, value)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (feeOnTransferToken *FeeOnTransferToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := feeOnTransferToken.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// FeeOnTransferTokenApproval represents a Approval event raised by the FeeOnTransferToken contract.
type FeeOnTransferTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const FeeOnTransferTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (FeeOnTransferTokenApproval) ContractEventName() string {
	return FeeOnTransferTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (feeOnTransferToken *FeeOnTransferToken) UnpackApprovalEvent(log *types.Log) (*FeeOnTransferTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != feeOnTransferToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(FeeOnTransferTokenApproval)
	if len(log.Data) > 0 {
		if err := feeOnTransferToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range feeOnTransferToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// FeeOnTransferTokenTransfer represents a Transfer event raised by the FeeOnTransferToken contract.
type FeeOnTransferTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const FeeOnTransferTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (FeeOnTransferTokenTransfer) ContractEventName() string {
	return FeeOnTransferTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (feeOnTransferToken *FeeOnTransferToken) UnpackTransferEvent(log *types.Log) (*FeeOnTransferTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != feeOnTransferToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(FeeOnTransferTokenTransfer)
	if len(log.Data) > 0 {
		if err := feeOnTransferToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range feeOnTransferToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (feeOnTransferToken *FeeOnTransferToken) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], feeOnTransferToken.abi.Errors["ERC20InsufficientAllowance"].ID.Bytes()[:4]) {
		return feeOnTransferToken.UnpackERC20InsufficientAllowanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], feeOnTransferToken.abi.Errors["ERC20InsufficientBalance"].ID.Bytes()[:4]) {
		return feeOnTransferToken.UnpackERC20InsufficientBalanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], feeOnTransferToken.abi.Errors["ERC20InvalidApprover"].ID.Bytes()[:4]) {
		return feeOnTransferToken.UnpackERC20InvalidApproverError(raw[4:])
	}
	if bytes.Equal(raw[:4], feeOnTransferToken.abi.Errors["ERC20InvalidReceiver"].ID.Bytes()[:4]) {
		return feeOnTransferToken.UnpackERC20InvalidReceiverError(raw[4:])
	}
	if bytes.Equal(raw[:4], feeOnTransferToken.abi.Errors["ERC20InvalidSender"].ID.Bytes()[:4]) {
		return feeOnTransferToken.UnpackERC20InvalidSenderError(raw[4:])
	}
	if bytes.Equal(raw[:4], feeOnTransferToken.abi.Errors["ERC20InvalidSpender"].ID.Bytes()[:4]) {
		return feeOnTransferToken.UnpackERC20InvalidSpenderError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// FeeOnTransferTokenERC20InsufficientAllowance represents a ERC20InsufficientAllowance error raised by the FeeOnTransferToken contract.
type FeeOnTransferTokenERC20InsufficientAllowance struct {
	Spender   common.Address
	Allowance *big.Int
	Needed    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)
func FeeOnTransferTokenERC20InsufficientAllowanceErrorID() common.Hash {
	return common.HexToHash("0xfb8f41b23e99d2101d86da76cdfa87dd51c82ed07d3cb62cbc473e469dbc75c3")
}

// UnpackERC20InsufficientAllowanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)
func (feeOnTransferToken *FeeOnTransferToken) UnpackERC20InsufficientAllowanceError(raw []byte) (*FeeOnTransferTokenERC20InsufficientAllowance, error) {
	out := new(FeeOnTransferTokenERC20InsufficientAllowance)
	if err := feeOnTransferToken.abi.UnpackIntoInterface(out, "ERC20InsufficientAllowance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// FeeOnTransferTokenERC20InsufficientBalance represents a ERC20InsufficientBalance error raised by the FeeOnTransferToken contract.
type FeeOnTransferTokenERC20InsufficientBalance struct {
	Sender  common.Address
	Balance *big.Int
	Needed  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)
func FeeOnTransferTokenERC20InsufficientBalanceErrorID() common.Hash {
	return common.HexToHash("0xe450d38cd8d9f7d95077d567d60ed49c7254716e6ad08fc9872816c97e0ffec6")
}

// UnpackERC20InsufficientBalanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)
func (feeOnTransferToken *FeeOnTransferToken) UnpackERC20InsufficientBalanceError(raw []byte) (*FeeOnTransferTokenERC20InsufficientBalance, error) {
	out := new(FeeOnTransferTokenERC20InsufficientBalance)
	if err := feeOnTransferToken.abi.UnpackIntoInterface(out, "ERC20InsufficientBalance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// FeeOnTransferTokenERC20InvalidApprover represents a ERC20InvalidApprover error raised by the FeeOnTransferToken contract.
type FeeOnTransferTokenERC20InvalidApprover struct {
	Approver common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidApprover(address approver)
func FeeOnTransferTokenERC20InvalidApproverErrorID() common.Hash {
	return common.HexToHash("0xe602df05cc75712490294c6c104ab7c17f4030363910a7a2626411c6d3118847")
}

// UnpackERC20InvalidApproverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidApprover(address approver)
func (feeOnTransferToken *FeeOnTransferToken) UnpackERC20InvalidApproverError(raw []byte) (*FeeOnTransferTokenERC20InvalidApprover, error) {
	out := new(FeeOnTransferTokenERC20InvalidApprover)
	if err := feeOnTransferToken.abi.UnpackIntoInterface(out, "ERC20InvalidApprover", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// FeeOnTransferTokenERC20InvalidReceiver represents a ERC20InvalidReceiver error raised by the FeeOnTransferToken contract.
type FeeOnTransferTokenERC20InvalidReceiver struct {
	Receiver common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidReceiver(address receiver)
func FeeOnTransferTokenERC20InvalidReceiverErrorID() common.Hash {
	return common.HexToHash("0xec442f055133b72f3b2f9f0bb351c406b178527de2040a7d1feb4e058771f613")
}

// UnpackERC20InvalidReceiverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidReceiver(address receiver)
func (feeOnTransferToken *FeeOnTransferToken) UnpackERC20InvalidReceiverError(raw []byte) (*FeeOnTransferTokenERC20InvalidReceiver, error) {
	out := new(FeeOnTransferTokenERC20InvalidReceiver)
	if err := feeOnTransferToken.abi.UnpackIntoInterface(out, "ERC20InvalidReceiver", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// FeeOnTransferTokenERC20InvalidSender represents a ERC20InvalidSender error raised by the FeeOnTransferToken contract.
type FeeOnTransferTokenERC20InvalidSender struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidSender(address sender)
func FeeOnTransferTokenERC20InvalidSenderErrorID() common.Hash {
	return common.HexToHash("0x96c6fd1edd0cd6ef7ff0ecc0facdf53148dc0048b57fe58af65755250a7a96bd")
}

// UnpackERC20InvalidSenderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidSender(address sender)
func (feeOnTransferToken *FeeOnTransferToken) UnpackERC20InvalidSenderError(raw []byte) (*FeeOnTransferTokenERC20InvalidSender, error) {
	out := new(FeeOnTransferTokenERC20InvalidSender)
	if err := feeOnTransferToken.abi.UnpackIntoInterface(out, "ERC20InvalidSender", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// FeeOnTransferTokenERC20InvalidSpender represents a ERC20InvalidSpender error raised by the FeeOnTransferToken contract.
type FeeOnTransferTokenERC20InvalidSpender struct {
	Spender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidSpender(address spender)
func FeeOnTransferTokenERC20InvalidSpenderErrorID() common.Hash {
	return common.HexToHash("0x94280d62c347d8d9f4d59a76ea321452406db88df38e0c9da304f58b57b373a2")
}

// UnpackERC20InvalidSpenderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidSpender(address spender)
func (feeOnTransferToken *FeeOnTransferToken) UnpackERC20InvalidSpenderError(raw []byte) (*FeeOnTransferTokenERC20InvalidSpender, error) {
	out := new(FeeOnTransferTokenERC20InvalidSpender)
	if err := feeOnTransferToken.abi.UnpackIntoInterface(out, "ERC20InvalidSpender", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceMetaData contains all meta data concerning the JobMarketplace contract.
var JobMarketplaceMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"},{\"internalType\":\"contractIProviderRegistry\",\"name\":\"registry_\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"protocolFeeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"maxProtocolFeeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"maxCreatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"uint256\",\"name\":\"challengeWindow\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"disputeTimeout\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxJobDuration\",\"type\":\"uint256\"},{\"internalType\":\"uint16\",\"name\":\"reservationBps\",\"type\":\"uint16\"},{\"internalType\":\"uint128\",\"name\":\"reservationFloor\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"reservationCap\",\"type\":\"uint128\"},{\"internalType\":\"uint16\",\"name\":\"disputeBondBps\",\"type\":\"uint16\"},{\"internalType\":\"uint48\",\"name\":\"adminDelay\",\"type\":\"uint48\"}],\"internalType\":\"structMarketConfig\",\"name\":\"config\",\"type\":\"tuple\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"ARBITER_ROLE\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ASSIGNMENT_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"DEFAULT_ADMIN_ROLE\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"FEE_MANAGER_ROLE\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"JOB_ORDER_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MATCHER_ROLE\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"PAUSER_ROLE\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"acceptDefaultAdminTransfer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"enumJobState\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint16\",\"name\":\"feeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"challengeEnd\",\"type\":\"uint40\"},{\"internalType\":\"uint40\",\"name\":\"disputedAt\",\"type\":\"uint40\"},{\"internalType\":\"uint128\",\"name\":\"disputeBond\",\"type\":\"uint128\"}],\"internalType\":\"structJob\",\"name\":\"job\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"internalType\":\"structAssignment\",\"name\":\"assignment\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"matcherSig\",\"type\":\"bytes\"}],\"name\":\"acceptJob\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"enumJobState\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint16\",\"name\":\"feeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"challengeEnd\",\"type\":\"uint40\"},{\"internalType\":\"uint40\",\"name\":\"disputedAt\",\"type\":\"uint40\"},{\"internalType\":\"uint128\",\"name\":\"disputeBond\",\"type\":\"uint128\"}],\"internalType\":\"structJob\",\"name\":\"job\",\"type\":\"tuple\"}],\"name\":\"acceptPreferredJob\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newAdmin\",\"type\":\"address\"}],\"name\":\"beginDefaultAdminTransfer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"cancelDefaultAdminTransfer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"enumJobState\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint16\",\"name\":\"feeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"challengeEnd\",\"type\":\"uint40\"},{\"internalType\":\"uint40\",\"name\":\"disputedAt\",\"type\":\"uint40\"},{\"internalType\":\"uint128\",\"name\":\"disputeBond\",\"type\":\"uint128\"}],\"internalType\":\"structJob\",\"name\":\"job\",\"type\":\"tuple\"}],\"name\":\"cancelJob\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"}],\"name\":\"cancelOrderNonce\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"challengeWindow\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint48\",\"name\":\"newDelay\",\"type\":\"uint48\"}],\"name\":\"changeDefaultAdminDelay\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"specURI\",\"type\":\"string\"}],\"internalType\":\"structJobParams\",\"name\":\"p\",\"type\":\"tuple\"}],\"name\":\"createJob\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"specURI\",\"type\":\"string\"}],\"internalType\":\"structJobParams\",\"name\":\"p\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"internalType\":\"structOrderAuth\",\"name\":\"auth\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"name\":\"createJobFromOrder\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"specURI\",\"type\":\"string\"}],\"internalType\":\"structJobParams\",\"name\":\"p\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"internalType\":\"structOrderAuth\",\"name\":\"auth\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"},{\"internalType\":\"uint8\",\"name\":\"v\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"r\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"s\",\"type\":\"bytes32\"}],\"internalType\":\"structPermitData\",\"name\":\"permit\",\"type\":\"tuple\"}],\"name\":\"createJobFromOrderWithPermit\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"specURI\",\"type\":\"string\"}],\"internalType\":\"structJobParams\",\"name\":\"p\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"},{\"internalType\":\"uint8\",\"name\":\"v\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"r\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"s\",\"type\":\"bytes32\"}],\"internalType\":\"structPermitData\",\"name\":\"permit\",\"type\":\"tuple\"}],\"name\":\"createJobWithPermit\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"defaultAdmin\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"defaultAdminDelay\",\"outputs\":[{\"internalType\":\"uint48\",\"name\":\"\",\"type\":\"uint48\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"defaultAdminDelayIncreaseWait\",\"outputs\":[{\"internalType\":\"uint48\",\"name\":\"\",\"type\":\"uint48\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"enumJobState\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint16\",\"name\":\"feeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"challengeEnd\",\"type\":\"uint40\"},{\"internalType\":\"uint40\",\"name\":\"disputedAt\",\"type\":\"uint40\"},{\"internalType\":\"uint128\",\"name\":\"disputeBond\",\"type\":\"uint128\"}],\"internalType\":\"structJob\",\"name\":\"job\",\"type\":\"tuple\"},{\"internalType\":\"bytes32\",\"name\":\"reasonHash\",\"type\":\"bytes32\"}],\"name\":\"dispute\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"disputeBondBps\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"disputeBondFloor\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"}],\"name\":\"disputeBondFor\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"disputeTimeout\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"domainSeparator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"eip712Domain\",\"outputs\":[{\"internalType\":\"bytes1\",\"name\":\"fields\",\"type\":\"bytes1\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"version\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"verifyingContract\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"},{\"internalType\":\"uint256[]\",\"name\":\"extensions\",\"type\":\"uint256[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"}],\"name\":\"getRoleAdmin\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"grantRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"hasRole\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"internalType\":\"structAssignment\",\"name\":\"assignment\",\"type\":\"tuple\"},{\"internalType\":\"bytes32\",\"name\":\"jobHash_\",\"type\":\"bytes32\"}],\"name\":\"hashAssignment\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"enumJobState\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint16\",\"name\":\"feeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"challengeEnd\",\"type\":\"uint40\"},{\"internalType\":\"uint40\",\"name\":\"disputedAt\",\"type\":\"uint40\"},{\"internalType\":\"uint128\",\"name\":\"disputeBond\",\"type\":\"uint128\"}],\"internalType\":\"structJob\",\"name\":\"job\",\"type\":\"tuple\"}],\"name\":\"hashJob\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"h\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"specURI\",\"type\":\"string\"}],\"internalType\":\"structJobParams\",\"name\":\"p\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"internalType\":\"structOrderAuth\",\"name\":\"auth\",\"type\":\"tuple\"}],\"name\":\"hashOrder\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"}],\"name\":\"isNonceUsed\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"isTokenAllowed\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"}],\"name\":\"jobHash\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"maxCreatorShareBps\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"maxJobDuration\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"maxProtocolFeeBps\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextJobId\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pause\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"paused\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pendingDefaultAdmin\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"newAdmin\",\"type\":\"address\"},{\"internalType\":\"uint48\",\"name\":\"schedule\",\"type\":\"uint48\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pendingDefaultAdminDelay\",\"outputs\":[{\"internalType\":\"uint48\",\"name\":\"newDelay\",\"type\":\"uint48\"},{\"internalType\":\"uint48\",\"name\":\"schedule\",\"type\":\"uint48\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"protocolFeeBps\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"enumJobState\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint16\",\"name\":\"feeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"challengeEnd\",\"type\":\"uint40\"},{\"internalType\":\"uint40\",\"name\":\"disputedAt\",\"type\":\"uint40\"},{\"internalType\":\"uint128\",\"name\":\"disputeBond\",\"type\":\"uint128\"}],\"internalType\":\"structJob\",\"name\":\"job\",\"type\":\"tuple\"}],\"name\":\"refund\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"registry\",\"outputs\":[{\"internalType\":\"contractIProviderRegistry\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"renounceRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reservationBps\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reservationCap\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reservationFloor\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"}],\"name\":\"reservationFor\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"enumJobState\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint16\",\"name\":\"feeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"challengeEnd\",\"type\":\"uint40\"},{\"internalType\":\"uint40\",\"name\":\"disputedAt\",\"type\":\"uint40\"},{\"internalType\":\"uint128\",\"name\":\"disputeBond\",\"type\":\"uint128\"}],\"internalType\":\"structJob\",\"name\":\"job\",\"type\":\"tuple\"},{\"internalType\":\"uint128\",\"name\":\"providerAmount\",\"type\":\"uint128\"},{\"internalType\":\"uint256\",\"name\":\"slashAmount\",\"type\":\"uint256\"},{\"internalType\":\"uint128\",\"name\":\"bondToProvider\",\"type\":\"uint128\"}],\"name\":\"resolveDispute\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"enumJobState\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint16\",\"name\":\"feeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"challengeEnd\",\"type\":\"uint40\"},{\"internalType\":\"uint40\",\"name\":\"disputedAt\",\"type\":\"uint40\"},{\"internalType\":\"uint128\",\"name\":\"disputeBond\",\"type\":\"uint128\"}],\"internalType\":\"structJob\",\"name\":\"job\",\"type\":\"tuple\"}],\"name\":\"resolveDisputeAfterTimeout\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"revokeRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"rollbackDefaultAdminDelay\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"floor\",\"type\":\"uint128\"}],\"name\":\"setDisputeBondFloor\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"name\":\"setProtocolFee\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"allowed\",\"type\":\"bool\"}],\"name\":\"setTokenAllowed\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"treasury_\",\"type\":\"address\"}],\"name\":\"setTreasury\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"enumJobState\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint16\",\"name\":\"feeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"challengeEnd\",\"type\":\"uint40\"},{\"internalType\":\"uint40\",\"name\":\"disputedAt\",\"type\":\"uint40\"},{\"internalType\":\"uint128\",\"name\":\"disputeBond\",\"type\":\"uint128\"}],\"internalType\":\"structJob\",\"name\":\"job\",\"type\":\"tuple\"}],\"name\":\"settle\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"enumJobState\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint16\",\"name\":\"feeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"challengeEnd\",\"type\":\"uint40\"},{\"internalType\":\"uint40\",\"name\":\"disputedAt\",\"type\":\"uint40\"},{\"internalType\":\"uint128\",\"name\":\"disputeBond\",\"type\":\"uint128\"}],\"internalType\":\"structJob\",\"name\":\"job\",\"type\":\"tuple\"},{\"internalType\":\"bytes32\",\"name\":\"resultHash\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"resultURI\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"units\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"extraUnits\",\"type\":\"uint64\"}],\"internalType\":\"structUsage\",\"name\":\"usage\",\"type\":\"tuple\"},{\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"}],\"name\":\"submitResult\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes4\",\"name\":\"interfaceId\",\"type\":\"bytes4\"}],\"name\":\"supportsInterface\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"name\":\"syncSigner\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"treasury\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unpause\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"withdraw\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"DefaultAdminDelayChangeCanceled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint48\",\"name\":\"newDelay\",\"type\":\"uint48\"},{\"indexed\":false,\"internalType\":\"uint48\",\"name\":\"effectSchedule\",\"type\":\"uint48\"}],\"name\":\"DefaultAdminDelayChangeScheduled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"DefaultAdminTransferCanceled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newAdmin\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint48\",\"name\":\"acceptSchedule\",\"type\":\"uint48\"}],\"name\":\"DefaultAdminTransferScheduled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"previousFloor\",\"type\":\"uint128\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"newFloor\",\"type\":\"uint128\"}],\"name\":\"DisputeBondFloorUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"EIP712DomainChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"reservedStake\",\"type\":\"uint128\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"matcher\",\"type\":\"address\"}],\"name\":\"JobAccepted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refund\",\"type\":\"uint256\"}],\"name\":\"JobCancelled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"maxPayment\",\"type\":\"uint128\"},{\"internalType\":\"enumJobKind\",\"name\":\"kind\",\"type\":\"uint8\"},{\"internalType\":\"enumJobState\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint16\",\"name\":\"feeBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"creatorShareBps\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"preferredProvider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"challengeEnd\",\"type\":\"uint40\"},{\"internalType\":\"uint40\",\"name\":\"disputedAt\",\"type\":\"uint40\"},{\"internalType\":\"uint128\",\"name\":\"disputeBond\",\"type\":\"uint128\"}],\"indexed\":false,\"internalType\":\"structJob\",\"name\":\"job\",\"type\":\"tuple\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"specURI\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"orderNonce\",\"type\":\"uint256\"}],\"name\":\"JobCreated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"protocolFee\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"creatorAmount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"providerAmount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"clientRefund\",\"type\":\"uint256\"}],\"indexed\":false,\"internalType\":\"structPayout\",\"name\":\"payout\",\"type\":\"tuple\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"providerPaid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"slashed\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"bondToProvider\",\"type\":\"uint128\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"arbiter\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"timedOut\",\"type\":\"bool\"}],\"name\":\"JobDisputeResolved\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"reasonHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint40\",\"name\":\"disputedAt\",\"type\":\"uint40\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"disputeBond\",\"type\":\"uint128\"}],\"name\":\"JobDisputed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refund\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"slashed\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"refundedBy\",\"type\":\"address\"}],\"name\":\"JobRefunded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"protocolFee\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"creatorAmount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"providerAmount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"clientRefund\",\"type\":\"uint256\"}],\"indexed\":false,\"internalType\":\"structPayout\",\"name\":\"payout\",\"type\":\"tuple\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"settledBy\",\"type\":\"address\"}],\"name\":\"JobSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"MarketPaused\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"MarketUnpaused\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"}],\"name\":\"OrderNonceCancelled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"previousBps\",\"type\":\"uint16\"},{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"newBps\",\"type\":\"uint16\"}],\"name\":\"ProtocolFeeUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"resultHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"resultURI\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"units\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"extraUnits\",\"type\":\"uint64\"}],\"indexed\":false,\"internalType\":\"structUsage\",\"name\":\"usage\",\"type\":\"tuple\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"amountDue\",\"type\":\"uint128\"},{\"indexed\":false,\"internalType\":\"uint40\",\"name\":\"challengeEnd\",\"type\":\"uint40\"}],\"name\":\"ResultSubmitted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"previousAdminRole\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"newAdminRole\",\"type\":\"bytes32\"}],\"name\":\"RoleAdminChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"RoleGranted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"RoleRevoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"allowed\",\"type\":\"bool\"}],\"name\":\"TokenAllowlistUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousTreasury\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newTreasury\",\"type\":\"address\"}],\"name\":\"TreasuryUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"AccessControlBadConfirmation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint48\",\"name\":\"schedule\",\"type\":\"uint48\"}],\"name\":\"AccessControlEnforcedDefaultAdminDelay\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"AccessControlEnforcedDefaultAdminRules\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"defaultAdmin\",\"type\":\"address\"}],\"name\":\"AccessControlInvalidDefaultAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"neededRole\",\"type\":\"bytes32\"}],\"name\":\"AccessControlUnauthorizedAccount\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amountDue\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"}],\"name\":\"AmountDueExceedsPrice\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"expiry\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"nowTime\",\"type\":\"uint256\"}],\"name\":\"AssignmentExpired\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"assignmentJobId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"}],\"name\":\"AssignmentJobMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"bondToProvider\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"disputeBond\",\"type\":\"uint256\"}],\"name\":\"BondShareExceedsBond\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"challengeEnd\",\"type\":\"uint256\"}],\"name\":\"ChallengeWindowClosed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"challengeEnd\",\"type\":\"uint256\"}],\"name\":\"ChallengeWindowOpen\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"DeadlineNotPassed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"DeadlinePassed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"timeoutAt\",\"type\":\"uint256\"}],\"name\":\"DisputeTimeoutNotReached\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ECDSAInvalidSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"}],\"name\":\"ECDSAInvalidSignatureLength\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"s\",\"type\":\"bytes32\"}],\"name\":\"ECDSAInvalidSignatureS\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"expected\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"received\",\"type\":\"uint256\"}],\"name\":\"FeeOnTransferNotSupported\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"bps\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxBps\",\"type\":\"uint256\"}],\"name\":\"FeeTooHigh\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidConfig\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"shareBps\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxBps\",\"type\":\"uint256\"}],\"name\":\"InvalidCreatorShare\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"nowTime\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxDeadline\",\"type\":\"uint256\"}],\"name\":\"InvalidDeadline\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"enumJobState\",\"name\":\"current\",\"type\":\"uint8\"}],\"name\":\"InvalidJobState\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"recovered\",\"type\":\"address\"}],\"name\":\"InvalidMatcherSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"}],\"name\":\"InvalidOrderSignature\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidShortString\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"stored\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"passed\",\"type\":\"bytes32\"}],\"name\":\"JobMismatch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"MarketIsPaused\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"MarketNotPaused\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"}],\"name\":\"NoPreferredProvider\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"client\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"}],\"name\":\"NonceAlreadyUsed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotClient\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"preferred\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"NotPreferredProvider\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotProviderSigner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotRegistry\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"NothingToWithdraw\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"expiry\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"nowTime\",\"type\":\"uint256\"}],\"name\":\"OrderExpired\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxPayment\",\"type\":\"uint256\"}],\"name\":\"PriceExceedsMax\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"providerAmount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"amountDue\",\"type\":\"uint256\"}],\"name\":\"ProviderAmountExceedsDue\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"bits\",\"type\":\"uint8\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"SafeCastOverflowedUintDowncast\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"SafeERC20FailedOperation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"slashAmount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"reservedStake\",\"type\":\"uint256\"}],\"name\":\"SlashExceedsReservation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"str\",\"type\":\"string\"}],\"name\":\"StringTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"TokenNotAllowed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroPayment\",\"type\":\"error\"}]",
	ID:  "10bbd8d8a2100cf2fa4075cbef4ed35f90",
	Bin: "0x6102c0604052348015610010575f5ffd5b5060405161695e38038061695e83398101604081905261002f9161076f565b6040518060400160405280600981526020016811dc1d53585c9ad95d60ba1b815250604051806040016040528060018152602001603160f81b815250826101600151855f6001600160a01b0316816001600160a01b0316036100ab57604051636116401160e11b81525f60048201526024015b60405180910390fd5b600180546001600160d01b0316600160d01b65ffffffffffff8516021790556100d45f82610584565b5050506100e6826105f360201b60201c565b610120526100f3816105f3565b61014052815160208084019190912060e052815190820120610100524660a05261017f60e05161010051604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201529081019290925260608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b60805250503060c0526001600160a01b03831615806101a6575080516001600160a01b0316155b156101c45760405163d92e233d60e01b815260040160405180910390fd5b806040015161ffff16816020015161ffff16111561020d57602081015160408083015190516373ab893560e11b815261ffff9283166004820152911660248201526044016100a2565b5f8160a0015182608001518360c001516102279190610885565b6102319190610885565b9050612710826060015161ffff16836040015161ffff166102529190610885565b118061026057506080820151155b8061026d575060a0820151155b8061027a575060c0820151155b80610288575063ffffffff81115b8061029c57506127108260e0015161ffff16115b806102b1575061271082610140015161ffff16115b806102d757508161012001516001600160801b03168261010001516001600160801b0316115b806103535750306001600160a01b0316836001600160a01b031663abc8c7af6040518163ffffffff1660e01b8152600401602060405180830381865afa158015610323573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061034791906108a4565b6001600160a01b031614155b806103bc575080836001600160a01b0316636cf6d6756040518163ffffffff1660e01b8152600401602060405180830381865afa158015610396573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906103ba91906108c6565b105b8061043357508161010001516001600160801b0316836001600160a01b031663375b3c0a6040518163ffffffff1660e01b8152600401602060405180830381865afa15801561040d573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061043191906108c6565b105b15610451576040516306b7c75960e31b815260040160405180910390fd5b6001600160a01b038316610160819052604080516372f702f360e01b815290516372f702f3916004808201926020929091908290030181865afa15801561049a573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906104be91906108a4565b6001600160a01b0390811661018052604083015161ffff9081166101a052606084015181166101c05260808401516101e05260a08401516102005260c08401516102205260e08401518116610240526101008401516001600160801b0390811661026052610120850151166102805261014084015181166102a052835160058054602090960151600160b81b600160f81b03199316600160a01b026001600160b01b031990961691909316179390931792909216600160b81b1790915550610938915050565b5f826105e0575f61059d6002546001600160a01b031690565b6001600160a01b0316146105c457604051631fe1e13d60e11b815260040160405180910390fd5b600280546001600160a01b0319166001600160a01b0384161790555b6105ea8383610630565b90505b92915050565b5f5f829050601f8151111561061d578260405163305a27a960e01b81526004016100a291906108dd565b805161062882610912565b179392505050565b5f828152602081815260408083206001600160a01b038516845290915281205460ff166106d0575f838152602081815260408083206001600160a01b03861684529091529020805460ff191660011790556106883390565b6001600160a01b0316826001600160a01b0316847f2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d60405160405180910390a45060016105ed565b505f6105ed565b6001600160a01b03811681146106eb575f5ffd5b50565b80516106f9816106d7565b919050565b60405161018081016001600160401b038111828210171561072d57634e487b7160e01b5f52604160045260245ffd5b60405290565b805161ffff811681146106f9575f5ffd5b80516001600160801b03811681146106f9575f5ffd5b805165ffffffffffff811681146106f9575f5ffd5b5f5f5f8385036101c0811215610783575f5ffd5b845161078e816106d7565b602086015190945061079f816106d7565b9250610180603f19820112156107b3575f5ffd5b506107bc6106fe565b6107c8604086016106ee565b81526107d660608601610733565b60208201526107e760808601610733565b60408201526107f860a08601610733565b606082015260c085810151608083015260e086015160a0830152610100860151908201526108296101208601610733565b60e082015261083b6101408601610744565b61010082015261084e6101608601610744565b6101208201526108616101808601610733565b6101408201526108746101a0860161075a565b610160820152809150509250925092565b808201808211156105ed57634e487b7160e01b5f52601160045260245ffd5b5f602082840312156108b4575f5ffd5b81516108bf816106d7565b9392505050565b5f602082840312156108d6575f5ffd5b5051919050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80516020808301519190811015610932575f198160200360031b1b821691505b50919050565b60805160a05160c05160e05161010051610120516101405161016051610180516101a0516101c0516101e05161020051610220516102405161026051610280516102a051615ef0610a6e5f395f8181610a6a01526132f101525f81816104d90152818161301f015261305901525f8181610b780152612f8101525f81816107150152612fd901525f8181610aea015261381001525f81816109f00152611dee01525f81816108aa015261255801525f8181610594015281816138d401526139b001525f8181610bcc0152818161294801526129a901525f612fab01525f818161083d01528181610cb90152818161190201528181611c3d015281816130e00152613f5901525f613d9e01525f613d7301525f6145ea01525f6145c201525f61451d01525f61454701525f6145710152615ef05ff3fe608060405234801561000f575f5ffd5b506004361061048f575f3560e01c806384b0196e1161025d578063cc8463c811610148578063e4467f35116100c3578063f0f4426011610093578063f6e2d5a611610079578063f6e2d5a614610bca578063f7888aec14610bf0578063f9eaee0d14610c28575f5ffd5b8063f0f4426014610baf578063f698da2514610bc2575f5ffd5b8063e4467f3514610b3c578063e63ab1e914610b4f578063e9746aaf14610b76578063eee4a21314610b9c575f5ffd5b8063d286fbab11610118578063d547741f116100fe578063d547741f14610b0e578063d602b9fd14610b21578063de9aa27714610b29575f5ffd5b8063d286fbab14610ad5578063d35aafb914610ae8575f5ffd5b8063cc8463c814610a60578063ce06a35514610a68578063cefc142914610a8e578063cf6eefb714610a96575f5ffd5b8063a89ea389116101d8578063c04c22a4116101a8578063c2cadc011161018e578063c2cadc0114610a27578063c73a105014610a3a578063cab7e8eb14610a4d575f5ffd5b8063c04c22a4146109ee578063c0a436f114610a14575f5ffd5b8063a89ea38914610974578063af90d18214610987578063b0c2aa5e1461099a578063b2194ff5146109c7575f5ffd5b80639148f12a1161022d5780639446f17f116102135780639446f17f14610933578063a1eda53c14610946578063a217fddf1461096d575f5ffd5b80639148f12a146108d657806391d14854146108fd575f5ffd5b806384b0196e1461087c57806384ef8ffc14610897578063861a1412146108a85780638da5cb5b146108ce575f5ffd5b80633f4ba83a1161037d578063603e2d5b116102f8578063649a5ec7116102c85780637b103999116102ae5780637b1039991461083b57806383dc64e4146108615780638456cb5914610874575f5ffd5b8063649a5ec7146108155780637225ba7814610828575f5ffd5b8063603e2d5b1461079757806360d4f5a3146107b657806361d027b3146107dd578063634e93da14610802575f5ffd5b80635087b7111161034d5780635876914811610333578063587691481461074c57806358dd96211461075f5780635c975abb14610772575f5ffd5b80635087b7111461071357806351cff8d914610739575f5ffd5b80633f4ba83a146106be57806340a3cfaf146106c657806345fd8045146106d95780634d104adf146106ec575f5ffd5b806315f690121161040d5780632f2ff15d116103dd57806335659fb8116103c357806335659fb81461067457806336568abe146106985780633d825c17146106ab575f5ffd5b80632f2ff15d1461064e57806331e7a42c14610661575f5ffd5b806315f69012146105c75780631765aa6e146105da578063248a9ca3146106195780632954b9a71461063b575f5ffd5b80630a2bcc4d116104625780630dc0541d116104485780630dc0541d1461056c5780630fc2aa271461057f57806310b6d0d514610592575f5ffd5b80630a2bcc4d1461054f5780630aa6220b14610564575f5ffd5b806301ffc9a714610493578063022d63fb146104bb578063027a68a4146104d757806305db2f411461051a575b5f5ffd5b6104a66104a136600461511d565b610c53565b60405190151581526020015b60405180910390f35b620697805b60405165ffffffffffff90911681526020016104b2565b7f00000000000000000000000000000000000000000000000000000000000000005b6040516fffffffffffffffffffffffffffffffff90911681526020016104b2565b6105417f6c0757dc3e6b28b2580c03fd9e96c274acf4f99d91fbec9b418fa1d70604ff1c81565b6040519081526020016104b2565b61056261055d366004615170565b610cae565b005b610562610d5c565b61054161057a3660046151be565b610d71565b61056261058d3660046151f8565b610d86565b7f00000000000000000000000000000000000000000000000000000000000000005b60405161ffff90911681526020016104b2565b6105626105d536600461522b565b610e70565b6104f96105e836600461525b565b6001600160a01b03165f9081526008602052604090205461010090046fffffffffffffffffffffffffffffffff1690565b610541610627366004615276565b5f9081526020819052604090206001015490565b61056261064936600461528d565b610f37565b61056261065c3660046152b0565b61109f565b61056261066f366004615276565b6110e0565b60055474010000000000000000000000000000000000000000900461ffff166105b4565b6105626106a63660046152b0565b611119565b6105626106b93660046152d3565b611204565b6105626113fa565b6104f96106d43660046151f8565b6114cf565b6105416106e7366004615319565b6114e1565b6105417fbb08418a67729a078f87bbc8d02a770929bb68f5bfdf134ae2ead6ed38e2f4ae81565b7f00000000000000000000000000000000000000000000000000000000000000006105b4565b61054161074736600461525b565b6114f4565b61056261075a366004615342565b6115e4565b61054161076d3660046153bb565b611991565b600554760100000000000000000000000000000000000000000000900460ff166104a6565b6105416107a5366004615276565b5f9081526006602052604090205490565b6105417f8b31b1419ee420da05e59075d434b199c8d881cfb817ed7113b9af935aca153281565b6005546001600160a01b03165b6040516001600160a01b0390911681526020016104b2565b61056261081036600461525b565b6119ca565b6105626108233660046153fe565b6119dd565b6104f96108363660046151f8565b6119f0565b7f00000000000000000000000000000000000000000000000000000000000000006107ea565b61056261086f36600461528d565b6119fb565b610562611cb4565b610884611d54565b6040516104b2979695949392919061546f565b6002546001600160a01b03166107ea565b7f0000000000000000000000000000000000000000000000000000000000000000610541565b6107ea611db2565b6105417f333a175f80c9f4dd84447af20b66890068e32f80fa41e398f44a7a68cebb74dd81565b6104a661090b3660046152b0565b5f918252602082815260408084206001600160a01b0393909316845291905290205460ff1690565b61056261094136600461528d565b611dca565b61094e611f57565b6040805165ffffffffffff9384168152929091166020830152016104b2565b6105415f81565b610562610982366004615566565b611fd1565b6105416109953660046155e5565b61235a565b60055477010000000000000000000000000000000000000000000000900467ffffffffffffffff16610541565b6105417fdf91394c13c48ebd5370100f1eb84afe3c6c47a78f9f9f874d5a9ec6afe0ae6b81565b7f0000000000000000000000000000000000000000000000000000000000000000610541565b610541610a2236600461565d565b61239c565b610541610a353660046156a0565b6123aa565b610562610a483660046156d2565b6123c9565b6104a6610a5b366004615783565b61260a565b6104c061264e565b7f00000000000000000000000000000000000000000000000000000000000000006105b4565b6105626126eb565b600154604080516001600160a01b03831681527401000000000000000000000000000000000000000090920465ffffffffffff166020830152016104b2565b610541610ae33660046157ad565b61273a565b7f0000000000000000000000000000000000000000000000000000000000000000610541565b610562610b1c3660046152b0565b6127a3565b6105626127e4565b610562610b3736600461528d565b6127f6565b610562610b4a36600461582f565b61291c565b6105417f65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a81565b7f00000000000000000000000000000000000000000000000000000000000000006104f9565b610562610baa36600461528d565b612a67565b610562610bbd36600461525b565b612b41565b610541612c15565b7f00000000000000000000000000000000000000000000000000000000000000006105b4565b610541610bfe366004615170565b6001600160a01b039182165f90815260096020908152604080832093909416825291909152205490565b6104a6610c3636600461525b565b6001600160a01b03165f9081526008602052604090205460ff1690565b5f7fffffffff0000000000000000000000000000000000000000000000000000000082167f31498786000000000000000000000000000000000000000000000000000000001480610ca85750610ca882612c1e565b92915050565b336001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001614610d17576040517f631a294a0000000000000000000000000000000000000000000000000000000081523360048201526024015b60405180910390fd5b6001600160a01b039182165f90815260076020526040902080547fffffffffffffffffffffffff00000000000000000000000000000000000000001691909216179055565b5f610d6681612cb4565b610d6e612cbe565b50565b5f604051610240838237610240902092915050565b5f610d9081612cb4565b6001600160a01b038316610dd0576040517fd92e233d00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6001600160a01b0383165f8181526008602090815260409182902080546fffffffffffffffffffffffffffffffff8781166101008181027fffffffffffffffffffffffffffffff00000000000000000000000000000000ff85161790945585519390920416808352928201529092917fb898ef06f7334629b2b57f882d3775e19670a7e906d7696b99c83c96537c4d98910160405180910390a250505050565b5f610e7a81612cb4565b6001600160a01b038316610eba576040517fd92e233d00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6001600160a01b0383165f8181526008602090815260409182902080547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff001686151590811790915591519182527f1da521c13439ac6ab125c52e0da7dd7de929f09e58aa0f89ebe3dbb12e63a52b910160405180910390a2505050565b610f3f612cca565b5f610f4a8383612cff565b9050610f5883826003612e0a565b80516001600160a01b03163314801590610f7d5750806101e0015164ffffffffff1642105b15610fcb576101e08101516040517f76f615b00000000000000000000000000000000000000000000000000000000081526004810185905264ffffffffff9091166024820152604401610d0e565b600560808201819052505f838152600660205260408120555f61100582836101c001516fffffffffffffffffffffffffffffffff16612e70565b90508161018001516001600160a01b0316825f01516001600160a01b0316857fe8bb9314d366aa822760a3ef5d675203c6813533ab6566098c5415b6d1d0b0f88560200151853360405161105b9392919061587d565b60405180910390a46110918261107a8460200151856101a00151612f6d565b6fffffffffffffffffffffffffffffffff16613095565b505061109b61313d565b5050565b816110d6576040517f3fc3c27a00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b61109b8282613167565b6110ea3382613191565b604051819033907f8202a29d0db0aad8943baad993092d3536bc873ced71366e9062ef9a3ecceda1905f90a350565b8115801561113457506002546001600160a01b038281169116145b156111fa576001546001600160a01b0381169074010000000000000000000000000000000000000000900465ffffffffffff168115158061117b575065ffffffffffff8116155b8061118e57504265ffffffffffff821610155b156111cf576040517f19ca5ebb00000000000000000000000000000000000000000000000000000000815265ffffffffffff82166004820152602401610d0e565b5050600180547fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff1690555b61109b8282613288565b61120c612cca565b5f6112178484612cff565b80519091506001600160a01b03163314611266576040517ff8ebe63100000000000000000000000000000000000000000000000000000000815260048101859052336024820152604401610d0e565b61127284826003612e0a565b806101e0015164ffffffffff1642106112ce576101e08101516040517f9187e9020000000000000000000000000000000000000000000000000000000081526004810186905264ffffffffff9091166024820152604401610d0e565b5f6112e28260200151836101a001516132d4565b9050600460808301819052504264ffffffffff166102008301526fffffffffffffffffffffffffffffffff811661022083015261024082205f868152600660205260409020558161018001516001600160a01b0316825f01516001600160a01b0316867fa566e82af1df8ec2d31598f9748699cc0698ad6e9377d42c74bbaff6310bff5486866102000151866040516113a79392919092835264ffffffffff9190911660208301526fffffffffffffffffffffffffffffffff16604082015260600190565b60405180910390a46fffffffffffffffffffffffffffffffff8116156113eb576113eb8260200151835f0151836fffffffffffffffffffffffffffffffff16613353565b50506113f561313d565b505050565b7f65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a61142481612cb4565b600554760100000000000000000000000000000000000000000000900460ff1661147a576040517fc801150e00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b600580547fffffffffffffffffff00ffffffffffffffffffffffffffffffffffffffffffff16905560405133907f3fbffb448bfc0010197580b083048a6c73e5cd8d20ff95ea5119c636e86fb5eb905f90a250565b5f6114da83836132d4565b9392505050565b5f6114da6114ef84846134cc565b613591565b5f6114fd612cca565b506001600160a01b0381165f9081526009602090815260408083203384529091528120549081900361156c576040517fac46653e0000000000000000000000000000000000000000000000000000000081523360048201526001600160a01b0383166024820152604401610d0e565b6001600160a01b0382165f8181526009602090815260408083203380855290835281842093909355518481527fd1c19fbcd4551a5edfb66d43d2e337c04837afda3482b42bdf569a8fccdae5fb910160405180910390a36115d76001600160a01b03831633836135d8565b6115df61313d565b919050565b6115ec612cca565b7fbb08418a67729a078f87bbc8d02a770929bb68f5bfdf134ae2ead6ed38e2f4ae61161681612cb4565b5f6116218787612cff565b905061162f87826004612e0a565b806101c001516fffffffffffffffffffffffffffffffff16856fffffffffffffffffffffffffffffffff1611156116b5576101c08101516040517f9de1de540000000000000000000000000000000000000000000000000000000081526fffffffffffffffffffffffffffffffff80881660048301529091166024820152604401610d0e565b5f6116c98260200151836101a00151612f6d565b6fffffffffffffffffffffffffffffffff16905080851115611728576040517f9f26d116000000000000000000000000000000000000000000000000000000008152600481018990526024810186905260448101829052606401610d0e565b8161022001516fffffffffffffffffffffffffffffffff16846fffffffffffffffffffffffffffffffff1611156117b5576102208201516040517fb88fb94e000000000000000000000000000000000000000000000000000000008152600481018a90526fffffffffffffffffffffffffffffffff80871660248301529091166044820152606401610d0e565b600560808301525f8881526006602052604081208190556117e8836fffffffffffffffffffffffffffffffff8916612e70565b90506118108360200151846101800151876fffffffffffffffffffffffffffffffff16613626565b61183b8360200151845f015187866102200151036fffffffffffffffffffffffffffffffff16613626565b8261018001516001600160a01b0316835f01516001600160a01b03168a7f2d394ec1fa23f3a6c9fe437973890fc9e5fdb8e5eb76cdd19e536e87600cb8e48660200151858c8c8c335f60405161189797969594939291906158e5565b60405180910390a485156119745761018083015183516040517f2260e1500000000000000000000000000000000000000000000000000000000081526001600160a01b03928316600482015260248101859052604481018990529082166064820152608481018b90527f000000000000000000000000000000000000000000000000000000000000000090911690632260e1509060a4016020604051808303815f875af115801561194a573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061196e9190615993565b5061197e565b61197e8383613095565b5050505061198a61313d565b5050505050565b5f61199a612cca565b6119b46119ad604085016020860161525b565b338461366c565b6119c083335f19613737565b9050610ca861313d565b5f6119d481612cb4565b61109b82613c34565b5f6119e781612cb4565b61109b82613ca6565b5f6114da8383612f6d565b611a03612cca565b5f611a0e8383612cff565b9050600181608001516007811115611a2857611a28615850565b14158015611a4c5750600281608001516007811115611a4957611a49615850565b14155b15611a8a5760808101516040517fdc1b05f4000000000000000000000000000000000000000000000000000000008152610d0e9185916004016159be565b8060a0015164ffffffffff164211611ae45760a08101516040517f408b57fb0000000000000000000000000000000000000000000000000000000081526004810185905264ffffffffff9091166024820152604401610d0e565b600660808201819052505f83815260066020526040812055611b248160200151825f015183604001516fffffffffffffffffffffffffffffffff16613626565b6101808101515f906001600160a01b031615611b5257611b4d8260200151836101a00151612f6d565b611b54565b5f5b610180830151835160208086015160408088015181516001600160a01b0393841681526fffffffffffffffffffffffffffffffff918216948101949094529590951694820185905233606083015293945091831692169086907fb45e44eaef078e35a34bf5796de88abd0e6f347b1f2faa3c04e496dec990c10e9060800160405180910390a480156110915761018082015182516040517f2260e1500000000000000000000000000000000000000000000000000000000081526001600160a01b03928316600482015260248101849052604481018490529082166064820152608481018690527f000000000000000000000000000000000000000000000000000000000000000090911690632260e1509060a4016020604051808303815f875af1158015611c85573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190611ca99190615993565b50505061109b61313d565b7f65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a611cde81612cb4565b611ce6613d15565b600580547fffffffffffffffffff00ffffffffffffffffffffffffffffffffffffffffffff1676010000000000000000000000000000000000000000000017905560405133907f0d65e0f4a7cf3a67f8d4e1f952cd658769a7e982c95cbbe018fa38feb543b12f905f90a250565b5f6060805f5f5f6060611d65613d6c565b611d6d613d97565b604080515f808252602082019092527f0f000000000000000000000000000000000000000000000000000000000000009b939a50919850469750309650945092509050565b5f611dc56002546001600160a01b031690565b905090565b611dd2612cca565b5f611ddd8383612cff565b9050611deb83826004612e0a565b5f7f000000000000000000000000000000000000000000000000000000000000000082610200015164ffffffffff16611e2491906159ff565b905080421015611e6a576040517fa726a5160000000000000000000000000000000000000000000000000000000081526004810185905260248101829052604401610d0e565b600560808301819052505f848152600660205260408120555f611ea483846101c001516fffffffffffffffffffffffffffffffff16612e70565b9050611ed183602001518461018001518561022001516fffffffffffffffffffffffffffffffff16613626565b8261018001516001600160a01b0316835f01516001600160a01b0316867f2d394ec1fa23f3a6c9fe437973890fc9e5fdb8e5eb76cdd19e536e87600cb8e4866020015185886101c001515f8a61022001515f6001604051611f3897969594939291906158e5565b60405180910390a4611ca98361107a8560200151866101a00151612f6d565b6002545f907a010000000000000000000000000000000000000000000000000000900465ffffffffffff168015158015611f9957504265ffffffffffff821610155b611fa4575f5f611fc9565b60025474010000000000000000000000000000000000000000900465ffffffffffff16815b915091509091565b611fd9613d15565b5f5f611fe58787613dc2565b91509150611ff587836001612e0a565b8160a0015164ffffffffff164211156120505760a08201516040517f83f2ba200000000000000000000000000000000000000000000000000000000081526004810189905264ffffffffff9091166024820152604401610d0e565b84358714612094576040517f6ef270d60000000000000000000000000000000000000000000000000000000081528535600482015260248101889052604401610d0e565b6120a46080860160608701615a29565b67ffffffffffffffff1642111561210a576120c56080860160608701615a29565b6040517faee8f8bf00000000000000000000000000000000000000000000000000000000815267ffffffffffffffff9091166004820152426024820152604401610d0e565b81604001516fffffffffffffffffffffffffffffffff168560400160208101906121349190615a42565b6fffffffffffffffffffffffffffffffff1611156121af5761215c6060860160408701615a42565b60408084015190517f5c5777690000000000000000000000000000000000000000000000000000000081526fffffffffffffffffffffffffffffffff928316600482015291166024820152604401610d0e565b6101008201516001600160a01b0316158015906121f257506101008201516001600160a01b03166121e6604087016020880161525b565b6001600160a01b031614155b1561225b57610100820151879061220f604088016020890161525b565b6040517fb0e6be3a00000000000000000000000000000000000000000000000000000000815260048101939093526001600160a01b039182166024840152166044820152606401610d0e565b5f6122a761226c6114ef88856134cc565b86868080601f0160208091040260200160405190810160405280939291908181526020018383808284375f92019190915250613ecd92505050565b6001600160a01b0381165f9081527fa364f696a6c045481f027229b52d5f6627323c1ae901ff9bb8a960d331d4b3f6602052604090205490915060ff16612325576040517fbc43562f0000000000000000000000000000000000000000000000000000000081526001600160a01b0382166004820152602401610d0e565b612350888461233a60408a0160208b0161525b565b61234a60608b0160408c01615a42565b85613ef5565b5050505050505050565b5f612363612cca565b61236f858585856140db565b61238a85612380602087018761525b565b8660200135613737565b905061239461313d565b949350505050565b5f6114da6114ef8484614216565b5f6123b3612cca565b6123bf82335f19613737565b90506115df61313d565b5f6123d48888612cff565b90506123e288826002612e0a565b8060a0015164ffffffffff1642111561243d5760a08101516040517f83f2ba20000000000000000000000000000000000000000000000000000000008152600481018a905264ffffffffff9091166024820152604401610d0e565b806101a001516fffffffffffffffffffffffffffffffff16826fffffffffffffffffffffffffffffffff1611156124c3576101a08101516040517f7464b0400000000000000000000000000000000000000000000000000000000081526fffffffffffffffffffffffffffffffff80851660048301529091166024820152604401610d0e565b6101808101516001600160a01b039081165f90815260076020526040902054163314612533576101808101516040517fa6c93d280000000000000000000000000000000000000000000000000000000081526001600160a01b039091166004820152336024820152604401610d0e565b600360808201526fffffffffffffffffffffffffffffffff82166101c082015261257d7f0000000000000000000000000000000000000000000000000000000000000000426159ff565b64ffffffffff166101e082015261024081205f898152600660205260409020558061018001516001600160a01b0316815f01516001600160a01b0316897fd5fe0c82e606a46c70122405c7d3e02418de362fec625fb68f785f9aed6797ca8989898989896101e001516040516125f896959493929190615aa2565b60405180910390a45050505050505050565b5f5f198214806114da57506001600160a01b0383165f908152600a60209081526040808320600886901c8452909152902054600160ff84161b161515905092915050565b6002545f907a010000000000000000000000000000000000000000000000000000900465ffffffffffff16801515801561268f57504265ffffffffffff8216105b6126c1576001547a010000000000000000000000000000000000000000000000000000900465ffffffffffff166126e5565b60025474010000000000000000000000000000000000000000900465ffffffffffff165b91505090565b6001546001600160a01b0316338114612732576040517fc22c8022000000000000000000000000000000000000000000000000000000008152336004820152602401610d0e565b610d6e61440c565b5f612743612cca565b61274f868686866140db565b612775612762604088016020890161525b565b61276f602088018861525b565b8461366c565b61279086612786602088018861525b565b8760200135613737565b905061279a61313d565b95945050505050565b816127da576040517f3fc3c27a00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b61109b82826144e3565b5f6127ee81612cb4565b610d6e614507565b6127fe612cca565b5f6128098383612cff565b80519091506001600160a01b03163314612858576040517ff8ebe63100000000000000000000000000000000000000000000000000000000815260048101849052336024820152604401610d0e565b61286483826001612e0a565b600760808201819052505f838152600660205260408120556128a48160200151825f015183604001516fffffffffffffffffffffffffffffffff16613626565b80602001516001600160a01b0316815f01516001600160a01b0316847f6f9cd5e7e1497ffabdc25f84083719472885f342bfa60eed3fd142001f655e3d846040015160405161290b91906fffffffffffffffffffffffffffffffff91909116815260200190565b60405180910390a45061109b61313d565b7f6c0757dc3e6b28b2580c03fd9e96c274acf4f99d91fbec9b418fa1d70604ff1c61294681612cb4565b7f000000000000000000000000000000000000000000000000000000000000000061ffff168261ffff1611156129d6576040517fe757126a00000000000000000000000000000000000000000000000000000000815261ffff80841660048301527f0000000000000000000000000000000000000000000000000000000000000000166024820152604401610d0e565b6005805461ffff848116740100000000000000000000000000000000000000008181027fffffffffffffffffffff0000ffffffffffffffffffffffffffffffffffffffff85161790945560408051949093049091168084526020840191909152917f26bc4a9b6ef30ec448ec7094c0f1002b0c6b8363d6a56be88ce399f1ac3d92f9910160405180910390a1505050565b612a6f613d15565b5f612a7a8383612cff565b9050612a8883826001612e0a565b8060a0015164ffffffffff16421115612ae35760a08101516040517f83f2ba200000000000000000000000000000000000000000000000000000000081526004810185905264ffffffffff9091166024820152604401610d0e565b6101008101516001600160a01b0316612b2b576040517f666ff17e00000000000000000000000000000000000000000000000000000000815260048101849052602401610d0e565b6113f5838283610100015184604001515f613ef5565b7f6c0757dc3e6b28b2580c03fd9e96c274acf4f99d91fbec9b418fa1d70604ff1c612b6b81612cb4565b6001600160a01b038216612bab576040517fd92e233d00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b600580546001600160a01b038481167fffffffffffffffffffffffff0000000000000000000000000000000000000000831681179093556040519116919082907f4ab5be82436d353e61ca18726e984e561f5c1cc7c6d38b29d2553c790434705a905f90a3505050565b5f611dc5614511565b5f7fffffffff0000000000000000000000000000000000000000000000000000000082167f7965db0b000000000000000000000000000000000000000000000000000000001480610ca857507f01ffc9a7000000000000000000000000000000000000000000000000000000007fffffffff00000000000000000000000000000000000000000000000000000000831614610ca8565b610d6e813361463a565b612cc85f5f6146a5565b565b612cd26147f1565b612cc860017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005b9061484a565b612d9060408051610240810182525f8082526020820181905291810182905290606082019081526020015f81525f6020820181905260408201819052606082018190526080820181905260a0820181905260c0820181905260e08201819052610100820181905261012082018190526101408201819052610160820181905261018082018190526101a09091015290565b5f604051915061024082016040526102408383375061024081205f84815260066020526040902054808214612e02576040517f0f029ba0000000000000000000000000000000000000000000000000000000008152600481018690526024810182905260448101839052606401610d0e565b505092915050565b806007811115612e1c57612e1c615850565b82608001516007811115612e3257612e32615850565b146113f55760808201516040517fdc1b05f4000000000000000000000000000000000000000000000000000000008152610d0e9185916004016159be565b612ea66040518060a001604052805f6001600160a01b031681526020015f81526020015f81526020015f81526020015f81525090565b5f5f5f5f612edc87604001516fffffffffffffffffffffffffffffffff16878960c0015161ffff168a60e0015161ffff16614851565b93509350935093505f8761014001519050612efc88602001518287613626565b612f10886020015189610120015186613626565b612f24886020015189610180015185613626565b612f368860200151895f015184613626565b6040805160a0810182526001600160a01b039092168252602082019590955293840192909252606083015260808201529392505050565b5f6fffffffffffffffffffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000166001600160a01b037f00000000000000000000000000000000000000000000000000000000000000008116908516036114da576127107f000000000000000000000000000000000000000000000000000000000000000061ffff166fffffffffffffffffffffffffffffffff851602048181111561301d578091505b7f00000000000000000000000000000000000000000000000000000000000000006fffffffffffffffffffffffffffffffff1682111561308d577f00000000000000000000000000000000000000000000000000000000000000006fffffffffffffffffffffffffffffffff1691505b509392505050565b801561109b576101808201516040517f0357371d0000000000000000000000000000000000000000000000000000000081526001600160a01b039182166004820152602481018390527f000000000000000000000000000000000000000000000000000000000000000090911690630357371d906044015f604051808303815f87803b158015613123575f5ffd5b505af1158015613135573d5f5f3e3d5ffd5b505050505050565b612cc85f7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00612cf9565b5f8281526020819052604090206001015461318181612cb4565b61318b83836148b5565b50505050565b5f1981036131dd576040517fe90aded40000000000000000000000000000000000000000000000000000000081526001600160a01b038316600482015260248101829052604401610d0e565b6001600160a01b0382165f908152600a60209081526040808320600885901c8452909152902054600160ff83161b9080821615613258576040517fe90aded40000000000000000000000000000000000000000000000000000000081526001600160a01b038516600482015260248101849052604401610d0e565b6001600160a01b039093165f908152600a6020908152604080832060089590951c83529390529190912091179055565b6001600160a01b03811633146132ca576040517f6697b23200000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6113f5828261494c565b5f806127106fffffffffffffffffffffffffffffffff841661ffff7f000000000000000000000000000000000000000000000000000000000000000016026001600160a01b0386165f90815260086020526040902054919004915061010090046fffffffffffffffffffffffffffffffff1680821161308d578061279a565b6040517f70a082310000000000000000000000000000000000000000000000000000000081523060048201525f906001600160a01b038516906370a0823190602401602060405180830381865afa1580156133b0573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906133d49190615993565b90506133eb6001600160a01b0385168430856149a0565b6040517f70a082310000000000000000000000000000000000000000000000000000000081523060048201525f9082906001600160a01b038716906370a0823190602401602060405180830381865afa15801561344a573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061346e9190615993565b6134789190615b20565b905082811461198a576040517fa014ec7e0000000000000000000000000000000000000000000000000000000081526001600160a01b03861660048201526024810184905260448101829052606401610d0e565b5f7f8b31b1419ee420da05e59075d434b199c8d881cfb817ed7113b9af935aca1532833583613501604087016020880161525b565b6135116060880160408901615a42565b6135216080890160608a01615a29565b60408051602081019790975286019490945260608501929092526001600160a01b031660808401526fffffffffffffffffffffffffffffffff1660a083015267ffffffffffffffff1660c082015260e0015b60405160208183030381529060405280519060200120905092915050565b5f610ca861359d614511565b836040517f19010000000000000000000000000000000000000000000000000000000000008152600281019290925260228201526042902090565b6135e583838360016149ef565b6113f5576040517f5274afe70000000000000000000000000000000000000000000000000000000081526001600160a01b0384166004820152602401610d0e565b80156113f5576001600160a01b038084165f908152600960209081526040808320938616835292905290812080548392906136629084906159ff565b9091555050505050565b6001600160a01b03831663d505accf8330843560208601356136946060880160408901615b33565b6040517fffffffff0000000000000000000000000000000000000000000000000000000060e088901b1681526001600160a01b0395861660048201529490931660248501526044840191909152606483015260ff166084820152606084013560a4820152608084013560c482015260e4015f604051808303815f87803b15801561371c575f5ffd5b505af192505050801561372d575060015b156113f557505050565b5f613740613d15565b5f613751604086016020870161525b565b6001600160a01b0381165f9081526008602052604090205490915060ff166137b0576040517f94403b700000000000000000000000000000000000000000000000000000000081526001600160a01b0382166004820152602401610d0e565b6137c06060860160408701615a42565b6fffffffffffffffffffffffffffffffff165f0361380a576040517f8f28ea8800000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f6138357f0000000000000000000000000000000000000000000000000000000000000000426159ff565b9050426138486080880160608901615b53565b64ffffffffff161115806138715750806138686080880160608901615b53565b64ffffffffff16115b156138cf576138866080870160608801615b53565b6040517f9b4eedf000000000000000000000000000000000000000000000000000000000815264ffffffffff909116600482015242602482015260448101829052606401610d0e565b61ffff7f00000000000000000000000000000000000000000000000000000000000000001661390460e0880160c0890161582f565b61ffff16118061394857505f61392060c0880160a0890161525b565b6001600160a01b0316148015613948575061394160e0870160c0880161582f565b61ffff1615155b156139dd5761395d60c0870160a0880161525b565b61396d60e0880160c0890161582f565b6040517f68e083120000000000000000000000000000000000000000000000000000000081526001600160a01b03909216600483015261ffff90811660248301527f0000000000000000000000000000000000000000000000000000000000000000166044820152606401610d0e565b600580547fff0000000000000000ffffffffffffffffffffffffffffffffffffffffffffff8116770100000000000000000000000000000000000000000000009182900467ffffffffffffffff908116600181019091169092021790915560408051610240810182526001600160a01b038881168252851660208201529194505f919081810190613a749060608b01908b01615a42565b6fffffffffffffffffffffffffffffffff168152602090810190613a9a908a018a615b77565b6003811115613aab57613aab615850565b815260200160018152602001613ac760808a0160608b01615b53565b64ffffffffff16815260055474010000000000000000000000000000000000000000900461ffff166020820152604001613b0760e08a0160c08b0161582f565b61ffff168152602001613b2060a08a0160808b0161525b565b6001600160a01b03168152602001613b3e60c08a0160a08b0161525b565b6001600160a01b03908116825260055416602082015260e0808a013560408301525f606083018190526080830181905260a0830181905260c08301819052908201819052610100909101529050613ba6848261024090205f9182526006602052604090912055565b6001600160a01b03808416908716857f27b90101c11ca0eab4866b4f2563d392f0c51303e58367733552e70b92ddbc1184613be56101008d018d615b95565b8b604051613bf69493929190615c06565b60405180910390a4613c2a8387613c1360608b0160408c01615a42565b6fffffffffffffffffffffffffffffffff16613353565b5050509392505050565b5f613c3d61264e565b613c4642614a6a565b613c509190615e10565b9050613c5c8282614ab9565b60405165ffffffffffff821681526001600160a01b038316907f3377dc44241e779dd06afab5b788a35ca5f3b778836e2990bdb26a2a4b2e5ed69060200160405180910390a25050565b5f613cb082614b47565b613cb942614a6a565b613cc39190615e10565b9050613ccf82826146a5565b6040805165ffffffffffff8085168252831660208201527ff1038c18cf84a56e432fdbfaf746924b7ea511dfe03a6506a0ceba4888788d9b910160405180910390a15050565b600554760100000000000000000000000000000000000000000000900460ff1615612cc8576040517f741df93900000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6060611dc57f0000000000000000000000000000000000000000000000000000000000000000614b8e565b6060611dc57f0000000000000000000000000000000000000000000000000000000000000000614b8e565b613e5360408051610240810182525f8082526020820181905291810182905290606082019081526020015f81525f6020820181905260408201819052606082018190526080820181905260a0820181905260c0820181905260e08201819052610100820181905261012082018190526101408201819052610160820181905261018082018190526101a09091015290565b5f604051915061024082016040526102408383375061024081205f84815260066020526040902054808214613ec5576040517f0f029ba0000000000000000000000000000000000000000000000000000000008152600481018690526024810182905260448101839052606401610d0e565b509250929050565b5f5f5f5f613edb8686614bcb565b925092509250613eeb8282614c14565b5090949350505050565b5f613f04856020015184612f6d565b6040517fcc47a40b0000000000000000000000000000000000000000000000000000000081526001600160a01b0386811660048301526fffffffffffffffffffffffffffffffff831660248301529192505f917f0000000000000000000000000000000000000000000000000000000000000000169063cc47a40b906044016020604051808303815f875af1158015613f9f573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190613fc39190615e2e565b9050336001600160a01b03821614614018576040517fa6c93d280000000000000000000000000000000000000000000000000000000081526001600160a01b0386166004820152336024820152604401610d0e565b600260808701819052506001600160a01b0385166101808701526fffffffffffffffffffffffffffffffff84166101a087015261024086205f888152600660205260409020558551604080516fffffffffffffffffffffffffffffffff8088168252851660208201526001600160a01b03848116928201929092528582166060820152818816929091169089907f554cc1299e854f60e5040ac8157c44011a81aee784f90894d5e35edfb10b0d369060800160405180910390a450505050505050565b6140eb6060840160408501615a29565b67ffffffffffffffff164211156141515761410c6060840160408501615a29565b6040517f4b2d84db00000000000000000000000000000000000000000000000000000000815267ffffffffffffffff9091166004820152426024820152604401610d0e565b5f61415f6114ef8686614216565b90506141ad614171602086018661525b565b8285858080601f0160208091040260200160405190810160405280939291908181526020018383808284375f92019190915250614d1792505050565b6141fc576141be602085018561525b565b6040517fb421f6f50000000000000000000000000000000000000000000000000000000081526001600160a01b039091166004820152602401610d0e565b61198a61420c602086018661525b565b8560200135613191565b5f7f333a175f80c9f4dd84447af20b66890068e32f80fa41e398f44a7a68cebb74dd6142456020850185615b77565b600381111561425657614256615850565b614266604086016020870161525b565b6142766060870160408801615a42565b6142866080880160608901615b53565b61429660a0890160808a0161525b565b6142a660c08a0160a08b0161525b565b60408051602081019890985260ff909616958701959095526001600160a01b0393841660608701526fffffffffffffffffffffffffffffffff909216608086015264ffffffffff1660a0850152811660c08401521660e082015261010001604080517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe081840301815291905261434260e0850160c0860161582f565b60e0850135614355610100870187615b95565b604051614363929190615e49565b604051908190039020614379602087018761525b565b602087013561438e6060890160408a01615a29565b6040805161ffff909716602088015286019490945260608501929092526001600160a01b0316608084015260a083015267ffffffffffffffff1660c082015260e001604080517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0818403018152908290526135739291602001615e6f565b6001546001600160a01b0381169074010000000000000000000000000000000000000000900465ffffffffffff1680158061444f57504265ffffffffffff821610155b15614490576040517f19ca5ebb00000000000000000000000000000000000000000000000000000000815265ffffffffffff82166004820152602401610d0e565b6144ab5f6144a66002546001600160a01b031690565b61494c565b506144b65f836148b5565b5050600180547fffffffffffff000000000000000000000000000000000000000000000000000016905550565b5f828152602081905260409020600101546144fd81612cb4565b61318b838361494c565b612cc85f5f614ab9565b5f306001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001614801561456957507f000000000000000000000000000000000000000000000000000000000000000046145b1561459357507f000000000000000000000000000000000000000000000000000000000000000090565b611dc5604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f0000000000000000000000000000000000000000000000000000000000000000918101919091527f000000000000000000000000000000000000000000000000000000000000000060608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b5f828152602081815260408083206001600160a01b038516845290915290205460ff1661109b576040517fe2517d3f0000000000000000000000000000000000000000000000000000000081526001600160a01b038216600482015260248101839052604401610d0e565b6002547a010000000000000000000000000000000000000000000000000000900465ffffffffffff168015614779574265ffffffffffff82161015614750576002546001805479ffffffffffffffffffffffffffffffffffffffffffffffffffff167401000000000000000000000000000000000000000090920465ffffffffffff167a01000000000000000000000000000000000000000000000000000002919091179055614779565b6040517f2b1fa2edafe6f7b9e97c1a9e0c3660e645beb2dcaa2d45bdbf9beaf5472e1ec5905f90a15b50600280546001600160a01b03167401000000000000000000000000000000000000000065ffffffffffff9485160279ffffffffffffffffffffffffffffffffffffffffffffffffffff16177a0100000000000000000000000000000000000000000000000000009290931691909102919091179055565b7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005c15612cc8576040517f3ee5aeb500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b80825d5050565b5f8080806127106148628789615e83565b61486c9190615e9a565b935061271061487b8689615e83565b6148859190615e9a565b9250826148928589615b20565b61489c9190615b20565b91506148a88789615b20565b9050945094509450949050565b5f82614942575f6148ce6002546001600160a01b031690565b6001600160a01b03161461490e576040517f3fc3c27a00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b600280547fffffffffffffffffffffffff0000000000000000000000000000000000000000166001600160a01b0384161790555b6114da8383614d80565b5f8215801561496857506002546001600160a01b038381169116145b1561499657600280547fffffffffffffffffffffffff00000000000000000000000000000000000000001690555b6114da8383614e45565b6149ae848484846001614ee4565b61318b576040517f5274afe70000000000000000000000000000000000000000000000000000000081526001600160a01b0385166004820152602401610d0e565b6040517fa9059cbb000000000000000000000000000000000000000000000000000000005f8181526001600160a01b038616600452602485905291602083604481808b5af1925060015f51148316614a5e578383151615614a52573d5f823e3d81fd5b5f873b113d1516831692505b60405250949350505050565b5f65ffffffffffff821115614ab5576040517f6dfcc6500000000000000000000000000000000000000000000000000000000081526030600482015260248101839052604401610d0e565b5090565b600180547401000000000000000000000000000000000000000065ffffffffffff84811682027fffffffffffff000000000000000000000000000000000000000000000000000084166001600160a01b038816171790935590041680156113f5576040517f8886ebfc4259abdbc16601dd8fb5678e54878f47b3c34836cfc51154a9605109905f90a1505050565b5f5f614b5161264e565b90508065ffffffffffff168365ffffffffffff1611614b7957614b748382615ed2565b6114da565b6114da65ffffffffffff841662069780614f6a565b60605f614b9a83614f79565b6040805160208082528183019092529192505f91906020820181803683375050509182525060208101929092525090565b5f5f5f8351604103614c02576020840151604085015160608601515f1a614bf488828585614fb9565b955095509550505050614c0d565b505081515f91506002905b9250925092565b5f826003811115614c2757614c27615850565b03614c30575050565b6001826003811115614c4457614c44615850565b03614c7b576040517ff645eedf00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6002826003811115614c8f57614c8f615850565b03614cc9576040517ffce698f700000000000000000000000000000000000000000000000000000000815260048101829052602401610d0e565b6003826003811115614cdd57614cdd615850565b0361109b576040517fd78bce0c00000000000000000000000000000000000000000000000000000000815260048101829052602401610d0e565b5f836001600160a01b03163b5f03614d75575f5f614d358585614bcb565b5090925090505f816003811115614d4e57614d4e615850565b148015614d6c5750856001600160a01b0316826001600160a01b0316145b925050506114da565b61239484848461509f565b5f828152602081815260408083206001600160a01b038516845290915281205460ff16614e3e575f838152602081815260408083206001600160a01b0386168452909152902080547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00166001179055614df63390565b6001600160a01b0316826001600160a01b0316847f2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d60405160405180910390a4506001610ca8565b505f610ca8565b5f828152602081815260408083206001600160a01b038516845290915281205460ff1615614e3e575f838152602081815260408083206001600160a01b038616808552925280832080547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff0016905551339286917ff6391f5c32d9c69d2a47ea670b442974b53935d1edc7fd64eb21e047a839171b9190a4506001610ca8565b6040517f23b872dd000000000000000000000000000000000000000000000000000000005f8181526001600160a01b038781166004528616602452604485905291602083606481808c5af1925060015f51148316614f59578383151615614f4d573d5f823e3d81fd5b5f883b113d1516831692505b604052505f60605295945050505050565b5f8282188284100282186114da565b5f60ff8216601f811115610ca8576040517fb3512b0c00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f80807f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0841115614ff257505f91506003905082615095565b604080515f808252602082018084528a905260ff891692820192909252606081018790526080810186905260019060a0016020604051602081039080840390855afa158015615043573d5f5f3e3d5ffd5b50506040517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe001519150506001600160a01b03811661508c57505f925060019150829050615095565b92505f91508190505b9450945094915050565b8051604080517f1626ba7e000000000000000000000000000000000000000000000000000000008082526004820186905260248201929092525f92906020820185604483015e5f82606483010152601f820160051c60051b915060205f60648401838a5afa9050825f5114601f3d1116811693505050509392505050565b5f6020828403121561512d575f5ffd5b81357fffffffff00000000000000000000000000000000000000000000000000000000811681146114da575f5ffd5b6001600160a01b0381168114610d6e575f5ffd5b5f5f60408385031215615181575f5ffd5b823561518c8161515c565b9150602083013561519c8161515c565b809150509250929050565b5f61024082840312156151b8575f5ffd5b50919050565b5f61024082840312156151cf575f5ffd5b6114da83836151a7565b80356fffffffffffffffffffffffffffffffff811681146115df575f5ffd5b5f5f60408385031215615209575f5ffd5b82356152148161515c565b9150615222602084016151d9565b90509250929050565b5f5f6040838503121561523c575f5ffd5b82356152478161515c565b91506020830135801515811461519c575f5ffd5b5f6020828403121561526b575f5ffd5b81356114da8161515c565b5f60208284031215615286575f5ffd5b5035919050565b5f5f610260838503121561529f575f5ffd5b8235915061522284602085016151a7565b5f5f604083850312156152c1575f5ffd5b82359150602083013561519c8161515c565b5f5f5f61028084860312156152e6575f5ffd5b833592506152f785602086016151a7565b92959294505050610260919091013590565b5f608082840312156151b8575f5ffd5b5f5f60a0838503121561532a575f5ffd5b6153348484615309565b946080939093013593505050565b5f5f5f5f5f6102c08688031215615357575f5ffd5b8535945061536887602088016151a7565b935061537761026087016151d9565b9250610280860135915061538e6102a087016151d9565b90509295509295909350565b5f61012082840312156151b8575f5ffd5b5f60a082840312156151b8575f5ffd5b5f5f60c083850312156153cc575f5ffd5b823567ffffffffffffffff8111156153e2575f5ffd5b6153ee8582860161539a565b92505061522284602085016153ab565b5f6020828403121561540e575f5ffd5b813565ffffffffffff811681146114da575f5ffd5b5f81518084528060208401602086015e5f6020828601015260207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f83011685010191505092915050565b7fff000000000000000000000000000000000000000000000000000000000000008816815260e060208201525f6154a960e0830189615423565b82810360408401526154bb8189615423565b606084018890526001600160a01b038716608085015260a0840186905283810360c0850152845180825260208087019350909101905f5b818110156155105783518352602093840193909201916001016154f2565b50909b9a5050505050505050505050565b5f5f83601f840112615531575f5ffd5b50813567ffffffffffffffff811115615548575f5ffd5b60208301915083602082850101111561555f575f5ffd5b9250929050565b5f5f5f5f5f610300868803121561557b575f5ffd5b8535945061558c87602088016151a7565b935061559c876102608801615309565b92506102e086013567ffffffffffffffff8111156155b8575f5ffd5b6155c488828901615521565b969995985093965092949392505050565b5f606082840312156151b8575f5ffd5b5f5f5f5f60a085870312156155f8575f5ffd5b843567ffffffffffffffff81111561560e575f5ffd5b61561a8782880161539a565b94505061562a86602087016155d5565b9250608085013567ffffffffffffffff811115615645575f5ffd5b61565187828801615521565b95989497509550505050565b5f5f6080838503121561566e575f5ffd5b823567ffffffffffffffff811115615684575f5ffd5b6156908582860161539a565b92505061522284602085016155d5565b5f602082840312156156b0575f5ffd5b813567ffffffffffffffff8111156156c6575f5ffd5b6123948482850161539a565b5f5f5f5f5f5f5f8789036103008112156156ea575f5ffd5b883597506156fb8a60208b016151a7565b9650610260890135955061028089013567ffffffffffffffff81111561571f575f5ffd5b61572b8b828c01615521565b90965094505060407ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd6082011215615760575f5ffd5b506102a0880191506157756102e089016151d9565b905092959891949750929550565b5f5f60408385031215615794575f5ffd5b823561579f8161515c565b946020939093013593505050565b5f5f5f5f5f61014086880312156157c2575f5ffd5b853567ffffffffffffffff8111156157d8575f5ffd5b6157e48882890161539a565b9550506157f487602088016155d5565b9350608086013567ffffffffffffffff81111561580f575f5ffd5b61581b88828901615521565b909450925061538e90508760a088016153ab565b5f6020828403121561583f575f5ffd5b813561ffff811681146114da575f5ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b6001600160a01b038416815260e081016158ce60208301856001600160a01b038151168252602081015160208301526040810151604083015260608101516060830152608081015160808301525050565b6001600160a01b03831660c0830152949350505050565b6001600160a01b0388168152610160810161593760208301896001600160a01b038151168252602081015160208301526040810151604083015260608101516060830152608081015160808301525050565b6fffffffffffffffffffffffffffffffff871660c08301528560e08301526fffffffffffffffffffffffffffffffff85166101008301526001600160a01b03841661012083015282151561014083015298975050505050505050565b5f602082840312156159a3575f5ffd5b5051919050565b600881106159ba576159ba615850565b9052565b828152604081016114da60208301846159aa565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b80820180821115610ca857610ca86159d2565b803567ffffffffffffffff811681146115df575f5ffd5b5f60208284031215615a39575f5ffd5b6114da82615a12565b5f60208284031215615a52575f5ffd5b6114da826151d9565b81835281816020850137505f602082840101525f60207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f840116840101905092915050565b86815260c060208201525f615abb60c083018789615a5b565b905067ffffffffffffffff615acf86615a12565b16604083015267ffffffffffffffff615aea60208701615a12565b1660608301526fffffffffffffffffffffffffffffffff8416608083015264ffffffffff831660a0830152979650505050505050565b81810381811115610ca857610ca86159d2565b5f60208284031215615b43575f5ffd5b813560ff811681146114da575f5ffd5b5f60208284031215615b63575f5ffd5b813564ffffffffff811681146114da575f5ffd5b5f60208284031215615b87575f5ffd5b8135600481106114da575f5ffd5b5f5f83357fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe1843603018112615bc8575f5ffd5b83018035915067ffffffffffffffff821115615be2575f5ffd5b60200191503681900382131561555f575f5ffd5b600481106159ba576159ba615850565b84516001600160a01b031681525f6020860151615c2e60208401826001600160a01b03169052565b506040860151615c5260408401826fffffffffffffffffffffffffffffffff169052565b506060860151615c656060840182615bf6565b506080860151615c7860808401826159aa565b5060a0860151615c9160a084018264ffffffffff169052565b5060c0860151615ca760c084018261ffff169052565b5060e0860151615cbd60e084018261ffff169052565b50610100860151615cda6101008401826001600160a01b03169052565b50610120860151615cf76101208401826001600160a01b03169052565b50610140860151615d146101408401826001600160a01b03169052565b50610160860151610160830152610180860151615d3d6101808401826001600160a01b03169052565b506101a0860151615d636101a08401826fffffffffffffffffffffffffffffffff169052565b506101c0860151615d896101c08401826fffffffffffffffffffffffffffffffff169052565b506101e0860151615da46101e084018264ffffffffff169052565b50610200860151615dbf61020084018264ffffffffff169052565b50610220860151615de56102208401826fffffffffffffffffffffffffffffffff169052565b50610280610240830152615dfe61028083018587615a5b565b90508261026083015295945050505050565b65ffffffffffff8181168382160190811115610ca857610ca86159d2565b5f60208284031215615e3e575f5ffd5b81516114da8161515c565b818382375f9101908152919050565b5f81518060208401855e5f93019283525090919050565b5f612394615e7d8386615e58565b84615e58565b8082028115828204841417610ca857610ca86159d2565b5f82615ecd577f4e487b71000000000000000000000000000000000000000000000000000000005f52601260045260245ffd5b500490565b65ffffffffffff8281168282160390811115610ca857610ca86159d256",
}

// JobMarketplace is an auto generated Go binding around an Ethereum contract.
type JobMarketplace struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *JobMarketplace) GetABI() abi.ABI {
	return c.abi
}

// NewJobMarketplace creates a new instance of JobMarketplace.
func NewJobMarketplace() *JobMarketplace {
	parsed, err := JobMarketplaceMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &JobMarketplace{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *JobMarketplace) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address admin, address registry_, (address,uint16,uint16,uint16,uint256,uint256,uint256,uint16,uint128,uint128,uint16,uint48) config) returns()
func (jobMarketplace *JobMarketplace) PackConstructor(admin common.Address, registry_ common.Address, config MarketConfig) []byte {
	enc, err := jobMarketplace.abi.Pack("", admin, registry_, config)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackARBITERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4d104adf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ARBITER_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) PackARBITERROLE() []byte {
	enc, err := jobMarketplace.abi.Pack("ARBITER_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackARBITERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4d104adf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ARBITER_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) TryPackARBITERROLE() ([]byte, error) {
	return jobMarketplace.abi.Pack("ARBITER_ROLE")
}

// UnpackARBITERROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4d104adf.
//
// Solidity: function ARBITER_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) UnpackARBITERROLE(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("ARBITER_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackASSIGNMENTTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x60d4f5a3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ASSIGNMENT_TYPEHASH() view returns(bytes32)
func (jobMarketplace *JobMarketplace) PackASSIGNMENTTYPEHASH() []byte {
	enc, err := jobMarketplace.abi.Pack("ASSIGNMENT_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackASSIGNMENTTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x60d4f5a3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ASSIGNMENT_TYPEHASH() view returns(bytes32)
func (jobMarketplace *JobMarketplace) TryPackASSIGNMENTTYPEHASH() ([]byte, error) {
	return jobMarketplace.abi.Pack("ASSIGNMENT_TYPEHASH")
}

// UnpackASSIGNMENTTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x60d4f5a3.
//
// Solidity: function ASSIGNMENT_TYPEHASH() view returns(bytes32)
func (jobMarketplace *JobMarketplace) UnpackASSIGNMENTTYPEHASH(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("ASSIGNMENT_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDEFAULTADMINROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa217fddf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) PackDEFAULTADMINROLE() []byte {
	enc, err := jobMarketplace.abi.Pack("DEFAULT_ADMIN_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDEFAULTADMINROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa217fddf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) TryPackDEFAULTADMINROLE() ([]byte, error) {
	return jobMarketplace.abi.Pack("DEFAULT_ADMIN_ROLE")
}

// UnpackDEFAULTADMINROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa217fddf.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) UnpackDEFAULTADMINROLE(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("DEFAULT_ADMIN_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackFEEMANAGERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x05db2f41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function FEE_MANAGER_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) PackFEEMANAGERROLE() []byte {
	enc, err := jobMarketplace.abi.Pack("FEE_MANAGER_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFEEMANAGERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x05db2f41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function FEE_MANAGER_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) TryPackFEEMANAGERROLE() ([]byte, error) {
	return jobMarketplace.abi.Pack("FEE_MANAGER_ROLE")
}

// UnpackFEEMANAGERROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x05db2f41.
//
// Solidity: function FEE_MANAGER_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) UnpackFEEMANAGERROLE(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("FEE_MANAGER_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackJOBORDERTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9148f12a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function JOB_ORDER_TYPEHASH() view returns(bytes32)
func (jobMarketplace *JobMarketplace) PackJOBORDERTYPEHASH() []byte {
	enc, err := jobMarketplace.abi.Pack("JOB_ORDER_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackJOBORDERTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9148f12a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function JOB_ORDER_TYPEHASH() view returns(bytes32)
func (jobMarketplace *JobMarketplace) TryPackJOBORDERTYPEHASH() ([]byte, error) {
	return jobMarketplace.abi.Pack("JOB_ORDER_TYPEHASH")
}

// UnpackJOBORDERTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9148f12a.
//
// Solidity: function JOB_ORDER_TYPEHASH() view returns(bytes32)
func (jobMarketplace *JobMarketplace) UnpackJOBORDERTYPEHASH(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("JOB_ORDER_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackMATCHERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb2194ff5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MATCHER_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) PackMATCHERROLE() []byte {
	enc, err := jobMarketplace.abi.Pack("MATCHER_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMATCHERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb2194ff5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MATCHER_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) TryPackMATCHERROLE() ([]byte, error) {
	return jobMarketplace.abi.Pack("MATCHER_ROLE")
}

// UnpackMATCHERROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb2194ff5.
//
// Solidity: function MATCHER_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) UnpackMATCHERROLE(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("MATCHER_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackPAUSERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe63ab1e9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function PAUSER_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) PackPAUSERROLE() []byte {
	enc, err := jobMarketplace.abi.Pack("PAUSER_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPAUSERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe63ab1e9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function PAUSER_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) TryPackPAUSERROLE() ([]byte, error) {
	return jobMarketplace.abi.Pack("PAUSER_ROLE")
}

// UnpackPAUSERROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe63ab1e9.
//
// Solidity: function PAUSER_ROLE() view returns(bytes32)
func (jobMarketplace *JobMarketplace) UnpackPAUSERROLE(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("PAUSER_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackAcceptDefaultAdminTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcefc1429.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function acceptDefaultAdminTransfer() returns()
func (jobMarketplace *JobMarketplace) PackAcceptDefaultAdminTransfer() []byte {
	enc, err := jobMarketplace.abi.Pack("acceptDefaultAdminTransfer")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAcceptDefaultAdminTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcefc1429.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function acceptDefaultAdminTransfer() returns()
func (jobMarketplace *JobMarketplace) TryPackAcceptDefaultAdminTransfer() ([]byte, error) {
	return jobMarketplace.abi.Pack("acceptDefaultAdminTransfer")
}

// PackAcceptJob is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa89ea389.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function acceptJob(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job, (uint256,address,uint128,uint64) assignment, bytes matcherSig) returns()
func (jobMarketplace *JobMarketplace) PackAcceptJob(jobId *big.Int, job Job, assignment Assignment, matcherSig []byte) []byte {
	enc, err := jobMarketplace.abi.Pack("acceptJob", jobId, job, assignment, matcherSig)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAcceptJob is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa89ea389.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function acceptJob(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job, (uint256,address,uint128,uint64) assignment, bytes matcherSig) returns()
func (jobMarketplace *JobMarketplace) TryPackAcceptJob(jobId *big.Int, job Job, assignment Assignment, matcherSig []byte) ([]byte, error) {
	return jobMarketplace.abi.Pack("acceptJob", jobId, job, assignment, matcherSig)
}

// PackAcceptPreferredJob is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeee4a213.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function acceptPreferredJob(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) returns()
func (jobMarketplace *JobMarketplace) PackAcceptPreferredJob(jobId *big.Int, job Job) []byte {
	enc, err := jobMarketplace.abi.Pack("acceptPreferredJob", jobId, job)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAcceptPreferredJob is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeee4a213.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function acceptPreferredJob(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) returns()
func (jobMarketplace *JobMarketplace) TryPackAcceptPreferredJob(jobId *big.Int, job Job) ([]byte, error) {
	return jobMarketplace.abi.Pack("acceptPreferredJob", jobId, job)
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf7888aec.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address token, address account) view returns(uint256)
func (jobMarketplace *JobMarketplace) PackBalanceOf(token common.Address, account common.Address) []byte {
	enc, err := jobMarketplace.abi.Pack("balanceOf", token, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf7888aec.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address token, address account) view returns(uint256)
func (jobMarketplace *JobMarketplace) TryPackBalanceOf(token common.Address, account common.Address) ([]byte, error) {
	return jobMarketplace.abi.Pack("balanceOf", token, account)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf7888aec.
//
// Solidity: function balanceOf(address token, address account) view returns(uint256)
func (jobMarketplace *JobMarketplace) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBeginDefaultAdminTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x634e93da.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function beginDefaultAdminTransfer(address newAdmin) returns()
func (jobMarketplace *JobMarketplace) PackBeginDefaultAdminTransfer(newAdmin common.Address) []byte {
	enc, err := jobMarketplace.abi.Pack("beginDefaultAdminTransfer", newAdmin)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBeginDefaultAdminTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x634e93da.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function beginDefaultAdminTransfer(address newAdmin) returns()
func (jobMarketplace *JobMarketplace) TryPackBeginDefaultAdminTransfer(newAdmin common.Address) ([]byte, error) {
	return jobMarketplace.abi.Pack("beginDefaultAdminTransfer", newAdmin)
}

// PackCancelDefaultAdminTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd602b9fd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function cancelDefaultAdminTransfer() returns()
func (jobMarketplace *JobMarketplace) PackCancelDefaultAdminTransfer() []byte {
	enc, err := jobMarketplace.abi.Pack("cancelDefaultAdminTransfer")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCancelDefaultAdminTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd602b9fd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function cancelDefaultAdminTransfer() returns()
func (jobMarketplace *JobMarketplace) TryPackCancelDefaultAdminTransfer() ([]byte, error) {
	return jobMarketplace.abi.Pack("cancelDefaultAdminTransfer")
}

// PackCancelJob is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xde9aa277.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function cancelJob(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) returns()
func (jobMarketplace *JobMarketplace) PackCancelJob(jobId *big.Int, job Job) []byte {
	enc, err := jobMarketplace.abi.Pack("cancelJob", jobId, job)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCancelJob is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xde9aa277.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function cancelJob(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) returns()
func (jobMarketplace *JobMarketplace) TryPackCancelJob(jobId *big.Int, job Job) ([]byte, error) {
	return jobMarketplace.abi.Pack("cancelJob", jobId, job)
}

// PackCancelOrderNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x31e7a42c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function cancelOrderNonce(uint256 nonce) returns()
func (jobMarketplace *JobMarketplace) PackCancelOrderNonce(nonce *big.Int) []byte {
	enc, err := jobMarketplace.abi.Pack("cancelOrderNonce", nonce)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCancelOrderNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x31e7a42c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function cancelOrderNonce(uint256 nonce) returns()
func (jobMarketplace *JobMarketplace) TryPackCancelOrderNonce(nonce *big.Int) ([]byte, error) {
	return jobMarketplace.abi.Pack("cancelOrderNonce", nonce)
}

// PackChallengeWindow is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x861a1412.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function challengeWindow() view returns(uint256)
func (jobMarketplace *JobMarketplace) PackChallengeWindow() []byte {
	enc, err := jobMarketplace.abi.Pack("challengeWindow")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChallengeWindow is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x861a1412.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function challengeWindow() view returns(uint256)
func (jobMarketplace *JobMarketplace) TryPackChallengeWindow() ([]byte, error) {
	return jobMarketplace.abi.Pack("challengeWindow")
}

// UnpackChallengeWindow is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x861a1412.
//
// Solidity: function challengeWindow() view returns(uint256)
func (jobMarketplace *JobMarketplace) UnpackChallengeWindow(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("challengeWindow", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackChangeDefaultAdminDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x649a5ec7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function changeDefaultAdminDelay(uint48 newDelay) returns()
func (jobMarketplace *JobMarketplace) PackChangeDefaultAdminDelay(newDelay *big.Int) []byte {
	enc, err := jobMarketplace.abi.Pack("changeDefaultAdminDelay", newDelay)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChangeDefaultAdminDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x649a5ec7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function changeDefaultAdminDelay(uint48 newDelay) returns()
func (jobMarketplace *JobMarketplace) TryPackChangeDefaultAdminDelay(newDelay *big.Int) ([]byte, error) {
	return jobMarketplace.abi.Pack("changeDefaultAdminDelay", newDelay)
}

// PackCreateJob is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc2cadc01.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function createJob((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p) returns(uint256 jobId)
func (jobMarketplace *JobMarketplace) PackCreateJob(p JobParams) []byte {
	enc, err := jobMarketplace.abi.Pack("createJob", p)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCreateJob is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc2cadc01.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function createJob((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p) returns(uint256 jobId)
func (jobMarketplace *JobMarketplace) TryPackCreateJob(p JobParams) ([]byte, error) {
	return jobMarketplace.abi.Pack("createJob", p)
}

// UnpackCreateJob is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc2cadc01.
//
// Solidity: function createJob((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p) returns(uint256 jobId)
func (jobMarketplace *JobMarketplace) UnpackCreateJob(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("createJob", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCreateJobFromOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaf90d182.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function createJobFromOrder((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p, (address,uint256,uint64) auth, bytes signature) returns(uint256 jobId)
func (jobMarketplace *JobMarketplace) PackCreateJobFromOrder(p JobParams, auth OrderAuth, signature []byte) []byte {
	enc, err := jobMarketplace.abi.Pack("createJobFromOrder", p, auth, signature)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCreateJobFromOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaf90d182.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function createJobFromOrder((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p, (address,uint256,uint64) auth, bytes signature) returns(uint256 jobId)
func (jobMarketplace *JobMarketplace) TryPackCreateJobFromOrder(p JobParams, auth OrderAuth, signature []byte) ([]byte, error) {
	return jobMarketplace.abi.Pack("createJobFromOrder", p, auth, signature)
}

// UnpackCreateJobFromOrder is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xaf90d182.
//
// Solidity: function createJobFromOrder((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p, (address,uint256,uint64) auth, bytes signature) returns(uint256 jobId)
func (jobMarketplace *JobMarketplace) UnpackCreateJobFromOrder(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("createJobFromOrder", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCreateJobFromOrderWithPermit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd286fbab.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function createJobFromOrderWithPermit((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p, (address,uint256,uint64) auth, bytes signature, (uint256,uint256,uint8,bytes32,bytes32) permit) returns(uint256 jobId)
func (jobMarketplace *JobMarketplace) PackCreateJobFromOrderWithPermit(p JobParams, auth OrderAuth, signature []byte, permit PermitData) []byte {
	enc, err := jobMarketplace.abi.Pack("createJobFromOrderWithPermit", p, auth, signature, permit)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCreateJobFromOrderWithPermit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd286fbab.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function createJobFromOrderWithPermit((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p, (address,uint256,uint64) auth, bytes signature, (uint256,uint256,uint8,bytes32,bytes32) permit) returns(uint256 jobId)
func (jobMarketplace *JobMarketplace) TryPackCreateJobFromOrderWithPermit(p JobParams, auth OrderAuth, signature []byte, permit PermitData) ([]byte, error) {
	return jobMarketplace.abi.Pack("createJobFromOrderWithPermit", p, auth, signature, permit)
}

// UnpackCreateJobFromOrderWithPermit is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd286fbab.
//
// Solidity: function createJobFromOrderWithPermit((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p, (address,uint256,uint64) auth, bytes signature, (uint256,uint256,uint8,bytes32,bytes32) permit) returns(uint256 jobId)
func (jobMarketplace *JobMarketplace) UnpackCreateJobFromOrderWithPermit(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("createJobFromOrderWithPermit", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCreateJobWithPermit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x58dd9621.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function createJobWithPermit((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p, (uint256,uint256,uint8,bytes32,bytes32) permit) returns(uint256 jobId)
func (jobMarketplace *JobMarketplace) PackCreateJobWithPermit(p JobParams, permit PermitData) []byte {
	enc, err := jobMarketplace.abi.Pack("createJobWithPermit", p, permit)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCreateJobWithPermit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x58dd9621.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function createJobWithPermit((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p, (uint256,uint256,uint8,bytes32,bytes32) permit) returns(uint256 jobId)
func (jobMarketplace *JobMarketplace) TryPackCreateJobWithPermit(p JobParams, permit PermitData) ([]byte, error) {
	return jobMarketplace.abi.Pack("createJobWithPermit", p, permit)
}

// UnpackCreateJobWithPermit is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x58dd9621.
//
// Solidity: function createJobWithPermit((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p, (uint256,uint256,uint8,bytes32,bytes32) permit) returns(uint256 jobId)
func (jobMarketplace *JobMarketplace) UnpackCreateJobWithPermit(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("createJobWithPermit", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDefaultAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84ef8ffc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function defaultAdmin() view returns(address)
func (jobMarketplace *JobMarketplace) PackDefaultAdmin() []byte {
	enc, err := jobMarketplace.abi.Pack("defaultAdmin")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDefaultAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84ef8ffc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function defaultAdmin() view returns(address)
func (jobMarketplace *JobMarketplace) TryPackDefaultAdmin() ([]byte, error) {
	return jobMarketplace.abi.Pack("defaultAdmin")
}

// UnpackDefaultAdmin is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x84ef8ffc.
//
// Solidity: function defaultAdmin() view returns(address)
func (jobMarketplace *JobMarketplace) UnpackDefaultAdmin(data []byte) (common.Address, error) {
	out, err := jobMarketplace.abi.Unpack("defaultAdmin", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackDefaultAdminDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc8463c8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function defaultAdminDelay() view returns(uint48)
func (jobMarketplace *JobMarketplace) PackDefaultAdminDelay() []byte {
	enc, err := jobMarketplace.abi.Pack("defaultAdminDelay")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDefaultAdminDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc8463c8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function defaultAdminDelay() view returns(uint48)
func (jobMarketplace *JobMarketplace) TryPackDefaultAdminDelay() ([]byte, error) {
	return jobMarketplace.abi.Pack("defaultAdminDelay")
}

// UnpackDefaultAdminDelay is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcc8463c8.
//
// Solidity: function defaultAdminDelay() view returns(uint48)
func (jobMarketplace *JobMarketplace) UnpackDefaultAdminDelay(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("defaultAdminDelay", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDefaultAdminDelayIncreaseWait is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x022d63fb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function defaultAdminDelayIncreaseWait() view returns(uint48)
func (jobMarketplace *JobMarketplace) PackDefaultAdminDelayIncreaseWait() []byte {
	enc, err := jobMarketplace.abi.Pack("defaultAdminDelayIncreaseWait")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDefaultAdminDelayIncreaseWait is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x022d63fb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function defaultAdminDelayIncreaseWait() view returns(uint48)
func (jobMarketplace *JobMarketplace) TryPackDefaultAdminDelayIncreaseWait() ([]byte, error) {
	return jobMarketplace.abi.Pack("defaultAdminDelayIncreaseWait")
}

// UnpackDefaultAdminDelayIncreaseWait is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x022d63fb.
//
// Solidity: function defaultAdminDelayIncreaseWait() view returns(uint48)
func (jobMarketplace *JobMarketplace) UnpackDefaultAdminDelayIncreaseWait(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("defaultAdminDelayIncreaseWait", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDispute is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3d825c17.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function dispute(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job, bytes32 reasonHash) returns()
func (jobMarketplace *JobMarketplace) PackDispute(jobId *big.Int, job Job, reasonHash [32]byte) []byte {
	enc, err := jobMarketplace.abi.Pack("dispute", jobId, job, reasonHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDispute is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3d825c17.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function dispute(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job, bytes32 reasonHash) returns()
func (jobMarketplace *JobMarketplace) TryPackDispute(jobId *big.Int, job Job, reasonHash [32]byte) ([]byte, error) {
	return jobMarketplace.abi.Pack("dispute", jobId, job, reasonHash)
}

// PackDisputeBondBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xce06a355.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function disputeBondBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) PackDisputeBondBps() []byte {
	enc, err := jobMarketplace.abi.Pack("disputeBondBps")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDisputeBondBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xce06a355.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function disputeBondBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) TryPackDisputeBondBps() ([]byte, error) {
	return jobMarketplace.abi.Pack("disputeBondBps")
}

// UnpackDisputeBondBps is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xce06a355.
//
// Solidity: function disputeBondBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) UnpackDisputeBondBps(data []byte) (uint16, error) {
	out, err := jobMarketplace.abi.Unpack("disputeBondBps", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackDisputeBondFloor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1765aa6e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function disputeBondFloor(address token) view returns(uint128)
func (jobMarketplace *JobMarketplace) PackDisputeBondFloor(token common.Address) []byte {
	enc, err := jobMarketplace.abi.Pack("disputeBondFloor", token)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDisputeBondFloor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1765aa6e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function disputeBondFloor(address token) view returns(uint128)
func (jobMarketplace *JobMarketplace) TryPackDisputeBondFloor(token common.Address) ([]byte, error) {
	return jobMarketplace.abi.Pack("disputeBondFloor", token)
}

// UnpackDisputeBondFloor is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1765aa6e.
//
// Solidity: function disputeBondFloor(address token) view returns(uint128)
func (jobMarketplace *JobMarketplace) UnpackDisputeBondFloor(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("disputeBondFloor", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDisputeBondFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40a3cfaf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function disputeBondFor(address token, uint128 price) view returns(uint128)
func (jobMarketplace *JobMarketplace) PackDisputeBondFor(token common.Address, price *big.Int) []byte {
	enc, err := jobMarketplace.abi.Pack("disputeBondFor", token, price)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDisputeBondFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40a3cfaf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function disputeBondFor(address token, uint128 price) view returns(uint128)
func (jobMarketplace *JobMarketplace) TryPackDisputeBondFor(token common.Address, price *big.Int) ([]byte, error) {
	return jobMarketplace.abi.Pack("disputeBondFor", token, price)
}

// UnpackDisputeBondFor is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x40a3cfaf.
//
// Solidity: function disputeBondFor(address token, uint128 price) view returns(uint128)
func (jobMarketplace *JobMarketplace) UnpackDisputeBondFor(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("disputeBondFor", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDisputeTimeout is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc04c22a4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function disputeTimeout() view returns(uint256)
func (jobMarketplace *JobMarketplace) PackDisputeTimeout() []byte {
	enc, err := jobMarketplace.abi.Pack("disputeTimeout")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDisputeTimeout is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc04c22a4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function disputeTimeout() view returns(uint256)
func (jobMarketplace *JobMarketplace) TryPackDisputeTimeout() ([]byte, error) {
	return jobMarketplace.abi.Pack("disputeTimeout")
}

// UnpackDisputeTimeout is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc04c22a4.
//
// Solidity: function disputeTimeout() view returns(uint256)
func (jobMarketplace *JobMarketplace) UnpackDisputeTimeout(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("disputeTimeout", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (jobMarketplace *JobMarketplace) PackDomainSeparator() []byte {
	enc, err := jobMarketplace.abi.Pack("domainSeparator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (jobMarketplace *JobMarketplace) TryPackDomainSeparator() ([]byte, error) {
	return jobMarketplace.abi.Pack("domainSeparator")
}

// UnpackDomainSeparator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (jobMarketplace *JobMarketplace) UnpackDomainSeparator(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("domainSeparator", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackEip712Domain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84b0196e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (jobMarketplace *JobMarketplace) PackEip712Domain() []byte {
	enc, err := jobMarketplace.abi.Pack("eip712Domain")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEip712Domain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84b0196e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (jobMarketplace *JobMarketplace) TryPackEip712Domain() ([]byte, error) {
	return jobMarketplace.abi.Pack("eip712Domain")
}

// Eip712DomainOutput serves as a container for the return parameters of contract
// method Eip712Domain.
type Eip712DomainOutput struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}

// UnpackEip712Domain is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (jobMarketplace *JobMarketplace) UnpackEip712Domain(data []byte) (Eip712DomainOutput, error) {
	out, err := jobMarketplace.abi.Unpack("eip712Domain", data)
	outstruct := new(Eip712DomainOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Fields = *abi.ConvertType(out[0], new([1]byte)).(*[1]byte)
	outstruct.Name = *abi.ConvertType(out[1], new(string)).(*string)
	outstruct.Version = *abi.ConvertType(out[2], new(string)).(*string)
	outstruct.ChainId = abi.ConvertType(out[3], new(big.Int)).(*big.Int)
	outstruct.VerifyingContract = *abi.ConvertType(out[4], new(common.Address)).(*common.Address)
	outstruct.Salt = *abi.ConvertType(out[5], new([32]byte)).(*[32]byte)
	outstruct.Extensions = *abi.ConvertType(out[6], new([]*big.Int)).(*[]*big.Int)
	return *outstruct, nil
}

// PackGetRoleAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x248a9ca3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (jobMarketplace *JobMarketplace) PackGetRoleAdmin(role [32]byte) []byte {
	enc, err := jobMarketplace.abi.Pack("getRoleAdmin", role)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRoleAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x248a9ca3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (jobMarketplace *JobMarketplace) TryPackGetRoleAdmin(role [32]byte) ([]byte, error) {
	return jobMarketplace.abi.Pack("getRoleAdmin", role)
}

// UnpackGetRoleAdmin is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x248a9ca3.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (jobMarketplace *JobMarketplace) UnpackGetRoleAdmin(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("getRoleAdmin", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackGrantRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f2ff15d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (jobMarketplace *JobMarketplace) PackGrantRole(role [32]byte, account common.Address) []byte {
	enc, err := jobMarketplace.abi.Pack("grantRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGrantRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f2ff15d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (jobMarketplace *JobMarketplace) TryPackGrantRole(role [32]byte, account common.Address) ([]byte, error) {
	return jobMarketplace.abi.Pack("grantRole", role, account)
}

// PackHasRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91d14854.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (jobMarketplace *JobMarketplace) PackHasRole(role [32]byte, account common.Address) []byte {
	enc, err := jobMarketplace.abi.Pack("hasRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHasRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91d14854.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (jobMarketplace *JobMarketplace) TryPackHasRole(role [32]byte, account common.Address) ([]byte, error) {
	return jobMarketplace.abi.Pack("hasRole", role, account)
}

// UnpackHasRole is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x91d14854.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (jobMarketplace *JobMarketplace) UnpackHasRole(data []byte) (bool, error) {
	out, err := jobMarketplace.abi.Unpack("hasRole", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackHashAssignment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x45fd8045.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashAssignment((uint256,address,uint128,uint64) assignment, bytes32 jobHash_) view returns(bytes32)
func (jobMarketplace *JobMarketplace) PackHashAssignment(assignment Assignment, jobHash [32]byte) []byte {
	enc, err := jobMarketplace.abi.Pack("hashAssignment", assignment, jobHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashAssignment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x45fd8045.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashAssignment((uint256,address,uint128,uint64) assignment, bytes32 jobHash_) view returns(bytes32)
func (jobMarketplace *JobMarketplace) TryPackHashAssignment(assignment Assignment, jobHash [32]byte) ([]byte, error) {
	return jobMarketplace.abi.Pack("hashAssignment", assignment, jobHash)
}

// UnpackHashAssignment is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x45fd8045.
//
// Solidity: function hashAssignment((uint256,address,uint128,uint64) assignment, bytes32 jobHash_) view returns(bytes32)
func (jobMarketplace *JobMarketplace) UnpackHashAssignment(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("hashAssignment", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackHashJob is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0dc0541d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashJob((address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) pure returns(bytes32 h)
func (jobMarketplace *JobMarketplace) PackHashJob(job Job) []byte {
	enc, err := jobMarketplace.abi.Pack("hashJob", job)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashJob is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0dc0541d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashJob((address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) pure returns(bytes32 h)
func (jobMarketplace *JobMarketplace) TryPackHashJob(job Job) ([]byte, error) {
	return jobMarketplace.abi.Pack("hashJob", job)
}

// UnpackHashJob is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0dc0541d.
//
// Solidity: function hashJob((address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) pure returns(bytes32 h)
func (jobMarketplace *JobMarketplace) UnpackHashJob(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("hashJob", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackHashOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc0a436f1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashOrder((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p, (address,uint256,uint64) auth) view returns(bytes32)
func (jobMarketplace *JobMarketplace) PackHashOrder(p JobParams, auth OrderAuth) []byte {
	enc, err := jobMarketplace.abi.Pack("hashOrder", p, auth)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc0a436f1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashOrder((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p, (address,uint256,uint64) auth) view returns(bytes32)
func (jobMarketplace *JobMarketplace) TryPackHashOrder(p JobParams, auth OrderAuth) ([]byte, error) {
	return jobMarketplace.abi.Pack("hashOrder", p, auth)
}

// UnpackHashOrder is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc0a436f1.
//
// Solidity: function hashOrder((uint8,address,uint128,uint40,address,address,uint16,bytes32,string) p, (address,uint256,uint64) auth) view returns(bytes32)
func (jobMarketplace *JobMarketplace) UnpackHashOrder(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("hashOrder", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackIsNonceUsed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcab7e8eb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isNonceUsed(address client, uint256 nonce) view returns(bool)
func (jobMarketplace *JobMarketplace) PackIsNonceUsed(client common.Address, nonce *big.Int) []byte {
	enc, err := jobMarketplace.abi.Pack("isNonceUsed", client, nonce)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsNonceUsed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcab7e8eb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isNonceUsed(address client, uint256 nonce) view returns(bool)
func (jobMarketplace *JobMarketplace) TryPackIsNonceUsed(client common.Address, nonce *big.Int) ([]byte, error) {
	return jobMarketplace.abi.Pack("isNonceUsed", client, nonce)
}

// UnpackIsNonceUsed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcab7e8eb.
//
// Solidity: function isNonceUsed(address client, uint256 nonce) view returns(bool)
func (jobMarketplace *JobMarketplace) UnpackIsNonceUsed(data []byte) (bool, error) {
	out, err := jobMarketplace.abi.Unpack("isNonceUsed", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsTokenAllowed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf9eaee0d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isTokenAllowed(address token) view returns(bool)
func (jobMarketplace *JobMarketplace) PackIsTokenAllowed(token common.Address) []byte {
	enc, err := jobMarketplace.abi.Pack("isTokenAllowed", token)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsTokenAllowed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf9eaee0d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isTokenAllowed(address token) view returns(bool)
func (jobMarketplace *JobMarketplace) TryPackIsTokenAllowed(token common.Address) ([]byte, error) {
	return jobMarketplace.abi.Pack("isTokenAllowed", token)
}

// UnpackIsTokenAllowed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf9eaee0d.
//
// Solidity: function isTokenAllowed(address token) view returns(bool)
func (jobMarketplace *JobMarketplace) UnpackIsTokenAllowed(data []byte) (bool, error) {
	out, err := jobMarketplace.abi.Unpack("isTokenAllowed", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackJobHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x603e2d5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function jobHash(uint256 jobId) view returns(bytes32)
func (jobMarketplace *JobMarketplace) PackJobHash(jobId *big.Int) []byte {
	enc, err := jobMarketplace.abi.Pack("jobHash", jobId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackJobHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x603e2d5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function jobHash(uint256 jobId) view returns(bytes32)
func (jobMarketplace *JobMarketplace) TryPackJobHash(jobId *big.Int) ([]byte, error) {
	return jobMarketplace.abi.Pack("jobHash", jobId)
}

// UnpackJobHash is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x603e2d5b.
//
// Solidity: function jobHash(uint256 jobId) view returns(bytes32)
func (jobMarketplace *JobMarketplace) UnpackJobHash(data []byte) ([32]byte, error) {
	out, err := jobMarketplace.abi.Unpack("jobHash", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackMaxCreatorShareBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x10b6d0d5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function maxCreatorShareBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) PackMaxCreatorShareBps() []byte {
	enc, err := jobMarketplace.abi.Pack("maxCreatorShareBps")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMaxCreatorShareBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x10b6d0d5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function maxCreatorShareBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) TryPackMaxCreatorShareBps() ([]byte, error) {
	return jobMarketplace.abi.Pack("maxCreatorShareBps")
}

// UnpackMaxCreatorShareBps is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x10b6d0d5.
//
// Solidity: function maxCreatorShareBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) UnpackMaxCreatorShareBps(data []byte) (uint16, error) {
	out, err := jobMarketplace.abi.Unpack("maxCreatorShareBps", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackMaxJobDuration is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd35aafb9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function maxJobDuration() view returns(uint256)
func (jobMarketplace *JobMarketplace) PackMaxJobDuration() []byte {
	enc, err := jobMarketplace.abi.Pack("maxJobDuration")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMaxJobDuration is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd35aafb9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function maxJobDuration() view returns(uint256)
func (jobMarketplace *JobMarketplace) TryPackMaxJobDuration() ([]byte, error) {
	return jobMarketplace.abi.Pack("maxJobDuration")
}

// UnpackMaxJobDuration is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd35aafb9.
//
// Solidity: function maxJobDuration() view returns(uint256)
func (jobMarketplace *JobMarketplace) UnpackMaxJobDuration(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("maxJobDuration", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMaxProtocolFeeBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf6e2d5a6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function maxProtocolFeeBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) PackMaxProtocolFeeBps() []byte {
	enc, err := jobMarketplace.abi.Pack("maxProtocolFeeBps")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMaxProtocolFeeBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf6e2d5a6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function maxProtocolFeeBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) TryPackMaxProtocolFeeBps() ([]byte, error) {
	return jobMarketplace.abi.Pack("maxProtocolFeeBps")
}

// UnpackMaxProtocolFeeBps is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf6e2d5a6.
//
// Solidity: function maxProtocolFeeBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) UnpackMaxProtocolFeeBps(data []byte) (uint16, error) {
	out, err := jobMarketplace.abi.Unpack("maxProtocolFeeBps", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackNextJobId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb0c2aa5e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextJobId() view returns(uint256)
func (jobMarketplace *JobMarketplace) PackNextJobId() []byte {
	enc, err := jobMarketplace.abi.Pack("nextJobId")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextJobId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb0c2aa5e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextJobId() view returns(uint256)
func (jobMarketplace *JobMarketplace) TryPackNextJobId() ([]byte, error) {
	return jobMarketplace.abi.Pack("nextJobId")
}

// UnpackNextJobId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb0c2aa5e.
//
// Solidity: function nextJobId() view returns(uint256)
func (jobMarketplace *JobMarketplace) UnpackNextJobId(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("nextJobId", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (jobMarketplace *JobMarketplace) PackOwner() []byte {
	enc, err := jobMarketplace.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (jobMarketplace *JobMarketplace) TryPackOwner() ([]byte, error) {
	return jobMarketplace.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (jobMarketplace *JobMarketplace) UnpackOwner(data []byte) (common.Address, error) {
	out, err := jobMarketplace.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackPause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8456cb59.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pause() returns()
func (jobMarketplace *JobMarketplace) PackPause() []byte {
	enc, err := jobMarketplace.abi.Pack("pause")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8456cb59.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pause() returns()
func (jobMarketplace *JobMarketplace) TryPackPause() ([]byte, error) {
	return jobMarketplace.abi.Pack("pause")
}

// PackPaused is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c975abb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function paused() view returns(bool)
func (jobMarketplace *JobMarketplace) PackPaused() []byte {
	enc, err := jobMarketplace.abi.Pack("paused")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPaused is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c975abb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function paused() view returns(bool)
func (jobMarketplace *JobMarketplace) TryPackPaused() ([]byte, error) {
	return jobMarketplace.abi.Pack("paused")
}

// UnpackPaused is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5c975abb.
//
// Solidity: function paused() view returns(bool)
func (jobMarketplace *JobMarketplace) UnpackPaused(data []byte) (bool, error) {
	out, err := jobMarketplace.abi.Unpack("paused", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackPendingDefaultAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcf6eefb7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pendingDefaultAdmin() view returns(address newAdmin, uint48 schedule)
func (jobMarketplace *JobMarketplace) PackPendingDefaultAdmin() []byte {
	enc, err := jobMarketplace.abi.Pack("pendingDefaultAdmin")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPendingDefaultAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcf6eefb7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pendingDefaultAdmin() view returns(address newAdmin, uint48 schedule)
func (jobMarketplace *JobMarketplace) TryPackPendingDefaultAdmin() ([]byte, error) {
	return jobMarketplace.abi.Pack("pendingDefaultAdmin")
}

// PendingDefaultAdminOutput serves as a container for the return parameters of contract
// method PendingDefaultAdmin.
type PendingDefaultAdminOutput struct {
	NewAdmin common.Address
	Schedule *big.Int
}

// UnpackPendingDefaultAdmin is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcf6eefb7.
//
// Solidity: function pendingDefaultAdmin() view returns(address newAdmin, uint48 schedule)
func (jobMarketplace *JobMarketplace) UnpackPendingDefaultAdmin(data []byte) (PendingDefaultAdminOutput, error) {
	out, err := jobMarketplace.abi.Unpack("pendingDefaultAdmin", data)
	outstruct := new(PendingDefaultAdminOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.NewAdmin = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.Schedule = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackPendingDefaultAdminDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa1eda53c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pendingDefaultAdminDelay() view returns(uint48 newDelay, uint48 schedule)
func (jobMarketplace *JobMarketplace) PackPendingDefaultAdminDelay() []byte {
	enc, err := jobMarketplace.abi.Pack("pendingDefaultAdminDelay")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPendingDefaultAdminDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa1eda53c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pendingDefaultAdminDelay() view returns(uint48 newDelay, uint48 schedule)
func (jobMarketplace *JobMarketplace) TryPackPendingDefaultAdminDelay() ([]byte, error) {
	return jobMarketplace.abi.Pack("pendingDefaultAdminDelay")
}

// PendingDefaultAdminDelayOutput serves as a container for the return parameters of contract
// method PendingDefaultAdminDelay.
type PendingDefaultAdminDelayOutput struct {
	NewDelay *big.Int
	Schedule *big.Int
}

// UnpackPendingDefaultAdminDelay is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa1eda53c.
//
// Solidity: function pendingDefaultAdminDelay() view returns(uint48 newDelay, uint48 schedule)
func (jobMarketplace *JobMarketplace) UnpackPendingDefaultAdminDelay(data []byte) (PendingDefaultAdminDelayOutput, error) {
	out, err := jobMarketplace.abi.Unpack("pendingDefaultAdminDelay", data)
	outstruct := new(PendingDefaultAdminDelayOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.NewDelay = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.Schedule = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackProtocolFeeBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x35659fb8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function protocolFeeBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) PackProtocolFeeBps() []byte {
	enc, err := jobMarketplace.abi.Pack("protocolFeeBps")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackProtocolFeeBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x35659fb8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function protocolFeeBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) TryPackProtocolFeeBps() ([]byte, error) {
	return jobMarketplace.abi.Pack("protocolFeeBps")
}

// UnpackProtocolFeeBps is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x35659fb8.
//
// Solidity: function protocolFeeBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) UnpackProtocolFeeBps(data []byte) (uint16, error) {
	out, err := jobMarketplace.abi.Unpack("protocolFeeBps", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackRefund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x83dc64e4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function refund(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) returns()
func (jobMarketplace *JobMarketplace) PackRefund(jobId *big.Int, job Job) []byte {
	enc, err := jobMarketplace.abi.Pack("refund", jobId, job)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRefund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x83dc64e4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function refund(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) returns()
func (jobMarketplace *JobMarketplace) TryPackRefund(jobId *big.Int, job Job) ([]byte, error) {
	return jobMarketplace.abi.Pack("refund", jobId, job)
}

// PackRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b103999.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registry() view returns(address)
func (jobMarketplace *JobMarketplace) PackRegistry() []byte {
	enc, err := jobMarketplace.abi.Pack("registry")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b103999.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registry() view returns(address)
func (jobMarketplace *JobMarketplace) TryPackRegistry() ([]byte, error) {
	return jobMarketplace.abi.Pack("registry")
}

// UnpackRegistry is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7b103999.
//
// Solidity: function registry() view returns(address)
func (jobMarketplace *JobMarketplace) UnpackRegistry(data []byte) (common.Address, error) {
	out, err := jobMarketplace.abi.Unpack("registry", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRenounceRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x36568abe.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function renounceRole(bytes32 role, address account) returns()
func (jobMarketplace *JobMarketplace) PackRenounceRole(role [32]byte, account common.Address) []byte {
	enc, err := jobMarketplace.abi.Pack("renounceRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRenounceRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x36568abe.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function renounceRole(bytes32 role, address account) returns()
func (jobMarketplace *JobMarketplace) TryPackRenounceRole(role [32]byte, account common.Address) ([]byte, error) {
	return jobMarketplace.abi.Pack("renounceRole", role, account)
}

// PackReservationBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5087b711.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reservationBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) PackReservationBps() []byte {
	enc, err := jobMarketplace.abi.Pack("reservationBps")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReservationBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5087b711.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reservationBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) TryPackReservationBps() ([]byte, error) {
	return jobMarketplace.abi.Pack("reservationBps")
}

// UnpackReservationBps is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5087b711.
//
// Solidity: function reservationBps() view returns(uint16)
func (jobMarketplace *JobMarketplace) UnpackReservationBps(data []byte) (uint16, error) {
	out, err := jobMarketplace.abi.Unpack("reservationBps", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackReservationCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x027a68a4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reservationCap() view returns(uint128)
func (jobMarketplace *JobMarketplace) PackReservationCap() []byte {
	enc, err := jobMarketplace.abi.Pack("reservationCap")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReservationCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x027a68a4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reservationCap() view returns(uint128)
func (jobMarketplace *JobMarketplace) TryPackReservationCap() ([]byte, error) {
	return jobMarketplace.abi.Pack("reservationCap")
}

// UnpackReservationCap is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x027a68a4.
//
// Solidity: function reservationCap() view returns(uint128)
func (jobMarketplace *JobMarketplace) UnpackReservationCap(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("reservationCap", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackReservationFloor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe9746aaf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reservationFloor() view returns(uint128)
func (jobMarketplace *JobMarketplace) PackReservationFloor() []byte {
	enc, err := jobMarketplace.abi.Pack("reservationFloor")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReservationFloor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe9746aaf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reservationFloor() view returns(uint128)
func (jobMarketplace *JobMarketplace) TryPackReservationFloor() ([]byte, error) {
	return jobMarketplace.abi.Pack("reservationFloor")
}

// UnpackReservationFloor is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe9746aaf.
//
// Solidity: function reservationFloor() view returns(uint128)
func (jobMarketplace *JobMarketplace) UnpackReservationFloor(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("reservationFloor", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackReservationFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7225ba78.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reservationFor(address token, uint128 price) view returns(uint128)
func (jobMarketplace *JobMarketplace) PackReservationFor(token common.Address, price *big.Int) []byte {
	enc, err := jobMarketplace.abi.Pack("reservationFor", token, price)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReservationFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7225ba78.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reservationFor(address token, uint128 price) view returns(uint128)
func (jobMarketplace *JobMarketplace) TryPackReservationFor(token common.Address, price *big.Int) ([]byte, error) {
	return jobMarketplace.abi.Pack("reservationFor", token, price)
}

// UnpackReservationFor is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7225ba78.
//
// Solidity: function reservationFor(address token, uint128 price) view returns(uint128)
func (jobMarketplace *JobMarketplace) UnpackReservationFor(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("reservationFor", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackResolveDispute is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x58769148.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function resolveDispute(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job, uint128 providerAmount, uint256 slashAmount, uint128 bondToProvider) returns()
func (jobMarketplace *JobMarketplace) PackResolveDispute(jobId *big.Int, job Job, providerAmount *big.Int, slashAmount *big.Int, bondToProvider *big.Int) []byte {
	enc, err := jobMarketplace.abi.Pack("resolveDispute", jobId, job, providerAmount, slashAmount, bondToProvider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackResolveDispute is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x58769148.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function resolveDispute(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job, uint128 providerAmount, uint256 slashAmount, uint128 bondToProvider) returns()
func (jobMarketplace *JobMarketplace) TryPackResolveDispute(jobId *big.Int, job Job, providerAmount *big.Int, slashAmount *big.Int, bondToProvider *big.Int) ([]byte, error) {
	return jobMarketplace.abi.Pack("resolveDispute", jobId, job, providerAmount, slashAmount, bondToProvider)
}

// PackResolveDisputeAfterTimeout is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9446f17f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function resolveDisputeAfterTimeout(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) returns()
func (jobMarketplace *JobMarketplace) PackResolveDisputeAfterTimeout(jobId *big.Int, job Job) []byte {
	enc, err := jobMarketplace.abi.Pack("resolveDisputeAfterTimeout", jobId, job)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackResolveDisputeAfterTimeout is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9446f17f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function resolveDisputeAfterTimeout(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) returns()
func (jobMarketplace *JobMarketplace) TryPackResolveDisputeAfterTimeout(jobId *big.Int, job Job) ([]byte, error) {
	return jobMarketplace.abi.Pack("resolveDisputeAfterTimeout", jobId, job)
}

// PackRevokeRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd547741f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (jobMarketplace *JobMarketplace) PackRevokeRole(role [32]byte, account common.Address) []byte {
	enc, err := jobMarketplace.abi.Pack("revokeRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevokeRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd547741f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (jobMarketplace *JobMarketplace) TryPackRevokeRole(role [32]byte, account common.Address) ([]byte, error) {
	return jobMarketplace.abi.Pack("revokeRole", role, account)
}

// PackRollbackDefaultAdminDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0aa6220b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function rollbackDefaultAdminDelay() returns()
func (jobMarketplace *JobMarketplace) PackRollbackDefaultAdminDelay() []byte {
	enc, err := jobMarketplace.abi.Pack("rollbackDefaultAdminDelay")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRollbackDefaultAdminDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0aa6220b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function rollbackDefaultAdminDelay() returns()
func (jobMarketplace *JobMarketplace) TryPackRollbackDefaultAdminDelay() ([]byte, error) {
	return jobMarketplace.abi.Pack("rollbackDefaultAdminDelay")
}

// PackSetDisputeBondFloor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0fc2aa27.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setDisputeBondFloor(address token, uint128 floor) returns()
func (jobMarketplace *JobMarketplace) PackSetDisputeBondFloor(token common.Address, floor *big.Int) []byte {
	enc, err := jobMarketplace.abi.Pack("setDisputeBondFloor", token, floor)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetDisputeBondFloor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0fc2aa27.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setDisputeBondFloor(address token, uint128 floor) returns()
func (jobMarketplace *JobMarketplace) TryPackSetDisputeBondFloor(token common.Address, floor *big.Int) ([]byte, error) {
	return jobMarketplace.abi.Pack("setDisputeBondFloor", token, floor)
}

// PackSetProtocolFee is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe4467f35.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setProtocolFee(uint16 bps) returns()
func (jobMarketplace *JobMarketplace) PackSetProtocolFee(bps uint16) []byte {
	enc, err := jobMarketplace.abi.Pack("setProtocolFee", bps)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetProtocolFee is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe4467f35.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setProtocolFee(uint16 bps) returns()
func (jobMarketplace *JobMarketplace) TryPackSetProtocolFee(bps uint16) ([]byte, error) {
	return jobMarketplace.abi.Pack("setProtocolFee", bps)
}

// PackSetTokenAllowed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x15f69012.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setTokenAllowed(address token, bool allowed) returns()
func (jobMarketplace *JobMarketplace) PackSetTokenAllowed(token common.Address, allowed bool) []byte {
	enc, err := jobMarketplace.abi.Pack("setTokenAllowed", token, allowed)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetTokenAllowed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x15f69012.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setTokenAllowed(address token, bool allowed) returns()
func (jobMarketplace *JobMarketplace) TryPackSetTokenAllowed(token common.Address, allowed bool) ([]byte, error) {
	return jobMarketplace.abi.Pack("setTokenAllowed", token, allowed)
}

// PackSetTreasury is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf0f44260.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setTreasury(address treasury_) returns()
func (jobMarketplace *JobMarketplace) PackSetTreasury(treasury common.Address) []byte {
	enc, err := jobMarketplace.abi.Pack("setTreasury", treasury)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetTreasury is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf0f44260.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setTreasury(address treasury_) returns()
func (jobMarketplace *JobMarketplace) TryPackSetTreasury(treasury common.Address) ([]byte, error) {
	return jobMarketplace.abi.Pack("setTreasury", treasury)
}

// PackSettle is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2954b9a7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function settle(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) returns()
func (jobMarketplace *JobMarketplace) PackSettle(jobId *big.Int, job Job) []byte {
	enc, err := jobMarketplace.abi.Pack("settle", jobId, job)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSettle is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2954b9a7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function settle(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job) returns()
func (jobMarketplace *JobMarketplace) TryPackSettle(jobId *big.Int, job Job) ([]byte, error) {
	return jobMarketplace.abi.Pack("settle", jobId, job)
}

// PackSubmitResult is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc73a1050.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function submitResult(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job, bytes32 resultHash, string resultURI, (uint64,uint64) usage, uint128 amountDue) returns()
func (jobMarketplace *JobMarketplace) PackSubmitResult(jobId *big.Int, job Job, resultHash [32]byte, resultURI string, usage Usage, amountDue *big.Int) []byte {
	enc, err := jobMarketplace.abi.Pack("submitResult", jobId, job, resultHash, resultURI, usage, amountDue)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSubmitResult is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc73a1050.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function submitResult(uint256 jobId, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job, bytes32 resultHash, string resultURI, (uint64,uint64) usage, uint128 amountDue) returns()
func (jobMarketplace *JobMarketplace) TryPackSubmitResult(jobId *big.Int, job Job, resultHash [32]byte, resultURI string, usage Usage, amountDue *big.Int) ([]byte, error) {
	return jobMarketplace.abi.Pack("submitResult", jobId, job, resultHash, resultURI, usage, amountDue)
}

// PackSupportsInterface is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x01ffc9a7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (jobMarketplace *JobMarketplace) PackSupportsInterface(interfaceId [4]byte) []byte {
	enc, err := jobMarketplace.abi.Pack("supportsInterface", interfaceId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSupportsInterface is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x01ffc9a7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (jobMarketplace *JobMarketplace) TryPackSupportsInterface(interfaceId [4]byte) ([]byte, error) {
	return jobMarketplace.abi.Pack("supportsInterface", interfaceId)
}

// UnpackSupportsInterface is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x01ffc9a7.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (jobMarketplace *JobMarketplace) UnpackSupportsInterface(data []byte) (bool, error) {
	out, err := jobMarketplace.abi.Unpack("supportsInterface", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackSyncSigner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0a2bcc4d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function syncSigner(address provider, address signer) returns()
func (jobMarketplace *JobMarketplace) PackSyncSigner(provider common.Address, signer common.Address) []byte {
	enc, err := jobMarketplace.abi.Pack("syncSigner", provider, signer)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSyncSigner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0a2bcc4d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function syncSigner(address provider, address signer) returns()
func (jobMarketplace *JobMarketplace) TryPackSyncSigner(provider common.Address, signer common.Address) ([]byte, error) {
	return jobMarketplace.abi.Pack("syncSigner", provider, signer)
}

// PackTreasury is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x61d027b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function treasury() view returns(address)
func (jobMarketplace *JobMarketplace) PackTreasury() []byte {
	enc, err := jobMarketplace.abi.Pack("treasury")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTreasury is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x61d027b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function treasury() view returns(address)
func (jobMarketplace *JobMarketplace) TryPackTreasury() ([]byte, error) {
	return jobMarketplace.abi.Pack("treasury")
}

// UnpackTreasury is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x61d027b3.
//
// Solidity: function treasury() view returns(address)
func (jobMarketplace *JobMarketplace) UnpackTreasury(data []byte) (common.Address, error) {
	out, err := jobMarketplace.abi.Unpack("treasury", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackUnpause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f4ba83a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unpause() returns()
func (jobMarketplace *JobMarketplace) PackUnpause() []byte {
	enc, err := jobMarketplace.abi.Pack("unpause")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnpause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f4ba83a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unpause() returns()
func (jobMarketplace *JobMarketplace) TryPackUnpause() ([]byte, error) {
	return jobMarketplace.abi.Pack("unpause")
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x51cff8d9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw(address token) returns(uint256 amount)
func (jobMarketplace *JobMarketplace) PackWithdraw(token common.Address) []byte {
	enc, err := jobMarketplace.abi.Pack("withdraw", token)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x51cff8d9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw(address token) returns(uint256 amount)
func (jobMarketplace *JobMarketplace) TryPackWithdraw(token common.Address) ([]byte, error) {
	return jobMarketplace.abi.Pack("withdraw", token)
}

// UnpackWithdraw is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x51cff8d9.
//
// Solidity: function withdraw(address token) returns(uint256 amount)
func (jobMarketplace *JobMarketplace) UnpackWithdraw(data []byte) (*big.Int, error) {
	out, err := jobMarketplace.abi.Unpack("withdraw", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// JobMarketplaceDefaultAdminDelayChangeCanceled represents a DefaultAdminDelayChangeCanceled event raised by the JobMarketplace contract.
type JobMarketplaceDefaultAdminDelayChangeCanceled struct {
	Raw *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceDefaultAdminDelayChangeCanceledEventName = "DefaultAdminDelayChangeCanceled"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceDefaultAdminDelayChangeCanceled) ContractEventName() string {
	return JobMarketplaceDefaultAdminDelayChangeCanceledEventName
}

// UnpackDefaultAdminDelayChangeCanceledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DefaultAdminDelayChangeCanceled()
func (jobMarketplace *JobMarketplace) UnpackDefaultAdminDelayChangeCanceledEvent(log *types.Log) (*JobMarketplaceDefaultAdminDelayChangeCanceled, error) {
	event := "DefaultAdminDelayChangeCanceled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceDefaultAdminDelayChangeCanceled)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceDefaultAdminDelayChangeScheduled represents a DefaultAdminDelayChangeScheduled event raised by the JobMarketplace contract.
type JobMarketplaceDefaultAdminDelayChangeScheduled struct {
	NewDelay       *big.Int
	EffectSchedule *big.Int
	Raw            *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceDefaultAdminDelayChangeScheduledEventName = "DefaultAdminDelayChangeScheduled"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceDefaultAdminDelayChangeScheduled) ContractEventName() string {
	return JobMarketplaceDefaultAdminDelayChangeScheduledEventName
}

// UnpackDefaultAdminDelayChangeScheduledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DefaultAdminDelayChangeScheduled(uint48 newDelay, uint48 effectSchedule)
func (jobMarketplace *JobMarketplace) UnpackDefaultAdminDelayChangeScheduledEvent(log *types.Log) (*JobMarketplaceDefaultAdminDelayChangeScheduled, error) {
	event := "DefaultAdminDelayChangeScheduled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceDefaultAdminDelayChangeScheduled)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceDefaultAdminTransferCanceled represents a DefaultAdminTransferCanceled event raised by the JobMarketplace contract.
type JobMarketplaceDefaultAdminTransferCanceled struct {
	Raw *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceDefaultAdminTransferCanceledEventName = "DefaultAdminTransferCanceled"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceDefaultAdminTransferCanceled) ContractEventName() string {
	return JobMarketplaceDefaultAdminTransferCanceledEventName
}

// UnpackDefaultAdminTransferCanceledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DefaultAdminTransferCanceled()
func (jobMarketplace *JobMarketplace) UnpackDefaultAdminTransferCanceledEvent(log *types.Log) (*JobMarketplaceDefaultAdminTransferCanceled, error) {
	event := "DefaultAdminTransferCanceled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceDefaultAdminTransferCanceled)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceDefaultAdminTransferScheduled represents a DefaultAdminTransferScheduled event raised by the JobMarketplace contract.
type JobMarketplaceDefaultAdminTransferScheduled struct {
	NewAdmin       common.Address
	AcceptSchedule *big.Int
	Raw            *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceDefaultAdminTransferScheduledEventName = "DefaultAdminTransferScheduled"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceDefaultAdminTransferScheduled) ContractEventName() string {
	return JobMarketplaceDefaultAdminTransferScheduledEventName
}

// UnpackDefaultAdminTransferScheduledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DefaultAdminTransferScheduled(address indexed newAdmin, uint48 acceptSchedule)
func (jobMarketplace *JobMarketplace) UnpackDefaultAdminTransferScheduledEvent(log *types.Log) (*JobMarketplaceDefaultAdminTransferScheduled, error) {
	event := "DefaultAdminTransferScheduled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceDefaultAdminTransferScheduled)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceDisputeBondFloorUpdated represents a DisputeBondFloorUpdated event raised by the JobMarketplace contract.
type JobMarketplaceDisputeBondFloorUpdated struct {
	Token         common.Address
	PreviousFloor *big.Int
	NewFloor      *big.Int
	Raw           *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceDisputeBondFloorUpdatedEventName = "DisputeBondFloorUpdated"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceDisputeBondFloorUpdated) ContractEventName() string {
	return JobMarketplaceDisputeBondFloorUpdatedEventName
}

// UnpackDisputeBondFloorUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DisputeBondFloorUpdated(address indexed token, uint128 previousFloor, uint128 newFloor)
func (jobMarketplace *JobMarketplace) UnpackDisputeBondFloorUpdatedEvent(log *types.Log) (*JobMarketplaceDisputeBondFloorUpdated, error) {
	event := "DisputeBondFloorUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceDisputeBondFloorUpdated)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceEIP712DomainChanged represents a EIP712DomainChanged event raised by the JobMarketplace contract.
type JobMarketplaceEIP712DomainChanged struct {
	Raw *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceEIP712DomainChangedEventName = "EIP712DomainChanged"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceEIP712DomainChanged) ContractEventName() string {
	return JobMarketplaceEIP712DomainChangedEventName
}

// UnpackEIP712DomainChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EIP712DomainChanged()
func (jobMarketplace *JobMarketplace) UnpackEIP712DomainChangedEvent(log *types.Log) (*JobMarketplaceEIP712DomainChanged, error) {
	event := "EIP712DomainChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceEIP712DomainChanged)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceJobAccepted represents a JobAccepted event raised by the JobMarketplace contract.
type JobMarketplaceJobAccepted struct {
	JobId         *big.Int
	Client        common.Address
	Provider      common.Address
	Price         *big.Int
	ReservedStake *big.Int
	Signer        common.Address
	Matcher       common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceJobAcceptedEventName = "JobAccepted"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceJobAccepted) ContractEventName() string {
	return JobMarketplaceJobAcceptedEventName
}

// UnpackJobAcceptedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event JobAccepted(uint256 indexed jobId, address indexed client, address indexed provider, uint128 price, uint128 reservedStake, address signer, address matcher)
func (jobMarketplace *JobMarketplace) UnpackJobAcceptedEvent(log *types.Log) (*JobMarketplaceJobAccepted, error) {
	event := "JobAccepted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceJobAccepted)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceJobCancelled represents a JobCancelled event raised by the JobMarketplace contract.
type JobMarketplaceJobCancelled struct {
	JobId  *big.Int
	Client common.Address
	Token  common.Address
	Refund *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceJobCancelledEventName = "JobCancelled"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceJobCancelled) ContractEventName() string {
	return JobMarketplaceJobCancelledEventName
}

// UnpackJobCancelledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event JobCancelled(uint256 indexed jobId, address indexed client, address indexed token, uint256 refund)
func (jobMarketplace *JobMarketplace) UnpackJobCancelledEvent(log *types.Log) (*JobMarketplaceJobCancelled, error) {
	event := "JobCancelled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceJobCancelled)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceJobCreated represents a JobCreated event raised by the JobMarketplace contract.
type JobMarketplaceJobCreated struct {
	JobId      *big.Int
	Client     common.Address
	Token      common.Address
	Job        Job
	SpecURI    string
	OrderNonce *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceJobCreatedEventName = "JobCreated"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceJobCreated) ContractEventName() string {
	return JobMarketplaceJobCreatedEventName
}

// UnpackJobCreatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event JobCreated(uint256 indexed jobId, address indexed client, address indexed token, (address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128) job, string specURI, uint256 orderNonce)
func (jobMarketplace *JobMarketplace) UnpackJobCreatedEvent(log *types.Log) (*JobMarketplaceJobCreated, error) {
	event := "JobCreated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceJobCreated)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceJobDisputeResolved represents a JobDisputeResolved event raised by the JobMarketplace contract.
type JobMarketplaceJobDisputeResolved struct {
	JobId          *big.Int
	Client         common.Address
	Provider       common.Address
	Token          common.Address
	Payout         Payout
	ProviderPaid   *big.Int
	Slashed        *big.Int
	BondToProvider *big.Int
	Arbiter        common.Address
	TimedOut       bool
	Raw            *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceJobDisputeResolvedEventName = "JobDisputeResolved"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceJobDisputeResolved) ContractEventName() string {
	return JobMarketplaceJobDisputeResolvedEventName
}

// UnpackJobDisputeResolvedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event JobDisputeResolved(uint256 indexed jobId, address indexed client, address indexed provider, address token, (address,uint256,uint256,uint256,uint256) payout, uint256 providerPaid, uint256 slashed, uint128 bondToProvider, address arbiter, bool timedOut)
func (jobMarketplace *JobMarketplace) UnpackJobDisputeResolvedEvent(log *types.Log) (*JobMarketplaceJobDisputeResolved, error) {
	event := "JobDisputeResolved"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceJobDisputeResolved)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceJobDisputed represents a JobDisputed event raised by the JobMarketplace contract.
type JobMarketplaceJobDisputed struct {
	JobId       *big.Int
	Client      common.Address
	Provider    common.Address
	ReasonHash  [32]byte
	DisputedAt  *big.Int
	DisputeBond *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceJobDisputedEventName = "JobDisputed"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceJobDisputed) ContractEventName() string {
	return JobMarketplaceJobDisputedEventName
}

// UnpackJobDisputedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event JobDisputed(uint256 indexed jobId, address indexed client, address indexed provider, bytes32 reasonHash, uint40 disputedAt, uint128 disputeBond)
func (jobMarketplace *JobMarketplace) UnpackJobDisputedEvent(log *types.Log) (*JobMarketplaceJobDisputed, error) {
	event := "JobDisputed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceJobDisputed)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceJobRefunded represents a JobRefunded event raised by the JobMarketplace contract.
type JobMarketplaceJobRefunded struct {
	JobId      *big.Int
	Client     common.Address
	Provider   common.Address
	Token      common.Address
	Refund     *big.Int
	Slashed    *big.Int
	RefundedBy common.Address
	Raw        *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceJobRefundedEventName = "JobRefunded"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceJobRefunded) ContractEventName() string {
	return JobMarketplaceJobRefundedEventName
}

// UnpackJobRefundedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event JobRefunded(uint256 indexed jobId, address indexed client, address indexed provider, address token, uint256 refund, uint256 slashed, address refundedBy)
func (jobMarketplace *JobMarketplace) UnpackJobRefundedEvent(log *types.Log) (*JobMarketplaceJobRefunded, error) {
	event := "JobRefunded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceJobRefunded)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceJobSettled represents a JobSettled event raised by the JobMarketplace contract.
type JobMarketplaceJobSettled struct {
	JobId     *big.Int
	Client    common.Address
	Provider  common.Address
	Token     common.Address
	Payout    Payout
	SettledBy common.Address
	Raw       *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceJobSettledEventName = "JobSettled"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceJobSettled) ContractEventName() string {
	return JobMarketplaceJobSettledEventName
}

// UnpackJobSettledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event JobSettled(uint256 indexed jobId, address indexed client, address indexed provider, address token, (address,uint256,uint256,uint256,uint256) payout, address settledBy)
func (jobMarketplace *JobMarketplace) UnpackJobSettledEvent(log *types.Log) (*JobMarketplaceJobSettled, error) {
	event := "JobSettled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceJobSettled)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceMarketPaused represents a MarketPaused event raised by the JobMarketplace contract.
type JobMarketplaceMarketPaused struct {
	Account common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceMarketPausedEventName = "MarketPaused"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceMarketPaused) ContractEventName() string {
	return JobMarketplaceMarketPausedEventName
}

// UnpackMarketPausedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MarketPaused(address indexed account)
func (jobMarketplace *JobMarketplace) UnpackMarketPausedEvent(log *types.Log) (*JobMarketplaceMarketPaused, error) {
	event := "MarketPaused"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceMarketPaused)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceMarketUnpaused represents a MarketUnpaused event raised by the JobMarketplace contract.
type JobMarketplaceMarketUnpaused struct {
	Account common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceMarketUnpausedEventName = "MarketUnpaused"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceMarketUnpaused) ContractEventName() string {
	return JobMarketplaceMarketUnpausedEventName
}

// UnpackMarketUnpausedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MarketUnpaused(address indexed account)
func (jobMarketplace *JobMarketplace) UnpackMarketUnpausedEvent(log *types.Log) (*JobMarketplaceMarketUnpaused, error) {
	event := "MarketUnpaused"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceMarketUnpaused)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceOrderNonceCancelled represents a OrderNonceCancelled event raised by the JobMarketplace contract.
type JobMarketplaceOrderNonceCancelled struct {
	Client common.Address
	Nonce  *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceOrderNonceCancelledEventName = "OrderNonceCancelled"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceOrderNonceCancelled) ContractEventName() string {
	return JobMarketplaceOrderNonceCancelledEventName
}

// UnpackOrderNonceCancelledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OrderNonceCancelled(address indexed client, uint256 indexed nonce)
func (jobMarketplace *JobMarketplace) UnpackOrderNonceCancelledEvent(log *types.Log) (*JobMarketplaceOrderNonceCancelled, error) {
	event := "OrderNonceCancelled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceOrderNonceCancelled)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceProtocolFeeUpdated represents a ProtocolFeeUpdated event raised by the JobMarketplace contract.
type JobMarketplaceProtocolFeeUpdated struct {
	PreviousBps uint16
	NewBps      uint16
	Raw         *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceProtocolFeeUpdatedEventName = "ProtocolFeeUpdated"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceProtocolFeeUpdated) ContractEventName() string {
	return JobMarketplaceProtocolFeeUpdatedEventName
}

// UnpackProtocolFeeUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProtocolFeeUpdated(uint16 previousBps, uint16 newBps)
func (jobMarketplace *JobMarketplace) UnpackProtocolFeeUpdatedEvent(log *types.Log) (*JobMarketplaceProtocolFeeUpdated, error) {
	event := "ProtocolFeeUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceProtocolFeeUpdated)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceResultSubmitted represents a ResultSubmitted event raised by the JobMarketplace contract.
type JobMarketplaceResultSubmitted struct {
	JobId        *big.Int
	Client       common.Address
	Provider     common.Address
	ResultHash   [32]byte
	ResultURI    string
	Usage        Usage
	AmountDue    *big.Int
	ChallengeEnd *big.Int
	Raw          *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceResultSubmittedEventName = "ResultSubmitted"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceResultSubmitted) ContractEventName() string {
	return JobMarketplaceResultSubmittedEventName
}

// UnpackResultSubmittedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ResultSubmitted(uint256 indexed jobId, address indexed client, address indexed provider, bytes32 resultHash, string resultURI, (uint64,uint64) usage, uint128 amountDue, uint40 challengeEnd)
func (jobMarketplace *JobMarketplace) UnpackResultSubmittedEvent(log *types.Log) (*JobMarketplaceResultSubmitted, error) {
	event := "ResultSubmitted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceResultSubmitted)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceRoleAdminChanged represents a RoleAdminChanged event raised by the JobMarketplace contract.
type JobMarketplaceRoleAdminChanged struct {
	Role              [32]byte
	PreviousAdminRole [32]byte
	NewAdminRole      [32]byte
	Raw               *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceRoleAdminChangedEventName = "RoleAdminChanged"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceRoleAdminChanged) ContractEventName() string {
	return JobMarketplaceRoleAdminChangedEventName
}

// UnpackRoleAdminChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)
func (jobMarketplace *JobMarketplace) UnpackRoleAdminChangedEvent(log *types.Log) (*JobMarketplaceRoleAdminChanged, error) {
	event := "RoleAdminChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceRoleAdminChanged)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceRoleGranted represents a RoleGranted event raised by the JobMarketplace contract.
type JobMarketplaceRoleGranted struct {
	Role    [32]byte
	Account common.Address
	Sender  common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceRoleGrantedEventName = "RoleGranted"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceRoleGranted) ContractEventName() string {
	return JobMarketplaceRoleGrantedEventName
}

// UnpackRoleGrantedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)
func (jobMarketplace *JobMarketplace) UnpackRoleGrantedEvent(log *types.Log) (*JobMarketplaceRoleGranted, error) {
	event := "RoleGranted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceRoleGranted)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceRoleRevoked represents a RoleRevoked event raised by the JobMarketplace contract.
type JobMarketplaceRoleRevoked struct {
	Role    [32]byte
	Account common.Address
	Sender  common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceRoleRevokedEventName = "RoleRevoked"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceRoleRevoked) ContractEventName() string {
	return JobMarketplaceRoleRevokedEventName
}

// UnpackRoleRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)
func (jobMarketplace *JobMarketplace) UnpackRoleRevokedEvent(log *types.Log) (*JobMarketplaceRoleRevoked, error) {
	event := "RoleRevoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceRoleRevoked)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceTokenAllowlistUpdated represents a TokenAllowlistUpdated event raised by the JobMarketplace contract.
type JobMarketplaceTokenAllowlistUpdated struct {
	Token   common.Address
	Allowed bool
	Raw     *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceTokenAllowlistUpdatedEventName = "TokenAllowlistUpdated"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceTokenAllowlistUpdated) ContractEventName() string {
	return JobMarketplaceTokenAllowlistUpdatedEventName
}

// UnpackTokenAllowlistUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TokenAllowlistUpdated(address indexed token, bool allowed)
func (jobMarketplace *JobMarketplace) UnpackTokenAllowlistUpdatedEvent(log *types.Log) (*JobMarketplaceTokenAllowlistUpdated, error) {
	event := "TokenAllowlistUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceTokenAllowlistUpdated)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceTreasuryUpdated represents a TreasuryUpdated event raised by the JobMarketplace contract.
type JobMarketplaceTreasuryUpdated struct {
	PreviousTreasury common.Address
	NewTreasury      common.Address
	Raw              *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceTreasuryUpdatedEventName = "TreasuryUpdated"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceTreasuryUpdated) ContractEventName() string {
	return JobMarketplaceTreasuryUpdatedEventName
}

// UnpackTreasuryUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TreasuryUpdated(address indexed previousTreasury, address indexed newTreasury)
func (jobMarketplace *JobMarketplace) UnpackTreasuryUpdatedEvent(log *types.Log) (*JobMarketplaceTreasuryUpdated, error) {
	event := "TreasuryUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceTreasuryUpdated)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// JobMarketplaceWithdrawn represents a Withdrawn event raised by the JobMarketplace contract.
type JobMarketplaceWithdrawn struct {
	Account common.Address
	Token   common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const JobMarketplaceWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (JobMarketplaceWithdrawn) ContractEventName() string {
	return JobMarketplaceWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed account, address indexed token, uint256 amount)
func (jobMarketplace *JobMarketplace) UnpackWithdrawnEvent(log *types.Log) (*JobMarketplaceWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != jobMarketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(JobMarketplaceWithdrawn)
	if len(log.Data) > 0 {
		if err := jobMarketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range jobMarketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (jobMarketplace *JobMarketplace) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["AccessControlBadConfirmation"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackAccessControlBadConfirmationError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["AccessControlEnforcedDefaultAdminDelay"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackAccessControlEnforcedDefaultAdminDelayError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["AccessControlEnforcedDefaultAdminRules"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackAccessControlEnforcedDefaultAdminRulesError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["AccessControlInvalidDefaultAdmin"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackAccessControlInvalidDefaultAdminError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["AccessControlUnauthorizedAccount"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackAccessControlUnauthorizedAccountError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["AmountDueExceedsPrice"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackAmountDueExceedsPriceError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["AssignmentExpired"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackAssignmentExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["AssignmentJobMismatch"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackAssignmentJobMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["BondShareExceedsBond"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackBondShareExceedsBondError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["ChallengeWindowClosed"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackChallengeWindowClosedError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["ChallengeWindowOpen"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackChallengeWindowOpenError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["DeadlineNotPassed"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackDeadlineNotPassedError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["DeadlinePassed"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackDeadlinePassedError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["DisputeTimeoutNotReached"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackDisputeTimeoutNotReachedError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["ECDSAInvalidSignature"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackECDSAInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["ECDSAInvalidSignatureLength"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackECDSAInvalidSignatureLengthError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["ECDSAInvalidSignatureS"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackECDSAInvalidSignatureSError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["FeeOnTransferNotSupported"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackFeeOnTransferNotSupportedError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["FeeTooHigh"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackFeeTooHighError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["InvalidConfig"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackInvalidConfigError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["InvalidCreatorShare"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackInvalidCreatorShareError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["InvalidDeadline"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackInvalidDeadlineError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["InvalidJobState"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackInvalidJobStateError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["InvalidMatcherSignature"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackInvalidMatcherSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["InvalidOrderSignature"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackInvalidOrderSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["InvalidShortString"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackInvalidShortStringError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["JobMismatch"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackJobMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["MarketIsPaused"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackMarketIsPausedError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["MarketNotPaused"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackMarketNotPausedError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["NoPreferredProvider"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackNoPreferredProviderError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["NonceAlreadyUsed"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackNonceAlreadyUsedError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["NotClient"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackNotClientError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["NotPreferredProvider"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackNotPreferredProviderError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["NotProviderSigner"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackNotProviderSignerError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["NotRegistry"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackNotRegistryError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["NothingToWithdraw"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackNothingToWithdrawError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["OrderExpired"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackOrderExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["PriceExceedsMax"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackPriceExceedsMaxError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["ProviderAmountExceedsDue"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackProviderAmountExceedsDueError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["ReentrancyGuardReentrantCall"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackReentrancyGuardReentrantCallError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["SafeCastOverflowedUintDowncast"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackSafeCastOverflowedUintDowncastError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["SafeERC20FailedOperation"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackSafeERC20FailedOperationError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["SlashExceedsReservation"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackSlashExceedsReservationError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["StringTooLong"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackStringTooLongError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["TokenNotAllowed"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackTokenNotAllowedError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackZeroAddressError(raw[4:])
	}
	if bytes.Equal(raw[:4], jobMarketplace.abi.Errors["ZeroPayment"].ID.Bytes()[:4]) {
		return jobMarketplace.UnpackZeroPaymentError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// JobMarketplaceAccessControlBadConfirmation represents a AccessControlBadConfirmation error raised by the JobMarketplace contract.
type JobMarketplaceAccessControlBadConfirmation struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlBadConfirmation()
func JobMarketplaceAccessControlBadConfirmationErrorID() common.Hash {
	return common.HexToHash("0x6697b23232a647058342c0724fe7c415cab25915b54e5dbc03f233173d37b41c")
}

// UnpackAccessControlBadConfirmationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlBadConfirmation()
func (jobMarketplace *JobMarketplace) UnpackAccessControlBadConfirmationError(raw []byte) (*JobMarketplaceAccessControlBadConfirmation, error) {
	out := new(JobMarketplaceAccessControlBadConfirmation)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "AccessControlBadConfirmation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceAccessControlEnforcedDefaultAdminDelay represents a AccessControlEnforcedDefaultAdminDelay error raised by the JobMarketplace contract.
type JobMarketplaceAccessControlEnforcedDefaultAdminDelay struct {
	Schedule *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlEnforcedDefaultAdminDelay(uint48 schedule)
func JobMarketplaceAccessControlEnforcedDefaultAdminDelayErrorID() common.Hash {
	return common.HexToHash("0x19ca5ebb8fb33f00e502c9392eddab1501674629178bf69b853cf037aaf4bb5d")
}

// UnpackAccessControlEnforcedDefaultAdminDelayError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlEnforcedDefaultAdminDelay(uint48 schedule)
func (jobMarketplace *JobMarketplace) UnpackAccessControlEnforcedDefaultAdminDelayError(raw []byte) (*JobMarketplaceAccessControlEnforcedDefaultAdminDelay, error) {
	out := new(JobMarketplaceAccessControlEnforcedDefaultAdminDelay)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "AccessControlEnforcedDefaultAdminDelay", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceAccessControlEnforcedDefaultAdminRules represents a AccessControlEnforcedDefaultAdminRules error raised by the JobMarketplace contract.
type JobMarketplaceAccessControlEnforcedDefaultAdminRules struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlEnforcedDefaultAdminRules()
func JobMarketplaceAccessControlEnforcedDefaultAdminRulesErrorID() common.Hash {
	return common.HexToHash("0x3fc3c27ae3db78c81b8f6e685172134623efa268ee8cd8d54be38ad2a74fc13b")
}

// UnpackAccessControlEnforcedDefaultAdminRulesError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlEnforcedDefaultAdminRules()
func (jobMarketplace *JobMarketplace) UnpackAccessControlEnforcedDefaultAdminRulesError(raw []byte) (*JobMarketplaceAccessControlEnforcedDefaultAdminRules, error) {
	out := new(JobMarketplaceAccessControlEnforcedDefaultAdminRules)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "AccessControlEnforcedDefaultAdminRules", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceAccessControlInvalidDefaultAdmin represents a AccessControlInvalidDefaultAdmin error raised by the JobMarketplace contract.
type JobMarketplaceAccessControlInvalidDefaultAdmin struct {
	DefaultAdmin common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlInvalidDefaultAdmin(address defaultAdmin)
func JobMarketplaceAccessControlInvalidDefaultAdminErrorID() common.Hash {
	return common.HexToHash("0xc22c8022f2a840d6b6a9f113407715f5bbd4e88c1b0dd9434dc00700ba609ed4")
}

// UnpackAccessControlInvalidDefaultAdminError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlInvalidDefaultAdmin(address defaultAdmin)
func (jobMarketplace *JobMarketplace) UnpackAccessControlInvalidDefaultAdminError(raw []byte) (*JobMarketplaceAccessControlInvalidDefaultAdmin, error) {
	out := new(JobMarketplaceAccessControlInvalidDefaultAdmin)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "AccessControlInvalidDefaultAdmin", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceAccessControlUnauthorizedAccount represents a AccessControlUnauthorizedAccount error raised by the JobMarketplace contract.
type JobMarketplaceAccessControlUnauthorizedAccount struct {
	Account    common.Address
	NeededRole [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)
func JobMarketplaceAccessControlUnauthorizedAccountErrorID() common.Hash {
	return common.HexToHash("0xe2517d3fbfae6f8515ef5ff1ccedc3933ab0cbbda0b492c06eb54ad10ef03b3e")
}

// UnpackAccessControlUnauthorizedAccountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)
func (jobMarketplace *JobMarketplace) UnpackAccessControlUnauthorizedAccountError(raw []byte) (*JobMarketplaceAccessControlUnauthorizedAccount, error) {
	out := new(JobMarketplaceAccessControlUnauthorizedAccount)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "AccessControlUnauthorizedAccount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceAmountDueExceedsPrice represents a AmountDueExceedsPrice error raised by the JobMarketplace contract.
type JobMarketplaceAmountDueExceedsPrice struct {
	AmountDue *big.Int
	Price     *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AmountDueExceedsPrice(uint256 amountDue, uint256 price)
func JobMarketplaceAmountDueExceedsPriceErrorID() common.Hash {
	return common.HexToHash("0x7464b0401866f86eb0f5520b91c37de874a51a61f81917113bd90aab58d2f5cf")
}

// UnpackAmountDueExceedsPriceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AmountDueExceedsPrice(uint256 amountDue, uint256 price)
func (jobMarketplace *JobMarketplace) UnpackAmountDueExceedsPriceError(raw []byte) (*JobMarketplaceAmountDueExceedsPrice, error) {
	out := new(JobMarketplaceAmountDueExceedsPrice)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "AmountDueExceedsPrice", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceAssignmentExpired represents a AssignmentExpired error raised by the JobMarketplace contract.
type JobMarketplaceAssignmentExpired struct {
	Expiry  *big.Int
	NowTime *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AssignmentExpired(uint256 expiry, uint256 nowTime)
func JobMarketplaceAssignmentExpiredErrorID() common.Hash {
	return common.HexToHash("0xaee8f8bfab9f966e2cc86695991b16dc46be7e3cb7a67ea5f27daf1cc329d697")
}

// UnpackAssignmentExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AssignmentExpired(uint256 expiry, uint256 nowTime)
func (jobMarketplace *JobMarketplace) UnpackAssignmentExpiredError(raw []byte) (*JobMarketplaceAssignmentExpired, error) {
	out := new(JobMarketplaceAssignmentExpired)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "AssignmentExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceAssignmentJobMismatch represents a AssignmentJobMismatch error raised by the JobMarketplace contract.
type JobMarketplaceAssignmentJobMismatch struct {
	AssignmentJobId *big.Int
	JobId           *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AssignmentJobMismatch(uint256 assignmentJobId, uint256 jobId)
func JobMarketplaceAssignmentJobMismatchErrorID() common.Hash {
	return common.HexToHash("0x6ef270d61fcc50277abeb7bdf336e7305989edbec3e411500b0d946595a035cf")
}

// UnpackAssignmentJobMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AssignmentJobMismatch(uint256 assignmentJobId, uint256 jobId)
func (jobMarketplace *JobMarketplace) UnpackAssignmentJobMismatchError(raw []byte) (*JobMarketplaceAssignmentJobMismatch, error) {
	out := new(JobMarketplaceAssignmentJobMismatch)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "AssignmentJobMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceBondShareExceedsBond represents a BondShareExceedsBond error raised by the JobMarketplace contract.
type JobMarketplaceBondShareExceedsBond struct {
	JobId          *big.Int
	BondToProvider *big.Int
	DisputeBond    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BondShareExceedsBond(uint256 jobId, uint256 bondToProvider, uint256 disputeBond)
func JobMarketplaceBondShareExceedsBondErrorID() common.Hash {
	return common.HexToHash("0xb88fb94e4a8e406e67ffbc0d75cafd54737c0044487390411a41627a022c894e")
}

// UnpackBondShareExceedsBondError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BondShareExceedsBond(uint256 jobId, uint256 bondToProvider, uint256 disputeBond)
func (jobMarketplace *JobMarketplace) UnpackBondShareExceedsBondError(raw []byte) (*JobMarketplaceBondShareExceedsBond, error) {
	out := new(JobMarketplaceBondShareExceedsBond)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "BondShareExceedsBond", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceChallengeWindowClosed represents a ChallengeWindowClosed error raised by the JobMarketplace contract.
type JobMarketplaceChallengeWindowClosed struct {
	JobId        *big.Int
	ChallengeEnd *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChallengeWindowClosed(uint256 jobId, uint256 challengeEnd)
func JobMarketplaceChallengeWindowClosedErrorID() common.Hash {
	return common.HexToHash("0x9187e902a864dd02169704b56b0f0a5acefc83a01e2c0691c1c327f46c14eda7")
}

// UnpackChallengeWindowClosedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChallengeWindowClosed(uint256 jobId, uint256 challengeEnd)
func (jobMarketplace *JobMarketplace) UnpackChallengeWindowClosedError(raw []byte) (*JobMarketplaceChallengeWindowClosed, error) {
	out := new(JobMarketplaceChallengeWindowClosed)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "ChallengeWindowClosed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceChallengeWindowOpen represents a ChallengeWindowOpen error raised by the JobMarketplace contract.
type JobMarketplaceChallengeWindowOpen struct {
	JobId        *big.Int
	ChallengeEnd *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChallengeWindowOpen(uint256 jobId, uint256 challengeEnd)
func JobMarketplaceChallengeWindowOpenErrorID() common.Hash {
	return common.HexToHash("0x76f615b00a3ec6e9519258ee929d9e8422f067dfc91c8334beba4c9318def0a0")
}

// UnpackChallengeWindowOpenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChallengeWindowOpen(uint256 jobId, uint256 challengeEnd)
func (jobMarketplace *JobMarketplace) UnpackChallengeWindowOpenError(raw []byte) (*JobMarketplaceChallengeWindowOpen, error) {
	out := new(JobMarketplaceChallengeWindowOpen)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "ChallengeWindowOpen", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceDeadlineNotPassed represents a DeadlineNotPassed error raised by the JobMarketplace contract.
type JobMarketplaceDeadlineNotPassed struct {
	JobId    *big.Int
	Deadline *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DeadlineNotPassed(uint256 jobId, uint256 deadline)
func JobMarketplaceDeadlineNotPassedErrorID() common.Hash {
	return common.HexToHash("0x408b57fbc2a48a89bf372945ae8105ee2ff4083ea29fb8b6b2fda2809c546866")
}

// UnpackDeadlineNotPassedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DeadlineNotPassed(uint256 jobId, uint256 deadline)
func (jobMarketplace *JobMarketplace) UnpackDeadlineNotPassedError(raw []byte) (*JobMarketplaceDeadlineNotPassed, error) {
	out := new(JobMarketplaceDeadlineNotPassed)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "DeadlineNotPassed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceDeadlinePassed represents a DeadlinePassed error raised by the JobMarketplace contract.
type JobMarketplaceDeadlinePassed struct {
	JobId    *big.Int
	Deadline *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DeadlinePassed(uint256 jobId, uint256 deadline)
func JobMarketplaceDeadlinePassedErrorID() common.Hash {
	return common.HexToHash("0x83f2ba20b77c67656c85ef54103e25e4c03a482a8919c6010a4781ea13974bb7")
}

// UnpackDeadlinePassedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DeadlinePassed(uint256 jobId, uint256 deadline)
func (jobMarketplace *JobMarketplace) UnpackDeadlinePassedError(raw []byte) (*JobMarketplaceDeadlinePassed, error) {
	out := new(JobMarketplaceDeadlinePassed)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "DeadlinePassed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceDisputeTimeoutNotReached represents a DisputeTimeoutNotReached error raised by the JobMarketplace contract.
type JobMarketplaceDisputeTimeoutNotReached struct {
	JobId     *big.Int
	TimeoutAt *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DisputeTimeoutNotReached(uint256 jobId, uint256 timeoutAt)
func JobMarketplaceDisputeTimeoutNotReachedErrorID() common.Hash {
	return common.HexToHash("0xa726a516c9d90757ed24fa75d47d50695f1ad72a70c85bc3674502ccad85cb57")
}

// UnpackDisputeTimeoutNotReachedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DisputeTimeoutNotReached(uint256 jobId, uint256 timeoutAt)
func (jobMarketplace *JobMarketplace) UnpackDisputeTimeoutNotReachedError(raw []byte) (*JobMarketplaceDisputeTimeoutNotReached, error) {
	out := new(JobMarketplaceDisputeTimeoutNotReached)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "DisputeTimeoutNotReached", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceECDSAInvalidSignature represents a ECDSAInvalidSignature error raised by the JobMarketplace contract.
type JobMarketplaceECDSAInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ECDSAInvalidSignature()
func JobMarketplaceECDSAInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0xf645eedf0193584640b6b90cb9477e4c95b98636c148a891d4c0a146dc46e75a")
}

// UnpackECDSAInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ECDSAInvalidSignature()
func (jobMarketplace *JobMarketplace) UnpackECDSAInvalidSignatureError(raw []byte) (*JobMarketplaceECDSAInvalidSignature, error) {
	out := new(JobMarketplaceECDSAInvalidSignature)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "ECDSAInvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceECDSAInvalidSignatureLength represents a ECDSAInvalidSignatureLength error raised by the JobMarketplace contract.
type JobMarketplaceECDSAInvalidSignatureLength struct {
	Length *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ECDSAInvalidSignatureLength(uint256 length)
func JobMarketplaceECDSAInvalidSignatureLengthErrorID() common.Hash {
	return common.HexToHash("0xfce698f7e8e5342cd615f641317bc45fe7e1e4a8b0a14dd1383ff8dc9c41917f")
}

// UnpackECDSAInvalidSignatureLengthError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ECDSAInvalidSignatureLength(uint256 length)
func (jobMarketplace *JobMarketplace) UnpackECDSAInvalidSignatureLengthError(raw []byte) (*JobMarketplaceECDSAInvalidSignatureLength, error) {
	out := new(JobMarketplaceECDSAInvalidSignatureLength)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "ECDSAInvalidSignatureLength", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceECDSAInvalidSignatureS represents a ECDSAInvalidSignatureS error raised by the JobMarketplace contract.
type JobMarketplaceECDSAInvalidSignatureS struct {
	S [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ECDSAInvalidSignatureS(bytes32 s)
func JobMarketplaceECDSAInvalidSignatureSErrorID() common.Hash {
	return common.HexToHash("0xd78bce0cccb935155ed6428d1c13e50b7f3550fd2b66b9fe266006fea4a5e1eb")
}

// UnpackECDSAInvalidSignatureSError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ECDSAInvalidSignatureS(bytes32 s)
func (jobMarketplace *JobMarketplace) UnpackECDSAInvalidSignatureSError(raw []byte) (*JobMarketplaceECDSAInvalidSignatureS, error) {
	out := new(JobMarketplaceECDSAInvalidSignatureS)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "ECDSAInvalidSignatureS", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceFeeOnTransferNotSupported represents a FeeOnTransferNotSupported error raised by the JobMarketplace contract.
type JobMarketplaceFeeOnTransferNotSupported struct {
	Token    common.Address
	Expected *big.Int
	Received *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error FeeOnTransferNotSupported(address token, uint256 expected, uint256 received)
func JobMarketplaceFeeOnTransferNotSupportedErrorID() common.Hash {
	return common.HexToHash("0xa014ec7e307a633819d2391cc2502acd0e37e26e7f7ad86df4e50e47583d5b24")
}

// UnpackFeeOnTransferNotSupportedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error FeeOnTransferNotSupported(address token, uint256 expected, uint256 received)
func (jobMarketplace *JobMarketplace) UnpackFeeOnTransferNotSupportedError(raw []byte) (*JobMarketplaceFeeOnTransferNotSupported, error) {
	out := new(JobMarketplaceFeeOnTransferNotSupported)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "FeeOnTransferNotSupported", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceFeeTooHigh represents a FeeTooHigh error raised by the JobMarketplace contract.
type JobMarketplaceFeeTooHigh struct {
	Bps    *big.Int
	MaxBps *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error FeeTooHigh(uint256 bps, uint256 maxBps)
func JobMarketplaceFeeTooHighErrorID() common.Hash {
	return common.HexToHash("0xe757126a89ba5140023477c243d17c34ca7467d317e5523eafa819ff2931905a")
}

// UnpackFeeTooHighError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error FeeTooHigh(uint256 bps, uint256 maxBps)
func (jobMarketplace *JobMarketplace) UnpackFeeTooHighError(raw []byte) (*JobMarketplaceFeeTooHigh, error) {
	out := new(JobMarketplaceFeeTooHigh)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "FeeTooHigh", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceInvalidConfig represents a InvalidConfig error raised by the JobMarketplace contract.
type JobMarketplaceInvalidConfig struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidConfig()
func JobMarketplaceInvalidConfigErrorID() common.Hash {
	return common.HexToHash("0x35be3ac88eaaf385e6b33d44d849a44bdc3ae215676d5d7e0194dfe20d80c66e")
}

// UnpackInvalidConfigError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidConfig()
func (jobMarketplace *JobMarketplace) UnpackInvalidConfigError(raw []byte) (*JobMarketplaceInvalidConfig, error) {
	out := new(JobMarketplaceInvalidConfig)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "InvalidConfig", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceInvalidCreatorShare represents a InvalidCreatorShare error raised by the JobMarketplace contract.
type JobMarketplaceInvalidCreatorShare struct {
	Creator  common.Address
	ShareBps *big.Int
	MaxBps   *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidCreatorShare(address creator, uint256 shareBps, uint256 maxBps)
func JobMarketplaceInvalidCreatorShareErrorID() common.Hash {
	return common.HexToHash("0x68e08312ecb520638a89305a9d0736bcbe5c60c14250ce7b46ded4e63ead63ed")
}

// UnpackInvalidCreatorShareError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidCreatorShare(address creator, uint256 shareBps, uint256 maxBps)
func (jobMarketplace *JobMarketplace) UnpackInvalidCreatorShareError(raw []byte) (*JobMarketplaceInvalidCreatorShare, error) {
	out := new(JobMarketplaceInvalidCreatorShare)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "InvalidCreatorShare", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceInvalidDeadline represents a InvalidDeadline error raised by the JobMarketplace contract.
type JobMarketplaceInvalidDeadline struct {
	Deadline    *big.Int
	NowTime     *big.Int
	MaxDeadline *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidDeadline(uint256 deadline, uint256 nowTime, uint256 maxDeadline)
func JobMarketplaceInvalidDeadlineErrorID() common.Hash {
	return common.HexToHash("0x9b4eedf01237fad2117a260a7a2fa41e36e3f44389ca4e9d4b99ae7beb5bc421")
}

// UnpackInvalidDeadlineError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidDeadline(uint256 deadline, uint256 nowTime, uint256 maxDeadline)
func (jobMarketplace *JobMarketplace) UnpackInvalidDeadlineError(raw []byte) (*JobMarketplaceInvalidDeadline, error) {
	out := new(JobMarketplaceInvalidDeadline)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "InvalidDeadline", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceInvalidJobState represents a InvalidJobState error raised by the JobMarketplace contract.
type JobMarketplaceInvalidJobState struct {
	JobId   *big.Int
	Current uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidJobState(uint256 jobId, uint8 current)
func JobMarketplaceInvalidJobStateErrorID() common.Hash {
	return common.HexToHash("0xdc1b05f4f69d112df023505150c75f379b4a5cbe0e4947311c4e1a8ba22e8d3c")
}

// UnpackInvalidJobStateError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidJobState(uint256 jobId, uint8 current)
func (jobMarketplace *JobMarketplace) UnpackInvalidJobStateError(raw []byte) (*JobMarketplaceInvalidJobState, error) {
	out := new(JobMarketplaceInvalidJobState)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "InvalidJobState", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceInvalidMatcherSignature represents a InvalidMatcherSignature error raised by the JobMarketplace contract.
type JobMarketplaceInvalidMatcherSignature struct {
	Recovered common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidMatcherSignature(address recovered)
func JobMarketplaceInvalidMatcherSignatureErrorID() common.Hash {
	return common.HexToHash("0xbc43562f7e9b91b779b4ba0f50464f9e927216fa78202f05d67a2b5335f137fb")
}

// UnpackInvalidMatcherSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidMatcherSignature(address recovered)
func (jobMarketplace *JobMarketplace) UnpackInvalidMatcherSignatureError(raw []byte) (*JobMarketplaceInvalidMatcherSignature, error) {
	out := new(JobMarketplaceInvalidMatcherSignature)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "InvalidMatcherSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceInvalidOrderSignature represents a InvalidOrderSignature error raised by the JobMarketplace contract.
type JobMarketplaceInvalidOrderSignature struct {
	Client common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidOrderSignature(address client)
func JobMarketplaceInvalidOrderSignatureErrorID() common.Hash {
	return common.HexToHash("0xb421f6f507da19f8148d0d5caabd238672c1baacdc3cde19a9bb386591617f16")
}

// UnpackInvalidOrderSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidOrderSignature(address client)
func (jobMarketplace *JobMarketplace) UnpackInvalidOrderSignatureError(raw []byte) (*JobMarketplaceInvalidOrderSignature, error) {
	out := new(JobMarketplaceInvalidOrderSignature)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "InvalidOrderSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceInvalidShortString represents a InvalidShortString error raised by the JobMarketplace contract.
type JobMarketplaceInvalidShortString struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidShortString()
func JobMarketplaceInvalidShortStringErrorID() common.Hash {
	return common.HexToHash("0xb3512b0c6163e5f0bafab72bb631b9d58cd7a731b082f910338aa21c83d5c274")
}

// UnpackInvalidShortStringError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidShortString()
func (jobMarketplace *JobMarketplace) UnpackInvalidShortStringError(raw []byte) (*JobMarketplaceInvalidShortString, error) {
	out := new(JobMarketplaceInvalidShortString)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "InvalidShortString", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceJobMismatch represents a JobMismatch error raised by the JobMarketplace contract.
type JobMarketplaceJobMismatch struct {
	JobId  *big.Int
	Stored [32]byte
	Passed [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error JobMismatch(uint256 jobId, bytes32 stored, bytes32 passed)
func JobMarketplaceJobMismatchErrorID() common.Hash {
	return common.HexToHash("0x0f029ba02c742330ea5b50b8693999b4efb3598290e3d20cc5193d04fc09134b")
}

// UnpackJobMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error JobMismatch(uint256 jobId, bytes32 stored, bytes32 passed)
func (jobMarketplace *JobMarketplace) UnpackJobMismatchError(raw []byte) (*JobMarketplaceJobMismatch, error) {
	out := new(JobMarketplaceJobMismatch)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "JobMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceMarketIsPaused represents a MarketIsPaused error raised by the JobMarketplace contract.
type JobMarketplaceMarketIsPaused struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error MarketIsPaused()
func JobMarketplaceMarketIsPausedErrorID() common.Hash {
	return common.HexToHash("0x741df9390328813222182d58de01dcf49305d36246188f825bd976eb44ad30af")
}

// UnpackMarketIsPausedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error MarketIsPaused()
func (jobMarketplace *JobMarketplace) UnpackMarketIsPausedError(raw []byte) (*JobMarketplaceMarketIsPaused, error) {
	out := new(JobMarketplaceMarketIsPaused)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "MarketIsPaused", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceMarketNotPaused represents a MarketNotPaused error raised by the JobMarketplace contract.
type JobMarketplaceMarketNotPaused struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error MarketNotPaused()
func JobMarketplaceMarketNotPausedErrorID() common.Hash {
	return common.HexToHash("0xc801150eb80f8c66e0f76f613e84a13f90a1e626a422e91eadff33eab76469c9")
}

// UnpackMarketNotPausedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error MarketNotPaused()
func (jobMarketplace *JobMarketplace) UnpackMarketNotPausedError(raw []byte) (*JobMarketplaceMarketNotPaused, error) {
	out := new(JobMarketplaceMarketNotPaused)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "MarketNotPaused", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceNoPreferredProvider represents a NoPreferredProvider error raised by the JobMarketplace contract.
type JobMarketplaceNoPreferredProvider struct {
	JobId *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoPreferredProvider(uint256 jobId)
func JobMarketplaceNoPreferredProviderErrorID() common.Hash {
	return common.HexToHash("0x666ff17e57dc5ebbbe23901a96df9b1337a1c847ee418ca57b0c713a20a2d33c")
}

// UnpackNoPreferredProviderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoPreferredProvider(uint256 jobId)
func (jobMarketplace *JobMarketplace) UnpackNoPreferredProviderError(raw []byte) (*JobMarketplaceNoPreferredProvider, error) {
	out := new(JobMarketplaceNoPreferredProvider)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "NoPreferredProvider", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceNonceAlreadyUsed represents a NonceAlreadyUsed error raised by the JobMarketplace contract.
type JobMarketplaceNonceAlreadyUsed struct {
	Client common.Address
	Nonce  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NonceAlreadyUsed(address client, uint256 nonce)
func JobMarketplaceNonceAlreadyUsedErrorID() common.Hash {
	return common.HexToHash("0xe90aded4c9591550d967c43fa1aa084b7c54233fc935ae093a53dd8e96de6f90")
}

// UnpackNonceAlreadyUsedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NonceAlreadyUsed(address client, uint256 nonce)
func (jobMarketplace *JobMarketplace) UnpackNonceAlreadyUsedError(raw []byte) (*JobMarketplaceNonceAlreadyUsed, error) {
	out := new(JobMarketplaceNonceAlreadyUsed)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "NonceAlreadyUsed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceNotClient represents a NotClient error raised by the JobMarketplace contract.
type JobMarketplaceNotClient struct {
	JobId  *big.Int
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotClient(uint256 jobId, address caller)
func JobMarketplaceNotClientErrorID() common.Hash {
	return common.HexToHash("0xf8ebe6313f6b88d8e169a11d3237a4c73e03568aeb326318340438847897a10e")
}

// UnpackNotClientError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotClient(uint256 jobId, address caller)
func (jobMarketplace *JobMarketplace) UnpackNotClientError(raw []byte) (*JobMarketplaceNotClient, error) {
	out := new(JobMarketplaceNotClient)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "NotClient", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceNotPreferredProvider represents a NotPreferredProvider error raised by the JobMarketplace contract.
type JobMarketplaceNotPreferredProvider struct {
	JobId     *big.Int
	Preferred common.Address
	Provider  common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotPreferredProvider(uint256 jobId, address preferred, address provider)
func JobMarketplaceNotPreferredProviderErrorID() common.Hash {
	return common.HexToHash("0xb0e6be3a9d714785bce327d76b26bdf66eecf2b4dcbc2dc93637b3dd3794ce53")
}

// UnpackNotPreferredProviderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotPreferredProvider(uint256 jobId, address preferred, address provider)
func (jobMarketplace *JobMarketplace) UnpackNotPreferredProviderError(raw []byte) (*JobMarketplaceNotPreferredProvider, error) {
	out := new(JobMarketplaceNotPreferredProvider)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "NotPreferredProvider", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceNotProviderSigner represents a NotProviderSigner error raised by the JobMarketplace contract.
type JobMarketplaceNotProviderSigner struct {
	Provider common.Address
	Caller   common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotProviderSigner(address provider, address caller)
func JobMarketplaceNotProviderSignerErrorID() common.Hash {
	return common.HexToHash("0xa6c93d28d8d5814e8c2c770af6df1893cae82dec21b259023a54d4f764eafe34")
}

// UnpackNotProviderSignerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotProviderSigner(address provider, address caller)
func (jobMarketplace *JobMarketplace) UnpackNotProviderSignerError(raw []byte) (*JobMarketplaceNotProviderSigner, error) {
	out := new(JobMarketplaceNotProviderSigner)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "NotProviderSigner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceNotRegistry represents a NotRegistry error raised by the JobMarketplace contract.
type JobMarketplaceNotRegistry struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotRegistry(address caller)
func JobMarketplaceNotRegistryErrorID() common.Hash {
	return common.HexToHash("0x631a294a41a730c8b83fc0d8fe9f45ed8336003d618d1d97b39459e4ec1deb78")
}

// UnpackNotRegistryError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotRegistry(address caller)
func (jobMarketplace *JobMarketplace) UnpackNotRegistryError(raw []byte) (*JobMarketplaceNotRegistry, error) {
	out := new(JobMarketplaceNotRegistry)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "NotRegistry", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceNothingToWithdraw represents a NothingToWithdraw error raised by the JobMarketplace contract.
type JobMarketplaceNothingToWithdraw struct {
	Account common.Address
	Token   common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingToWithdraw(address account, address token)
func JobMarketplaceNothingToWithdrawErrorID() common.Hash {
	return common.HexToHash("0xac46653ead99b15185913f0ead179a0b7ea62fb2fd50e49a3e26796b95a2ce9d")
}

// UnpackNothingToWithdrawError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingToWithdraw(address account, address token)
func (jobMarketplace *JobMarketplace) UnpackNothingToWithdrawError(raw []byte) (*JobMarketplaceNothingToWithdraw, error) {
	out := new(JobMarketplaceNothingToWithdraw)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "NothingToWithdraw", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceOrderExpired represents a OrderExpired error raised by the JobMarketplace contract.
type JobMarketplaceOrderExpired struct {
	Expiry  *big.Int
	NowTime *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OrderExpired(uint256 expiry, uint256 nowTime)
func JobMarketplaceOrderExpiredErrorID() common.Hash {
	return common.HexToHash("0x4b2d84db364a91e770868e6b301e0987c2210f5bf1b235bc37f0ef66abb7f3e2")
}

// UnpackOrderExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OrderExpired(uint256 expiry, uint256 nowTime)
func (jobMarketplace *JobMarketplace) UnpackOrderExpiredError(raw []byte) (*JobMarketplaceOrderExpired, error) {
	out := new(JobMarketplaceOrderExpired)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "OrderExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplacePriceExceedsMax represents a PriceExceedsMax error raised by the JobMarketplace contract.
type JobMarketplacePriceExceedsMax struct {
	Price      *big.Int
	MaxPayment *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PriceExceedsMax(uint256 price, uint256 maxPayment)
func JobMarketplacePriceExceedsMaxErrorID() common.Hash {
	return common.HexToHash("0x5c57776949fdb6f60930ea69e363cf83fc1ffd13ffd851f77cb3f7528ecbb8e8")
}

// UnpackPriceExceedsMaxError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PriceExceedsMax(uint256 price, uint256 maxPayment)
func (jobMarketplace *JobMarketplace) UnpackPriceExceedsMaxError(raw []byte) (*JobMarketplacePriceExceedsMax, error) {
	out := new(JobMarketplacePriceExceedsMax)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "PriceExceedsMax", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceProviderAmountExceedsDue represents a ProviderAmountExceedsDue error raised by the JobMarketplace contract.
type JobMarketplaceProviderAmountExceedsDue struct {
	ProviderAmount *big.Int
	AmountDue      *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ProviderAmountExceedsDue(uint256 providerAmount, uint256 amountDue)
func JobMarketplaceProviderAmountExceedsDueErrorID() common.Hash {
	return common.HexToHash("0x9de1de54d67bed9f2ed6b9c82374025a35efbb05955353495e4dba1f345e8948")
}

// UnpackProviderAmountExceedsDueError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ProviderAmountExceedsDue(uint256 providerAmount, uint256 amountDue)
func (jobMarketplace *JobMarketplace) UnpackProviderAmountExceedsDueError(raw []byte) (*JobMarketplaceProviderAmountExceedsDue, error) {
	out := new(JobMarketplaceProviderAmountExceedsDue)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "ProviderAmountExceedsDue", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceReentrancyGuardReentrantCall represents a ReentrancyGuardReentrantCall error raised by the JobMarketplace contract.
type JobMarketplaceReentrancyGuardReentrantCall struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ReentrancyGuardReentrantCall()
func JobMarketplaceReentrancyGuardReentrantCallErrorID() common.Hash {
	return common.HexToHash("0x3ee5aeb571de7fc460830b4d0017439a1ca56fb0bc39062227ade4fe4a24c1ca")
}

// UnpackReentrancyGuardReentrantCallError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ReentrancyGuardReentrantCall()
func (jobMarketplace *JobMarketplace) UnpackReentrancyGuardReentrantCallError(raw []byte) (*JobMarketplaceReentrancyGuardReentrantCall, error) {
	out := new(JobMarketplaceReentrancyGuardReentrantCall)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "ReentrancyGuardReentrantCall", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceSafeCastOverflowedUintDowncast represents a SafeCastOverflowedUintDowncast error raised by the JobMarketplace contract.
type JobMarketplaceSafeCastOverflowedUintDowncast struct {
	Bits  uint8
	Value *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value)
func JobMarketplaceSafeCastOverflowedUintDowncastErrorID() common.Hash {
	return common.HexToHash("0x6dfcc6503a32754ce7a89698e18201fc5294fd4aad43edefee786f88423b1a12")
}

// UnpackSafeCastOverflowedUintDowncastError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value)
func (jobMarketplace *JobMarketplace) UnpackSafeCastOverflowedUintDowncastError(raw []byte) (*JobMarketplaceSafeCastOverflowedUintDowncast, error) {
	out := new(JobMarketplaceSafeCastOverflowedUintDowncast)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "SafeCastOverflowedUintDowncast", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceSafeERC20FailedOperation represents a SafeERC20FailedOperation error raised by the JobMarketplace contract.
type JobMarketplaceSafeERC20FailedOperation struct {
	Token common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SafeERC20FailedOperation(address token)
func JobMarketplaceSafeERC20FailedOperationErrorID() common.Hash {
	return common.HexToHash("0x5274afe73c98b4749fc91ffae6b7b574e7842cb2144a159e9377a5f20b32edf9")
}

// UnpackSafeERC20FailedOperationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SafeERC20FailedOperation(address token)
func (jobMarketplace *JobMarketplace) UnpackSafeERC20FailedOperationError(raw []byte) (*JobMarketplaceSafeERC20FailedOperation, error) {
	out := new(JobMarketplaceSafeERC20FailedOperation)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "SafeERC20FailedOperation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceSlashExceedsReservation represents a SlashExceedsReservation error raised by the JobMarketplace contract.
type JobMarketplaceSlashExceedsReservation struct {
	JobId         *big.Int
	SlashAmount   *big.Int
	ReservedStake *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SlashExceedsReservation(uint256 jobId, uint256 slashAmount, uint256 reservedStake)
func JobMarketplaceSlashExceedsReservationErrorID() common.Hash {
	return common.HexToHash("0x9f26d116efc462d476608ae4d35a76e3dd597fb3a191e5cb1baa11dde8b1459a")
}

// UnpackSlashExceedsReservationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SlashExceedsReservation(uint256 jobId, uint256 slashAmount, uint256 reservedStake)
func (jobMarketplace *JobMarketplace) UnpackSlashExceedsReservationError(raw []byte) (*JobMarketplaceSlashExceedsReservation, error) {
	out := new(JobMarketplaceSlashExceedsReservation)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "SlashExceedsReservation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceStringTooLong represents a StringTooLong error raised by the JobMarketplace contract.
type JobMarketplaceStringTooLong struct {
	Str string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StringTooLong(string str)
func JobMarketplaceStringTooLongErrorID() common.Hash {
	return common.HexToHash("0x305a27a93f8e33b7392df0a0f91d6fc63847395853c45991eec52dbf24d72381")
}

// UnpackStringTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StringTooLong(string str)
func (jobMarketplace *JobMarketplace) UnpackStringTooLongError(raw []byte) (*JobMarketplaceStringTooLong, error) {
	out := new(JobMarketplaceStringTooLong)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "StringTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceTokenNotAllowed represents a TokenNotAllowed error raised by the JobMarketplace contract.
type JobMarketplaceTokenNotAllowed struct {
	Token common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TokenNotAllowed(address token)
func JobMarketplaceTokenNotAllowedErrorID() common.Hash {
	return common.HexToHash("0x94403b7099477045d56a4ad621224a9a16fcb7e4b0d02e508215a9bf747a12d4")
}

// UnpackTokenNotAllowedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TokenNotAllowed(address token)
func (jobMarketplace *JobMarketplace) UnpackTokenNotAllowedError(raw []byte) (*JobMarketplaceTokenNotAllowed, error) {
	out := new(JobMarketplaceTokenNotAllowed)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "TokenNotAllowed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceZeroAddress represents a ZeroAddress error raised by the JobMarketplace contract.
type JobMarketplaceZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func JobMarketplaceZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (jobMarketplace *JobMarketplace) UnpackZeroAddressError(raw []byte) (*JobMarketplaceZeroAddress, error) {
	out := new(JobMarketplaceZeroAddress)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// JobMarketplaceZeroPayment represents a ZeroPayment error raised by the JobMarketplace contract.
type JobMarketplaceZeroPayment struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroPayment()
func JobMarketplaceZeroPaymentErrorID() common.Hash {
	return common.HexToHash("0x8f28ea88289d507b5c3f245d8774e5efa92b2028835ba21897ad020f12f5a97d")
}

// UnpackZeroPaymentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroPayment()
func (jobMarketplace *JobMarketplace) UnpackZeroPaymentError(raw []byte) (*JobMarketplaceZeroPayment, error) {
	out := new(JobMarketplaceZeroPayment)
	if err := jobMarketplace.abi.UnpackIntoInterface(out, "ZeroPayment", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// NoReturnTokenMetaData contains all meta data concerning the NoReturnToken contract.
var NoReturnTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"}]",
	ID:  "ee83e03ebaaf5af7d00e7c1fea542d6cfe",
	Bin: "0x6080604052348015600e575f5ffd5b5061072c8061001c5f395ff3fe608060405234801561000f575f5ffd5b50600436106100b9575f3560e01c806340c10f191161007257806395d89b411161005857806395d89b4114610199578063a9059cbb146101d5578063dd62ed3e146101e8575f5ffd5b806340c10f191461016757806370a082311461017a575f5ffd5b806318160ddd116100a257806318160ddd1461012457806323b872dd1461013a578063313ce5671461014d575f5ffd5b806306fdde03146100bd578063095ea7b31461010f575b5f5ffd5b6100f96040518060400160405280600981526020017f4e6f2052657475726e000000000000000000000000000000000000000000000081525081565b60405161010691906105a5565b60405180910390f35b61012261011d366004610620565b610212565b005b61012c5f5481565b604051908152602001610106565b610122610148366004610648565b61027e565b610155600681565b60405160ff9091168152602001610106565b610122610175366004610620565b610390565b61012c610188366004610682565b60016020525f908152604090205481565b6100f96040518060400160405280600381526020017f4e5254000000000000000000000000000000000000000000000000000000000081525081565b6101226101e3366004610620565b610428565b61012c6101f63660046106a2565b600260209081525f928352604080842090915290825290205481565b335f81815260026020908152604080832073ffffffffffffffffffffffffffffffffffffffff871680855290835292819020859055518481529192917f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b92591015b60405180910390a35050565b73ffffffffffffffffffffffffffffffffffffffff83165f9081526002602090815260408083203384529091529020548181101561031d576040517f08c379a000000000000000000000000000000000000000000000000000000000815260206004820152600960248201527f616c6c6f77616e6365000000000000000000000000000000000000000000000060448201526064015b60405180910390fd5b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff811461037f5761034e8282610700565b73ffffffffffffffffffffffffffffffffffffffff85165f9081526002602090815260408083203384529091529020555b61038a848484610437565b50505050565b805f5f8282546103a09190610719565b909155505073ffffffffffffffffffffffffffffffffffffffff82165f90815260016020526040812080548392906103d9908490610719565b909155505060405181815273ffffffffffffffffffffffffffffffffffffffff8316905f907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef90602001610272565b610433338383610437565b5050565b73ffffffffffffffffffffffffffffffffffffffff83165f908152600160205260409020548111156104c5576040517f08c379a000000000000000000000000000000000000000000000000000000000815260206004820152600760248201527f62616c616e6365000000000000000000000000000000000000000000000000006044820152606401610314565b73ffffffffffffffffffffffffffffffffffffffff83165f90815260016020526040812080548392906104f9908490610700565b909155505073ffffffffffffffffffffffffffffffffffffffff82165f9081526001602052604081208054839290610532908490610719565b925050819055508173ffffffffffffffffffffffffffffffffffffffff168373ffffffffffffffffffffffffffffffffffffffff167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef8360405161059891815260200190565b60405180910390a3505050565b602081525f82518060208401528060208501604085015e5f6040828501015260407fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f83011684010191505092915050565b803573ffffffffffffffffffffffffffffffffffffffff8116811461061b575f5ffd5b919050565b5f5f60408385031215610631575f5ffd5b61063a836105f8565b946020939093013593505050565b5f5f5f6060848603121561065a575f5ffd5b610663846105f8565b9250610671602085016105f8565b929592945050506040919091013590565b5f60208284031215610692575f5ffd5b61069b826105f8565b9392505050565b5f5f604083850312156106b3575f5ffd5b6106bc836105f8565b91506106ca602084016105f8565b90509250929050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b81810381811115610713576107136106d3565b92915050565b80820180821115610713576107136106d356",
}

// NoReturnToken is an auto generated Go binding around an Ethereum contract.
type NoReturnToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *NoReturnToken) GetABI() abi.ABI {
	return c.abi
}

// NewNoReturnToken creates a new instance of NoReturnToken.
func NewNoReturnToken() *NoReturnToken {
	parsed, err := NoReturnTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &NoReturnToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *NoReturnToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (noReturnToken *NoReturnToken) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := noReturnToken.abi.Pack("allowance", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (noReturnToken *NoReturnToken) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return noReturnToken.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (noReturnToken *NoReturnToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := noReturnToken.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 amount) returns()
func (noReturnToken *NoReturnToken) PackApprove(spender common.Address, amount *big.Int) []byte {
	enc, err := noReturnToken.abi.Pack("approve", spender, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 amount) returns()
func (noReturnToken *NoReturnToken) TryPackApprove(spender common.Address, amount *big.Int) ([]byte, error) {
	return noReturnToken.abi.Pack("approve", spender, amount)
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (noReturnToken *NoReturnToken) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := noReturnToken.abi.Pack("balanceOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (noReturnToken *NoReturnToken) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return noReturnToken.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (noReturnToken *NoReturnToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := noReturnToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (noReturnToken *NoReturnToken) PackDecimals() []byte {
	enc, err := noReturnToken.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (noReturnToken *NoReturnToken) TryPackDecimals() ([]byte, error) {
	return noReturnToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (noReturnToken *NoReturnToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := noReturnToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (noReturnToken *NoReturnToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := noReturnToken.abi.Pack("mint", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (noReturnToken *NoReturnToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return noReturnToken.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (noReturnToken *NoReturnToken) PackName() []byte {
	enc, err := noReturnToken.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (noReturnToken *NoReturnToken) TryPackName() ([]byte, error) {
	return noReturnToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (noReturnToken *NoReturnToken) UnpackName(data []byte) (string, error) {
	out, err := noReturnToken.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (noReturnToken *NoReturnToken) PackSymbol() []byte {
	enc, err := noReturnToken.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (noReturnToken *NoReturnToken) TryPackSymbol() ([]byte, error) {
	return noReturnToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (noReturnToken *NoReturnToken) UnpackSymbol(data []byte) (string, error) {
	out, err := noReturnToken.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (noReturnToken *NoReturnToken) PackTotalSupply() []byte {
	enc, err := noReturnToken.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (noReturnToken *NoReturnToken) TryPackTotalSupply() ([]byte, error) {
	return noReturnToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (noReturnToken *NoReturnToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := noReturnToken.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 amount) returns()
func (noReturnToken *NoReturnToken) PackTransfer(to common.Address, amount *big.Int) []byte {
	enc, err := noReturnToken.abi.Pack("transfer", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 amount) returns()
func (noReturnToken *NoReturnToken) TryPackTransfer(to common.Address, amount *big.Int) ([]byte, error) {
	return noReturnToken.abi.Pack("transfer", to, amount)
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns()
func (noReturnToken *NoReturnToken) PackTransferFrom(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := noReturnToken.abi.Pack("transferFrom", from, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns()
func (noReturnToken *NoReturnToken) TryPackTransferFrom(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return noReturnToken.abi.Pack("transferFrom", from, to, amount)
}

// NoReturnTokenApproval represents a Approval event raised by the NoReturnToken contract.
type NoReturnTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const NoReturnTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (NoReturnTokenApproval) ContractEventName() string {
	return NoReturnTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (noReturnToken *NoReturnToken) UnpackApprovalEvent(log *types.Log) (*NoReturnTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != noReturnToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(NoReturnTokenApproval)
	if len(log.Data) > 0 {
		if err := noReturnToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range noReturnToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// NoReturnTokenTransfer represents a Transfer event raised by the NoReturnToken contract.
type NoReturnTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const NoReturnTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (NoReturnTokenTransfer) ContractEventName() string {
	return NoReturnTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (noReturnToken *NoReturnToken) UnpackTransferEvent(log *types.Log) (*NoReturnTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != noReturnToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(NoReturnTokenTransfer)
	if len(log.Data) > 0 {
		if err := noReturnToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range noReturnToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryMetaData contains all meta data concerning the ProviderRegistry contract.
var ProviderRegistryMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"marketplace_\",\"type\":\"address\"},{\"internalType\":\"contractIERC20\",\"name\":\"stakingToken_\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"minStake_\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"unbondingPeriod_\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"assignableSigner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"compensationOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"freeStakeOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"getProvider\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"internalType\":\"uint40\",\"name\":\"attestationExpiry\",\"type\":\"uint40\"},{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"},{\"internalType\":\"bool\",\"name\":\"registered\",\"type\":\"bool\"},{\"internalType\":\"bytes32\",\"name\":\"attestationHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint128\",\"name\":\"stake\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"reserved\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"unbonding\",\"type\":\"uint128\"},{\"internalType\":\"uint40\",\"name\":\"unbondingReadyAt\",\"type\":\"uint40\"},{\"internalType\":\"string\",\"name\":\"metadataURI\",\"type\":\"string\"}],\"internalType\":\"structIProviderRegistry.Provider\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"marketplace\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minStake\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"attestationHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint40\",\"name\":\"attestationExpiry\",\"type\":\"uint40\"},{\"internalType\":\"string\",\"name\":\"metadataURI\",\"type\":\"string\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"release\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"requestUnstake\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"reserve\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"}],\"name\":\"setActive\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"signerOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"reservation\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"beneficiary\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"}],\"name\":\"slash\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"slashed\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"stake\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"stakingToken\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unbondingPeriod\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"attestationHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint40\",\"name\":\"attestationExpiry\",\"type\":\"uint40\"},{\"internalType\":\"string\",\"name\":\"metadataURI\",\"type\":\"string\"}],\"name\":\"update\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdrawCompensation\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdrawStake\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"CompensationWithdrawn\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ProviderActivated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ProviderDeactivated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"attestationHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint40\",\"name\":\"attestationExpiry\",\"type\":\"uint40\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"metadataURI\",\"type\":\"string\"}],\"name\":\"ProviderRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"beneficiary\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"requested\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"slashed\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"released\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"reserved\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"unbonding\",\"type\":\"uint256\"}],\"name\":\"ProviderSlashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"attestationHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint40\",\"name\":\"attestationExpiry\",\"type\":\"uint40\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"metadataURI\",\"type\":\"string\"}],\"name\":\"ProviderUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"StakeWithdrawn\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"}],\"name\":\"Staked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"unbonding\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint40\",\"name\":\"readyAt\",\"type\":\"uint40\"}],\"name\":\"UnstakeRequested\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"AlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"freeStake\",\"type\":\"uint256\"}],\"name\":\"AmountExceedsFreeStake\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint40\",\"name\":\"expiry\",\"type\":\"uint40\"}],\"name\":\"AttestationExpired\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"freeStake\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"reservation\",\"type\":\"uint256\"}],\"name\":\"InsufficientFreeStake\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"minStake\",\"type\":\"uint256\"}],\"name\":\"InsufficientStake\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidConfig\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotMarketplace\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"NotRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NothingToWithdraw\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ProviderInactive\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"reserved\",\"type\":\"uint256\"}],\"name\":\"ReleaseExceedsReserved\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"bits\",\"type\":\"uint8\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"SafeCastOverflowedUintDowncast\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"SafeERC20FailedOperation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"reservation\",\"type\":\"uint256\"}],\"name\":\"SlashExceedsReservation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"}],\"name\":\"StatusUnchanged\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"expected\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"received\",\"type\":\"uint256\"}],\"name\":\"TransferAmountMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"unbonding\",\"type\":\"uint256\"},{\"internalType\":\"uint40\",\"name\":\"readyAt\",\"type\":\"uint40\"},{\"internalType\":\"uint256\",\"name\":\"nowTime\",\"type\":\"uint256\"}],\"name\":\"UnbondingNotReady\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroSigner\",\"type\":\"error\"}]",
	ID:  "8f07248bed80865f8b87fd7a7a5aa5c03a",
	Bin: "0x610100604052348015610010575f5ffd5b506040516125a63803806125a683398101604081905261002f916100c7565b6001600160a01b038416158061004c57506001600160a01b038316155b80610055575081155b8061005e575080155b8061006f57506001600160801b0382115b1561008d576040516306b7c75960e31b815260040160405180910390fd5b6001600160a01b039384166080529190921660a05260c09190915260e05261010c565b6001600160a01b03811681146100c4575f5ffd5b50565b5f5f5f5f608085870312156100da575f5ffd5b84516100e5816100b0565b60208601519094506100f6816100b0565b6040860151606090960151949790965092505050565b60805160a05160c05160e0516124136101935f395f818161028c015261090201525f81816101e801528181611c320152611ca301525f81816102b301528181610ff801528181611154015281816111ee0152818161125d015261156a01525f818161030801528181610396015281816104f901528181610bf701526115ea01526124135ff3fe608060405234801561000f575f5ffd5b5060043610610149575f3560e01c806372f702f3116100c7578063acec338a1161007d578063c4c7e63911610063578063c4c7e63914610345578063cc47a40b14610358578063f0bf35c61461036b575f5ffd5b8063acec338a1461032a578063bed9d8611461033d575f5ffd5b806387a15dc9116100ad57806387a15dc9146102e8578063a694fc3a146102f0578063abc8c7af14610303575f5ffd5b806372f702f3146102ae578063748b3118146102d5575f5ffd5b8063364604241161011c57806355f21eb71161010257806355f21eb71461020a5780635b5175d51461022a5780636cf6d67514610287575f5ffd5b806336460424146101d0578063375b3c0a146101e3575f5ffd5b80630357371d1461014d5780630cfee0ea146101625780632260e150146101aa57806323095721146101bd575b5f5ffd5b61016061015b366004611e8d565b61037e565b005b610197610170366004611eb5565b73ffffffffffffffffffffffffffffffffffffffff165f9081526001602052604090205490565b6040519081526020015b60405180910390f35b6101976101b8366004611ed5565b6104e0565b6101606101cb366004611f1f565b610809565b6101606101de366004611f36565b610a17565b6101977f000000000000000000000000000000000000000000000000000000000000000081565b61021d610218366004611eb5565b610c56565b6040516101a19190612022565b610262610238366004611eb5565b73ffffffffffffffffffffffffffffffffffffffff9081165f908152602081905260409020541690565b60405173ffffffffffffffffffffffffffffffffffffffff90911681526020016101a1565b6101977f000000000000000000000000000000000000000000000000000000000000000081565b6102627f000000000000000000000000000000000000000000000000000000000000000081565b6101606102e3366004611f36565b610e50565b610160610f40565b6101606102fe366004611f1f565b61102a565b6102627f000000000000000000000000000000000000000000000000000000000000000081565b610160610338366004612122565b611324565b610160611447565b610262610353366004611eb5565b61159c565b610262610366366004611e8d565b6115d1565b610197610379366004611eb5565b611749565b3373ffffffffffffffffffffffffffffffffffffffff7f000000000000000000000000000000000000000000000000000000000000000016146103f4576040517fed2cb5a80000000000000000000000000000000000000000000000000000000081523360048201526024015b60405180910390fd5b73ffffffffffffffffffffffffffffffffffffffff82165f908152602081905260409020600281015470010000000000000000000000000000000090046fffffffffffffffffffffffffffffffff16808311156104a3576040517f2a96f38400000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8516600482015260248101849052604481018290526064016103eb565b60029190910180546fffffffffffffffffffffffffffffffff90811670010000000000000000000000000000000094909303169290920217905550565b5f3373ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001614610552576040517fed2cb5a80000000000000000000000000000000000000000000000000000000081523360048201526024016103eb565b84841115610596576040517ff821d6fd00000000000000000000000000000000000000000000000000000000815260048101859052602481018690526044016103eb565b73ffffffffffffffffffffffffffffffffffffffff86165f908152602081905260409020600281015470010000000000000000000000000000000090046fffffffffffffffffffffffffffffffff1680871115610645576040517f2a96f38400000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8916600482015260248101889052604481018290526064016103eb565b6002820154600383015491889003916fffffffffffffffffffffffffffffffff918216911681881015610676578791505b81880381811015610685578091505b6002850180546fffffffffffffffffffffffffffffffff80871670010000000000000000000000000000000002911617905582820195505f8690036106d1575f95505050505050610800565b506002840180547fffffffffffffffffffffffffffffffff000000000000000000000000000000008082166fffffffffffffffffffffffffffffffff92831686900383161790925560038601805492831692821684900390911691909117905573ffffffffffffffffffffffffffffffffffffffff87165f908152600160205260408120805487929061076590849061216e565b909155505060028401546003850154604080518b8152602081018990529081018c90526fffffffffffffffffffffffffffffffff928316606082015260808101869052911660a0820152869073ffffffffffffffffffffffffffffffffffffffff808a1691908d16907fcddf0345b78d3e873f4f2b7870540a33d8b01fc900ccde0d5431dc265ff75c6e9060c00160405180910390a4505050505b95945050505050565b335f90815260208190526040812090829003610851576040517f1f2a200500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60028101546fffffffffffffffffffffffffffffffff808216917001000000000000000000000000000000009004168103808411156108c6576040517fea9811e000000000000000000000000000000000000000000000000000000000815260048101859052602481018290526044016103eb565b6003830154848303905f906108f7906108f29088906fffffffffffffffffffffffffffffffff1661216e565b6117bd565b90505f61092c6109277f00000000000000000000000000000000000000000000000000000000000000004261216e565b611816565b6002870180546fffffffffffffffffffffffffffffffff8681167fffffffffffffffffffffffffffffffff00000000000000000000000000000000909216821790925560038901805464ffffffffff851670010000000000000000000000000000000081027fffffffffffffffffffffff00000000000000000000000000000000000000000090921694881694851791909117909155604080518c81526020810193909352828101939093526060820152905191925033917f2437c77ba5f0b5df49a183c441b10bf90545db6328771876e9895c62e2262b2c9181900360800190a250505050505050565b335f90815260208190526040902080547a010000000000000000000000000000000000000000000000000000900460ff1615610a81576040517f45ed80e90000000000000000000000000000000000000000000000000000000081523360048201526024016103eb565b610a8b8685611860565b805473ffffffffffffffffffffffffffffffffffffffff87167fffffffffffffff00000000000000000000000000000000000000000000000000909116177401000000000000000000000000000000000000000064ffffffffff861602177fffffffffff0000ffffffffffffffffffffffffffffffffffffffffffffffffff167a0101000000000000000000000000000000000000000000000000001781556001810185905560048101610b4083858361224a565b508573ffffffffffffffffffffffffffffffffffffffff163373ffffffffffffffffffffffffffffffffffffffff167ff1c8ec00b78a00db4a33425a385dcd49e9d87ae838e8e68da47eb844ccd2ec5987878787604051610ba49493929190612360565b60405180910390a36040517f0a2bcc4d00000000000000000000000000000000000000000000000000000000815233600482015273ffffffffffffffffffffffffffffffffffffffff87811660248301527f00000000000000000000000000000000000000000000000000000000000000001690630a2bcc4d906044015f604051808303815f87803b158015610c38575f5ffd5b505af1158015610c4a573d5f5f3e3d5ffd5b50505050505050505050565b60408051610140810182525f8082526020820181905291810182905260608082018390526080820183905260a0820183905260c0820183905260e0820183905261010082019290925261012081019190915273ffffffffffffffffffffffffffffffffffffffff8083165f90815260208181526040918290208251610140810184528154948516815264ffffffffff74010000000000000000000000000000000000000000860481169382019390935260ff790100000000000000000000000000000000000000000000000000860481161515948201949094527a010000000000000000000000000000000000000000000000000000909404909216151560608401526001820154608084015260028201546fffffffffffffffffffffffffffffffff80821660a086015270010000000000000000000000000000000091829004811660c0860152600384015490811660e0860152041661010083015260048101805461012084019190610dc9906121ae565b80601f0160208091040260200160405190810160405280929190818152602001828054610df5906121ae565b8015610e405780601f10610e1757610100808354040283529160200191610e40565b820191905f5260205f20905b815481529060010190602001808311610e2357829003601f168201915b5050505050815250509050919050565b5f610e5a336118fc565b9050610e668685611860565b805464ffffffffff851674010000000000000000000000000000000000000000027fffffffffffffff0000000000000000000000000000000000000000000000000090911673ffffffffffffffffffffffffffffffffffffffff8816171781556001810185905560048101610edc83858361224a565b508573ffffffffffffffffffffffffffffffffffffffff163373ffffffffffffffffffffffffffffffffffffffff167fe5ac921f4ad68a38a51fc1ce2c5686f202e83fd38cb1b1fbe55227a2e00f67eb87878787604051610ba49493929190612360565b610f48611996565b335f9081526001602052604081205490819003610f93576040517fdc69dc160000000000000000000000000000000000000000000000000000000081523360048201526024016103eb565b335f8181526001602052604080822091909155517f1480b15e3eab83a9b923578ffe330e3dce94536007ec9c0b48a5dfbde8c4918190610fd69084815260200190565b60405180910390a261101f73ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001633836119cb565b50611028611a2b565b565b611032611996565b5f61103c336118fc565b9050815f03611077576040517f1f2a200500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60028101545f9061109b9084906fffffffffffffffffffffffffffffffff1661216e565b90506110a6816117bd565b6002830180547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff92909216919091179055604080518481526020810183905233917f1449c6dd7851abc30abf37f57715f492010519147cc2652fbc38202c18a6ee90910160405180910390a26040517f70a082310000000000000000000000000000000000000000000000000000000081523060048201525f907f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff16906370a0823190602401602060405180830381865afa1580156111ae573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906111d291906123c1565b905061121673ffffffffffffffffffffffffffffffffffffffff7f000000000000000000000000000000000000000000000000000000000000000016333087611a55565b6040517f70a082310000000000000000000000000000000000000000000000000000000081523060048201525f90829073ffffffffffffffffffffffffffffffffffffffff7f000000000000000000000000000000000000000000000000000000000000000016906370a0823190602401602060405180830381865afa1580156112a2573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906112c691906123c1565b6112d091906123d8565b9050848114611315576040517fb6a9b65400000000000000000000000000000000000000000000000000000000815260048101869052602481018290526044016103eb565b50505050611321611a2b565b50565b5f61132e336118fc565b805490915082151579010000000000000000000000000000000000000000000000000090910460ff1615150361139a576040517fd00b89f900000000000000000000000000000000000000000000000000000000815233600482015282151560248201526044016103eb565b805482158015790100000000000000000000000000000000000000000000000000027fffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffffff9092169190911782556114185760405133907f041c361ee92dc6322884b60c17afe924c24bc3009747eb37ea56d12d87b197d4905f90a25050565b60405133907f3584a4db7306d80246748a1c4bc6188505b8053684afee0c79670dade4db205c905f90a25b5050565b61144f611996565b335f90815260208190526040902060038101546fffffffffffffffffffffffffffffffff811690700100000000000000000000000000000000900464ffffffffff168115806114a457508064ffffffffff1642105b156114f1576040517fe9e71a210000000000000000000000000000000000000000000000000000000081526004810183905264ffffffffff821660248201524260448201526064016103eb565b6003830180547fffffffffffffffffffffff00000000000000000000000000000000000000000016905560405182815233907f8108595eb6bad3acefa9da467d90cc2217686d5c5ac85460f8b7849c840645fc9060200160405180910390a261159173ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001633846119cb565b505050611028611a2b565b73ffffffffffffffffffffffffffffffffffffffff81165f9081526020819052604081206115cb908390611ab7565b92915050565b5f3373ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001614611643576040517fed2cb5a80000000000000000000000000000000000000000000000000000000081523360048201526024016103eb565b73ffffffffffffffffffffffffffffffffffffffff83165f9081526020819052604090206116718482611ab7565b60028201549092506fffffffffffffffffffffffffffffffff8082169170010000000000000000000000000000000090041680820380861115611706576040517f738cfa4500000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8816600482015260248101829052604481018790526064016103eb565b50600290920180546fffffffffffffffffffffffffffffffff93909501831670010000000000000000000000000000000002929094169190911790925592915050565b73ffffffffffffffffffffffffffffffffffffffff81165f90815260208190526040812060028101546117a4906fffffffffffffffffffffffffffffffff7001000000000000000000000000000000008204811691166123eb565b6fffffffffffffffffffffffffffffffff169392505050565b5f6fffffffffffffffffffffffffffffffff821115611812576040517f6dfcc65000000000000000000000000000000000000000000000000000000000815260806004820152602481018390526044016103eb565b5090565b5f64ffffffffff821115611812576040517f6dfcc65000000000000000000000000000000000000000000000000000000000815260286004820152602481018390526044016103eb565b73ffffffffffffffffffffffffffffffffffffffff82166118ad576040517fe5c48ac500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b428164ffffffffff1611611443576040517fe8e3964b00000000000000000000000000000000000000000000000000000000815233600482015264ffffffffff821660248201526044016103eb565b73ffffffffffffffffffffffffffffffffffffffff81165f90815260208190526040902080547a010000000000000000000000000000000000000000000000000000900460ff16611991576040517fbfc6c33700000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff831660048201526024016103eb565b919050565b61199e611cef565b61102860017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005b90611d48565b6119d88383836001611d4f565b611a26576040517f5274afe700000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff841660048201526024016103eb565b505050565b6110285f7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f006119c5565b611a63848484846001611dd7565b611ab1576040517f5274afe700000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff851660048201526024016103eb565b50505050565b80545f907a010000000000000000000000000000000000000000000000000000900460ff16611b2a576040517fbfc6c33700000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff841660048201526024016103eb565b8154790100000000000000000000000000000000000000000000000000900460ff16611b9a576040517f44638ed300000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff841660048201526024016103eb565b815474010000000000000000000000000000000000000000900464ffffffffff16428111611c19576040517fe8e3964b00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8516600482015264ffffffffff821660248201526044016103eb565b60028301546fffffffffffffffffffffffffffffffff167f0000000000000000000000000000000000000000000000000000000000000000811015611ccf576040517f936d426d00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff86166004820152602481018290527f000000000000000000000000000000000000000000000000000000000000000060448201526064016103eb565b5050905473ffffffffffffffffffffffffffffffffffffffff1692915050565b7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005c15611028576040517f3ee5aeb500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b80825d5050565b6040517fa9059cbb000000000000000000000000000000000000000000000000000000005f81815273ffffffffffffffffffffffffffffffffffffffff8616600452602485905291602083604481808b5af1925060015f51148316611dcb578383151615611dbf573d5f823e3d81fd5b5f873b113d1516831692505b60405250949350505050565b6040517f23b872dd000000000000000000000000000000000000000000000000000000005f81815273ffffffffffffffffffffffffffffffffffffffff8781166004528616602452604485905291602083606481808c5af1925060015f51148316611e59578383151615611e4d573d5f823e3d81fd5b5f883b113d1516831692505b604052505f60605295945050505050565b803573ffffffffffffffffffffffffffffffffffffffff81168114611991575f5ffd5b5f5f60408385031215611e9e575f5ffd5b611ea783611e6a565b946020939093013593505050565b5f60208284031215611ec5575f5ffd5b611ece82611e6a565b9392505050565b5f5f5f5f5f60a08688031215611ee9575f5ffd5b611ef286611e6a565b94506020860135935060408601359250611f0e60608701611e6a565b949793965091946080013592915050565b5f60208284031215611f2f575f5ffd5b5035919050565b5f5f5f5f5f60808688031215611f4a575f5ffd5b611f5386611e6a565b945060208601359350604086013564ffffffffff81168114611f73575f5ffd5b9250606086013567ffffffffffffffff811115611f8e575f5ffd5b8601601f81018813611f9e575f5ffd5b803567ffffffffffffffff811115611fb4575f5ffd5b886020828401011115611fc5575f5ffd5b959894975092955050506020019190565b5f81518084528060208401602086015e5f6020828601015260207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f83011685010191505092915050565b6020815261204960208201835173ffffffffffffffffffffffffffffffffffffffff169052565b5f6020830151612062604084018264ffffffffff169052565b5060408301518015156060840152506060830151801515608084015250608083015160a083015260a08301516120ac60c08401826fffffffffffffffffffffffffffffffff169052565b5060c08301516fffffffffffffffffffffffffffffffff811660e08401525060e08301516fffffffffffffffffffffffffffffffff81166101008401525061010083015164ffffffffff8116610120840152506101208301516101408084015261211a610160840182611fd6565b949350505050565b5f60208284031215612132575f5ffd5b81358015158114611ece575f5ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b808201808211156115cb576115cb612141565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b600181811c908216806121c257607f821691505b6020821081036121f9577f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd5b50919050565b601f821115611a2657805f5260205f20601f840160051c810160208510156122245750805b601f840160051c820191505b81811015612243575f8155600101612230565b5050505050565b67ffffffffffffffff83111561226257612262612181565b6122768361227083546121ae565b836121ff565b5f601f8411600181146122c6575f85156122905750838201355b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600387901b1c1916600186901b178355612243565b5f838152602081207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08716915b8281101561231357868501358255602094850194600190920191016122f3565b508682101561234e577fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff60f88860031b161c19848701351681555b505060018560011b0183555050505050565b84815264ffffffffff8416602082015260606040820152816060820152818360808301375f818301608090810191909152601f9092017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe01601019392505050565b5f602082840312156123d1575f5ffd5b5051919050565b818103818111156115cb576115cb612141565b6fffffffffffffffffffffffffffffffff82811682821603908111156115cb576115cb61214156",
}

// ProviderRegistry is an auto generated Go binding around an Ethereum contract.
type ProviderRegistry struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ProviderRegistry) GetABI() abi.ABI {
	return c.abi
}

// NewProviderRegistry creates a new instance of ProviderRegistry.
func NewProviderRegistry() *ProviderRegistry {
	parsed, err := ProviderRegistryMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ProviderRegistry{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ProviderRegistry) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address marketplace_, address stakingToken_, uint256 minStake_, uint256 unbondingPeriod_) returns()
func (providerRegistry *ProviderRegistry) PackConstructor(marketplace_ common.Address, stakingToken_ common.Address, minStake_ *big.Int, unbondingPeriod_ *big.Int) []byte {
	enc, err := providerRegistry.abi.Pack("", marketplace_, stakingToken_, minStake_, unbondingPeriod_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAssignableSigner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc4c7e639.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function assignableSigner(address provider) view returns(address signer)
func (providerRegistry *ProviderRegistry) PackAssignableSigner(provider common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("assignableSigner", provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAssignableSigner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc4c7e639.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function assignableSigner(address provider) view returns(address signer)
func (providerRegistry *ProviderRegistry) TryPackAssignableSigner(provider common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("assignableSigner", provider)
}

// UnpackAssignableSigner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc4c7e639.
//
// Solidity: function assignableSigner(address provider) view returns(address signer)
func (providerRegistry *ProviderRegistry) UnpackAssignableSigner(data []byte) (common.Address, error) {
	out, err := providerRegistry.abi.Unpack("assignableSigner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackCompensationOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0cfee0ea.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function compensationOf(address account) view returns(uint256)
func (providerRegistry *ProviderRegistry) PackCompensationOf(account common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("compensationOf", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCompensationOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0cfee0ea.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function compensationOf(address account) view returns(uint256)
func (providerRegistry *ProviderRegistry) TryPackCompensationOf(account common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("compensationOf", account)
}

// UnpackCompensationOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0cfee0ea.
//
// Solidity: function compensationOf(address account) view returns(uint256)
func (providerRegistry *ProviderRegistry) UnpackCompensationOf(data []byte) (*big.Int, error) {
	out, err := providerRegistry.abi.Unpack("compensationOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackFreeStakeOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf0bf35c6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function freeStakeOf(address provider) view returns(uint256)
func (providerRegistry *ProviderRegistry) PackFreeStakeOf(provider common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("freeStakeOf", provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFreeStakeOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf0bf35c6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function freeStakeOf(address provider) view returns(uint256)
func (providerRegistry *ProviderRegistry) TryPackFreeStakeOf(provider common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("freeStakeOf", provider)
}

// UnpackFreeStakeOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf0bf35c6.
//
// Solidity: function freeStakeOf(address provider) view returns(uint256)
func (providerRegistry *ProviderRegistry) UnpackFreeStakeOf(data []byte) (*big.Int, error) {
	out, err := providerRegistry.abi.Unpack("freeStakeOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetProvider is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x55f21eb7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getProvider(address provider) view returns((address,uint40,bool,bool,bytes32,uint128,uint128,uint128,uint40,string))
func (providerRegistry *ProviderRegistry) PackGetProvider(provider common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("getProvider", provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetProvider is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x55f21eb7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getProvider(address provider) view returns((address,uint40,bool,bool,bytes32,uint128,uint128,uint128,uint40,string))
func (providerRegistry *ProviderRegistry) TryPackGetProvider(provider common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("getProvider", provider)
}

// UnpackGetProvider is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x55f21eb7.
//
// Solidity: function getProvider(address provider) view returns((address,uint40,bool,bool,bytes32,uint128,uint128,uint128,uint40,string))
func (providerRegistry *ProviderRegistry) UnpackGetProvider(data []byte) (IProviderRegistryProvider, error) {
	out, err := providerRegistry.abi.Unpack("getProvider", data)
	if err != nil {
		return *new(IProviderRegistryProvider), err
	}
	out0 := *abi.ConvertType(out[0], new(IProviderRegistryProvider)).(*IProviderRegistryProvider)
	return out0, nil
}

// PackMarketplace is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xabc8c7af.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function marketplace() view returns(address)
func (providerRegistry *ProviderRegistry) PackMarketplace() []byte {
	enc, err := providerRegistry.abi.Pack("marketplace")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMarketplace is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xabc8c7af.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function marketplace() view returns(address)
func (providerRegistry *ProviderRegistry) TryPackMarketplace() ([]byte, error) {
	return providerRegistry.abi.Pack("marketplace")
}

// UnpackMarketplace is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xabc8c7af.
//
// Solidity: function marketplace() view returns(address)
func (providerRegistry *ProviderRegistry) UnpackMarketplace(data []byte) (common.Address, error) {
	out, err := providerRegistry.abi.Unpack("marketplace", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackMinStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x375b3c0a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function minStake() view returns(uint256)
func (providerRegistry *ProviderRegistry) PackMinStake() []byte {
	enc, err := providerRegistry.abi.Pack("minStake")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMinStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x375b3c0a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function minStake() view returns(uint256)
func (providerRegistry *ProviderRegistry) TryPackMinStake() ([]byte, error) {
	return providerRegistry.abi.Pack("minStake")
}

// UnpackMinStake is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x375b3c0a.
//
// Solidity: function minStake() view returns(uint256)
func (providerRegistry *ProviderRegistry) UnpackMinStake(data []byte) (*big.Int, error) {
	out, err := providerRegistry.abi.Unpack("minStake", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x36460424.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function register(address signer, bytes32 attestationHash, uint40 attestationExpiry, string metadataURI) returns()
func (providerRegistry *ProviderRegistry) PackRegister(signer common.Address, attestationHash [32]byte, attestationExpiry *big.Int, metadataURI string) []byte {
	enc, err := providerRegistry.abi.Pack("register", signer, attestationHash, attestationExpiry, metadataURI)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x36460424.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function register(address signer, bytes32 attestationHash, uint40 attestationExpiry, string metadataURI) returns()
func (providerRegistry *ProviderRegistry) TryPackRegister(signer common.Address, attestationHash [32]byte, attestationExpiry *big.Int, metadataURI string) ([]byte, error) {
	return providerRegistry.abi.Pack("register", signer, attestationHash, attestationExpiry, metadataURI)
}

// PackRelease is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0357371d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function release(address provider, uint256 amount) returns()
func (providerRegistry *ProviderRegistry) PackRelease(provider common.Address, amount *big.Int) []byte {
	enc, err := providerRegistry.abi.Pack("release", provider, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRelease is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0357371d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function release(address provider, uint256 amount) returns()
func (providerRegistry *ProviderRegistry) TryPackRelease(provider common.Address, amount *big.Int) ([]byte, error) {
	return providerRegistry.abi.Pack("release", provider, amount)
}

// PackRequestUnstake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23095721.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function requestUnstake(uint256 amount) returns()
func (providerRegistry *ProviderRegistry) PackRequestUnstake(amount *big.Int) []byte {
	enc, err := providerRegistry.abi.Pack("requestUnstake", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRequestUnstake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23095721.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function requestUnstake(uint256 amount) returns()
func (providerRegistry *ProviderRegistry) TryPackRequestUnstake(amount *big.Int) ([]byte, error) {
	return providerRegistry.abi.Pack("requestUnstake", amount)
}

// PackReserve is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc47a40b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reserve(address provider, uint256 amount) returns(address signer)
func (providerRegistry *ProviderRegistry) PackReserve(provider common.Address, amount *big.Int) []byte {
	enc, err := providerRegistry.abi.Pack("reserve", provider, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReserve is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc47a40b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reserve(address provider, uint256 amount) returns(address signer)
func (providerRegistry *ProviderRegistry) TryPackReserve(provider common.Address, amount *big.Int) ([]byte, error) {
	return providerRegistry.abi.Pack("reserve", provider, amount)
}

// UnpackReserve is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcc47a40b.
//
// Solidity: function reserve(address provider, uint256 amount) returns(address signer)
func (providerRegistry *ProviderRegistry) UnpackReserve(data []byte) (common.Address, error) {
	out, err := providerRegistry.abi.Unpack("reserve", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSetActive is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xacec338a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setActive(bool active) returns()
func (providerRegistry *ProviderRegistry) PackSetActive(active bool) []byte {
	enc, err := providerRegistry.abi.Pack("setActive", active)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetActive is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xacec338a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setActive(bool active) returns()
func (providerRegistry *ProviderRegistry) TryPackSetActive(active bool) ([]byte, error) {
	return providerRegistry.abi.Pack("setActive", active)
}

// PackSignerOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5b5175d5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function signerOf(address provider) view returns(address)
func (providerRegistry *ProviderRegistry) PackSignerOf(provider common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("signerOf", provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSignerOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5b5175d5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function signerOf(address provider) view returns(address)
func (providerRegistry *ProviderRegistry) TryPackSignerOf(provider common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("signerOf", provider)
}

// UnpackSignerOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5b5175d5.
//
// Solidity: function signerOf(address provider) view returns(address)
func (providerRegistry *ProviderRegistry) UnpackSignerOf(data []byte) (common.Address, error) {
	out, err := providerRegistry.abi.Unpack("signerOf", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSlash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2260e150.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function slash(address provider, uint256 reservation, uint256 amount, address beneficiary, uint256 jobId) returns(uint256 slashed)
func (providerRegistry *ProviderRegistry) PackSlash(provider common.Address, reservation *big.Int, amount *big.Int, beneficiary common.Address, jobId *big.Int) []byte {
	enc, err := providerRegistry.abi.Pack("slash", provider, reservation, amount, beneficiary, jobId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSlash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2260e150.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function slash(address provider, uint256 reservation, uint256 amount, address beneficiary, uint256 jobId) returns(uint256 slashed)
func (providerRegistry *ProviderRegistry) TryPackSlash(provider common.Address, reservation *big.Int, amount *big.Int, beneficiary common.Address, jobId *big.Int) ([]byte, error) {
	return providerRegistry.abi.Pack("slash", provider, reservation, amount, beneficiary, jobId)
}

// UnpackSlash is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2260e150.
//
// Solidity: function slash(address provider, uint256 reservation, uint256 amount, address beneficiary, uint256 jobId) returns(uint256 slashed)
func (providerRegistry *ProviderRegistry) UnpackSlash(data []byte) (*big.Int, error) {
	out, err := providerRegistry.abi.Unpack("slash", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa694fc3a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function stake(uint256 amount) returns()
func (providerRegistry *ProviderRegistry) PackStake(amount *big.Int) []byte {
	enc, err := providerRegistry.abi.Pack("stake", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa694fc3a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function stake(uint256 amount) returns()
func (providerRegistry *ProviderRegistry) TryPackStake(amount *big.Int) ([]byte, error) {
	return providerRegistry.abi.Pack("stake", amount)
}

// PackStakingToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x72f702f3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function stakingToken() view returns(address)
func (providerRegistry *ProviderRegistry) PackStakingToken() []byte {
	enc, err := providerRegistry.abi.Pack("stakingToken")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStakingToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x72f702f3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function stakingToken() view returns(address)
func (providerRegistry *ProviderRegistry) TryPackStakingToken() ([]byte, error) {
	return providerRegistry.abi.Pack("stakingToken")
}

// UnpackStakingToken is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x72f702f3.
//
// Solidity: function stakingToken() view returns(address)
func (providerRegistry *ProviderRegistry) UnpackStakingToken(data []byte) (common.Address, error) {
	out, err := providerRegistry.abi.Unpack("stakingToken", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackUnbondingPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6cf6d675.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unbondingPeriod() view returns(uint256)
func (providerRegistry *ProviderRegistry) PackUnbondingPeriod() []byte {
	enc, err := providerRegistry.abi.Pack("unbondingPeriod")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnbondingPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6cf6d675.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unbondingPeriod() view returns(uint256)
func (providerRegistry *ProviderRegistry) TryPackUnbondingPeriod() ([]byte, error) {
	return providerRegistry.abi.Pack("unbondingPeriod")
}

// UnpackUnbondingPeriod is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6cf6d675.
//
// Solidity: function unbondingPeriod() view returns(uint256)
func (providerRegistry *ProviderRegistry) UnpackUnbondingPeriod(data []byte) (*big.Int, error) {
	out, err := providerRegistry.abi.Unpack("unbondingPeriod", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackUpdate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x748b3118.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function update(address signer, bytes32 attestationHash, uint40 attestationExpiry, string metadataURI) returns()
func (providerRegistry *ProviderRegistry) PackUpdate(signer common.Address, attestationHash [32]byte, attestationExpiry *big.Int, metadataURI string) []byte {
	enc, err := providerRegistry.abi.Pack("update", signer, attestationHash, attestationExpiry, metadataURI)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x748b3118.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function update(address signer, bytes32 attestationHash, uint40 attestationExpiry, string metadataURI) returns()
func (providerRegistry *ProviderRegistry) TryPackUpdate(signer common.Address, attestationHash [32]byte, attestationExpiry *big.Int, metadataURI string) ([]byte, error) {
	return providerRegistry.abi.Pack("update", signer, attestationHash, attestationExpiry, metadataURI)
}

// PackWithdrawCompensation is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x87a15dc9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawCompensation() returns()
func (providerRegistry *ProviderRegistry) PackWithdrawCompensation() []byte {
	enc, err := providerRegistry.abi.Pack("withdrawCompensation")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawCompensation is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x87a15dc9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawCompensation() returns()
func (providerRegistry *ProviderRegistry) TryPackWithdrawCompensation() ([]byte, error) {
	return providerRegistry.abi.Pack("withdrawCompensation")
}

// PackWithdrawStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbed9d861.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawStake() returns()
func (providerRegistry *ProviderRegistry) PackWithdrawStake() []byte {
	enc, err := providerRegistry.abi.Pack("withdrawStake")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbed9d861.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawStake() returns()
func (providerRegistry *ProviderRegistry) TryPackWithdrawStake() ([]byte, error) {
	return providerRegistry.abi.Pack("withdrawStake")
}

// ProviderRegistryCompensationWithdrawn represents a CompensationWithdrawn event raised by the ProviderRegistry contract.
type ProviderRegistryCompensationWithdrawn struct {
	Account common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryCompensationWithdrawnEventName = "CompensationWithdrawn"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryCompensationWithdrawn) ContractEventName() string {
	return ProviderRegistryCompensationWithdrawnEventName
}

// UnpackCompensationWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event CompensationWithdrawn(address indexed account, uint256 amount)
func (providerRegistry *ProviderRegistry) UnpackCompensationWithdrawnEvent(log *types.Log) (*ProviderRegistryCompensationWithdrawn, error) {
	event := "CompensationWithdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryCompensationWithdrawn)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryProviderActivated represents a ProviderActivated event raised by the ProviderRegistry contract.
type ProviderRegistryProviderActivated struct {
	Provider common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryProviderActivatedEventName = "ProviderActivated"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryProviderActivated) ContractEventName() string {
	return ProviderRegistryProviderActivatedEventName
}

// UnpackProviderActivatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProviderActivated(address indexed provider)
func (providerRegistry *ProviderRegistry) UnpackProviderActivatedEvent(log *types.Log) (*ProviderRegistryProviderActivated, error) {
	event := "ProviderActivated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryProviderActivated)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryProviderDeactivated represents a ProviderDeactivated event raised by the ProviderRegistry contract.
type ProviderRegistryProviderDeactivated struct {
	Provider common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryProviderDeactivatedEventName = "ProviderDeactivated"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryProviderDeactivated) ContractEventName() string {
	return ProviderRegistryProviderDeactivatedEventName
}

// UnpackProviderDeactivatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProviderDeactivated(address indexed provider)
func (providerRegistry *ProviderRegistry) UnpackProviderDeactivatedEvent(log *types.Log) (*ProviderRegistryProviderDeactivated, error) {
	event := "ProviderDeactivated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryProviderDeactivated)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryProviderRegistered represents a ProviderRegistered event raised by the ProviderRegistry contract.
type ProviderRegistryProviderRegistered struct {
	Provider          common.Address
	Signer            common.Address
	AttestationHash   [32]byte
	AttestationExpiry *big.Int
	MetadataURI       string
	Raw               *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryProviderRegisteredEventName = "ProviderRegistered"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryProviderRegistered) ContractEventName() string {
	return ProviderRegistryProviderRegisteredEventName
}

// UnpackProviderRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProviderRegistered(address indexed provider, address indexed signer, bytes32 attestationHash, uint40 attestationExpiry, string metadataURI)
func (providerRegistry *ProviderRegistry) UnpackProviderRegisteredEvent(log *types.Log) (*ProviderRegistryProviderRegistered, error) {
	event := "ProviderRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryProviderRegistered)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryProviderSlashed represents a ProviderSlashed event raised by the ProviderRegistry contract.
type ProviderRegistryProviderSlashed struct {
	Provider    common.Address
	Beneficiary common.Address
	JobId       *big.Int
	Requested   *big.Int
	Slashed     *big.Int
	Released    *big.Int
	Stake       *big.Int
	Reserved    *big.Int
	Unbonding   *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryProviderSlashedEventName = "ProviderSlashed"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryProviderSlashed) ContractEventName() string {
	return ProviderRegistryProviderSlashedEventName
}

// UnpackProviderSlashedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProviderSlashed(address indexed provider, address indexed beneficiary, uint256 indexed jobId, uint256 requested, uint256 slashed, uint256 released, uint256 stake, uint256 reserved, uint256 unbonding)
func (providerRegistry *ProviderRegistry) UnpackProviderSlashedEvent(log *types.Log) (*ProviderRegistryProviderSlashed, error) {
	event := "ProviderSlashed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryProviderSlashed)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryProviderUpdated represents a ProviderUpdated event raised by the ProviderRegistry contract.
type ProviderRegistryProviderUpdated struct {
	Provider          common.Address
	Signer            common.Address
	AttestationHash   [32]byte
	AttestationExpiry *big.Int
	MetadataURI       string
	Raw               *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryProviderUpdatedEventName = "ProviderUpdated"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryProviderUpdated) ContractEventName() string {
	return ProviderRegistryProviderUpdatedEventName
}

// UnpackProviderUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProviderUpdated(address indexed provider, address indexed signer, bytes32 attestationHash, uint40 attestationExpiry, string metadataURI)
func (providerRegistry *ProviderRegistry) UnpackProviderUpdatedEvent(log *types.Log) (*ProviderRegistryProviderUpdated, error) {
	event := "ProviderUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryProviderUpdated)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryStakeWithdrawn represents a StakeWithdrawn event raised by the ProviderRegistry contract.
type ProviderRegistryStakeWithdrawn struct {
	Provider common.Address
	Amount   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryStakeWithdrawnEventName = "StakeWithdrawn"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryStakeWithdrawn) ContractEventName() string {
	return ProviderRegistryStakeWithdrawnEventName
}

// UnpackStakeWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event StakeWithdrawn(address indexed provider, uint256 amount)
func (providerRegistry *ProviderRegistry) UnpackStakeWithdrawnEvent(log *types.Log) (*ProviderRegistryStakeWithdrawn, error) {
	event := "StakeWithdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryStakeWithdrawn)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryStaked represents a Staked event raised by the ProviderRegistry contract.
type ProviderRegistryStaked struct {
	Provider common.Address
	Amount   *big.Int
	Stake    *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryStakedEventName = "Staked"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryStaked) ContractEventName() string {
	return ProviderRegistryStakedEventName
}

// UnpackStakedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Staked(address indexed provider, uint256 amount, uint256 stake)
func (providerRegistry *ProviderRegistry) UnpackStakedEvent(log *types.Log) (*ProviderRegistryStaked, error) {
	event := "Staked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryStaked)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryUnstakeRequested represents a UnstakeRequested event raised by the ProviderRegistry contract.
type ProviderRegistryUnstakeRequested struct {
	Provider  common.Address
	Amount    *big.Int
	Stake     *big.Int
	Unbonding *big.Int
	ReadyAt   *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryUnstakeRequestedEventName = "UnstakeRequested"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryUnstakeRequested) ContractEventName() string {
	return ProviderRegistryUnstakeRequestedEventName
}

// UnpackUnstakeRequestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event UnstakeRequested(address indexed provider, uint256 amount, uint256 stake, uint256 unbonding, uint40 readyAt)
func (providerRegistry *ProviderRegistry) UnpackUnstakeRequestedEvent(log *types.Log) (*ProviderRegistryUnstakeRequested, error) {
	event := "UnstakeRequested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryUnstakeRequested)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (providerRegistry *ProviderRegistry) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["AlreadyRegistered"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackAlreadyRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["AmountExceedsFreeStake"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackAmountExceedsFreeStakeError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["AttestationExpired"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackAttestationExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["InsufficientFreeStake"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackInsufficientFreeStakeError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["InsufficientStake"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackInsufficientStakeError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["InvalidConfig"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackInvalidConfigError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["NotMarketplace"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackNotMarketplaceError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["NotRegistered"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackNotRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["NothingToWithdraw"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackNothingToWithdrawError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ProviderInactive"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackProviderInactiveError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ReentrancyGuardReentrantCall"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackReentrancyGuardReentrantCallError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ReleaseExceedsReserved"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackReleaseExceedsReservedError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["SafeCastOverflowedUintDowncast"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackSafeCastOverflowedUintDowncastError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["SafeERC20FailedOperation"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackSafeERC20FailedOperationError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["SlashExceedsReservation"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackSlashExceedsReservationError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["StatusUnchanged"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackStatusUnchangedError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["TransferAmountMismatch"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackTransferAmountMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["UnbondingNotReady"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackUnbondingNotReadyError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ZeroAmount"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackZeroAmountError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ZeroSigner"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackZeroSignerError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// ProviderRegistryAlreadyRegistered represents a AlreadyRegistered error raised by the ProviderRegistry contract.
type ProviderRegistryAlreadyRegistered struct {
	Provider common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRegistered(address provider)
func ProviderRegistryAlreadyRegisteredErrorID() common.Hash {
	return common.HexToHash("0x45ed80e9399c87887ea54f615514a1e3dde31e9b6c027ddceb4ffd503b70e428")
}

// UnpackAlreadyRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRegistered(address provider)
func (providerRegistry *ProviderRegistry) UnpackAlreadyRegisteredError(raw []byte) (*ProviderRegistryAlreadyRegistered, error) {
	out := new(ProviderRegistryAlreadyRegistered)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "AlreadyRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryAmountExceedsFreeStake represents a AmountExceedsFreeStake error raised by the ProviderRegistry contract.
type ProviderRegistryAmountExceedsFreeStake struct {
	Amount    *big.Int
	FreeStake *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AmountExceedsFreeStake(uint256 amount, uint256 freeStake)
func ProviderRegistryAmountExceedsFreeStakeErrorID() common.Hash {
	return common.HexToHash("0xea9811e0fe5c0685ce1a942ad831cf24eb8de33aa75e7722ca20d13fa3b3c22c")
}

// UnpackAmountExceedsFreeStakeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AmountExceedsFreeStake(uint256 amount, uint256 freeStake)
func (providerRegistry *ProviderRegistry) UnpackAmountExceedsFreeStakeError(raw []byte) (*ProviderRegistryAmountExceedsFreeStake, error) {
	out := new(ProviderRegistryAmountExceedsFreeStake)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "AmountExceedsFreeStake", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryAttestationExpired represents a AttestationExpired error raised by the ProviderRegistry contract.
type ProviderRegistryAttestationExpired struct {
	Provider common.Address
	Expiry   *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AttestationExpired(address provider, uint40 expiry)
func ProviderRegistryAttestationExpiredErrorID() common.Hash {
	return common.HexToHash("0xe8e3964b3dc2e022c29d2f993b846eaaad51e9be413769f0f098386e5097d363")
}

// UnpackAttestationExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AttestationExpired(address provider, uint40 expiry)
func (providerRegistry *ProviderRegistry) UnpackAttestationExpiredError(raw []byte) (*ProviderRegistryAttestationExpired, error) {
	out := new(ProviderRegistryAttestationExpired)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "AttestationExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryInsufficientFreeStake represents a InsufficientFreeStake error raised by the ProviderRegistry contract.
type ProviderRegistryInsufficientFreeStake struct {
	Provider    common.Address
	FreeStake   *big.Int
	Reservation *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientFreeStake(address provider, uint256 freeStake, uint256 reservation)
func ProviderRegistryInsufficientFreeStakeErrorID() common.Hash {
	return common.HexToHash("0x738cfa45f7c1d433130564822ccda1825d62897dc0c2be05ff6905dc0b085139")
}

// UnpackInsufficientFreeStakeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientFreeStake(address provider, uint256 freeStake, uint256 reservation)
func (providerRegistry *ProviderRegistry) UnpackInsufficientFreeStakeError(raw []byte) (*ProviderRegistryInsufficientFreeStake, error) {
	out := new(ProviderRegistryInsufficientFreeStake)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "InsufficientFreeStake", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryInsufficientStake represents a InsufficientStake error raised by the ProviderRegistry contract.
type ProviderRegistryInsufficientStake struct {
	Provider common.Address
	Stake    *big.Int
	MinStake *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientStake(address provider, uint256 stake, uint256 minStake)
func ProviderRegistryInsufficientStakeErrorID() common.Hash {
	return common.HexToHash("0x936d426dd74f230ad5a4425fb8e2282c39c20abb35ad8a2da02a9b2239d6c390")
}

// UnpackInsufficientStakeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientStake(address provider, uint256 stake, uint256 minStake)
func (providerRegistry *ProviderRegistry) UnpackInsufficientStakeError(raw []byte) (*ProviderRegistryInsufficientStake, error) {
	out := new(ProviderRegistryInsufficientStake)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "InsufficientStake", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryInvalidConfig represents a InvalidConfig error raised by the ProviderRegistry contract.
type ProviderRegistryInvalidConfig struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidConfig()
func ProviderRegistryInvalidConfigErrorID() common.Hash {
	return common.HexToHash("0x35be3ac88eaaf385e6b33d44d849a44bdc3ae215676d5d7e0194dfe20d80c66e")
}

// UnpackInvalidConfigError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidConfig()
func (providerRegistry *ProviderRegistry) UnpackInvalidConfigError(raw []byte) (*ProviderRegistryInvalidConfig, error) {
	out := new(ProviderRegistryInvalidConfig)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "InvalidConfig", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryNotMarketplace represents a NotMarketplace error raised by the ProviderRegistry contract.
type ProviderRegistryNotMarketplace struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotMarketplace(address caller)
func ProviderRegistryNotMarketplaceErrorID() common.Hash {
	return common.HexToHash("0xed2cb5a8b76f27b53a534e30236a7239245c5a2d1951b6843e3e39b1dba4e660")
}

// UnpackNotMarketplaceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotMarketplace(address caller)
func (providerRegistry *ProviderRegistry) UnpackNotMarketplaceError(raw []byte) (*ProviderRegistryNotMarketplace, error) {
	out := new(ProviderRegistryNotMarketplace)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "NotMarketplace", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryNotRegistered represents a NotRegistered error raised by the ProviderRegistry contract.
type ProviderRegistryNotRegistered struct {
	Provider common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotRegistered(address provider)
func ProviderRegistryNotRegisteredErrorID() common.Hash {
	return common.HexToHash("0xbfc6c337a80b7b8201f77f0a2a54c6e5f7c6fd9124a749804a482fa16ee8a895")
}

// UnpackNotRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotRegistered(address provider)
func (providerRegistry *ProviderRegistry) UnpackNotRegisteredError(raw []byte) (*ProviderRegistryNotRegistered, error) {
	out := new(ProviderRegistryNotRegistered)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "NotRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryNothingToWithdraw represents a NothingToWithdraw error raised by the ProviderRegistry contract.
type ProviderRegistryNothingToWithdraw struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingToWithdraw(address account)
func ProviderRegistryNothingToWithdrawErrorID() common.Hash {
	return common.HexToHash("0xdc69dc16e4a8405b44139edda9a06ee66b303337358b6f4633533d65de15b7f4")
}

// UnpackNothingToWithdrawError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingToWithdraw(address account)
func (providerRegistry *ProviderRegistry) UnpackNothingToWithdrawError(raw []byte) (*ProviderRegistryNothingToWithdraw, error) {
	out := new(ProviderRegistryNothingToWithdraw)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "NothingToWithdraw", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryProviderInactive represents a ProviderInactive error raised by the ProviderRegistry contract.
type ProviderRegistryProviderInactive struct {
	Provider common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ProviderInactive(address provider)
func ProviderRegistryProviderInactiveErrorID() common.Hash {
	return common.HexToHash("0x44638ed3fe9838cb8835680d4a08f2183cbf27949e42071bcb6545773a7a7425")
}

// UnpackProviderInactiveError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ProviderInactive(address provider)
func (providerRegistry *ProviderRegistry) UnpackProviderInactiveError(raw []byte) (*ProviderRegistryProviderInactive, error) {
	out := new(ProviderRegistryProviderInactive)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ProviderInactive", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryReentrancyGuardReentrantCall represents a ReentrancyGuardReentrantCall error raised by the ProviderRegistry contract.
type ProviderRegistryReentrancyGuardReentrantCall struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ReentrancyGuardReentrantCall()
func ProviderRegistryReentrancyGuardReentrantCallErrorID() common.Hash {
	return common.HexToHash("0x3ee5aeb571de7fc460830b4d0017439a1ca56fb0bc39062227ade4fe4a24c1ca")
}

// UnpackReentrancyGuardReentrantCallError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ReentrancyGuardReentrantCall()
func (providerRegistry *ProviderRegistry) UnpackReentrancyGuardReentrantCallError(raw []byte) (*ProviderRegistryReentrancyGuardReentrantCall, error) {
	out := new(ProviderRegistryReentrancyGuardReentrantCall)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ReentrancyGuardReentrantCall", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryReleaseExceedsReserved represents a ReleaseExceedsReserved error raised by the ProviderRegistry contract.
type ProviderRegistryReleaseExceedsReserved struct {
	Provider common.Address
	Amount   *big.Int
	Reserved *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ReleaseExceedsReserved(address provider, uint256 amount, uint256 reserved)
func ProviderRegistryReleaseExceedsReservedErrorID() common.Hash {
	return common.HexToHash("0x2a96f384351263581abf84db236c249513010444dee92bdc7dd36f1cd7d330c6")
}

// UnpackReleaseExceedsReservedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ReleaseExceedsReserved(address provider, uint256 amount, uint256 reserved)
func (providerRegistry *ProviderRegistry) UnpackReleaseExceedsReservedError(raw []byte) (*ProviderRegistryReleaseExceedsReserved, error) {
	out := new(ProviderRegistryReleaseExceedsReserved)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ReleaseExceedsReserved", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistrySafeCastOverflowedUintDowncast represents a SafeCastOverflowedUintDowncast error raised by the ProviderRegistry contract.
type ProviderRegistrySafeCastOverflowedUintDowncast struct {
	Bits  uint8
	Value *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value)
func ProviderRegistrySafeCastOverflowedUintDowncastErrorID() common.Hash {
	return common.HexToHash("0x6dfcc6503a32754ce7a89698e18201fc5294fd4aad43edefee786f88423b1a12")
}

// UnpackSafeCastOverflowedUintDowncastError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value)
func (providerRegistry *ProviderRegistry) UnpackSafeCastOverflowedUintDowncastError(raw []byte) (*ProviderRegistrySafeCastOverflowedUintDowncast, error) {
	out := new(ProviderRegistrySafeCastOverflowedUintDowncast)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "SafeCastOverflowedUintDowncast", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistrySafeERC20FailedOperation represents a SafeERC20FailedOperation error raised by the ProviderRegistry contract.
type ProviderRegistrySafeERC20FailedOperation struct {
	Token common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SafeERC20FailedOperation(address token)
func ProviderRegistrySafeERC20FailedOperationErrorID() common.Hash {
	return common.HexToHash("0x5274afe73c98b4749fc91ffae6b7b574e7842cb2144a159e9377a5f20b32edf9")
}

// UnpackSafeERC20FailedOperationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SafeERC20FailedOperation(address token)
func (providerRegistry *ProviderRegistry) UnpackSafeERC20FailedOperationError(raw []byte) (*ProviderRegistrySafeERC20FailedOperation, error) {
	out := new(ProviderRegistrySafeERC20FailedOperation)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "SafeERC20FailedOperation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistrySlashExceedsReservation represents a SlashExceedsReservation error raised by the ProviderRegistry contract.
type ProviderRegistrySlashExceedsReservation struct {
	Amount      *big.Int
	Reservation *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SlashExceedsReservation(uint256 amount, uint256 reservation)
func ProviderRegistrySlashExceedsReservationErrorID() common.Hash {
	return common.HexToHash("0xf821d6fd2c1dfb0ac59c6fd511ba895dd6076ac0a886fb4b65a26f81c69d4056")
}

// UnpackSlashExceedsReservationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SlashExceedsReservation(uint256 amount, uint256 reservation)
func (providerRegistry *ProviderRegistry) UnpackSlashExceedsReservationError(raw []byte) (*ProviderRegistrySlashExceedsReservation, error) {
	out := new(ProviderRegistrySlashExceedsReservation)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "SlashExceedsReservation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryStatusUnchanged represents a StatusUnchanged error raised by the ProviderRegistry contract.
type ProviderRegistryStatusUnchanged struct {
	Provider common.Address
	Active   bool
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StatusUnchanged(address provider, bool active)
func ProviderRegistryStatusUnchangedErrorID() common.Hash {
	return common.HexToHash("0xd00b89f9dcb1ce707c001c2e0e2440bf41b2d36979afcf01070a01da928607c4")
}

// UnpackStatusUnchangedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StatusUnchanged(address provider, bool active)
func (providerRegistry *ProviderRegistry) UnpackStatusUnchangedError(raw []byte) (*ProviderRegistryStatusUnchanged, error) {
	out := new(ProviderRegistryStatusUnchanged)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "StatusUnchanged", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryTransferAmountMismatch represents a TransferAmountMismatch error raised by the ProviderRegistry contract.
type ProviderRegistryTransferAmountMismatch struct {
	Expected *big.Int
	Received *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferAmountMismatch(uint256 expected, uint256 received)
func ProviderRegistryTransferAmountMismatchErrorID() common.Hash {
	return common.HexToHash("0xb6a9b654dee4927456f6162146bc13897422fded910bff5982bab9b0139eaa6c")
}

// UnpackTransferAmountMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferAmountMismatch(uint256 expected, uint256 received)
func (providerRegistry *ProviderRegistry) UnpackTransferAmountMismatchError(raw []byte) (*ProviderRegistryTransferAmountMismatch, error) {
	out := new(ProviderRegistryTransferAmountMismatch)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "TransferAmountMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryUnbondingNotReady represents a UnbondingNotReady error raised by the ProviderRegistry contract.
type ProviderRegistryUnbondingNotReady struct {
	Unbonding *big.Int
	ReadyAt   *big.Int
	NowTime   *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnbondingNotReady(uint256 unbonding, uint40 readyAt, uint256 nowTime)
func ProviderRegistryUnbondingNotReadyErrorID() common.Hash {
	return common.HexToHash("0xe9e71a21cbac984328bd8c4d23a2609a656cad5de8e71632ec377c5904a67339")
}

// UnpackUnbondingNotReadyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnbondingNotReady(uint256 unbonding, uint40 readyAt, uint256 nowTime)
func (providerRegistry *ProviderRegistry) UnpackUnbondingNotReadyError(raw []byte) (*ProviderRegistryUnbondingNotReady, error) {
	out := new(ProviderRegistryUnbondingNotReady)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "UnbondingNotReady", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryZeroAmount represents a ZeroAmount error raised by the ProviderRegistry contract.
type ProviderRegistryZeroAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAmount()
func ProviderRegistryZeroAmountErrorID() common.Hash {
	return common.HexToHash("0x1f2a2005cb66a8e145327e8814e243a0996aec9bfe1e15a495778b1236dbd485")
}

// UnpackZeroAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAmount()
func (providerRegistry *ProviderRegistry) UnpackZeroAmountError(raw []byte) (*ProviderRegistryZeroAmount, error) {
	out := new(ProviderRegistryZeroAmount)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ZeroAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryZeroSigner represents a ZeroSigner error raised by the ProviderRegistry contract.
type ProviderRegistryZeroSigner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroSigner()
func ProviderRegistryZeroSignerErrorID() common.Hash {
	return common.HexToHash("0xe5c48ac578e050f5a863729c359600666b17bce09ec64f88719c5ce6fc799f6a")
}

// UnpackZeroSignerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroSigner()
func (providerRegistry *ProviderRegistry) UnpackZeroSignerError(raw []byte) (*ProviderRegistryZeroSigner, error) {
	out := new(ProviderRegistryZeroSigner)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ZeroSigner", raw); err != nil {
		return nil, err
	}
	return out, nil
}
