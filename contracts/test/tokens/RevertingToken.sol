// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title RevertingToken
/// @notice An ERC-20 whose transfers can be switched to revert (a paused or blocklisting token).
contract RevertingToken is ERC20 {
    /// @notice Thrown by every transfer while `failing` is set.
    error TransfersDisabled();

    bool public failing;

    constructor() ERC20("Reverting", "REV") {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Switches transfer failures on or off.
    function setFailing(bool failing_) external {
        failing = failing_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (failing && from != address(0) && to != address(0)) revert TransfersDisabled();
        super._update(from, to, value);
    }
}
