// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {MarketFixture} from "./utils/MarketFixture.sol";
import {JobMarketplace} from "../src/JobMarketplace.sol";
import {ProviderRegistry} from "../src/ProviderRegistry.sol";
import {IJobMarketplace} from "../src/interfaces/IJobMarketplace.sol";
import {IProviderRegistry} from "../src/interfaces/IProviderRegistry.sol";
import {
    Job,
    JobKind,
    JobParams,
    JobState,
    Usage,
    Assignment,
    OrderAuth,
    PermitData,
    Payout,
    MarketConfig
} from "../src/types/JobTypes.sol";
import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {TestERC20} from "./tokens/TestERC20.sol";
import {SmartWallet} from "./utils/SmartWallet.sol";

contract JobMarketplaceTest is MarketFixture {
    // ---------------------------------------------------------------- constructor and config

    function test_Constructor_SetsConfig() public view {
        assertEq(address(market.registry()), address(registry));
        assertEq(market.treasury(), treasury);
        assertEq(market.protocolFeeBps(), FEE_BPS);
        assertEq(market.challengeWindow(), CHALLENGE_WINDOW);
        assertEq(market.disputeTimeout(), DISPUTE_TIMEOUT);
        assertEq(market.maxJobDuration(), MAX_JOB_DURATION);
        assertEq(market.reservationFloor(), PENALTY);
        assertEq(market.reservationCap(), RESERVATION_CAP);
        assertEq(market.reservationBps(), RESERVATION_BPS);
        assertEq(market.disputeBondBps(), BOND_BPS);
        assertEq(market.disputeBondFloor(address(usdt)), USDT_BOND_FLOOR);
        assertEq(market.maxProtocolFeeBps(), 1000);
        assertEq(market.maxCreatorShareBps(), 2000);
        assertEq(market.nextJobId(), 1);
        assertTrue(market.hasRole(market.DEFAULT_ADMIN_ROLE(), admin));
        assertEq(market.defaultAdmin(), admin);
        assertEq(market.defaultAdminDelay(), ADMIN_DELAY);
        assertFalse(market.paused());
    }

    function test_RevertWhen_ConstructorRegistryNotBound() public {
        ProviderRegistry r = new ProviderRegistry(address(1), IERC20(address(gpuToken)), MIN_STAKE, UNBONDING);
        vm.expectRevert(IJobMarketplace.InvalidConfig.selector);
        new JobMarketplace(admin, r, marketConfig(0));
    }

    function test_RevertWhen_ConstructorUnbondingTooShort() public {
        address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
        ProviderRegistry r = new ProviderRegistry(predicted, IERC20(address(gpuToken)), MIN_STAKE, 1 days);
        vm.expectRevert(IJobMarketplace.InvalidConfig.selector);
        new JobMarketplace(admin, r, marketConfig(0));
    }

    /// @dev Each bad setting alone fails against a registry that is otherwise correctly bound.
    function test_RevertWhen_ConstructorBadArguments() public {
        MarketConfig[] memory bad = new MarketConfig[](10);
        for (uint256 i; i < bad.length; ++i) {
            bad[i] = marketConfig(PENALTY);
        }
        bad[0].challengeWindow = 0;
        bad[1].disputeTimeout = 0;
        bad[2].maxJobDuration = 0;
        bad[3].maxJobDuration = type(uint32).max;
        (bad[4].maxProtocolFeeBps, bad[4].maxCreatorShareBps, bad[4].protocolFeeBps) = (5000, 5001, 0);
        bad[5].reservationBps = 10_001;
        bad[6].disputeBondBps = 10_001;
        bad[7].reservationCap = uint128(PENALTY) - 1;
        bad[8].reservationFloor = uint128(MIN_STAKE) + 1;
        bad[8].reservationCap = uint128(MIN_STAKE) + 1;
        bad[9].reservationFloor = uint128(MIN_STAKE);
        for (uint256 i; i < bad.length; ++i) {
            address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
            ProviderRegistry r = new ProviderRegistry(predicted, IERC20(address(gpuToken)), MIN_STAKE, UNBONDING);
            if (i == 9) {
                // The floor may equal the minimum stake.
                new JobMarketplace(admin, r, bad[i]);
                continue;
            }
            vm.expectRevert(IJobMarketplace.InvalidConfig.selector);
            new JobMarketplace(admin, r, bad[i]);
        }
        MarketConfig memory c = marketConfig(PENALTY);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector, address(0)
            )
        );
        new JobMarketplace(address(0), registry, c);
        c.treasury = address(0);
        vm.expectRevert(IJobMarketplace.ZeroAddress.selector);
        new JobMarketplace(admin, registry, c);
        c = marketConfig(PENALTY);
        c.protocolFeeBps = 1001;
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.FeeTooHigh.selector, 1001, 1000));
        new JobMarketplace(admin, registry, c);
    }

    // ---------------------------------------------------------------- createJob

    function test_CreateJob_LocksFundsAndEmits() public {
        JobParams memory p = defaultParams();
        Job memory expected = jobOf(p, client, FEE_BPS);
        vm.expectEmit(address(market));
        emit IJobMarketplace.JobCreated(1, client, address(usdt), expected, SPEC_URI, type(uint256).max);
        vm.prank(client);
        uint256 id = market.createJob(p);
        assertEq(id, 1);
        assertEq(market.nextJobId(), 2);
        assertEq(market.jobHash(1), keccak256(abi.encode(expected)));
        assertEq(market.hashJob(expected), keccak256(abi.encode(expected)));
        assertEq(usdt.balanceOf(address(market)), p.maxPayment);
    }

    function test_RevertWhen_CreateJobTokenNotAllowed() public {
        JobParams memory p = defaultParams();
        p.token = address(gpuToken);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.TokenNotAllowed.selector, address(gpuToken)));
        vm.prank(client);
        market.createJob(p);
    }

    function test_RevertWhen_CreateJobZeroPayment() public {
        JobParams memory p = defaultParams();
        p.maxPayment = 0;
        vm.expectRevert(IJobMarketplace.ZeroPayment.selector);
        vm.prank(client);
        market.createJob(p);
    }

    function test_RevertWhen_CreateJobDeadlineInvalid() public {
        JobParams memory p = defaultParams();
        p.deadline = uint40(block.timestamp);
        uint256 maxDeadline = block.timestamp + MAX_JOB_DURATION;
        vm.expectRevert(
            abi.encodeWithSelector(IJobMarketplace.InvalidDeadline.selector, p.deadline, block.timestamp, maxDeadline)
        );
        vm.prank(client);
        market.createJob(p);
        p.deadline = uint40(maxDeadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IJobMarketplace.InvalidDeadline.selector, p.deadline, block.timestamp, maxDeadline)
        );
        vm.prank(client);
        market.createJob(p);
    }

    function test_RevertWhen_CreateJobCreatorShareInvalid() public {
        JobParams memory p = defaultParams();
        p.creatorShareBps = 100;
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidCreatorShare.selector, address(0), 100, 2000));
        vm.prank(client);
        market.createJob(p);
        p.creator = creator;
        p.creatorShareBps = 2001;
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidCreatorShare.selector, creator, 2001, 2000));
        vm.prank(client);
        market.createJob(p);
    }

    function test_RevertWhen_CreateJobWhilePaused() public {
        vm.prank(pauser);
        market.pause();
        JobParams memory p = defaultParams();
        vm.expectRevert(IJobMarketplace.MarketIsPaused.selector);
        vm.prank(client);
        market.createJob(p);
    }

    function test_RevertWhen_CreateJobWithoutAllowance() public {
        JobParams memory p = defaultParams();
        vm.prank(client);
        usdt.approve(address(market), 0);
        vm.expectRevert();
        vm.prank(client);
        market.createJob(p);
    }

    // ---------------------------------------------------------------- permit path

    function _permit(uint256 value, uint256 key, address owner) internal view returns (PermitData memory pd) {
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                owner,
                address(market),
                value,
                usdt.nonces(owner),
                block.timestamp + 1 hours
            )
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", usdt.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        pd = PermitData({value: value, deadline: block.timestamp + 1 hours, v: v, r: r, s: s});
    }

    function test_CreateJobWithPermit_UsesPermit() public {
        vm.prank(client);
        usdt.approve(address(market), 0);
        JobParams memory p = defaultParams();
        PermitData memory pd = _permit(p.maxPayment, clientKey, client);
        vm.prank(client);
        uint256 id = market.createJobWithPermit(p, pd);
        assertEq(id, 1);
        assertEq(usdt.balanceOf(address(market)), p.maxPayment);
    }

    function test_CreateJobWithPermit_InvalidPermitFallsBackToAllowance() public {
        JobParams memory p = defaultParams();
        PermitData memory pd = PermitData({value: 1, deadline: 0, v: 27, r: bytes32(0), s: bytes32(0)});
        vm.prank(client);
        market.createJobWithPermit(p, pd);
        assertEq(usdt.balanceOf(address(market)), p.maxPayment);
    }

    // ---------------------------------------------------------------- order path

    function _auth(uint256 nonce) internal view returns (OrderAuth memory) {
        return OrderAuth({client: client, nonce: nonce, expiry: uint64(block.timestamp + 1 hours)});
    }

    function test_CreateJobFromOrder_ByRelayer() public {
        JobParams memory p = defaultParams();
        OrderAuth memory auth = _auth(42);
        bytes memory sig = signOrder(p, auth, clientKey);
        Job memory expected = jobOf(p, client, FEE_BPS);
        vm.expectEmit(address(market));
        emit IJobMarketplace.JobCreated(1, client, address(usdt), expected, SPEC_URI, 42);
        vm.prank(stranger);
        uint256 id = market.createJobFromOrder(p, auth, sig);
        assertEq(market.jobHash(id), keccak256(abi.encode(expected)));
        assertTrue(market.isNonceUsed(client, 42));
        assertEq(usdt.balanceOf(address(market)), p.maxPayment);
    }

    function test_CreateJobFromOrderWithPermit() public {
        vm.prank(client);
        usdt.approve(address(market), 0);
        JobParams memory p = defaultParams();
        OrderAuth memory auth = _auth(1);
        bytes memory sig = signOrder(p, auth, clientKey);
        PermitData memory pd = _permit(p.maxPayment, clientKey, client);
        vm.prank(stranger);
        market.createJobFromOrderWithPermit(p, auth, sig, pd);
        assertEq(usdt.balanceOf(address(market)), p.maxPayment);
    }

    function test_RevertWhen_OrderExpired() public {
        JobParams memory p = defaultParams();
        OrderAuth memory auth = _auth(1);
        bytes memory sig = signOrder(p, auth, clientKey);
        vm.warp(auth.expiry + 1);
        p.deadline = uint40(block.timestamp + 1 days);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.OrderExpired.selector, auth.expiry, block.timestamp));
        market.createJobFromOrder(p, auth, sig);
    }

    function test_RevertWhen_OrderSignedByOther() public {
        JobParams memory p = defaultParams();
        OrderAuth memory auth = _auth(1);
        bytes memory sig = signOrder(p, auth, signerKey);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidOrderSignature.selector, client));
        market.createJobFromOrder(p, auth, sig);
    }

    function test_RevertWhen_OrderTampered() public {
        JobParams memory p = defaultParams();
        OrderAuth memory auth = _auth(1);
        bytes memory sig = signOrder(p, auth, clientKey);
        p.maxPayment += 1;
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidOrderSignature.selector, client));
        market.createJobFromOrder(p, auth, sig);
    }

    function test_CreateJobFromOrder_ERC1271Wallet() public {
        SmartWallet wallet = new SmartWallet(client);
        usdt.mint(address(wallet), 1000e6);
        vm.prank(client);
        wallet.approve(IERC20(address(usdt)), address(market), type(uint256).max);
        JobParams memory p = defaultParams();
        OrderAuth memory auth = OrderAuth({client: address(wallet), nonce: 1, expiry: uint64(block.timestamp + 1)});
        bytes memory sig = signOrder(p, auth, clientKey);
        vm.prank(stranger);
        uint256 id = market.createJobFromOrder(p, auth, sig);
        assertEq(market.jobHash(id), keccak256(abi.encode(jobOf(p, address(wallet), FEE_BPS))));
        assertEq(usdt.balanceOf(address(wallet)), 900e6);
        bytes memory wrong = signOrder(p, OrderAuth(address(wallet), 2, auth.expiry), signerKey);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidOrderSignature.selector, address(wallet)));
        market.createJobFromOrder(p, OrderAuth(address(wallet), 2, auth.expiry), wrong);
    }

    function test_RevertWhen_CreateJobFromOrderWhilePaused() public {
        JobParams memory p = defaultParams();
        OrderAuth memory auth = _auth(1);
        bytes memory sig = signOrder(p, auth, clientKey);
        vm.prank(pauser);
        market.pause();
        vm.expectRevert(IJobMarketplace.MarketIsPaused.selector);
        market.createJobFromOrder(p, auth, sig);
        assertFalse(market.isNonceUsed(client, 1));
    }

    function test_RevertWhen_OrderUsesReservedNonce() public {
        uint256 reserved = type(uint256).max;
        JobParams memory p = defaultParams();
        OrderAuth memory auth = _auth(reserved);
        bytes memory sig = signOrder(p, auth, clientKey);
        assertTrue(market.isNonceUsed(client, reserved));
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NonceAlreadyUsed.selector, client, reserved));
        market.createJobFromOrder(p, auth, sig);
    }

    function test_CancelOrderNonce_BlocksOrder() public {
        JobParams memory p = defaultParams();
        OrderAuth memory auth = _auth(300);
        bytes memory sig = signOrder(p, auth, clientKey);
        vm.expectEmit(address(market));
        emit IJobMarketplace.OrderNonceCancelled(client, 300);
        vm.prank(client);
        market.cancelOrderNonce(300);
        assertTrue(market.isNonceUsed(client, 300));
        assertFalse(market.isNonceUsed(client, 301));
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NonceAlreadyUsed.selector, client, 300));
        market.createJobFromOrder(p, auth, sig);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NonceAlreadyUsed.selector, client, 300));
        vm.prank(client);
        market.cancelOrderNonce(300);
    }

    // ---------------------------------------------------------------- acceptJob

    function test_AcceptJob_AssignsAndEmits() public {
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.expectEmit(address(market));
        emit IJobMarketplace.JobAccepted(id, client, provider, 80e6, uint128(PENALTY), signer, matcher);
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
        j.state = JobState.Assigned;
        j.provider = provider;
        j.price = 80e6;
        assertEq(market.jobHash(id), keccak256(abi.encode(j)));
    }

    function test_RevertWhen_AcceptJobStaleStruct() public {
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        j.maxPayment += 1;
        bytes32 stored = market.jobHash(id);
        vm.expectRevert(
            abi.encodeWithSelector(IJobMarketplace.JobMismatch.selector, id, stored, keccak256(abi.encode(j)))
        );
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
    }

    function test_RevertWhen_AcceptJobTwice() public {
        (uint256 id, Job memory j) = createDefault();
        Job memory assigned = accept(id, j, 80e6);
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidJobState.selector, id, JobState.Assigned));
        vm.prank(signer);
        market.acceptJob(id, assigned, a, sig);
    }

    function test_RevertWhen_AcceptJobAfterDeadline() public {
        (uint256 id, Job memory j) = createDefault();
        vm.warp(j.deadline + 1);
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.DeadlinePassed.selector, id, j.deadline));
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
    }

    function test_RevertWhen_AcceptJobAssignmentForOtherJob() public {
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id + 1, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.AssignmentJobMismatch.selector, id + 1, id));
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
    }

    function test_RevertWhen_AcceptJobAssignmentExpired() public {
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.warp(a.expiry + 1);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.AssignmentExpired.selector, a.expiry, block.timestamp));
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
    }

    function test_RevertWhen_AcceptJobPriceAboveMax() public {
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id, provider, j.maxPayment + 1);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.PriceExceedsMax.selector, a.price, j.maxPayment));
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
    }

    function test_RevertWhen_AcceptJobSignedByNonMatcher() public {
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, signerKey);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidMatcherSignature.selector, signer));
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
    }

    function test_RevertWhen_AcceptJobByNonSigner() public {
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NotProviderSigner.selector, provider, provider));
        vm.prank(provider);
        market.acceptJob(id, j, a, sig);
    }

    function test_RevertWhen_AcceptJobProviderIneligible() public {
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.prank(provider);
        registry.setActive(false);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.ProviderInactive.selector, provider));
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
        vm.prank(provider);
        registry.setActive(true);
        vm.prank(provider);
        registry.requestUnstake(MIN_STAKE + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.InsufficientStake.selector, provider, MIN_STAKE - 1, MIN_STAKE)
        );
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
    }

    function test_RevertWhen_AcceptJobAttestationExpired() public {
        uint40 expiry = uint40(block.timestamp + 1 hours);
        vm.prank(provider);
        registry.update(signer, keccak256("report"), expiry, "u");
        (uint256 id, Job memory j) = createDefault();
        vm.warp(expiry);
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.AttestationExpired.selector, provider, expiry));
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
    }

    function test_RevertWhen_AcceptJobNotPreferredProvider() public {
        JobParams memory p = defaultParams();
        p.preferredProvider = makeAddr("otherProvider");
        (uint256 id, Job memory j) = create(p);
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.expectRevert(
            abi.encodeWithSelector(IJobMarketplace.NotPreferredProvider.selector, id, p.preferredProvider, provider)
        );
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
    }

    function test_RevertWhen_AcceptJobWhilePaused() public {
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.prank(pauser);
        market.pause();
        vm.expectRevert(IJobMarketplace.MarketIsPaused.selector);
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
    }

    // ---------------------------------------------------------------- acceptPreferredJob

    function test_AcceptPreferredJob_AtMaxPayment() public {
        JobParams memory p = defaultParams();
        p.preferredProvider = provider;
        (uint256 id, Job memory j) = create(p);
        vm.expectEmit(address(market));
        emit IJobMarketplace.JobAccepted(id, client, provider, p.maxPayment, uint128(PENALTY), signer, address(0));
        vm.prank(signer);
        market.acceptPreferredJob(id, j);
        j.state = JobState.Assigned;
        j.provider = provider;
        j.price = p.maxPayment;
        assertEq(market.jobHash(id), keccak256(abi.encode(j)));
    }

    function test_RevertWhen_AcceptPreferredJobWithoutPreference() public {
        (uint256 id, Job memory j) = createDefault();
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NoPreferredProvider.selector, id));
        vm.prank(signer);
        market.acceptPreferredJob(id, j);
    }

    function test_RevertWhen_AcceptPreferredJobByOther() public {
        JobParams memory p = defaultParams();
        p.preferredProvider = provider;
        (uint256 id, Job memory j) = create(p);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NotProviderSigner.selector, provider, stranger));
        vm.prank(stranger);
        market.acceptPreferredJob(id, j);
    }

    function test_RevertWhen_AcceptPreferredJobPausedOrLateOrWrongState() public {
        JobParams memory p = defaultParams();
        p.preferredProvider = provider;
        (uint256 id, Job memory j) = create(p);
        vm.prank(pauser);
        market.pause();
        vm.expectRevert(IJobMarketplace.MarketIsPaused.selector);
        vm.prank(signer);
        market.acceptPreferredJob(id, j);
        vm.prank(pauser);
        market.unpause();
        vm.warp(j.deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.DeadlinePassed.selector, id, j.deadline));
        vm.prank(signer);
        market.acceptPreferredJob(id, j);
        vm.warp(j.deadline);
        vm.prank(client);
        market.cancelJob(id, j);
        // A finished job's hash is deleted: neither the old nor the cancelled struct matches any more.
        Job memory cancelled = withState(j, JobState.Cancelled);
        vm.expectRevert(
            abi.encodeWithSelector(
                IJobMarketplace.JobMismatch.selector, id, bytes32(0), keccak256(abi.encode(cancelled))
            )
        );
        vm.prank(signer);
        market.acceptPreferredJob(id, cancelled);
    }

    // ---------------------------------------------------------------- cancelJob

    function test_CancelJob_RefundsClient() public {
        (uint256 id, Job memory j) = createDefault();
        vm.expectEmit(address(market));
        emit IJobMarketplace.JobCancelled(id, client, address(usdt), j.maxPayment);
        vm.prank(client);
        market.cancelJob(id, j);
        assertEq(market.balanceOf(address(usdt), client), j.maxPayment);
        assertEq(market.jobHash(id), bytes32(0), "a finished job's hash is deleted");
    }

    function test_RevertWhen_CancelJobByStranger() public {
        (uint256 id, Job memory j) = createDefault();
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NotClient.selector, id, stranger));
        vm.prank(stranger);
        market.cancelJob(id, j);
    }

    function test_RevertWhen_CancelJobAssigned() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidJobState.selector, id, JobState.Assigned));
        vm.prank(client);
        market.cancelJob(id, j);
    }

    function test_CancelJob_WorksWhilePaused() public {
        (uint256 id, Job memory j) = createDefault();
        vm.prank(pauser);
        market.pause();
        vm.prank(client);
        market.cancelJob(id, j);
        assertEq(market.balanceOf(address(usdt), client), j.maxPayment);
    }

    // ---------------------------------------------------------------- submitResult

    function test_SubmitResult_OpensWindowAndEmits() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        Usage memory u = Usage(1200, 3600);
        vm.expectEmit(address(market));
        emit IJobMarketplace.ResultSubmitted(
            id,
            client,
            provider,
            keccak256("result"),
            "ipfs://bafyresult",
            u,
            70e6,
            uint40(block.timestamp + CHALLENGE_WINDOW)
        );
        j = submit(id, j, 70e6);
        assertEq(market.jobHash(id), keccak256(abi.encode(j)));
    }

    function test_RevertWhen_SubmitResultByStranger() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NotProviderSigner.selector, provider, stranger));
        vm.prank(stranger);
        market.submitResult(id, j, keccak256("result"), "x", Usage(1, 1), 1);
    }

    function test_RevertWhen_SubmitResultAboveprice() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.AmountDueExceedsPrice.selector, 80e6 + 1, 80e6));
        vm.prank(signer);
        market.submitResult(id, j, keccak256("result"), "x", Usage(1, 1), 80e6 + 1);
    }

    function test_RevertWhen_SubmitResultAfterDeadline() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        vm.warp(j.deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.DeadlinePassed.selector, id, j.deadline));
        vm.prank(signer);
        market.submitResult(id, j, keccak256("result"), "x", Usage(1, 1), 1);
    }

    function test_RevertWhen_SubmitResultNotAssigned() public {
        (uint256 id, Job memory j) = createDefault();
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidJobState.selector, id, JobState.Open));
        vm.prank(signer);
        market.submitResult(id, j, keccak256("result"), "x", Usage(1, 1), 0);
    }

    function test_SubmitResult_AfterSignerRotationOnlyNewSigner() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        address newSigner = makeAddr("newSigner");
        vm.prank(provider);
        registry.update(newSigner, keccak256("r2"), uint40(block.timestamp + 30 days), "u");
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NotProviderSigner.selector, provider, signer));
        vm.prank(signer);
        market.submitResult(id, j, keccak256("result"), "x", Usage(1, 1), 1);
        vm.prank(newSigner);
        market.submitResult(id, j, keccak256("result"), "x", Usage(1, 1), 1);
    }

    // ---------------------------------------------------------------- settle

    function test_Settle_ClientEarlySplitsExactly() public {
        JobParams memory p = defaultParams();
        p.creator = creator;
        p.creatorShareBps = 1000;
        (uint256 id, Job memory j) = create(p);
        j = accept(id, j, 80e6);
        j = submit(id, j, 70e6);
        // fee 2.5% of 70 = 1.75; creator 10% = 7; provider 61.25; client 30.
        Payout memory expected = Payout(treasury, 1_750_000, 7e6, 61_250_000, 30e6);
        vm.expectEmit(address(market));
        emit IJobMarketplace.JobSettled(id, client, provider, address(usdt), expected, client);
        vm.prank(client);
        market.settle(id, j);
        assertEq(market.balanceOf(address(usdt), treasury), 1_750_000);
        assertEq(market.balanceOf(address(usdt), creator), 7e6);
        assertEq(market.balanceOf(address(usdt), provider), 61_250_000);
        assertEq(market.balanceOf(address(usdt), client), 30e6);
        assertEq(market.jobHash(id), bytes32(0), "a finished job's hash is deleted");
    }

    function test_Settle_AnyoneAfterWindow() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        vm.warp(j.challengeEnd);
        vm.prank(stranger);
        market.settle(id, j);
        assertEq(market.balanceOf(address(usdt), client), 20e6);
    }

    function test_RevertWhen_SettleByStrangerBeforeWindowEnd() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        vm.warp(j.challengeEnd - 1);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.ChallengeWindowOpen.selector, id, j.challengeEnd));
        vm.prank(stranger);
        market.settle(id, j);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.ChallengeWindowOpen.selector, id, j.challengeEnd));
        vm.prank(provider);
        market.settle(id, j);
    }

    function test_RevertWhen_SettleTwice() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        vm.prank(client);
        market.settle(id, j);
        bytes32 stored = market.jobHash(id);
        vm.expectRevert(
            abi.encodeWithSelector(IJobMarketplace.JobMismatch.selector, id, stored, keccak256(abi.encode(j)))
        );
        vm.prank(client);
        market.settle(id, j);
        // The settled struct does not match either: a finished job's hash is deleted.
        Job memory settled = withState(j, JobState.Settled);
        vm.expectRevert(
            abi.encodeWithSelector(IJobMarketplace.JobMismatch.selector, id, bytes32(0), keccak256(abi.encode(settled)))
        );
        vm.prank(client);
        market.settle(id, settled);
    }

    // ---------------------------------------------------------------- disputes

    function test_Dispute_WithinWindow() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        vm.expectEmit(address(market));
        emit IJobMarketplace.JobDisputed(id, client, provider, keccak256("bad result"), uint40(block.timestamp), 4e6);
        uint256 clientTokens = usdt.balanceOf(client);
        j = disputeJob(id, j);
        assertEq(j.disputeBond, 4e6, "bond = 5% of the price 80");
        assertEq(market.jobHash(id), keccak256(abi.encode(j)));
        assertEq(usdt.balanceOf(client), clientTokens - 4e6, "bond pulled from the client");
        assertEq(usdt.balanceOf(address(market)), j.maxPayment + 4e6);
    }

    function test_RevertWhen_DisputeByStranger() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NotClient.selector, id, stranger));
        vm.prank(stranger);
        market.dispute(id, j, bytes32(0));
    }

    function test_RevertWhen_DisputeAfterWindow() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        vm.warp(j.challengeEnd);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.ChallengeWindowClosed.selector, id, j.challengeEnd));
        vm.prank(client);
        market.dispute(id, j, bytes32(0));
    }

    function test_RevertWhen_DisputeNotSubmitted() public {
        (uint256 id, Job memory j) = createDefault();
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidJobState.selector, id, JobState.Open));
        vm.prank(client);
        market.dispute(id, j, bytes32(0));
    }

    function test_ResolveDispute_SplitsAndSlashes() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        j = disputeJob(id, j);
        Payout memory expected = Payout(treasury, 500_000, 0, 19_500_000, 80e6);
        vm.expectEmit(address(market));
        emit IJobMarketplace.JobDisputeResolved(
            id, client, provider, address(usdt), expected, 20e6, 30e18, 1e6, arbiter, false
        );
        vm.prank(arbiter);
        market.resolveDispute(id, j, 20e6, 30e18, 1e6);
        // Split bond: 1 to the provider, 3 back to the client.
        assertEq(market.balanceOf(address(usdt), client), 80e6 + 3e6);
        assertEq(market.balanceOf(address(usdt), provider), 19_500_000 + 1e6);
        assertEq(registry.compensationOf(client), 30e18);
        IProviderRegistry.Provider memory rec = registry.getProvider(provider);
        assertEq(rec.stake, 2 * MIN_STAKE - 30e18);
        assertEq(rec.reserved, 0, "the rest of the reservation is released");
    }

    function test_ResolveDispute_NoSlash() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        j = disputeJob(id, j);
        vm.prank(arbiter);
        market.resolveDispute(id, j, 0, 0, 0);
        // Client wins: everything back, bond included.
        assertEq(market.balanceOf(address(usdt), client), 100e6 + 4e6);
        assertEq(market.balanceOf(address(usdt), provider), 0);
        assertEq(registry.compensationOf(client), 0);
        assertEq(registry.getProvider(provider).reserved, 0);
    }

    function test_RevertWhen_ResolveDisputeByNonArbiter() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        j = disputeJob(id, j);
        address[4] memory others = [client, provider, admin, matcher];
        for (uint256 i; i < others.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAccessControl.AccessControlUnauthorizedAccount.selector, others[i], market.ARBITER_ROLE()
                )
            );
            vm.prank(others[i]);
            market.resolveDispute(id, j, 0, 0, 0);
        }
    }

    function test_RevertWhen_ResolveDisputeAmountAboveDue() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 70e6);
        j = disputeJob(id, j);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.ProviderAmountExceedsDue.selector, 70e6 + 1, 70e6));
        vm.prank(arbiter);
        market.resolveDispute(id, j, 70e6 + 1, 0, 0);
    }

    function test_RevertWhen_ResolveDisputeNotDisputed() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 70e6);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidJobState.selector, id, JobState.Submitted));
        vm.prank(arbiter);
        market.resolveDispute(id, j, 0, 0, 0);
    }

    function test_ResolveDisputeAfterTimeout_SettlesAsSubmitted() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        j = disputeJob(id, j);
        vm.warp(uint256(j.disputedAt) + DISPUTE_TIMEOUT);
        Payout memory expected = Payout(treasury, 2e6, 0, 78e6, 20e6);
        vm.expectEmit(address(market));
        emit IJobMarketplace.JobDisputeResolved(
            id, client, provider, address(usdt), expected, 80e6, 0, 4e6, address(0), true
        );
        vm.prank(stranger);
        market.resolveDisputeAfterTimeout(id, j);
        // The arbiter never acted: the bond goes to the provider.
        assertEq(market.balanceOf(address(usdt), provider), 78e6 + 4e6);
        assertEq(market.balanceOf(address(usdt), client), 20e6);
        assertEq(registry.getProvider(provider).reserved, 0);
        assertEq(market.jobHash(id), bytes32(0));
    }

    function test_RevertWhen_ResolveDisputeAfterTimeoutTooEarly() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        j = disputeJob(id, j);
        uint256 timeoutAt = uint256(j.disputedAt) + DISPUTE_TIMEOUT;
        vm.warp(timeoutAt - 1);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.DisputeTimeoutNotReached.selector, id, timeoutAt));
        market.resolveDisputeAfterTimeout(id, j);
    }

    function test_RevertWhen_ResolveDisputeAfterTimeoutNotDisputed() public {
        (uint256 id, Job memory j) = createDefault();
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidJobState.selector, id, JobState.Open));
        market.resolveDisputeAfterTimeout(id, j);
    }

    // ---------------------------------------------------------------- refund

    function test_Refund_UnacceptedAfterDeadline() public {
        (uint256 id, Job memory j) = createDefault();
        vm.warp(j.deadline + 1);
        vm.expectEmit(address(market));
        emit IJobMarketplace.JobRefunded(id, client, address(0), address(usdt), j.maxPayment, 0, stranger);
        vm.prank(stranger);
        market.refund(id, j);
        assertEq(market.balanceOf(address(usdt), client), j.maxPayment);
        assertEq(registry.compensationOf(client), 0);
    }

    function test_Refund_AcceptedButSilentSlashesPenalty() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        vm.warp(j.deadline + 1);
        vm.expectEmit(address(market));
        emit IJobMarketplace.JobRefunded(id, client, provider, address(usdt), j.maxPayment, PENALTY, stranger);
        vm.prank(stranger);
        market.refund(id, j);
        assertEq(market.balanceOf(address(usdt), client), j.maxPayment);
        assertEq(registry.compensationOf(client), PENALTY);
        assertEq(registry.getProvider(provider).stake, 2 * MIN_STAKE - PENALTY);
        assertEq(registry.getProvider(provider).reserved, 0);
    }

    function test_Refund_ZeroPenaltyConfigSkipsSlash() public {
        (market, registry) = deployMarket(address(gpuToken), 0);
        vm.startPrank(admin);
        market.grantRole(market.MATCHER_ROLE(), matcher);
        market.setTokenAllowed(address(usdt), true);
        vm.stopPrank();
        registerProvider(provider, signer, MIN_STAKE);
        vm.prank(client);
        usdt.approve(address(market), type(uint256).max);
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        vm.warp(j.deadline + 1);
        market.refund(id, j);
        assertEq(registry.compensationOf(client), 0);
    }

    function test_RevertWhen_RefundBeforeDeadline() public {
        (uint256 id, Job memory j) = createDefault();
        vm.warp(j.deadline);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.DeadlineNotPassed.selector, id, j.deadline));
        market.refund(id, j);
    }

    function test_RevertWhen_RefundSubmitted() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        vm.warp(j.deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidJobState.selector, id, JobState.Submitted));
        market.refund(id, j);
    }

    function test_RevertWhen_UnknownJob() public {
        (, Job memory j) = createDefault();
        vm.expectRevert(
            abi.encodeWithSelector(IJobMarketplace.JobMismatch.selector, 99, bytes32(0), keccak256(abi.encode(j)))
        );
        market.refund(99, j);
    }

    // ---------------------------------------------------------------- withdraw

    function test_Withdraw_PaysOwnBalance() public {
        (uint256 id, Job memory j) = createDefault();
        vm.prank(client);
        market.cancelJob(id, j);
        uint256 before = usdt.balanceOf(client);
        vm.expectEmit(address(market));
        emit IJobMarketplace.Withdrawn(client, address(usdt), j.maxPayment);
        vm.prank(client);
        assertEq(market.withdraw(address(usdt)), j.maxPayment);
        assertEq(usdt.balanceOf(client), before + j.maxPayment);
        assertEq(market.balanceOf(address(usdt), client), 0);
    }

    function test_RevertWhen_WithdrawNothing() public {
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NothingToWithdraw.selector, stranger, address(usdt)));
        vm.prank(stranger);
        market.withdraw(address(usdt));
    }

    function test_Withdraw_WorksWhilePausedAndAfterDelisting() public {
        (uint256 id, Job memory j) = createDefault();
        vm.prank(client);
        market.cancelJob(id, j);
        vm.prank(pauser);
        market.pause();
        vm.prank(admin);
        market.setTokenAllowed(address(usdt), false);
        vm.prank(client);
        market.withdraw(address(usdt));
        assertEq(market.balanceOf(address(usdt), client), 0);
    }

    // ---------------------------------------------------------------- pause keeps exits open

    function test_Pause_DoesNotBlockSubmitSettleDisputeRefund() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        (uint256 id2, Job memory j2) = createDefault();
        j2 = accept(id2, j2, 80e6);
        vm.prank(pauser);
        market.pause();
        j = submit(id, j, 80e6);
        j = disputeJob(id, j);
        vm.prank(arbiter);
        market.resolveDispute(id, j, 10e6, 0, 0);
        vm.warp(j2.deadline + 1);
        market.refund(id2, j2);
    }

    // ---------------------------------------------------------------- privileged functions

    function test_SetTokenAllowed() public {
        vm.expectEmit(address(market));
        emit IJobMarketplace.TokenAllowlistUpdated(address(gpuToken), true);
        vm.prank(admin);
        market.setTokenAllowed(address(gpuToken), true);
        assertTrue(market.isTokenAllowed(address(gpuToken)));
        vm.expectRevert(IJobMarketplace.ZeroAddress.selector);
        vm.prank(admin);
        market.setTokenAllowed(address(0), true);
    }

    function test_RevertWhen_SetTokenAllowedByNonAdmin() public {
        address[5] memory others = [matcher, arbiter, pauser, feeManager, stranger];
        for (uint256 i; i < others.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAccessControl.AccessControlUnauthorizedAccount.selector, others[i], market.DEFAULT_ADMIN_ROLE()
                )
            );
            vm.prank(others[i]);
            market.setTokenAllowed(address(gpuToken), true);
        }
    }

    function test_SetProtocolFee() public {
        vm.expectEmit(address(market));
        emit IJobMarketplace.ProtocolFeeUpdated(FEE_BPS, 1000);
        vm.prank(feeManager);
        market.setProtocolFee(1000);
        assertEq(market.protocolFeeBps(), 1000);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.FeeTooHigh.selector, 1001, 1000));
        vm.prank(feeManager);
        market.setProtocolFee(1001);
    }

    function test_SetProtocolFee_DoesNotChangeExistingJobs() public {
        (uint256 id, Job memory j) = createDefault();
        vm.prank(feeManager);
        market.setProtocolFee(1000);
        j = accept(id, j, 100e6);
        j = submit(id, j, 100e6);
        vm.prank(client);
        market.settle(id, j);
        assertEq(market.balanceOf(address(usdt), treasury), 2.5e6);
    }

    function test_RevertWhen_SetProtocolFeeOrTreasuryByNonFeeManager() public {
        address[5] memory others = [admin, matcher, arbiter, pauser, stranger];
        bytes32 role = market.FEE_MANAGER_ROLE();
        for (uint256 i; i < others.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, others[i], role)
            );
            vm.prank(others[i]);
            market.setProtocolFee(0);
            vm.expectRevert(
                abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, others[i], role)
            );
            vm.prank(others[i]);
            market.setTreasury(stranger);
        }
    }

    function test_SetTreasury() public {
        vm.expectEmit(address(market));
        emit IJobMarketplace.TreasuryUpdated(treasury, stranger);
        vm.prank(feeManager);
        market.setTreasury(stranger);
        assertEq(market.treasury(), stranger);
        vm.expectRevert(IJobMarketplace.ZeroAddress.selector);
        vm.prank(feeManager);
        market.setTreasury(address(0));
    }

    function test_PauseUnpause() public {
        vm.expectEmit(address(market));
        emit IJobMarketplace.MarketPaused(pauser);
        vm.prank(pauser);
        market.pause();
        assertTrue(market.paused());
        vm.expectRevert(IJobMarketplace.MarketIsPaused.selector);
        vm.prank(pauser);
        market.pause();
        vm.expectEmit(address(market));
        emit IJobMarketplace.MarketUnpaused(pauser);
        vm.prank(pauser);
        market.unpause();
        assertFalse(market.paused());
        vm.expectRevert(IJobMarketplace.MarketNotPaused.selector);
        vm.prank(pauser);
        market.unpause();
    }

    function test_RevertWhen_PauseByNonPauser() public {
        address[5] memory others = [admin, matcher, arbiter, feeManager, stranger];
        bytes32 role = market.PAUSER_ROLE();
        for (uint256 i; i < others.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, others[i], role)
            );
            vm.prank(others[i]);
            market.pause();
            vm.expectRevert(
                abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, others[i], role)
            );
            vm.prank(others[i]);
            market.unpause();
        }
    }

    function test_RevertWhen_GrantRoleByNonAdmin() public {
        bytes32 role = market.MATCHER_ROLE();
        bytes32 adminRole = market.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, adminRole)
        );
        vm.prank(stranger);
        market.grantRole(role, stranger);
    }

    // ---------------------------------------------------------------- views

    function test_DomainAndTypehashes() public view {
        assertEq(
            market.JOB_ORDER_TYPEHASH(),
            keccak256(
                "JobOrder(uint8 kind,address token,uint128 maxPayment,uint40 deadline,address preferredProvider,address creator,uint16 creatorShareBps,bytes32 specHash,string specURI,address client,uint256 nonce,uint64 expiry)"
            )
        );
        assertEq(
            market.ASSIGNMENT_TYPEHASH(),
            keccak256("Assignment(uint256 jobId,bytes32 jobHash,address provider,uint128 price,uint64 expiry)")
        );
        bytes32 expected = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("GpuMarket"),
                keccak256("1"),
                block.chainid,
                address(market)
            )
        );
        assertEq(market.domainSeparator(), expected);
    }

    function test_AllJobKindsCreate() public {
        for (uint8 k; k < 4; ++k) {
            JobParams memory p = defaultParams();
            p.kind = JobKind(k);
            (uint256 id, Job memory j) = create(p);
            assertEq(market.jobHash(id), keccak256(abi.encode(j)));
        }
    }
}
