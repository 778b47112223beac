// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MarketFixture} from "./utils/MarketFixture.sol";
import {IJobMarketplace} from "../src/interfaces/IJobMarketplace.sol";
import {IProviderRegistry} from "../src/interfaces/IProviderRegistry.sol";
import {Job, JobParams, JobState, Assignment} from "../src/types/JobTypes.sol";

/// @dev Contracts v2: stake reserved per accepted job (and the self-slashing attack it stops), the arbiter's bound,
/// dispute bonds, assignments bound to the job's terms, the treasury snapshot and the delayed admin.
contract ReservationsTest is MarketFixture {
    /// @dev The attacker's second address: creates dust jobs naming the provider and refunds them to itself.
    address internal accomplice = makeAddr("accomplice");

    function setUp() public override {
        super.setUp();
        usdt.mint(accomplice, 1e12);
        vm.prank(accomplice);
        usdt.approve(address(market), type(uint256).max);
    }

    function _reserved() internal view returns (uint256) {
        return registry.getProvider(provider).reserved;
    }

    /// @dev A 1-wei job of the accomplice naming the provider, accepted directly by the provider (no matcher).
    function _dustJob(uint40 deadline) internal returns (uint256 id, Job memory j) {
        JobParams memory p = defaultParams();
        p.maxPayment = 1;
        p.preferredProvider = provider;
        p.deadline = deadline;
        vm.prank(accomplice);
        id = market.createJob(p);
        j = jobOf(p, accomplice, FEE_BPS);
    }

    /// @dev The provider accepts as many dust jobs as it can; returns them (the last attempt is refused).
    function _drainWithDustJobs(uint40 deadline) internal returns (uint256[] memory ids, Job[] memory jobs) {
        IProviderRegistry.Provider memory rec = registry.getProvider(provider);
        // ceil((stake + unbonding) / penalty) jobs would have drained the whole stake before reservations.
        uint256 n = (uint256(rec.stake) + rec.unbonding + PENALTY - 1) / PENALTY;
        ids = new uint256[](n);
        jobs = new Job[](n);
        uint256 accepted;
        for (uint256 i; i < n; ++i) {
            (uint256 id, Job memory j) = _dustJob(deadline);
            uint256 free = registry.freeStakeOf(provider);
            if (free < PENALTY) {
                vm.expectRevert(
                    abi.encodeWithSelector(IProviderRegistry.InsufficientFreeStake.selector, provider, free, PENALTY)
                );
                vm.prank(signer);
                market.acceptPreferredJob(id, j);
                continue;
            }
            vm.prank(signer);
            market.acceptPreferredJob(id, j);
            j.state = JobState.Assigned;
            j.provider = provider;
            j.price = 1;
            ids[accepted] = id;
            jobs[accepted] = j;
            ++accepted;
        }
        assembly ("memory-safe") {
            mstore(ids, accepted)
            mstore(jobs, accepted)
        }
    }

    function _refundAll(uint256[] memory ids, Job[] memory jobs) internal {
        for (uint256 i; i < ids.length; ++i) {
            vm.prank(accomplice);
            market.refund(ids[i], jobs[i]);
        }
    }

    // ---------------------------------------------------------------- the self-slashing attack (regressions)

    /// @dev Variant 1: the provider means to miss an honest client's deadline and drains its stake to its second
    /// address first. With reservations it can only drain its free stake: the honest job's reservation stays.
    function test_Regression_SelfSlashingCannotStealHonestPenalty() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        assertEq(_reserved(), PENALTY);
        (uint256[] memory ids, Job[] memory jobs) = _drainWithDustJobs(uint40(block.timestamp + 1 hours));
        assertEq(ids.length, 3, "only the free 150 of the 200 stake can back dust jobs");
        // It cannot unstake the honest job's reservation either.
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.AmountExceedsFreeStake.selector, 1, 0));
        vm.prank(provider);
        registry.requestUnstake(1);

        vm.warp(j.deadline + 1);
        _refundAll(ids, jobs);
        assertEq(registry.compensationOf(accomplice), 3 * PENALTY);
        vm.prank(client);
        market.refund(id, j);
        assertEq(registry.compensationOf(client), PENALTY, "the honest client gets its whole penalty");
        IProviderRegistry.Provider memory rec = registry.getProvider(provider);
        assertEq(rec.stake, 0);
        assertEq(rec.reserved, 0);
    }

    /// @dev Variant 2: the provider submits garbage and drains its stake before the arbiter can slash. The
    /// arbiter's slash still takes the honest job's whole reservation.
    function test_Regression_SelfSlashingCannotEscapeArbiter() public {
        (uint256 id, Job memory j) = createDefault();
        j = accept(id, j, 80e6);
        j = submit(id, j, 80e6);
        (uint256[] memory ids, Job[] memory jobs) = _drainWithDustJobs(uint40(block.timestamp + 1 minutes));
        assertEq(ids.length, 3);
        vm.warp(block.timestamp + 2 minutes);
        _refundAll(ids, jobs);
        j = disputeJob(id, j);
        vm.prank(arbiter);
        market.resolveDispute(id, j, 0, PENALTY, j.disputeBond);
        assertEq(registry.compensationOf(client), PENALTY, "the arbiter's slash is not escaped");
        assertEq(_reserved(), 0);
        assertEq(registry.getProvider(provider).stake, 0);
    }

    // ---------------------------------------------------------------- reservations

    function test_RevertWhen_AcceptWithInsufficientFreeStake() public {
        address poor = makeAddr("poorProvider");
        (address poorSigner,) = makeAddrAndKey("poorSigner");
        registerProvider(poor, poorSigner, MIN_STAKE);
        // Two jobs fit into 100 of stake (50 each); the third does not, on either acceptance path.
        for (uint256 i; i < 2; ++i) {
            (uint256 okId, Job memory ok) = createDefault();
            Assignment memory a1 = assignment(okId, poor, 80e6);
            bytes memory sig1 = signAssignment(a1, matcherKey);
            vm.prank(poorSigner);
            market.acceptJob(okId, ok, a1, sig1);
        }
        assertEq(registry.getProvider(poor).reserved, 2 * PENALTY);
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id, poor, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.InsufficientFreeStake.selector, poor, 0, PENALTY));
        vm.prank(poorSigner);
        market.acceptJob(id, j, a, sig);
        JobParams memory p = defaultParams();
        p.preferredProvider = poor;
        (uint256 pid, Job memory pj) = create(p);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.InsufficientFreeStake.selector, poor, 0, PENALTY));
        vm.prank(poorSigner);
        market.acceptPreferredJob(pid, pj);
    }

    function test_RevertWhen_UnstakeReservedStake() public {
        (uint256 id, Job memory j) = createDefault();
        accept(id, j, 80e6);
        uint256 free = 2 * MIN_STAKE - PENALTY;
        assertEq(registry.freeStakeOf(provider), free);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.AmountExceedsFreeStake.selector, free + 1, free));
        vm.prank(provider);
        registry.requestUnstake(free + 1);
        vm.prank(provider);
        registry.requestUnstake(free);
        assertEq(registry.getProvider(provider).stake, PENALTY);
    }

    /// @dev Every terminal path of an accepted job releases (or slashes) exactly its reservation.
    function test_ReservationReleasedOnEveryTerminalPath() public {
        uint256 stake0 = 2 * MIN_STAKE;
        // settle
        (uint256 id, Job memory j) = createDefault();
        j = submit(id, accept(id, j, 80e6), 80e6);
        vm.prank(client);
        market.settle(id, j);
        assertEq(_reserved(), 0, "settle");
        // arbiter, no slash
        (id, j) = createDefault();
        j = disputeJob(id, submit(id, accept(id, j, 80e6), 80e6));
        vm.prank(arbiter);
        market.resolveDispute(id, j, 40e6, 0, 0);
        assertEq(_reserved(), 0, "resolution without slash");
        // arbiter, partial slash: the rest of the reservation is released
        (id, j) = createDefault();
        j = disputeJob(id, submit(id, accept(id, j, 80e6), 80e6));
        vm.prank(arbiter);
        market.resolveDispute(id, j, 40e6, 10e18, 0);
        assertEq(_reserved(), 0, "resolution with slash");
        assertEq(registry.getProvider(provider).stake, stake0 - 10e18);
        // timeout
        (id, j) = createDefault();
        j = disputeJob(id, submit(id, accept(id, j, 80e6), 80e6));
        vm.warp(block.timestamp + DISPUTE_TIMEOUT);
        market.resolveDisputeAfterTimeout(id, j);
        assertEq(_reserved(), 0, "timeout");
        // refund (missed deadline): the whole reservation is slashed
        (id, j) = createDefault();
        j = accept(id, j, 80e6);
        vm.warp(j.deadline + 1);
        market.refund(id, j);
        assertEq(_reserved(), 0, "refund");
        assertEq(registry.getProvider(provider).stake, stake0 - 10e18 - PENALTY);
        // Two jobs at once: ending one leaves exactly the other's reservation.
        (uint256 id1, Job memory j1) = createDefault();
        (uint256 id2, Job memory j2) = createDefault();
        j1 = submit(id1, accept(id1, j1, 80e6), 80e6);
        accept(id2, j2, 80e6);
        assertEq(_reserved(), 2 * PENALTY);
        vm.prank(client);
        market.settle(id1, j1);
        assertEq(_reserved(), PENALTY);
    }

    function test_RevertWhen_ArbiterSlashAboveBound() public {
        (uint256 id, Job memory j) = createDefault();
        j = disputeJob(id, submit(id, accept(id, j, 80e6), 80e6));
        vm.expectRevert(
            abi.encodeWithSelector(IJobMarketplace.SlashExceedsReservation.selector, id, PENALTY + 1, PENALTY)
        );
        vm.prank(arbiter);
        market.resolveDispute(id, j, 0, PENALTY + 1, 0);
        // A 1-wei job cannot cost the provider more than its reservation either.
        vm.prank(arbiter);
        market.resolveDispute(id, j, 0, PENALTY, 0);
        assertEq(registry.getProvider(provider).stake, 2 * MIN_STAKE - PENALTY);
    }

    /// @dev Jobs paid in the staking token reserve 10% of the price between the floor (50) and the cap (150);
    /// other tokens reserve the floor.
    function test_ReservationFor_ShareWithFloorAndCap() public view {
        address stake = address(gpuToken);
        assertEq(market.reservationFor(stake, 0), PENALTY);
        assertEq(market.reservationFor(stake, 100e18), PENALTY);
        assertEq(market.reservationFor(stake, 1000e18), 100e18);
        assertEq(market.reservationFor(stake, 1500e18), RESERVATION_CAP);
        assertEq(market.reservationFor(stake, type(uint128).max), RESERVATION_CAP);
        assertEq(market.reservationFor(address(usdt), 1), PENALTY);
        assertEq(market.reservationFor(address(usdt), type(uint128).max), PENALTY);
    }

    function test_StakingTokenJob_RefundSlashesShareOfPrice() public {
        vm.prank(admin);
        market.setTokenAllowed(address(gpuToken), true);
        gpuToken.mint(client, 1000e18);
        vm.prank(client);
        gpuToken.approve(address(market), type(uint256).max);
        JobParams memory p = defaultParams();
        p.token = address(gpuToken);
        p.maxPayment = 1000e18;
        (uint256 id, Job memory j) = create(p);
        j = accept(id, j, 800e18);
        assertEq(_reserved(), 80e18);
        vm.warp(j.deadline + 1);
        market.refund(id, j);
        assertEq(registry.compensationOf(client), 80e18);
        assertEq(_reserved(), 0);
    }

    // ---------------------------------------------------------------- dispute bonds

    function test_DisputeBond_ProviderWins() public {
        (uint256 id, Job memory j) = createDefault();
        j = disputeJob(id, submit(id, accept(id, j, 80e6), 80e6));
        vm.prank(arbiter);
        market.resolveDispute(id, j, 80e6, 0, j.disputeBond);
        assertEq(market.balanceOf(address(usdt), provider), 78e6 + 4e6, "provider paid and gets the bond");
        assertEq(market.balanceOf(address(usdt), client), 20e6);
    }

    function test_RevertWhen_BondShareAboveBond() public {
        (uint256 id, Job memory j) = createDefault();
        j = disputeJob(id, submit(id, accept(id, j, 80e6), 80e6));
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.BondShareExceedsBond.selector, id, 4e6 + 1, 4e6));
        vm.prank(arbiter);
        market.resolveDispute(id, j, 0, 0, 4e6 + 1);
    }

    /// @dev A dispute of a tiny job still costs the floor; without funds or approval there is no dispute.
    function test_DisputeBond_FloorAndPull() public {
        assertEq(market.disputeBondFor(address(usdt), 1), USDT_BOND_FLOOR);
        assertEq(market.disputeBondFor(address(usdt), 1000e6), 50e6);
        (uint256 id, Job memory j) = createDefault();
        j = submit(id, accept(id, j, 10e6), 10e6);
        vm.prank(client);
        usdt.approve(address(market), 0);
        vm.expectRevert();
        vm.prank(client);
        market.dispute(id, j, bytes32(0));
        vm.prank(client);
        usdt.approve(address(market), type(uint256).max);
        j = disputeJob(id, j);
        assertEq(j.disputeBond, USDT_BOND_FLOOR);
    }

    function test_SetDisputeBondFloor() public {
        vm.expectEmit(address(market));
        emit IJobMarketplace.DisputeBondFloorUpdated(address(usdt), USDT_BOND_FLOOR, 7e6);
        vm.prank(admin);
        market.setDisputeBondFloor(address(usdt), 7e6);
        assertEq(market.disputeBondFloor(address(usdt)), 7e6);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, feeManager, market.DEFAULT_ADMIN_ROLE()
            )
        );
        vm.prank(feeManager);
        market.setDisputeBondFloor(address(usdt), 0);
        vm.expectRevert(IJobMarketplace.ZeroAddress.selector);
        vm.prank(admin);
        market.setDisputeBondFloor(address(0), 0);
    }

    // ---------------------------------------------------------------- assignments bound to the job's terms

    /// @dev A reorg renumbers jobs: the id that the matcher signed for now holds another job. The signature does
    /// not apply to it.
    function test_RevertWhen_AssignmentAppliedToOtherJobWithSameId() public {
        uint256 beforeReorg = vm.snapshotState();
        (uint256 id, Job memory j) = createDefault();
        Assignment memory a = assignment(id, provider, 80e6);
        bytes memory sig = signAssignment(a, matcherKey);
        bytes32 signedHash = market.jobHash(id);
        vm.revertToState(beforeReorg);
        JobParams memory other = defaultParams();
        other.specHash = keccak256("another job");
        (uint256 otherId, Job memory otherJob) = create(other);
        assertEq(otherId, id, "same id after the reorg");
        address recovered = ECDSA.recover(market.hashAssignment(a, market.jobHash(id)), sig);
        assertTrue(recovered != matcher);
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.InvalidMatcherSignature.selector, recovered));
        vm.prank(signer);
        market.acceptJob(id, otherJob, a, sig);
        // The original terms would still have matched.
        assertEq(ECDSA.recover(market.hashAssignment(a, signedHash), sig), matcher);
        j;
    }

    function test_RevertWhen_SyncSignerByNonRegistry() public {
        vm.expectRevert(abi.encodeWithSelector(IJobMarketplace.NotRegistry.selector, admin));
        vm.prank(admin);
        market.syncSigner(provider, admin);
    }

    // ---------------------------------------------------------------- treasury snapshot and admin delay

    function test_TreasurySnapshottedAtCreation() public {
        (uint256 id, Job memory j) = createDefault();
        address newTreasury = makeAddr("newTreasury");
        vm.prank(feeManager);
        market.setTreasury(newTreasury);
        j = submit(id, accept(id, j, 80e6), 80e6);
        vm.prank(client);
        market.settle(id, j);
        assertEq(market.balanceOf(address(usdt), treasury), 2e6, "pending job's fee goes to the old treasury");
        assertEq(market.balanceOf(address(usdt), newTreasury), 0);
        (uint256 id2, Job memory j2) = createDefault();
        assertEq(j2.treasury, newTreasury);
        j2 = submit(id2, accept(id2, j2, 80e6), 80e6);
        vm.prank(client);
        market.settle(id2, j2);
        assertEq(market.balanceOf(address(usdt), newTreasury), 2e6);
    }

    function test_AdminTransferWaitsForDelay() public {
        address next = makeAddr("nextAdmin");
        bytes32 adminRole = market.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminRules.selector);
        vm.prank(admin);
        market.grantRole(adminRole, next);
        vm.prank(admin);
        market.beginDefaultAdminTransfer(next);
        (, uint48 schedule) = market.pendingDefaultAdmin();
        assertEq(schedule, block.timestamp + ADMIN_DELAY);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminDelay.selector, schedule
            )
        );
        vm.prank(next);
        market.acceptDefaultAdminTransfer();
        vm.warp(uint256(schedule) + 1);
        vm.prank(next);
        market.acceptDefaultAdminTransfer();
        assertEq(market.defaultAdmin(), next);
        assertFalse(market.hasRole(adminRole, admin));
    }
}
