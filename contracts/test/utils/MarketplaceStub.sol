// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev Stands in for the marketplace in registry-only tests: the registry pushes signer changes to its marketplace
/// (JobMarketplace.syncSigner), which needs code at that address. Records the last push.
contract MarketplaceStub {
    mapping(address provider => address) public signerOf;

    function syncSigner(address provider, address signer) external {
        signerOf[provider] = signer;
    }
}
