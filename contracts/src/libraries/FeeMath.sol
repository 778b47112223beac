// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title FeeMath
/// @notice Exact integer split of a job payment. Rounding: the protocol fee and the creator share are each
/// rounded down; the provider receives the remainder (so rounding dust goes to the provider); the client gets
/// back everything that was not paid. The four parts always sum exactly to `maxPayment`.
library FeeMath {
    /// @notice Basis-point denominator.
    uint256 internal constant BPS = 10_000;

    /// @notice Splits `paid` out of `maxPayment`.
    /// @dev Requires paid <= maxPayment < 2^128 and feeBps + creatorBps <= 10_000 (callers enforce both through
    /// the caps), so no part underflows and `paid * bps` cannot overflow a uint256.
    /// @return protocolFee floor(paid * feeBps / 10_000)
    /// @return creatorAmount floor(paid * creatorBps / 10_000)
    /// @return providerAmount paid - protocolFee - creatorAmount
    /// @return clientRefund maxPayment - paid
    function split(uint256 maxPayment, uint256 paid, uint256 feeBps, uint256 creatorBps)
        internal
        pure
        returns (uint256 protocolFee, uint256 creatorAmount, uint256 providerAmount, uint256 clientRefund)
    {
        protocolFee = paid * feeBps / BPS;
        creatorAmount = paid * creatorBps / BPS;
        providerAmount = paid - protocolFee - creatorAmount;
        clientRefund = maxPayment - paid;
    }
}
