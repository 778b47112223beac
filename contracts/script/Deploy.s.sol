// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Script} from "forge-std/Script.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {JobMarketplace} from "../src/JobMarketplace.sol";
import {ProviderRegistry} from "../src/ProviderRegistry.sol";
import {TestERC20} from "../test/tokens/TestERC20.sol";
import {MarketConfig} from "../src/types/JobTypes.sol";

/// @title Deploy
/// @notice Deploys and configures ProviderRegistry + JobMarketplace and writes the deployment JSON the Go side
/// reads. Every setting comes from an environment variable with a default suited to a local anvil:
///
///   DEPLOYER_PRIVATE_KEY            broadcasting key (default: anvil account 0)
///   GPUMARKET_ADMIN                 DEFAULT_ADMIN_ROLE holder (default: deployer; otherwise the deployer starts the
///                                   two-step transfer and GPUMARKET_ADMIN calls acceptDefaultAdminTransfer() once
///                                   the admin delay has passed)
///   GPUMARKET_ADMIN_DELAY           seconds a DEFAULT_ADMIN_ROLE transfer waits (default 86400 = 1 day)
///   GPUMARKET_MATCHER / _ARBITER / _PAUSER / _FEE_MANAGER   role holders (default: deployer)
///   GPUMARKET_TREASURY              protocol fee recipient (default: deployer)
///   GPUMARKET_FEE_BPS               protocol fee, <= the cap (default 250)
///   GPUMARKET_MAX_FEE_BPS           protocol fee cap (default 1000)
///   GPUMARKET_MAX_CREATOR_SHARE_BPS creator share cap (default 2000; the two caps sum to <= 10000)
///   GPUMARKET_CHALLENGE_WINDOW      seconds (default 3600)
///   GPUMARKET_DISPUTE_TIMEOUT       seconds (default 259200 = 3 days)
///   GPUMARKET_MAX_JOB_DURATION      seconds (default 604800 = 7 days)
///   GPUMARKET_UNBONDING_PERIOD      seconds (default 1209600 = 14 days; must be >= the three above summed)
///   GPUMARKET_MIN_STAKE             minimum provider stake, staking-token units (default 100e18)
///   GPUMARKET_PENALTY               reservation floor = missed-deadline slash of a job not paid in the staking token
///                                   (default 50e18; <= the minimum stake)
///   GPUMARKET_RESERVATION_CAP       largest reservation per job, staking-token units (default 500e18)
///   GPUMARKET_RESERVATION_BPS       share of the price reserved for a job paid in the staking token (default 1000)
///   GPUMARKET_DISPUTE_BOND_BPS      share of the price a dispute posts as a bond (default 500)
///   GPUMARKET_DISPUTE_BOND_FLOOR    dispute-bond floor set for every allowlisted payment token, in its units
///                                   (default 0)
///   GPUMARKET_STAKING_TOKEN         staking token (default: deploy a TestERC20 "GPU Stake"/GPUS, 18 decimals)
///   GPUMARKET_DEPLOY_TEST_STABLECOIN  "true" deploys TestERC20 "USD Test"/USDT (6 decimals) and allowlists it
///   GPUMARKET_PAYMENT_TOKENS        comma-separated extra token addresses to allowlist (default none)
///   GPUMARKET_DEPLOYMENT_FILE       output path (default out/deployment.json)
contract Deploy is Script {
    uint256 internal constant ANVIL_KEY_0 = 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80;

    struct Config {
        address admin;
        address matcher;
        address arbiter;
        address pauser;
        address feeManager;
        address treasury;
        uint16 feeBps;
        uint16 maxFeeBps;
        uint16 maxCreatorShareBps;
        uint256 challengeWindow;
        uint256 disputeTimeout;
        uint256 maxJobDuration;
        uint256 unbondingPeriod;
        uint256 minStake;
        uint256 penalty;
        uint256 reservationCap;
        uint16 reservationBps;
        uint16 disputeBondBps;
        uint256 disputeBondFloor;
        uint48 adminDelay;
    }

    /// @notice Addresses produced by a run.
    struct Deployment {
        JobMarketplace market;
        ProviderRegistry registry;
        address stakingToken;
        address stablecoin;
        address[] paymentTokens;
    }

    /// @notice Deploys, configures and writes the deployment file.
    function run() external returns (Deployment memory d) {
        uint256 key = vm.envOr("DEPLOYER_PRIVATE_KEY", ANVIL_KEY_0);
        address deployer = vm.addr(key);
        Config memory c = _config(deployer);
        uint256 deployBlock = block.number;

        vm.startBroadcast(key);
        d.stakingToken = vm.envOr("GPUMARKET_STAKING_TOKEN", address(0));
        if (d.stakingToken == address(0)) d.stakingToken = address(new TestERC20("GPU Stake", "GPUS", 18));
        if (vm.envOr("GPUMARKET_DEPLOY_TEST_STABLECOIN", false)) {
            d.stablecoin = address(new TestERC20("USD Test", "USDT", 6));
        }
        // The registry names the marketplace, deployed by the very next transaction of the deployer.
        address predicted = vm.computeCreateAddress(deployer, vm.getNonce(deployer) + 1);
        d.registry = new ProviderRegistry(predicted, IERC20(d.stakingToken), c.minStake, c.unbondingPeriod);
        d.market = new JobMarketplace(
            deployer,
            d.registry,
            MarketConfig({
                treasury: c.treasury,
                protocolFeeBps: c.feeBps,
                maxProtocolFeeBps: c.maxFeeBps,
                maxCreatorShareBps: c.maxCreatorShareBps,
                challengeWindow: c.challengeWindow,
                disputeTimeout: c.disputeTimeout,
                maxJobDuration: c.maxJobDuration,
                reservationBps: c.reservationBps,
                reservationFloor: uint128(c.penalty),
                reservationCap: uint128(c.reservationCap),
                disputeBondBps: c.disputeBondBps,
                adminDelay: c.adminDelay
            })
        );
        require(address(d.market) == predicted, "Deploy: marketplace address prediction failed");

        d.market.grantRole(d.market.MATCHER_ROLE(), c.matcher);
        d.market.grantRole(d.market.ARBITER_ROLE(), c.arbiter);
        d.market.grantRole(d.market.PAUSER_ROLE(), c.pauser);
        d.market.grantRole(d.market.FEE_MANAGER_ROLE(), c.feeManager);
        address[] memory extra = vm.envOr("GPUMARKET_PAYMENT_TOKENS", ",", new address[](0));
        d.paymentTokens = new address[](extra.length + (d.stablecoin == address(0) ? 0 : 1));
        for (uint256 i; i < extra.length; ++i) {
            d.paymentTokens[i] = extra[i];
        }
        if (d.stablecoin != address(0)) d.paymentTokens[extra.length] = d.stablecoin;
        for (uint256 i; i < d.paymentTokens.length; ++i) {
            d.market.setTokenAllowed(d.paymentTokens[i], true);
            if (c.disputeBondFloor != 0) d.market.setDisputeBondFloor(d.paymentTokens[i], uint128(c.disputeBondFloor));
        }
        // AccessControlDefaultAdminRules: the admin role moves in two steps; the new admin accepts after the delay.
        if (c.admin != deployer) d.market.beginDefaultAdminTransfer(c.admin);
        vm.stopBroadcast();

        _write(d, c, deployer, deployBlock);
    }

    function _config(address deployer) internal view returns (Config memory c) {
        c.admin = vm.envOr("GPUMARKET_ADMIN", deployer);
        c.matcher = vm.envOr("GPUMARKET_MATCHER", deployer);
        c.arbiter = vm.envOr("GPUMARKET_ARBITER", deployer);
        c.pauser = vm.envOr("GPUMARKET_PAUSER", deployer);
        c.feeManager = vm.envOr("GPUMARKET_FEE_MANAGER", deployer);
        c.treasury = vm.envOr("GPUMARKET_TREASURY", deployer);
        c.feeBps = uint16(vm.envOr("GPUMARKET_FEE_BPS", uint256(250)));
        c.maxFeeBps = uint16(vm.envOr("GPUMARKET_MAX_FEE_BPS", uint256(1000)));
        c.maxCreatorShareBps = uint16(vm.envOr("GPUMARKET_MAX_CREATOR_SHARE_BPS", uint256(2000)));
        c.challengeWindow = vm.envOr("GPUMARKET_CHALLENGE_WINDOW", uint256(1 hours));
        c.disputeTimeout = vm.envOr("GPUMARKET_DISPUTE_TIMEOUT", uint256(3 days));
        c.maxJobDuration = vm.envOr("GPUMARKET_MAX_JOB_DURATION", uint256(7 days));
        c.unbondingPeriod = vm.envOr("GPUMARKET_UNBONDING_PERIOD", uint256(14 days));
        c.minStake = vm.envOr("GPUMARKET_MIN_STAKE", uint256(100e18));
        c.penalty = vm.envOr("GPUMARKET_PENALTY", uint256(50e18));
        c.reservationCap = vm.envOr("GPUMARKET_RESERVATION_CAP", uint256(500e18));
        c.reservationBps = uint16(vm.envOr("GPUMARKET_RESERVATION_BPS", uint256(1000)));
        c.disputeBondBps = uint16(vm.envOr("GPUMARKET_DISPUTE_BOND_BPS", uint256(500)));
        c.disputeBondFloor = vm.envOr("GPUMARKET_DISPUTE_BOND_FLOOR", uint256(0));
        c.adminDelay = uint48(vm.envOr("GPUMARKET_ADMIN_DELAY", uint256(1 days)));
    }

    function _write(Deployment memory d, Config memory c, address deployer, uint256 deployBlock) internal {
        string memory path = vm.envOr("GPUMARKET_DEPLOYMENT_FILE", string("out/deployment.json"));
        string memory contracts_ = "contracts";
        vm.serializeAddress(contracts_, "ProviderRegistry", address(d.registry));
        contracts_ = vm.serializeAddress(contracts_, "JobMarketplace", address(d.market));
        string memory tokens = "tokens";
        vm.serializeAddress(tokens, "stakingToken", d.stakingToken);
        vm.serializeAddress(tokens, "stablecoin", d.stablecoin);
        tokens = vm.serializeAddress(tokens, "paymentTokens", d.paymentTokens);
        string memory roles = "roles";
        // `admin` is the intended holder; while a transfer is pending the deployer still holds the role.
        vm.serializeAddress(roles, "admin", c.admin);
        vm.serializeAddress(roles, "matcher", c.matcher);
        vm.serializeAddress(roles, "arbiter", c.arbiter);
        vm.serializeAddress(roles, "pauser", c.pauser);
        vm.serializeAddress(roles, "feeManager", c.feeManager);
        roles = vm.serializeAddress(roles, "treasury", c.treasury);
        string memory cfg = "config";
        vm.serializeUint(cfg, "protocolFeeBps", c.feeBps);
        vm.serializeUint(cfg, "maxProtocolFeeBps", c.maxFeeBps);
        vm.serializeUint(cfg, "maxCreatorShareBps", c.maxCreatorShareBps);
        vm.serializeUint(cfg, "challengeWindow", c.challengeWindow);
        vm.serializeUint(cfg, "disputeTimeout", c.disputeTimeout);
        vm.serializeUint(cfg, "maxJobDuration", c.maxJobDuration);
        vm.serializeUint(cfg, "unbondingPeriod", c.unbondingPeriod);
        vm.serializeString(cfg, "minStake", vm.toString(c.minStake));
        vm.serializeString(cfg, "reservationFloor", vm.toString(c.penalty));
        vm.serializeString(cfg, "reservationCap", vm.toString(c.reservationCap));
        vm.serializeUint(cfg, "reservationBps", c.reservationBps);
        vm.serializeUint(cfg, "disputeBondBps", c.disputeBondBps);
        vm.serializeString(cfg, "disputeBondFloor", vm.toString(c.disputeBondFloor));
        cfg = vm.serializeUint(cfg, "adminDelay", c.adminDelay);
        string memory root = "deployment";
        vm.serializeUint(root, "chainId", block.chainid);
        vm.serializeUint(root, "deployBlock", deployBlock);
        vm.serializeAddress(root, "deployer", deployer);
        vm.serializeString(root, "contracts", contracts_);
        vm.serializeString(root, "tokens", tokens);
        vm.serializeString(root, "roles", roles);
        string memory json = vm.serializeString(root, "config", cfg);
        vm.writeJson(json, path);
    }
}
