// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MarketFixture} from "./utils/MarketFixture.sol";

/// @dev The exported EIP-712 definitions (contracts/abi/typed-data, written by tools/export-abi.js) are the ones
/// the contract verifies.
contract TypedDataTest is MarketFixture {
    function _typeString(string memory name) internal view returns (string memory) {
        string memory s = vm.readFile(string.concat("contracts/abi/typed-data/", name, ".type.txt"));
        return vm.replace(s, "\n", "");
    }

    function test_ExportedJobOrderTypeMatchesContract() public view {
        assertEq(keccak256(bytes(_typeString("JobOrder"))), market.JOB_ORDER_TYPEHASH());
    }

    function test_ExportedAssignmentTypeMatchesContract() public view {
        assertEq(keccak256(bytes(_typeString("Assignment"))), market.ASSIGNMENT_TYPEHASH());
    }

    function test_ExportedDomainMatchesContract() public view {
        string memory json = vm.readFile("contracts/abi/typed-data/JobOrder.json");
        assertEq(vm.parseJsonString(json, ".domain.name"), "GpuMarket");
        assertEq(vm.parseJsonString(json, ".domain.version"), "1");
        (, string memory name, string memory version,,,,) = market.eip712Domain();
        assertEq(name, "GpuMarket");
        assertEq(version, "1");
    }
}
