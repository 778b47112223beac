// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MarketFixture} from "./utils/MarketFixture.sol";
import {Job, JobParams, JobState, Usage, Assignment} from "../src/types/JobTypes.sol";

/// @dev Gas benchmark of the happy path: create + accept (matcher assignment) + submit + settle (client accepts
/// early). Run in isolation (`--isolate`) so every call is its own transaction with cold storage; the per-step
/// numbers are written with vm.snapshotGasLastCall into snapshots/GasHappyPathTest.json.
contract GasHappyPathTest is MarketFixture {
    function _happyPath(string memory suffix) internal {
        JobParams memory p = defaultParams();
        p.creator = creator;
        p.creatorShareBps = 500;
        vm.prank(client);
        uint256 id = market.createJob(p);
        vm.snapshotGasLastCall(string.concat("1_createJob", suffix));
        Job memory j = jobOf(p, client, FEE_BPS);

        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
        vm.snapshotGasLastCall(string.concat("2_acceptJob", suffix));
        j.state = JobState.Assigned;
        j.provider = provider;
        j.price = 80e6;

        vm.prank(signer);
        market.submitResult(id, j, keccak256("result"), "ipfs://bafyresult", Usage(1200, 3600), 75e6);
        vm.snapshotGasLastCall(string.concat("3_submitResult", suffix));
        j.state = JobState.Submitted;
        j.amountDue = 75e6;
        j.challengeEnd = uint40(block.timestamp + CHALLENGE_WINDOW);

        vm.prank(client);
        market.settle(id, j);
        vm.snapshotGasLastCall(string.concat("4_settle", suffix));
    }

    /// @dev First job ever: every pull balance and the marketplace's token balance start at zero.
    function test_Gas_HappyPath_FirstJob() public {
        _happyPath("_first");
    }

    /// @dev Steady state: an earlier job already left non-zero balances for every party.
    function test_Gas_HappyPath_SteadyState() public {
        _happyPath("_warmup");
        _happyPath("_steady");
    }
}
