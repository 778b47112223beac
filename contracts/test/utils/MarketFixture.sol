// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {JobMarketplace} from "../../src/JobMarketplace.sol";
import {ProviderRegistry} from "../../src/ProviderRegistry.sol";
import {IProviderRegistry} from "../../src/interfaces/IProviderRegistry.sol";
import {
    Job,
    JobKind,
    JobParams,
    JobState,
    Usage,
    Assignment,
    OrderAuth,
    PermitData,
    MarketConfig
} from "../../src/types/JobTypes.sol";
import {TestERC20} from "../tokens/TestERC20.sol";

/// @dev Deploys a registry + marketplace pair with separate role holders, a 6-decimal payment token and a
/// staking token, and one registered, staked provider. Helpers rebuild the Job struct exactly as events carry it.
abstract contract MarketFixture is Test {
    uint16 internal constant FEE_BPS = 250;
    uint256 internal constant CHALLENGE_WINDOW = 1 hours;
    uint256 internal constant DISPUTE_TIMEOUT = 3 days;
    uint256 internal constant MAX_JOB_DURATION = 7 days;
    /// @dev Reservation floor (the missed-deadline penalty of a job not paid in the staking token).
    uint256 internal constant PENALTY = 50e18;
    uint128 internal constant RESERVATION_CAP = 150e18;
    uint16 internal constant RESERVATION_BPS = 1000;
    uint16 internal constant BOND_BPS = 500;
    /// @dev Dispute-bond floor of the payment token usdt (1 USDT).
    uint128 internal constant USDT_BOND_FLOOR = 1e6;
    uint48 internal constant ADMIN_DELAY = 2 days;
    uint256 internal constant MIN_STAKE = 100e18;
    uint256 internal constant UNBONDING = 14 days;

    JobMarketplace internal market;
    ProviderRegistry internal registry;
    TestERC20 internal usdt;
    TestERC20 internal gpuToken;

    address internal admin = makeAddr("admin");
    address internal arbiter = makeAddr("arbiter");
    address internal pauser = makeAddr("pauser");
    address internal feeManager = makeAddr("feeManager");
    address internal treasury = makeAddr("treasury");
    address internal creator = makeAddr("creator");
    address internal provider = makeAddr("provider");
    address internal stranger = makeAddr("stranger");
    address internal matcher;
    uint256 internal matcherKey;
    address internal client;
    uint256 internal clientKey;
    address internal signer;
    uint256 internal signerKey;

    bytes32 internal constant SPEC_HASH = keccak256("spec");
    string internal constant SPEC_URI = "ipfs://bafyspec";

    function setUp() public virtual {
        (matcher, matcherKey) = makeAddrAndKey("matcher");
        (client, clientKey) = makeAddrAndKey("client");
        (signer, signerKey) = makeAddrAndKey("signer");
        vm.warp(1_800_000_000);
        usdt = new TestERC20("USD Test", "USDT", 6);
        gpuToken = new TestERC20("GPU Stake", "GPUS", 18);
        (market, registry) = deployMarket(address(gpuToken), PENALTY);
        vm.startPrank(admin);
        market.grantRole(market.MATCHER_ROLE(), matcher);
        market.grantRole(market.ARBITER_ROLE(), arbiter);
        market.grantRole(market.PAUSER_ROLE(), pauser);
        market.grantRole(market.FEE_MANAGER_ROLE(), feeManager);
        market.setTokenAllowed(address(usdt), true);
        market.setDisputeBondFloor(address(usdt), USDT_BOND_FLOOR);
        vm.stopPrank();
        registerProvider(provider, signer, MIN_STAKE * 2);
        usdt.mint(client, 1e30);
        vm.prank(client);
        usdt.approve(address(market), type(uint256).max);
    }

    function deployMarket(address stakingToken, uint256 penalty)
        internal
        returns (JobMarketplace m, ProviderRegistry r)
    {
        address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
        r = new ProviderRegistry(predicted, IERC20(stakingToken), MIN_STAKE, UNBONDING);
        m = new JobMarketplace(admin, r, marketConfig(penalty));
    }

    function marketConfig(uint256 floor) internal view returns (MarketConfig memory c) {
        c = MarketConfig({
            treasury: treasury,
            protocolFeeBps: FEE_BPS,
            maxProtocolFeeBps: 1000,
            maxCreatorShareBps: 2000,
            challengeWindow: CHALLENGE_WINDOW,
            disputeTimeout: DISPUTE_TIMEOUT,
            maxJobDuration: MAX_JOB_DURATION,
            reservationBps: RESERVATION_BPS,
            reservationFloor: uint128(floor),
            reservationCap: RESERVATION_CAP,
            disputeBondBps: BOND_BPS,
            adminDelay: ADMIN_DELAY
        });
    }

    function registerProvider(address operator, address signer_, uint256 amount) internal {
        gpuToken.mint(operator, amount);
        vm.startPrank(operator);
        registry.register(signer_, keccak256("report"), uint40(block.timestamp + 30 days), "https://provider.example");
        gpuToken.approve(address(registry), amount);
        registry.stake(amount);
        vm.stopPrank();
    }

    function defaultParams() internal view returns (JobParams memory p) {
        p = JobParams({
            kind: JobKind.Render,
            token: address(usdt),
            maxPayment: 100e6,
            deadline: uint40(block.timestamp + 1 days),
            preferredProvider: address(0),
            creator: address(0),
            creatorShareBps: 0,
            specHash: SPEC_HASH,
            specURI: SPEC_URI
        });
    }

    function jobOf(JobParams memory p, address client_, uint16 feeBps) internal view returns (Job memory j) {
        j = Job({
            client: client_,
            token: p.token,
            maxPayment: p.maxPayment,
            kind: p.kind,
            state: JobState.Open,
            deadline: p.deadline,
            feeBps: feeBps,
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
    }

    function create(JobParams memory p) internal returns (uint256 id, Job memory j) {
        vm.prank(client);
        id = market.createJob(p);
        j = jobOf(p, client, market.protocolFeeBps());
    }

    function createDefault() internal returns (uint256 id, Job memory j) {
        return create(defaultParams());
    }

    function assignment(uint256 id, address provider_, uint128 price) internal view returns (Assignment memory a) {
        a = Assignment({jobId: id, provider: provider_, price: price, expiry: uint64(block.timestamp + 10 minutes)});
    }

    function signAssignment(Assignment memory a, uint256 key) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, market.hashAssignment(a, market.jobHash(a.jobId)));
        return abi.encodePacked(r, s, v);
    }

    function accept(uint256 id, Job memory j, uint128 price) internal returns (Job memory) {
        Assignment memory a = assignment(id, provider, price);
        bytes memory sig = signAssignment(a, matcherKey);
        vm.prank(signer);
        market.acceptJob(id, j, a, sig);
        j.state = JobState.Assigned;
        j.provider = provider;
        j.price = price;
        return j;
    }

    function submit(uint256 id, Job memory j, uint128 amountDue) internal returns (Job memory) {
        vm.prank(signer);
        market.submitResult(id, j, keccak256("result"), "ipfs://bafyresult", Usage(1200, 3600), amountDue);
        j.state = JobState.Submitted;
        j.amountDue = amountDue;
        j.challengeEnd = uint40(block.timestamp + CHALLENGE_WINDOW);
        return j;
    }

    /// @dev The client disputes (it approved the marketplace for everything in setUp), posting the bond.
    function disputeJob(uint256 id, Job memory j) internal returns (Job memory) {
        uint128 bond = market.disputeBondFor(j.token, j.price);
        vm.prank(j.client);
        market.dispute(id, j, keccak256("bad result"));
        j.state = JobState.Disputed;
        j.disputedAt = uint40(block.timestamp);
        j.disputeBond = bond;
        return j;
    }

    function signOrder(JobParams memory p, OrderAuth memory auth, uint256 key) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, market.hashOrder(p, auth));
        return abi.encodePacked(r, s, v);
    }

    function withState(Job memory j, JobState s) internal pure returns (Job memory) {
        j.state = s;
        return j;
    }
}
