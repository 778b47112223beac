// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {MarketHandler, IMintable} from "./MarketHandler.sol";
import {Job, JobState} from "../../src/types/JobTypes.sol";
import {IProviderRegistry} from "../../src/interfaces/IProviderRegistry.sol";
import {NoReturnToken} from "../tokens/NoReturnToken.sol";

/// @dev Handler-based invariants over two payment tokens (a standard one and a no-return one) and the staking
/// token, with fail_on_revert = true.
contract MarketInvariantsTest is MarketFixture {
    MarketHandler internal handler;
    address[] internal tokens;

    function setUp() public override {
        super.setUp();
        NoReturnToken nrt = new NoReturnToken();
        vm.prank(admin);
        market.setTokenAllowed(address(nrt), true);
        // The staking token is a payment token too, so reservations as a share of the price are exercised.
        vm.prank(admin);
        market.setTokenAllowed(address(gpuToken), true);
        tokens.push(address(usdt));
        tokens.push(address(nrt));
        tokens.push(address(gpuToken));
        handler = new MarketHandler(
            market, registry, tokens, IMintable(address(gpuToken)), matcherKey, arbiter, treasury, creator
        );
        // createJob, acceptJob and submitResult are listed three times each to weight them: jobs must exist and
        // advance for the payout paths to be exercised.
        bytes4[] memory selectors = new bytes4[](22);
        selectors[0] = MarketHandler.createJob.selector;
        selectors[1] = MarketHandler.acceptJob.selector;
        selectors[2] = MarketHandler.submitResult.selector;
        selectors[3] = MarketHandler.settle.selector;
        selectors[4] = MarketHandler.dispute.selector;
        selectors[5] = MarketHandler.resolveDispute.selector;
        selectors[6] = MarketHandler.resolveDisputeAfterTimeout.selector;
        selectors[7] = MarketHandler.refund.selector;
        selectors[8] = MarketHandler.cancelJob.selector;
        selectors[9] = MarketHandler.withdraw.selector;
        selectors[10] = MarketHandler.requestUnstake.selector;
        selectors[11] = MarketHandler.stake.selector;
        selectors[12] = MarketHandler.withdrawStake.selector;
        selectors[13] = MarketHandler.withdrawCompensation.selector;
        selectors[14] = MarketHandler.warp.selector;
        selectors[15] = MarketHandler.tryDoublePay.selector;
        for (uint256 i = 16; i < 22; i += 3) {
            selectors[i] = MarketHandler.createJob.selector;
            selectors[i + 1] = MarketHandler.acceptJob.selector;
            selectors[i + 2] = MarketHandler.submitResult.selector;
        }
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// @dev Logs how often each state was reached in the run (visible with -vv).
    function afterInvariant() external {
        for (uint8 s = 1; s <= uint8(JobState.Cancelled); ++s) {
            emit log_named_uint(string.concat("reached state ", vm.toString(s)), handler.reached(JobState(s)));
        }
    }

    /// @dev Per token: the marketplace holds exactly the locked funds of unfinished jobs plus every pull balance.
    function invariant_MarketBalanceEqualsLockedPlusBalances() public view {
        for (uint256 t; t < tokens.length; ++t) {
            uint256 sum = handler.ghostLocked(tokens[t]);
            for (uint256 i; i < handler.accountCount(); ++i) {
                sum += market.balanceOf(tokens[t], handler.accounts(i));
            }
            assertEq(IERC20(tokens[t]).balanceOf(address(market)), sum, "market custody");
        }
    }

    /// @dev The registry holds exactly all stakes, all unbonding amounts and all unclaimed compensation.
    function invariant_RegistryBalanceEqualsStakePlusCompensation() public view {
        uint256 sum = handler.ghostCompensation();
        for (uint256 i; i < 2; ++i) {
            IProviderRegistry.Provider memory p = registry.getProvider(handler.providers(i));
            sum += uint256(p.stake) + p.unbonding;
        }
        // The fixture's own provider is registered too.
        IProviderRegistry.Provider memory own = registry.getProvider(provider);
        sum += uint256(own.stake) + own.unbonding;
        assertEq(gpuToken.balanceOf(address(registry)), sum, "registry custody");
    }

    /// @dev The locked ghost is exactly the sum of maxPayment over unfinished jobs: finished jobs hold nothing.
    function invariant_FinishedJobsHoldNothing() public view {
        uint256[] memory locked = new uint256[](tokens.length);
        for (uint256 k; k < handler.jobCount(); ++k) {
            Job memory j = handler.job(handler.jobIds(k));
            if (handler.isTerminal(j.state)) continue;
            for (uint256 t; t < tokens.length; ++t) {
                if (j.token == tokens[t]) locked[t] += uint256(j.maxPayment) + j.disputeBond;
            }
        }
        for (uint256 t; t < tokens.length; ++t) {
            assertEq(handler.ghostLocked(tokens[t]), locked[t], "locked");
        }
    }

    /// @dev Every finished job paid out exactly its maxPayment, once; unfinished jobs paid nothing; no payout path
    /// succeeds twice.
    function invariant_NoJobPaidTwice() public view {
        assertFalse(handler.doublePaySucceeded(), "double pay");
        for (uint256 k; k < handler.jobCount(); ++k) {
            uint256 id = handler.jobIds(k);
            Job memory j = handler.job(id);
            if (handler.isTerminal(j.state)) {
                assertEq(handler.payouts(id), 1, "payouts");
                assertEq(handler.credited(id), uint256(j.maxPayment) + j.disputeBond, "credited");
            } else {
                assertEq(handler.payouts(id), 0, "early payout");
                assertEq(handler.credited(id), 0, "early credit");
            }
        }
    }

    /// @dev Every transition increased the state, and the stored hash always equals the ghost job's hash.
    function invariant_StatesOnlyMoveForward() public view {
        assertFalse(handler.stateWentBackwards(), "state went backwards");
        assertFalse(handler.hashMismatch(), "stored hash differs from ghost");
        for (uint256 k; k < handler.jobCount(); ++k) {
            uint256 id = handler.jobIds(k);
            Job memory j = handler.job(id);
            bytes32 expected = handler.isTerminal(j.state) ? bytes32(0) : keccak256(abi.encode(j));
            assertEq(market.jobHash(id), expected, "hash");
        }
    }

    /// @dev Every provider's reservation is backed: reserved <= stake (hence <= stake + unbonding).
    function invariant_ReservedNeverExceedsStake() public view {
        for (uint256 i; i < 2; ++i) {
            IProviderRegistry.Provider memory p = registry.getProvider(handler.providers(i));
            assertLe(p.reserved, p.stake, "reserved > stake");
            assertLe(p.reserved, uint256(p.stake) + p.unbonding, "reserved > stake + unbonding");
        }
    }

    /// @dev Per provider, the registry's reserved stake is exactly the sum of the reservations of its accepted,
    /// unfinished jobs, each being reservationFor(token, price) (derivable from the job struct).
    function invariant_ReservationsMatchUnfinishedJobs() public view {
        uint256[2] memory sum;
        for (uint256 k; k < handler.jobCount(); ++k) {
            uint256 id = handler.jobIds(k);
            Job memory j = handler.job(id);
            if (j.provider == address(0) || handler.isTerminal(j.state)) continue;
            uint256 r = market.reservationFor(j.token, j.price);
            assertEq(r, handler.reservationOf(id), "reservation derivable from the job");
            sum[j.provider == handler.providers(0) ? 0 : 1] += r;
        }
        for (uint256 i; i < 2; ++i) {
            address p = handler.providers(i);
            assertEq(registry.getProvider(p).reserved, sum[i], "reserved = sum over unfinished jobs");
            assertEq(handler.ghostReserved(p), sum[i], "ghost reserved");
        }
    }
}

/// @dev The handler's actions really drive jobs through every state (guards against a vacuous campaign).
contract MarketHandlerSmokeTest is MarketFixture {
    function test_HandlerReachesEveryState() public {
        NoReturnToken nrt = new NoReturnToken();
        vm.prank(admin);
        market.setTokenAllowed(address(nrt), true);
        address[] memory tokens = new address[](2);
        tokens[0] = address(usdt);
        tokens[1] = address(nrt);
        MarketHandler h = new MarketHandler(
            market, registry, tokens, IMintable(address(gpuToken)), matcherKey, arbiter, treasury, creator
        );
        for (uint256 i; i < 6; ++i) {
            h.createJob(i, i, 1e9, 1 days, 1 << 2);
        }
        h.acceptJob(0, 0, 5e8);
        h.acceptJob(1, 1, 5e8);
        h.acceptJob(2, 1, 5e8);
        h.acceptJob(3, 1, 5e8);
        h.submitResult(0, 4e8);
        h.submitResult(1, 4e8);
        h.submitResult(2, 4e8);
        h.settle(0, true);
        h.dispute(0);
        h.dispute(1);
        h.resolveDispute(0, 1e8, 1e18, 1);
        h.cancelJob(4);
        h.warp(2 days);
        h.warp(2 days);
        h.resolveDisputeAfterTimeout(0);
        h.refund(0, false);
        h.refund(0, true);
        h.tryDoublePay(0);
        for (uint8 s = 1; s <= uint8(JobState.Cancelled); ++s) {
            assertGt(h.reached(JobState(s)), 0, vm.toString(s));
        }
        assertFalse(h.doublePaySucceeded());
    }
}
