// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {JobMarketplace} from "../../src/JobMarketplace.sol";
import {ProviderRegistry} from "../../src/ProviderRegistry.sol";
import {IProviderRegistry} from "../../src/interfaces/IProviderRegistry.sol";
import {Job, JobKind, JobParams, JobState, Usage, Assignment} from "../../src/types/JobTypes.sol";

interface IMintable {
    function mint(address to, uint256 amount) external;
    function approve(address spender, uint256 amount) external;
    function balanceOf(address account) external view returns (uint256);
}

/// @dev Drives the marketplace and registry through valid actions only (fail_on_revert = true), keeping ghost
/// copies of every job, the locked amount per token, and what each job paid out.
contract MarketHandler is Test {
    JobMarketplace public market;
    ProviderRegistry public registry;
    IMintable public stakeToken;
    address[] public tokens;
    address[] public clients;
    address[] public providers;
    address[] public signers;
    address[] public accounts; // every account that can hold a pull balance
    uint256 public matcherKey;
    address public arbiter;
    address public creator;
    address public stranger = makeAddr("handlerStranger");

    uint256[] public jobIds;
    mapping(uint256 => Job) internal _jobs;
    /// @dev Per token: maxPayment of unfinished jobs plus the dispute bonds of disputed jobs.
    mapping(address token => uint256) public ghostLocked;
    /// @dev Per provider: the reservations of its accepted, unfinished jobs (the handler's own bookkeeping).
    mapping(address provider => uint256) public ghostReserved;
    /// @dev The reservation each accepted job got (from JobAccepted's view: reservationFor at acceptance).
    mapping(uint256 => uint256) public reservationOf;
    mapping(uint256 => uint256) public credited;
    mapping(uint256 => uint256) public payouts;
    bool public stateWentBackwards;
    bool public hashMismatch;
    bool public doublePaySucceeded;
    uint256 public ghostCompensation;
    /// @dev How many times each transition really happened (to show the campaign reaches every state).
    mapping(JobState => uint256) public reached;

    constructor(
        JobMarketplace market_,
        ProviderRegistry registry_,
        address[] memory tokens_,
        IMintable stakeToken_,
        uint256 matcherKey_,
        address arbiter_,
        address treasury_,
        address creator_
    ) {
        market = market_;
        registry = registry_;
        tokens = tokens_;
        stakeToken = stakeToken_;
        matcherKey = matcherKey_;
        arbiter = arbiter_;
        creator = creator_;
        for (uint256 i; i < 3; ++i) {
            address c = makeAddr(string.concat("client", vm.toString(i)));
            clients.push(c);
            accounts.push(c);
            for (uint256 t; t < tokens_.length; ++t) {
                vm.prank(c);
                IMintable(tokens_[t]).approve(address(market_), type(uint256).max);
            }
        }
        for (uint256 i; i < 2; ++i) {
            address p = makeAddr(string.concat("provider", vm.toString(i)));
            address s = makeAddr(string.concat("signer", vm.toString(i)));
            providers.push(p);
            signers.push(s);
            accounts.push(p);
            stakeToken_.mint(p, 1e24);
            vm.startPrank(p);
            stakeToken_.approve(address(registry_), type(uint256).max);
            registry_.register(s, keccak256("report"), uint40(block.timestamp + 3650 days), "");
            registry_.stake(500e18);
            vm.stopPrank();
        }
        accounts.push(treasury_);
        accounts.push(creator_);
        accounts.push(stranger);
    }

    // ---------------------------------------------------------------- views for the invariants

    function jobCount() external view returns (uint256) {
        return jobIds.length;
    }

    function job(uint256 id) external view returns (Job memory) {
        return _jobs[id];
    }

    function accountCount() external view returns (uint256) {
        return accounts.length;
    }

    function tokenCount() external view returns (uint256) {
        return tokens.length;
    }

    function isTerminal(JobState s) public pure returns (bool) {
        return s == JobState.Settled || s == JobState.Refunded || s == JobState.Cancelled;
    }

    // ---------------------------------------------------------------- actions

    function createJob(uint256 clientSeed, uint256 tokenSeed, uint128 amount, uint256 duration, uint256 flags)
        external
    {
        address c = clients[clientSeed % clients.length];
        address token = tokens[tokenSeed % tokens.length];
        amount = uint128(bound(amount, 1, 1e30));
        IMintable(token).mint(c, amount);
        JobParams memory p = JobParams({
            kind: JobKind(flags % 4),
            token: token,
            maxPayment: amount,
            deadline: uint40(block.timestamp + bound(duration, 1, market.maxJobDuration())),
            preferredProvider: (flags >> 2) % 3 == 0 ? providers[(flags >> 4) % providers.length] : address(0),
            creator: (flags >> 6) % 2 == 0 ? creator : address(0),
            creatorShareBps: 0,
            specHash: keccak256(abi.encode(flags)),
            specURI: "ipfs://spec"
        });
        if (p.creator != address(0)) p.creatorShareBps = uint16(bound(flags >> 8, 0, 2000));
        vm.prank(c);
        uint256 id = market.createJob(p);
        Job memory j = Job({
            client: c,
            token: token,
            maxPayment: amount,
            kind: p.kind,
            state: JobState.Open,
            deadline: p.deadline,
            feeBps: market.protocolFeeBps(),
            creatorShareBps: p.creatorShareBps,
            preferredProvider: p.preferredProvider,
            creator: p.creator,
            treasury: market.treasury(),
            specHash: p.specHash,
            provider: address(0),
            price: 0,
            amountDue: 0,
            challengeEnd: 0,
            disputedAt: 0,
            disputeBond: 0
        });
        jobIds.push(id);
        ghostLocked[token] += amount;
        _transition(id, j);
    }

    function acceptJob(uint256 jobSeed, uint256 providerSeed, uint128 price) external {
        (bool found, uint256 id) = _find(jobSeed, JobState.Open);
        if (!found) return;
        Job memory j = _jobs[id];
        if (block.timestamp > j.deadline) return;
        uint256 pi = providerSeed % providers.length;
        if (j.preferredProvider != address(0)) {
            for (uint256 i; i < providers.length; ++i) {
                if (providers[i] == j.preferredProvider) pi = i;
            }
        }
        try registry.assignableSigner(providers[pi]) returns (address) {}
        catch {
            return;
        }
        bool direct = j.preferredProvider != address(0) && price % 2 == 0;
        uint128 agreed = direct ? j.maxPayment : uint128(bound(price, 0, j.maxPayment));
        uint256 reservation = market.reservationFor(j.token, agreed);
        // Acceptance needs free stake for the reservation (tested to revert in the unit tests).
        if (registry.freeStakeOf(providers[pi]) < reservation) return;
        if (direct) {
            vm.prank(signers[pi]);
            market.acceptPreferredJob(id, j);
        } else {
            _acceptAssigned(id, j, pi, agreed);
        }
        j.price = agreed;
        j.state = JobState.Assigned;
        j.provider = providers[pi];
        reservationOf[id] = reservation;
        ghostReserved[j.provider] += reservation;
        _transition(id, j);
    }

    function _acceptAssigned(uint256 id, Job memory j, uint256 pi, uint128 agreed) internal {
        Assignment memory a =
            Assignment({jobId: id, provider: providers[pi], price: agreed, expiry: uint64(block.timestamp + 1 hours)});
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(matcherKey, market.hashAssignment(a, market.jobHash(id)));
        vm.prank(signers[pi]);
        market.acceptJob(id, j, a, abi.encodePacked(r, s, v));
    }

    function submitResult(uint256 jobSeed, uint128 due) external {
        (bool found, uint256 id) = _find(jobSeed, JobState.Assigned);
        if (!found) return;
        Job memory j = _jobs[id];
        if (block.timestamp > j.deadline) return;
        due = uint128(bound(due, 0, j.price));
        vm.prank(registry.signerOf(j.provider));
        market.submitResult(id, j, keccak256(abi.encode(id)), "ipfs://result", Usage(1, 2), due);
        j.state = JobState.Submitted;
        j.amountDue = due;
        j.challengeEnd = uint40(block.timestamp + market.challengeWindow());
        _transition(id, j);
    }

    function settle(uint256 jobSeed, bool early) external {
        (bool found, uint256 id) = _find(jobSeed, JobState.Submitted);
        if (!found) return;
        Job memory j = _jobs[id];
        address caller = early ? j.client : stranger;
        if (!early && block.timestamp < j.challengeEnd) return;
        uint256 before = _sumBalances(j.token);
        vm.prank(caller);
        market.settle(id, j);
        _paid(id, j, before);
    }

    function dispute(uint256 jobSeed) external {
        (bool found, uint256 id) = _find(jobSeed, JobState.Submitted);
        if (!found) return;
        Job memory j = _jobs[id];
        if (block.timestamp >= j.challengeEnd) return;
        uint128 bond = market.disputeBondFor(j.token, j.price);
        IMintable(j.token).mint(j.client, bond);
        vm.prank(j.client);
        market.dispute(id, j, bytes32(jobSeed));
        j.state = JobState.Disputed;
        j.disputedAt = uint40(block.timestamp);
        j.disputeBond = bond;
        ghostLocked[j.token] += bond;
        _transition(id, j);
    }

    function resolveDispute(uint256 jobSeed, uint128 awarded, uint256 slashAmount, uint256 bondToProvider) external {
        (bool found, uint256 id) = _find(jobSeed, JobState.Disputed);
        if (!found) return;
        Job memory j = _jobs[id];
        awarded = uint128(bound(awarded, 0, j.amountDue));
        // The arbiter's bound: the job's reservation.
        slashAmount = bound(slashAmount, 0, reservationOf[id]);
        uint128 bondShare = uint128(bound(bondToProvider, 0, j.disputeBond));
        uint256 before = _sumBalances(j.token);
        uint256 compBefore = registry.compensationOf(j.client);
        vm.prank(arbiter);
        market.resolveDispute(id, j, awarded, slashAmount, bondShare);
        ghostCompensation += registry.compensationOf(j.client) - compBefore;
        _paid(id, j, before);
    }

    function resolveDisputeAfterTimeout(uint256 jobSeed) external {
        (bool found, uint256 id) = _find(jobSeed, JobState.Disputed);
        if (!found) return;
        Job memory j = _jobs[id];
        if (block.timestamp < uint256(j.disputedAt) + market.disputeTimeout()) return;
        uint256 before = _sumBalances(j.token);
        vm.prank(stranger);
        market.resolveDisputeAfterTimeout(id, j);
        _paid(id, j, before);
    }

    function refund(uint256 jobSeed, bool assigned) external {
        (bool found, uint256 id) = _find(jobSeed, assigned ? JobState.Assigned : JobState.Open);
        if (!found) return;
        Job memory j = _jobs[id];
        if (block.timestamp <= j.deadline) return;
        uint256 before = _sumBalances(j.token);
        uint256 compBefore = registry.compensationOf(j.client);
        vm.prank(stranger);
        market.refund(id, j);
        ghostCompensation += registry.compensationOf(j.client) - compBefore;
        j.state = JobState.Refunded;
        _paidAs(id, j, before);
    }

    function cancelJob(uint256 jobSeed) external {
        (bool found, uint256 id) = _find(jobSeed, JobState.Open);
        if (!found) return;
        Job memory j = _jobs[id];
        uint256 before = _sumBalances(j.token);
        vm.prank(j.client);
        market.cancelJob(id, j);
        j.state = JobState.Cancelled;
        _paidAs(id, j, before);
    }

    function withdraw(uint256 accountSeed, uint256 tokenSeed) external {
        address a = accounts[accountSeed % accounts.length];
        address token = tokens[tokenSeed % tokens.length];
        if (market.balanceOf(token, a) == 0) return;
        vm.prank(a);
        market.withdraw(token);
    }

    function requestUnstake(uint256 providerSeed, uint256 amount) external {
        address p = providers[providerSeed % providers.length];
        uint256 free = registry.freeStakeOf(p);
        if (free == 0) return;
        vm.prank(p);
        registry.requestUnstake(bound(amount, 1, free));
    }

    function stake(uint256 providerSeed, uint256 amount) external {
        address p = providers[providerSeed % providers.length];
        vm.prank(p);
        registry.stake(bound(amount, 1, 200e18));
    }

    function withdrawStake(uint256 providerSeed) external {
        address p = providers[providerSeed % providers.length];
        IProviderRegistry.Provider memory rec = registry.getProvider(p);
        if (rec.unbonding == 0 || block.timestamp < rec.unbondingReadyAt) return;
        vm.prank(p);
        registry.withdrawStake();
    }

    function withdrawCompensation(uint256 clientSeed) external {
        address c = clients[clientSeed % clients.length];
        uint256 amount = registry.compensationOf(c);
        if (amount == 0) return;
        vm.prank(c);
        registry.withdrawCompensation();
        ghostCompensation -= amount;
    }

    /// @dev Mostly short steps (so jobs get accepted and submitted before their deadline), sometimes long ones
    /// (so deadlines, challenge windows and dispute timeouts pass).
    function warp(uint256 secs) external {
        vm.warp(block.timestamp + (secs % 4 == 0 ? bound(secs, 1 days, 4 days) : bound(secs, 1, 2 hours)));
    }

    /// @dev Tries to pay a finished job again through every payout path; any success is recorded.
    function tryDoublePay(uint256 jobSeed) external {
        if (jobIds.length == 0) return;
        uint256 id = jobIds[jobSeed % jobIds.length];
        Job memory j = _jobs[id];
        if (!isTerminal(j.state)) return;
        vm.startPrank(j.client);
        try market.settle(id, j) {
            doublePaySucceeded = true;
        } catch {}
        try market.refund(id, j) {
            doublePaySucceeded = true;
        } catch {}
        try market.cancelJob(id, j) {
            doublePaySucceeded = true;
        } catch {}
        try market.resolveDisputeAfterTimeout(id, j) {
            doublePaySucceeded = true;
        } catch {}
        vm.stopPrank();
        Job memory older = j;
        older.state = JobState.Submitted;
        vm.prank(j.client);
        try market.settle(id, older) {
            doublePaySucceeded = true;
        } catch {}
    }

    // ---------------------------------------------------------------- internal

    function _find(uint256 seed, JobState wanted) internal view returns (bool, uint256) {
        uint256 n = jobIds.length;
        for (uint256 k; k < n; ++k) {
            uint256 id = jobIds[(seed % n + k) % n];
            if (_jobs[id].state == wanted) return (true, id);
        }
        return (false, 0);
    }

    function _sumBalances(address token) internal view returns (uint256 sum) {
        for (uint256 i; i < accounts.length; ++i) {
            sum += market.balanceOf(token, accounts[i]);
        }
    }

    function _paid(uint256 id, Job memory j, uint256 before) internal {
        j.state = JobState.Settled;
        _paidAs(id, j, before);
    }

    function _paidAs(uint256 id, Job memory j, uint256 before) internal {
        credited[id] += _sumBalances(j.token) - before;
        payouts[id] += 1;
        ghostLocked[j.token] -= uint256(j.maxPayment) + j.disputeBond;
        ghostReserved[j.provider] -= reservationOf[id];
        _transition(id, j);
    }

    function _transition(uint256 id, Job memory j) internal {
        if (uint8(j.state) <= uint8(_jobs[id].state)) stateWentBackwards = true;
        reached[j.state] += 1;
        _jobs[id] = j;
        // A finished job's hash is deleted.
        bytes32 expected = isTerminal(j.state) ? bytes32(0) : keccak256(abi.encode(j));
        if (market.jobHash(id) != expected) hashMismatch = true;
    }
}
