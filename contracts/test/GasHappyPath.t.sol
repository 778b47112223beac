// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "forge-std/Vm.sol";
import {MarketFixture} from "./utils/MarketFixture.sol";
import {Job, JobParams, JobState, Usage, Assignment} from "../src/types/JobTypes.sol";

/// @dev Gas benchmark of the happy path: create + accept (matcher assignment) + submit + settle (client accepts
/// early). Run in isolation (`--isolate`) so every call is its own transaction with cold storage; the per-step
/// numbers are written with vm.snapshotGasLastCall into snapshots/GasHappyPathTest.json. Under `--isolate`
/// (FOUNDRY_PROFILE=gas) each number is the whole transaction's gas: 21,000 intrinsic + calldata + execution.
contract GasHappyPathTest is MarketFixture {
    /// @dev The budget for create + accept + submit + settle.
    uint256 internal constant BUDGET = 250_000;

    function _happyPath(string memory suffix) internal returns (uint256 total) {
        JobParams memory p = defaultParams();
        p.creator = creator;
        p.creatorShareBps = 500;
        vm.prank(client);
        uint256 id = market.createJob(p);
        vm.snapshotGasLastCall(string.concat("1_createJob", suffix));
        total += vm.lastCallGas().gasTotalUsed;
        Job memory j = jobOf(p, client, FEE_BPS);

        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
        vm.snapshotGasLastCall(string.concat("2_acceptJob", suffix));
        total += vm.lastCallGas().gasTotalUsed;
        j.state = JobState.Assigned;
        j.provider = provider;
        j.price = 80e6;

        vm.prank(signer);
        market.submitResult(id, j, keccak256("result"), "ipfs://bafyresult", Usage(1200, 3600), 75e6);
        vm.snapshotGasLastCall(string.concat("3_submitResult", suffix));
        total += vm.lastCallGas().gasTotalUsed;
        j.state = JobState.Submitted;
        j.amountDue = 75e6;
        j.challengeEnd = uint40(block.timestamp + CHALLENGE_WINDOW);

        vm.prank(client);
        market.settle(id, j);
        vm.snapshotGasLastCall(string.concat("4_settle", suffix));
        total += vm.lastCallGas().gasTotalUsed;
    }

    /// @dev First job ever: every pull balance and the marketplace's token balance start at zero.
    function test_Gas_HappyPath_FirstJob() public {
        _happyPath("_first");
    }

    /// @dev Steady state: an earlier job already left non-zero balances for every party.
    function test_Gas_HappyPath_SteadyState() public {
        _happyPath("_warmup");
        uint256 total = _happyPath("_steady");
        emit log_named_uint("happy path total gas", total);
        assertLe(total, BUDGET, "happy path over budget");
    }
}
