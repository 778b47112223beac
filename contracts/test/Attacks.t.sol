// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MarketFixture} from "./utils/MarketFixture.sol";
import {JobMarketplace} from "../src/JobMarketplace.sol";
import {ProviderRegistry} from "../src/ProviderRegistry.sol";
import {IJobMarketplace} from "../src/interfaces/IJobMarketplace.sol";
import {IProviderRegistry} from "../src/interfaces/IProviderRegistry.sol";
import {Job, JobParams, JobState, Usage, Assignment, OrderAuth, PermitData} from "../src/types/JobTypes.sol";
import {TestERC20} from "./tokens/TestERC20.sol";
import {ReentrantToken} from "./tokens/ReentrantToken.sol";
import {RevertingToken} from "./tokens/RevertingToken.sol";
import {NoReturnToken} from "./tokens/NoReturnToken.sol";
import {FeeOnTransferToken} from "./tokens/FeeOnTransferToken.sol";
import {MarketplaceStub} from "./utils/MarketplaceStub.sol";

/// @dev Attacks: reentrancy through a malicious token, signature replay, impersonation, front-running,
/// weird tokens, and one regression test per bug of the seed system.
contract AttacksTest is MarketFixture {
    ReentrantToken internal evil;

    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    function setUp() public override {
        super.setUp();
        evil = new ReentrantToken();
        vm.prank(admin);
        market.setTokenAllowed(address(evil), true);
        evil.mint(client, 1e30);
        vm.prank(client);
        evil.approve(address(market), type(uint256).max);
    }

    function _evilParams() internal view returns (JobParams memory p) {
        p = defaultParams();
        p.token = address(evil);
    }

    /// @dev A job in `evil` that the client cancelled, so the client has a withdrawable balance.
    function _evilBalance() internal returns (uint256 id, Job memory j) {
        (id, j) = create(_evilParams());
        vm.prank(client);
        market.cancelJob(id, j);
        j.state = JobState.Cancelled;
    }

    // ---------------------------------------------------------------- reentrancy

    function test_RevertWhen_CreateJobReentersWithdraw() public {
        _evilBalance();
        evil.arm(address(market), abi.encodeCall(IJobMarketplace.withdraw, (address(evil))));
        JobParams memory p = _evilParams();
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        vm.prank(client);
        market.createJob(p);
    }

    function test_RevertWhen_CreateJobReentersCreate() public {
        JobParams memory p = _evilParams();
        evil.arm(address(market), abi.encodeCall(IJobMarketplace.createJob, (p)));
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        vm.prank(client);
        market.createJob(p);
    }

    function test_RevertWhen_WithdrawReentersWithdraw() public {
        _evilBalance();
        evil.arm(address(market), abi.encodeCall(IJobMarketplace.withdraw, (address(evil))));
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        vm.prank(client);
        market.withdraw(address(evil));
    }

    function test_RevertWhen_WithdrawReentersEveryFundMovingFunction() public {
        _evilBalance();
        // An open job, a submitted job and a disputed job to aim at.
        (uint256 openId, Job memory open) = create(_evilParams());
        (uint256 subId, Job memory sub) = create(_evilParams());
        sub = accept(subId, sub, 50e6);
        sub = submit(subId, sub, 50e6);
        (uint256 disId, Job memory dis) = create(_evilParams());
        dis = accept(disId, dis, 50e6);
        dis = submit(disId, dis, 50e6);
        dis = disputeJob(disId, dis);
        vm.warp(block.timestamp + 8 days);

        bytes[] memory calls = new bytes[](8);
        calls[0] = abi.encodeCall(IJobMarketplace.cancelJob, (openId, open));
        calls[1] = abi.encodeCall(IJobMarketplace.settle, (subId, sub));
        calls[2] = abi.encodeCall(IJobMarketplace.refund, (openId, open));
        calls[3] = abi.encodeCall(IJobMarketplace.resolveDispute, (disId, dis, 0, 0, 0));
        calls[4] = abi.encodeCall(IJobMarketplace.resolveDisputeAfterTimeout, (disId, dis));
        calls[5] = abi.encodeCall(IJobMarketplace.createJob, (_evilParams()));
        calls[6] = abi.encodeCall(IJobMarketplace.withdraw, (address(evil)));
        calls[7] = abi.encodeCall(IJobMarketplace.dispute, (subId, sub, bytes32(0)));
        for (uint256 i; i < calls.length; ++i) {
            evil.arm(address(market), calls[i]);
            vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
            vm.prank(client);
            market.withdraw(address(evil));
        }
        // The balance is intact and withdrawable once the token behaves.
        evil.arm(address(0), "");
        vm.prank(client);
        assertEq(market.withdraw(address(evil)), 100e6);
    }

    function test_RevertWhen_RegistryStakeReentersWithdrawals() public {
        ReentrantToken evilStake = new ReentrantToken();
        address stub = address(new MarketplaceStub());
        ProviderRegistry r = new ProviderRegistry(stub, IERC20(address(evilStake)), MIN_STAKE, UNBONDING);
        evilStake.mint(provider, 1000e18);
        vm.startPrank(provider);
        evilStake.approve(address(r), type(uint256).max);
        r.register(signer, bytes32(0), uint40(block.timestamp + 1 days), "");
        r.stake(200e18);
        r.requestUnstake(100e18);
        vm.stopPrank();
        vm.prank(stub);
        r.reserve(provider, 10e18);
        vm.warp(block.timestamp + UNBONDING);

        evilStake.arm(address(r), abi.encodeCall(IProviderRegistry.withdrawStake, ()));
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        vm.prank(provider);
        r.stake(1e18);

        evilStake.arm(address(r), abi.encodeCall(IProviderRegistry.withdrawStake, ()));
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        vm.prank(provider);
        r.withdrawStake();

        vm.prank(stub);
        r.slash(provider, 10e18, 10e18, client, 1);
        evilStake.arm(address(r), abi.encodeCall(IProviderRegistry.withdrawCompensation, ()));
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        vm.prank(client);
        r.withdrawCompensation();
    }

    // ---------------------------------------------------------------- signature replay

    function _order(uint256 nonce) internal view returns (JobParams memory p, OrderAuth memory auth, bytes memory sig) {
        p = defaultParams();
        auth = OrderAuth({client: client, nonce: nonce, expiry: uint64(block.timestamp + 1 hours)});
        sig = signOrder(p, auth, clientKey);
    }

    function test_RevertWhen_OrderReplayed() public {
        (JobParams memory p, OrderAuth memory auth, bytes memory sig) = _order(7);
        vm.prank(stranger);
        market.createJobFromOrder(p, auth, sig);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NonceAlreadyUsed.selector, client, 7));
        vm.prank(stranger);
        market.createJobFromOrder(p, auth, sig);
    }

    function test_RevertWhen_OrderReplayedOnOtherChain() public {
        (JobParams memory p, OrderAuth memory auth, bytes memory sig) = _order(7);
        vm.chainId(999);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidOrderSignature.selector, client));
        market.createJobFromOrder(p, auth, sig);
    }

    function test_RevertWhen_OrderReplayedOnOtherContract() public {
        (JobParams memory p, OrderAuth memory auth, bytes memory sig) = _order(7);
        (JobMarketplace other,) = deployMarket(address(gpuToken), PENALTY);
        vm.prank(admin);
        other.setTokenAllowed(address(usdt), true);
        vm.prank(client);
        usdt.approve(address(other), type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidOrderSignature.selector, client));
        other.createJobFromOrder(p, auth, sig);
    }

    function test_RevertWhen_OrderExpiredReplay() public {
        (JobParams memory p, OrderAuth memory auth, bytes memory sig) = _order(7);
        vm.warp(auth.expiry + 1);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.OrderExpired.selector, auth.expiry, block.timestamp));
        market.createJobFromOrder(p, auth, sig);
    }

    function _malleate(bytes memory sig) internal pure returns (bytes memory) {
        bytes32 r;
        bytes32 s;
        assembly {
            r := mload(add(sig, 32))
            s := mload(add(sig, 64))
        }
        uint8 v = uint8(sig[64]);
        return abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
    }

    function test_RevertWhen_OrderSignatureMalleated() public {
        (JobParams memory p, OrderAuth memory auth, bytes memory sig) = _order(7);
        bytes memory high = _malleate(sig);
        // The malleated signature recovers the same key under plain ecrecover, but is rejected.
        bytes32 digest = market.hashOrder(p, auth);
        bytes32 r;
        bytes32 s;
        assembly {
            r := mload(add(high, 32))
            s := mload(add(high, 64))
        }
        assertEq(ecrecover(digest, uint8(high[64]), r, s), client);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidOrderSignature.selector, client));
        market.createJobFromOrder(p, auth, high);
        market.createJobFromOrder(p, auth, sig);
    }

    function test_RevertWhen_AssignmentSignatureMalleated() public {
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory high = _malleate(signAssignment(a, matcherKey));
        bytes32 s;
        assembly {
            s := mload(add(high, 64))
        }
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, s));
        vm.prank(signer);
        market.acceptJob(id, j, a, high);
    }

    function test_RevertWhen_AssignmentReplayedOnOtherJob() public {
        (uint256 id, Job memory j) = createDefault();
        (uint256 id2, Job memory j2) = createDefault();
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.AssignmentJobMismatch.selector, id, id2));
        vm.prank(signer);
        market.acceptJob(id2, j2, a, sig);
    }

    function test_RevertWhen_AssignmentForOtherProvider() public {
        (uint256 id, Job memory j) = createDefault();
        address other = makeAddr("otherProvider");
        (address otherSigner,) = makeAddrAndKey("otherSigner");
        registerProvider(other, otherSigner, MIN_STAKE);
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        // The other provider's signer cannot use an assignment made out to `provider`.
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NotProviderSigner.selector, provider, otherSigner));
        vm.prank(otherSigner);
        market.acceptJob(id, j, a, sig);
    }

    function test_RevertWhen_AssignmentReplayedOnOtherContract() public {
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        (JobMarketplace other, ProviderRegistry otherReg) = deployMarket(address(gpuToken), PENALTY);
        vm.startPrank(admin);
        other.setTokenAllowed(address(usdt), true);
        other.grantRole(other.MATCHER_ROLE(), matcher);
        vm.stopPrank();
        registry = otherReg;
        market = other;
        registerProvider(provider, signer, MIN_STAKE);
        vm.prank(client);
        usdt.approve(address(other), type(uint256).max);
        (uint256 id2, Job memory j2) = createDefault();
        assertEq(id2, id);
        address recovered = ECDSA.recover(other.hashAssignment(a, other.jobHash(id2)), sig);
        assertTrue(recovered != matcher);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidMatcherSignature.selector, recovered));
        vm.prank(signer);
        other.acceptJob(id2, j2, a, sig);
        j;
    }

    // ---------------------------------------------------------------- impersonation and front-running

    function test_RevertWhen_NonAssignedProviderSubmitsCopiedResult() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        address other = makeAddr("otherProvider");
        (address otherSigner,) = makeAddrAndKey("otherSigner");
        registerProvider(other, otherSigner, MIN_STAKE);
        // Another (registered, staked) provider copies the pending result from the mempool.
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NotProviderSigner.selector, provider, otherSigner));
        vm.prank(otherSigner);
        market.submitResult(id, j, keccak256("result"), "ipfs://bafyresult", Usage(1, 1), 80e6);
        // Even rewriting the struct to name itself fails: the hash no longer matches.
        Job memory forged = j;
        forged.provider = other;
        vm.expectPartialRevert(IJobMarketplace.JobMismatch.selector);
        vm.prank(otherSigner);
        market.submitResult(id, forged, keccak256("result"), "ipfs://bafyresult", Usage(1, 1), 80e6);
    }

    function test_RevertWhen_StrangerReleasesBeforeWindowEnd() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        address[3] memory others = [stranger, provider, signer];
        for (uint256 i; i < others.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.ChallengeWindowOpen.selector, id, j.challengeEnd));
            vm.prank(others[i]);
            market.settle(id, j);
        }
    }

    function test_FrontRunPermit_CreationStillSucceeds() public {
        vm.prank(client);
        usdt.approve(address(market), 0);
        JobParams memory p = defaultParams();
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                usdt.DOMAIN_SEPARATOR(),
                keccak256(
                    abi.encode(
                        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                        client,
                        address(market),
                        uint256(p.maxPayment),
                        usdt.nonces(client),
                        deadline
                    )
                )
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(clientKey, digest);
        // The attacker sees the permit in the mempool and submits it first.
        vm.prank(stranger);
        usdt.permit(client, address(market), p.maxPayment, deadline, v, r, s);
        vm.prank(client);
        uint256 id = market.createJobWithPermit(p, PermitData(p.maxPayment, deadline, v, r, s));
        assertEq(id, 1);
        assertEq(usdt.balanceOf(address(market)), p.maxPayment);
    }

    // ---------------------------------------------------------------- weird tokens

    function test_NoReturnToken_FullFlow() public {
        NoReturnToken nrt = new NoReturnToken();
        vm.prank(admin);
        market.setTokenAllowed(address(nrt), true);
        nrt.mint(client, 1000e6);
        vm.prank(client);
        nrt.approve(address(market), type(uint256).max);
        JobParams memory p = defaultParams();
        p.token = address(nrt);
        (uint256 id, Job memory j) = create(p);
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        vm.prank(client);
        market.settle(id, j);
        vm.prank(provider);
        market.withdraw(address(nrt));
        vm.prank(client);
        market.withdraw(address(nrt));
        vm.prank(treasury);
        market.withdraw(address(nrt));
        assertEq(nrt.balanceOf(address(market)), 0);
        assertEq(nrt.balanceOf(provider), 78e6);
        assertEq(nrt.balanceOf(treasury), 2e6);
        assertEq(nrt.balanceOf(client), 1000e6 - 80e6);
    }

    function test_RevertWhen_FeeOnTransferToken() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(100);
        vm.prank(admin);
        market.setTokenAllowed(address(fot), true);
        fot.mint(client, 1000e6);
        vm.prank(client);
        fot.approve(address(market), type(uint256).max);
        JobParams memory p = defaultParams();
        p.token = address(fot);
        vm.expectRevert(
            abi.encodeWithSelector(IJobMarketplace.FeeOnTransferNotSupported.selector, address(fot), 100e6, 99e6)
        );
        vm.prank(client);
        market.createJob(p);
    }

    function test_RevertingToken_CreateFailsAndWithdrawRetries() public {
        RevertingToken rev = new RevertingToken();
        vm.prank(admin);
        market.setTokenAllowed(address(rev), true);
        rev.mint(client, 1000e6);
        vm.prank(client);
        rev.approve(address(market), type(uint256).max);
        JobParams memory p = defaultParams();
        p.token = address(rev);
        rev.setFailing(true);
        vm.expectRevert(RevertingToken.TransfersDisabled.selector);
        vm.prank(client);
        market.createJob(p);
        rev.setFailing(false);
        (uint256 id, Job memory j) = create(p);
        vm.prank(client);
        market.cancelJob(id, j);
        rev.setFailing(true);
        vm.expectRevert(RevertingToken.TransfersDisabled.selector);
        vm.prank(client);
        market.withdraw(address(rev));
        assertEq(market.balanceOf(address(rev), client), 100e6);
        rev.setFailing(false);
        vm.prank(client);
        market.withdraw(address(rev));
        assertEq(rev.balanceOf(client), 1000e6);
    }

    // ---------------------------------------------------------------- seed-system regressions

    /// @dev Seed bug: the "escrow" was only a database row. Here creation moves real tokens into the contract.
    function test_Regression_EscrowHoldsRealTokens() public {
        uint256 before = usdt.balanceOf(client);
        (, Job memory j) = createDefault();
        assertEq(usdt.balanceOf(client), before - j.maxPayment);
        assertEq(usdt.balanceOf(address(market)), j.maxPayment);
    }

    /// @dev Seed bug: release and refund were callable by anyone who knew a job id.
    function test_Regression_StrangerCannotReleaseOrRefund() public {
        (uint256 id, Job memory j) = createDefault();
        vm.startPrank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NotClient.selector, id, stranger));
        market.cancelJob(id, j);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.DeadlineNotPassed.selector, id, j.deadline));
        market.refund(id, j);
        vm.stopPrank();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.ChallengeWindowOpen.selector, id, j.challengeEnd));
        vm.prank(stranger);
        market.settle(id, j);
        // After the window anyone may settle, but the money goes to the parties, never to the caller.
        vm.warp(j.challengeEnd);
        vm.prank(stranger);
        market.settle(id, j);
        assertEq(market.balanceOf(address(usdt), stranger), 0);
    }

    /// @dev Seed bug: the payer's funds stayed locked forever when the provider vanished.
    function test_Regression_VanishedProviderFundsComeBack() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        vm.warp(j.deadline + 1);
        vm.prank(stranger);
        market.refund(id, j);
        vm.prank(client);
        market.withdraw(address(usdt));
        assertEq(usdt.balanceOf(address(market)), 0);
        assertEq(registry.compensationOf(client), PENALTY);
    }

    /// @dev Also no lock when the arbiter vanishes during a dispute.
    function test_Regression_VanishedArbiterDoesNotLockFunds() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        j = disputeJob(id, j);
        vm.warp(block.timestamp + DISPUTE_TIMEOUT);
        vm.prank(stranger);
        market.resolveDisputeAfterTimeout(id, j);
        uint256 total = market.balanceOf(address(usdt), client) + market.balanceOf(address(usdt), provider)
            + market.balanceOf(address(usdt), treasury);
        assertEq(total, j.maxPayment + j.disputeBond);
    }

    /// @dev Seed bug: the proof could be front-run. The result is bound to the assigned provider's signer.
    function test_Regression_ProofNotFrontRunnable() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NotProviderSigner.selector, provider, stranger));
        vm.prank(stranger);
        market.submitResult(id, j, keccak256("result"), "ipfs://bafyresult", Usage(1, 1), 80e6);
        j = submit(id, j, 80e6);
        vm.prank(client);
        market.settle(id, j);
        assertEq(market.balanceOf(address(usdt), provider), 78e6);
        assertEq(market.balanceOf(address(usdt), stranger), 0);
    }

    /// @dev Seed bug: the fee split was documented and never implemented.
    function test_Regression_FeeSplitImplemented() public {
        JobParams memory p = defaultParams();
        p.creator = creator;
        p.creatorShareBps = 2000;
        (uint256 id, Job memory j) = create(p);
        j = accept(id, j, 100e6);
        j = submit(id, j, 100e6);
        vm.prank(client);
        market.settle(id, j);
        assertEq(market.balanceOf(address(usdt), treasury), 2.5e6);
        assertEq(market.balanceOf(address(usdt), creator), 20e6);
        assertEq(market.balanceOf(address(usdt), provider), 77.5e6);
        assertEq(market.balanceOf(address(usdt), client), 0);
    }
}
