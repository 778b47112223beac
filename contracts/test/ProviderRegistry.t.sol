// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ProviderRegistry} from "../src/ProviderRegistry.sol";
import {IProviderRegistry} from "../src/interfaces/IProviderRegistry.sol";
import {TestERC20} from "./tokens/TestERC20.sol";
import {FeeOnTransferToken} from "./tokens/FeeOnTransferToken.sol";
import {MarketplaceStub} from "./utils/MarketplaceStub.sol";

contract ProviderRegistryTest is Test {
    ProviderRegistry internal registry;
    TestERC20 internal token;
    address internal market = address(new MarketplaceStub());
    address internal operator = makeAddr("operator");
    address internal signer = makeAddr("signer");
    address internal client = makeAddr("client");
    uint256 internal constant MIN_STAKE = 100e18;
    uint256 internal constant UNBONDING = 14 days;
    bytes32 internal constant REPORT = keccak256("report");

    function setUp() public {
        vm.warp(1_800_000_000);
        token = new TestERC20("GPU Stake", "GPUS", 18);
        registry = new ProviderRegistry(market, IERC20(address(token)), MIN_STAKE, UNBONDING);
        token.mint(operator, 1000e18);
        vm.prank(operator);
        token.approve(address(registry), type(uint256).max);
    }

    function _register() internal {
        vm.prank(operator);
        registry.register(signer, REPORT, uint40(block.timestamp + 30 days), "https://op");
    }

    function _registerAndStake(uint256 amount) internal {
        _register();
        vm.prank(operator);
        registry.stake(amount);
    }

    // ---------------------------------------------------------------- constructor

    function test_Constructor_SetsConfig() public view {
        assertEq(registry.marketplace(), market);
        assertEq(address(registry.stakingToken()), address(token));
        assertEq(registry.minStake(), MIN_STAKE);
        assertEq(registry.unbondingPeriod(), UNBONDING);
    }

    function test_RevertWhen_ConstructorConfigInvalid() public {
        vm.expectRevert(IProviderRegistry.InvalidConfig.selector);
        new ProviderRegistry(address(0), IERC20(address(token)), MIN_STAKE, UNBONDING);
        vm.expectRevert(IProviderRegistry.InvalidConfig.selector);
        new ProviderRegistry(market, IERC20(address(0)), MIN_STAKE, UNBONDING);
        vm.expectRevert(IProviderRegistry.InvalidConfig.selector);
        new ProviderRegistry(market, IERC20(address(token)), 0, UNBONDING);
        vm.expectRevert(IProviderRegistry.InvalidConfig.selector);
        new ProviderRegistry(market, IERC20(address(token)), MIN_STAKE, 0);
    }

    // ---------------------------------------------------------------- register / update / status

    function test_Register_StoresAndEmits() public {
        vm.expectEmit(address(registry));
        emit IProviderRegistry.ProviderRegistered(operator, signer, REPORT, uint40(block.timestamp + 1), "uri");
        vm.prank(operator);
        registry.register(signer, REPORT, uint40(block.timestamp + 1), "uri");
        IProviderRegistry.Provider memory p = registry.getProvider(operator);
        assertEq(p.signer, signer);
        assertEq(p.attestationHash, REPORT);
        assertTrue(p.active && p.registered);
        assertEq(p.metadataURI, "uri");
        assertEq(registry.signerOf(operator), signer);
    }

    function test_RevertWhen_RegisterTwice() public {
        _register();
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.AlreadyRegistered.selector, operator));
        vm.prank(operator);
        registry.register(signer, REPORT, uint40(block.timestamp + 1), "uri");
    }

    function test_RevertWhen_RegisterZeroSigner() public {
        vm.expectRevert(IProviderRegistry.ZeroSigner.selector);
        vm.prank(operator);
        registry.register(address(0), REPORT, uint40(block.timestamp + 1), "uri");
    }

    function test_RevertWhen_RegisterExpiredAttestation() public {
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.AttestationExpired.selector, operator, uint40(block.timestamp))
        );
        vm.prank(operator);
        registry.register(signer, REPORT, uint40(block.timestamp), "uri");
    }

    function test_Update_ReplacesTerms() public {
        _register();
        address newSigner = makeAddr("newSigner");
        vm.expectEmit(address(registry));
        emit IProviderRegistry.ProviderUpdated(
            operator, newSigner, bytes32(uint256(7)), uint40(block.timestamp + 9), "u2"
        );
        vm.prank(operator);
        registry.update(newSigner, bytes32(uint256(7)), uint40(block.timestamp + 9), "u2");
        assertEq(registry.signerOf(operator), newSigner);
        assertEq(registry.getProvider(operator).metadataURI, "u2");
    }

    function test_RevertWhen_UpdateUnregistered() public {
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotRegistered.selector, operator));
        vm.prank(operator);
        registry.update(signer, REPORT, uint40(block.timestamp + 1), "uri");
    }

    function test_RevertWhen_UpdateZeroSignerOrExpired() public {
        _register();
        vm.prank(operator);
        vm.expectRevert(IProviderRegistry.ZeroSigner.selector);
        registry.update(address(0), REPORT, uint40(block.timestamp + 1), "uri");
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.AttestationExpired.selector, operator, uint40(1)));
        registry.update(signer, REPORT, 1, "uri");
    }

    function test_SetActive_TogglesAndEmits() public {
        _register();
        vm.expectEmit(address(registry));
        emit IProviderRegistry.ProviderDeactivated(operator);
        vm.prank(operator);
        registry.setActive(false);
        assertFalse(registry.getProvider(operator).active);
        vm.expectEmit(address(registry));
        emit IProviderRegistry.ProviderActivated(operator);
        vm.prank(operator);
        registry.setActive(true);
        assertTrue(registry.getProvider(operator).active);
    }

    function test_RevertWhen_SetActiveUnchangedOrUnregistered() public {
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotRegistered.selector, operator));
        vm.prank(operator);
        registry.setActive(true);
        _register();
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.StatusUnchanged.selector, operator, true));
        vm.prank(operator);
        registry.setActive(true);
    }

    // ---------------------------------------------------------------- staking

    function test_Stake_PullsTokens() public {
        _register();
        vm.expectEmit(address(registry));
        emit IProviderRegistry.Staked(operator, 150e18, 150e18);
        vm.prank(operator);
        registry.stake(150e18);
        assertEq(registry.getProvider(operator).stake, 150e18);
        assertEq(token.balanceOf(address(registry)), 150e18);
    }

    function test_RevertWhen_StakeZeroOrUnregistered() public {
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotRegistered.selector, operator));
        vm.prank(operator);
        registry.stake(1);
        _register();
        vm.expectRevert(IProviderRegistry.ZeroAmount.selector);
        vm.prank(operator);
        registry.stake(0);
    }

    function test_RevertWhen_StakeTokenChargesFee() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(100);
        ProviderRegistry r = new ProviderRegistry(market, IERC20(address(fot)), MIN_STAKE, UNBONDING);
        fot.mint(operator, 1000e18);
        vm.startPrank(operator);
        fot.approve(address(r), type(uint256).max);
        r.register(signer, REPORT, uint40(block.timestamp + 1), "uri");
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.TransferAmountMismatch.selector, 100e18, 99e18));
        r.stake(100e18);
        vm.stopPrank();
    }

    function test_RequestUnstake_MovesToUnbonding() public {
        _registerAndStake(150e18);
        vm.expectEmit(address(registry));
        emit IProviderRegistry.UnstakeRequested(operator, 50e18, 100e18, 50e18, uint40(block.timestamp + UNBONDING));
        vm.prank(operator);
        registry.requestUnstake(50e18);
        IProviderRegistry.Provider memory p = registry.getProvider(operator);
        assertEq(p.stake, 100e18);
        assertEq(p.unbonding, 50e18);
        assertEq(p.unbondingReadyAt, block.timestamp + UNBONDING);
    }

    function test_RevertWhen_RequestUnstakeZeroOrTooMuch() public {
        _registerAndStake(150e18);
        vm.expectRevert(IProviderRegistry.ZeroAmount.selector);
        vm.prank(operator);
        registry.requestUnstake(0);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.AmountExceedsFreeStake.selector, 151e18, 150e18));
        vm.prank(operator);
        registry.requestUnstake(151e18);
    }

    // ---------------------------------------------------------------- reservations

    function test_Reserve_TakesFreeStakeOnly() public {
        _registerAndStake(150e18);
        vm.prank(market);
        assertEq(registry.reserve(operator, 100e18), signer);
        assertEq(registry.getProvider(operator).reserved, 100e18);
        assertEq(registry.freeStakeOf(operator), 50e18);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.InsufficientFreeStake.selector, operator, 50e18, 50e18 + 1)
        );
        vm.prank(market);
        registry.reserve(operator, 50e18 + 1);
        vm.prank(market);
        registry.reserve(operator, 50e18);
        assertEq(registry.freeStakeOf(operator), 0);
    }

    function test_RevertWhen_UnstakeReservedStake() public {
        _registerAndStake(150e18);
        vm.prank(market);
        registry.reserve(operator, 100e18);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.AmountExceedsFreeStake.selector, 50e18 + 1, 50e18));
        vm.prank(operator);
        registry.requestUnstake(50e18 + 1);
        vm.prank(operator);
        registry.requestUnstake(50e18);
        vm.prank(market);
        registry.release(operator, 100e18);
        vm.prank(operator);
        registry.requestUnstake(100e18);
        assertEq(registry.getProvider(operator).unbonding, 150e18);
    }

    function test_Reserve_ChecksEligibility() public {
        _register();
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.InsufficientStake.selector, operator, 0, MIN_STAKE));
        vm.prank(market);
        registry.reserve(operator, 0);
        vm.prank(operator);
        registry.stake(MIN_STAKE);
        vm.prank(operator);
        registry.setActive(false);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.ProviderInactive.selector, operator));
        vm.prank(market);
        registry.reserve(operator, 0);
    }

    function test_RevertWhen_ReleaseOrSlashBeyondReserved() public {
        _registerAndStake(150e18);
        vm.startPrank(market);
        registry.reserve(operator, 40e18);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.ReleaseExceedsReserved.selector, operator, 40e18 + 1, 40e18)
        );
        registry.release(operator, 40e18 + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.ReleaseExceedsReserved.selector, operator, 40e18 + 1, 40e18)
        );
        registry.slash(operator, 40e18 + 1, 1, client, 1);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.SlashExceedsReservation.selector, 40e18 + 1, 40e18));
        registry.slash(operator, 40e18, 40e18 + 1, client, 1);
        vm.stopPrank();
    }

    function test_RevertWhen_ReserveOrReleaseByNonMarketplace() public {
        _registerAndStake(150e18);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotMarketplace.selector, operator));
        vm.prank(operator);
        registry.reserve(operator, 1);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotMarketplace.selector, operator));
        vm.prank(operator);
        registry.release(operator, 0);
    }

    function test_RegisterAndUpdate_PushSignerToMarketplace() public {
        _register();
        assertEq(MarketplaceStub(market).signerOf(operator), signer);
        address next = makeAddr("nextSigner");
        vm.prank(operator);
        registry.update(next, REPORT, uint40(block.timestamp + 30 days), "https://op");
        assertEq(MarketplaceStub(market).signerOf(operator), next);
    }

    function test_RevertWhen_UnbondingWouldExceedUint128() public {
        uint256 big = type(uint128).max;
        token.mint(operator, 2 * big);
        _registerAndStake(big);
        vm.prank(operator);
        registry.requestUnstake(big);
        vm.prank(operator);
        registry.stake(big);
        vm.expectRevert(abi.encodeWithSignature("SafeCastOverflowedUintDowncast(uint8,uint256)", 128, 2 * big));
        vm.prank(operator);
        registry.requestUnstake(big);
    }

    function test_WithdrawStake_AfterUnbonding() public {
        _registerAndStake(150e18);
        vm.prank(operator);
        registry.requestUnstake(50e18);
        vm.warp(block.timestamp + UNBONDING);
        uint256 before = token.balanceOf(operator);
        vm.expectEmit(address(registry));
        emit IProviderRegistry.StakeWithdrawn(operator, 50e18);
        vm.prank(operator);
        registry.withdrawStake();
        assertEq(token.balanceOf(operator), before + 50e18);
        assertEq(registry.getProvider(operator).unbonding, 0);
    }

    function test_RevertWhen_WithdrawStakeEarlyOrNothing() public {
        _registerAndStake(150e18);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.UnbondingNotReady.selector, 0, uint40(0), block.timestamp)
        );
        vm.prank(operator);
        registry.withdrawStake();
        vm.prank(operator);
        registry.requestUnstake(50e18);
        uint40 readyAt = uint40(block.timestamp + UNBONDING);
        vm.warp(readyAt - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.UnbondingNotReady.selector, 50e18, readyAt, block.timestamp)
        );
        vm.prank(operator);
        registry.withdrawStake();
    }

    // ---------------------------------------------------------------- slashing

    function test_Slash_ReleasesReservationAndCreditsBeneficiary() public {
        _registerAndStake(150e18);
        vm.startPrank(market);
        registry.reserve(operator, 50e18);
        registry.reserve(operator, 80e18);
        vm.expectEmit(address(registry));
        emit IProviderRegistry.ProviderSlashed(operator, client, 9, 60e18, 60e18, 80e18, 90e18, 50e18, 0);
        uint256 slashed = registry.slash(operator, 80e18, 60e18, client, 9);
        vm.stopPrank();
        assertEq(slashed, 60e18);
        assertEq(registry.compensationOf(client), 60e18);
        // The other job's 50 stays reserved and fully backed.
        assertEq(registry.getProvider(operator).reserved, 50e18);
        assertEq(registry.freeStakeOf(operator), 40e18);
    }

    function test_Slash_ZeroAmountOnlyReleases() public {
        _registerAndStake(150e18);
        vm.startPrank(market);
        registry.reserve(operator, 50e18);
        assertEq(registry.slash(operator, 50e18, 0, client, 1), 0);
        vm.stopPrank();
        assertEq(registry.getProvider(operator).reserved, 0);
        assertEq(registry.getProvider(operator).stake, 150e18);
    }

    function test_RevertWhen_SlashByNonMarketplace() public {
        _registerAndStake(150e18);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotMarketplace.selector, operator));
        vm.prank(operator);
        registry.slash(operator, 1, 1, operator, 1);
    }

    function test_WithdrawCompensation() public {
        _registerAndStake(150e18);
        vm.startPrank(market);
        registry.reserve(operator, 60e18);
        registry.slash(operator, 60e18, 60e18, client, 1);
        vm.stopPrank();
        vm.expectEmit(address(registry));
        emit IProviderRegistry.CompensationWithdrawn(client, 60e18);
        vm.prank(client);
        registry.withdrawCompensation();
        assertEq(token.balanceOf(client), 60e18);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NothingToWithdraw.selector, client));
        vm.prank(client);
        registry.withdrawCompensation();
    }

    // ---------------------------------------------------------------- eligibility

    function test_AssignableSigner_ChecksEverything() public {
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotRegistered.selector, operator));
        registry.assignableSigner(operator);
        _register();
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.InsufficientStake.selector, operator, 0, MIN_STAKE));
        registry.assignableSigner(operator);
        vm.prank(operator);
        registry.stake(MIN_STAKE);
        assertEq(registry.assignableSigner(operator), signer);
        vm.prank(operator);
        registry.setActive(false);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.ProviderInactive.selector, operator));
        registry.assignableSigner(operator);
        vm.prank(operator);
        registry.setActive(true);
        uint40 expiry = registry.getProvider(operator).attestationExpiry;
        vm.warp(expiry);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.AttestationExpired.selector, operator, expiry));
        registry.assignableSigner(operator);
    }

    function testFuzz_Slash_ConservesTokens(uint256 stakeAmt, uint256 reservation, uint256 unbond, uint256 amount)
        public
    {
        stakeAmt = bound(stakeAmt, MIN_STAKE, 1000e18);
        reservation = bound(reservation, 0, stakeAmt);
        unbond = bound(unbond, 0, stakeAmt - reservation);
        amount = bound(amount, 0, reservation);
        _registerAndStake(stakeAmt);
        vm.prank(market);
        registry.reserve(operator, reservation);
        if (unbond > 0) {
            vm.prank(operator);
            registry.requestUnstake(unbond);
        }
        vm.prank(market);
        uint256 slashed = registry.slash(operator, reservation, amount, client, 1);
        IProviderRegistry.Provider memory p = registry.getProvider(operator);
        // A slash within the reservation is always paid in full, from active stake.
        assertEq(slashed, amount);
        assertEq(p.stake, stakeAmt - unbond - amount);
        assertEq(p.unbonding, unbond);
        assertEq(p.reserved, 0);
        assertLe(p.reserved, p.stake);
        assertEq(uint256(p.stake) + p.unbonding + registry.compensationOf(client), token.balanceOf(address(registry)));
    }
}
