// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {FeeMath} from "../src/libraries/FeeMath.sol";
import {MarketFixture} from "./utils/MarketFixture.sol";
import {Job, JobParams, Payout} from "../src/types/JobTypes.sol";

/// @dev Fuzz tests of the settlement arithmetic: the parts always sum exactly to what was locked.
contract FeeMathTest is MarketFixture {
    function testFuzz_Split_PartsSumExactly(uint256 maxPayment, uint256 paid, uint256 feeBps, uint256 creatorBps)
        public
        pure
    {
        maxPayment = bound(maxPayment, 0, type(uint128).max);
        paid = bound(paid, 0, maxPayment);
        // Any caps allowed by the constructor: feeBps + creatorBps <= 10_000.
        feeBps = bound(feeBps, 0, 10_000);
        creatorBps = bound(creatorBps, 0, 10_000 - feeBps);
        (uint256 fee, uint256 creatorAmount, uint256 providerAmount, uint256 refund) =
            FeeMath.split(maxPayment, paid, feeBps, creatorBps);
        assertEq(fee + creatorAmount + providerAmount + refund, maxPayment);
        assertEq(fee + creatorAmount + providerAmount, paid);
        assertEq(fee, paid * feeBps / 10_000);
        assertEq(creatorAmount, paid * creatorBps / 10_000);
        assertEq(refund, maxPayment - paid);
    }

    function test_Split_RoundingGoesToProvider() public pure {
        (uint256 fee, uint256 creatorAmount, uint256 providerAmount, uint256 refund) = FeeMath.split(10, 9, 250, 1999);
        assertEq(fee, 0);
        assertEq(creatorAmount, 1);
        assertEq(providerAmount, 8);
        assertEq(refund, 1);
    }

    /// @dev End to end through the marketplace with amounts up to 2^128 - 1 and fees up to their caps.
    function testFuzz_Settle_CreditsSumToMaxPayment(
        uint128 maxPayment,
        uint128 price,
        uint128 due,
        uint16 feeBps,
        uint16 creatorBps
    ) public {
        maxPayment = uint128(bound(maxPayment, 1, type(uint128).max));
        price = uint128(bound(price, 0, maxPayment));
        due = uint128(bound(due, 0, price));
        feeBps = uint16(bound(feeBps, 0, 1000));
        creatorBps = uint16(bound(creatorBps, 0, 2000));
        vm.prank(feeManager);
        market.setProtocolFee(feeBps);
        usdt.mint(client, maxPayment);
        JobParams memory p = defaultParams();
        p.maxPayment = maxPayment;
        p.creator = creator;
        p.creatorShareBps = creatorBps;
        (uint256 id, Job memory j) = create(p);
        j = accept(id, j, price);
        j = submit(id, j, due);
        vm.prank(client);
        market.settle(id, j);
        uint256 sum = market.balanceOf(address(usdt), treasury) + market.balanceOf(address(usdt), creator)
            + market.balanceOf(address(usdt), provider) + market.balanceOf(address(usdt), client);
        assertEq(sum, maxPayment);
        assertEq(usdt.balanceOf(address(market)), maxPayment);
        assertEq(market.balanceOf(address(usdt), client), maxPayment - due);
    }

    /// @dev Dispute resolution with any provider amount <= amountDue also conserves funds.
    function testFuzz_ResolveDispute_CreditsSumToMaxPayment(uint128 maxPayment, uint128 due, uint128 awarded) public {
        maxPayment = uint128(bound(maxPayment, 1, type(uint128).max));
        due = uint128(bound(due, 0, maxPayment));
        awarded = uint128(bound(awarded, 0, due));
        usdt.mint(client, maxPayment);
        JobParams memory p = defaultParams();
        p.maxPayment = maxPayment;
        (uint256 id, Job memory j) = create(p);
        j = accept(id, j, maxPayment);
        j = submit(id, j, due);
        usdt.mint(client, market.disputeBondFor(address(usdt), maxPayment));
        j = disputeJob(id, j);
        vm.prank(arbiter);
        market.resolveDispute(id, j, awarded, 0, 0);
        uint256 sum = market.balanceOf(address(usdt), treasury) + market.balanceOf(address(usdt), provider)
            + market.balanceOf(address(usdt), client);
        // The arbiter returned the whole bond to the client; no fee is taken from it.
        assertEq(sum, uint256(maxPayment) + j.disputeBond);
        assertEq(market.balanceOf(address(usdt), client), uint256(maxPayment) - awarded + j.disputeBond);
    }

    /// @dev A refund always returns exactly maxPayment.
    function testFuzz_Refund_ReturnsEverything(uint128 maxPayment, bool accepted) public {
        maxPayment = uint128(bound(maxPayment, 1, type(uint128).max));
        usdt.mint(client, maxPayment);
        JobParams memory p = defaultParams();
        p.maxPayment = maxPayment;
        (uint256 id, Job memory j) = create(p);
        if (accepted) j = accept(id, j, maxPayment);
        vm.warp(j.deadline + 1);
        market.refund(id, j);
        assertEq(market.balanceOf(address(usdt), client), maxPayment);
    }
}
