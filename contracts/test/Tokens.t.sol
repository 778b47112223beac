// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {TestERC20} from "./tokens/TestERC20.sol";
import {FeeOnTransferToken} from "./tokens/FeeOnTransferToken.sol";
import {NoReturnToken} from "./tokens/NoReturnToken.sol";

/// @dev Proves the test tokens behave as the escrow tests assume.
contract TokensTest is Test {
    using SafeERC20 for IERC20;

    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    function test_TestERC20_MintsAndTransfers() public {
        TestERC20 token = new TestERC20("USD Test", "USDT", 6);
        token.mint(alice, 1000);
        vm.prank(alice);
        assertTrue(token.transfer(bob, 400));
        assertEq(token.balanceOf(bob), 400);
        assertEq(token.decimals(), 6);
    }

    function testFuzz_FeeOnTransfer_RecipientGetsLess(uint256 amount, uint256 feeBps) public {
        feeBps = bound(feeBps, 1, 10_000);
        amount = bound(amount, 10_000, type(uint128).max);
        FeeOnTransferToken token = new FeeOnTransferToken(feeBps);
        token.mint(alice, amount);
        vm.prank(alice);
        token.transfer(bob, amount);
        assertEq(token.balanceOf(bob), amount - amount * feeBps / 10_000);
        assertLt(token.balanceOf(bob), amount);
    }

    function test_NoReturnToken_SafeERC20Works() public {
        NoReturnToken token = new NoReturnToken();
        token.mint(address(this), 500);
        IERC20(address(token)).safeTransfer(bob, 200);
        assertEq(token.balanceOf(bob), 200);
    }

    function test_RevertWhen_NoReturnTokenCalledWithoutSafeERC20() public {
        NoReturnToken token = new NoReturnToken();
        token.mint(address(this), 500);
        // A plain IERC20 call expects a bool and fails to decode the empty return data.
        vm.expectRevert();
        this.plainTransfer(IERC20(address(token)), bob, 1);
    }

    function plainTransfer(IERC20 token, address to, uint256 amount) external {
        token.transfer(to, amount);
    }
}
