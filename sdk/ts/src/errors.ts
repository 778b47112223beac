// Errors of the SDK. Every error it throws is a GpuMarketError with a code (the Go domain's codes: EINVALID,
// ENOTFOUND, ECONFLICT, EUNAUTHORIZED, EUNAVAILABLE, EINTERNAL) and, for the conditions a caller branches on, a
// subclass to test with instanceof (the Go client package's sentinel errors, same names without the Err prefix).

/** ErrorCode is one of the domain's error codes (the root package's error.go). */
export type ErrorCode = 'EINVALID' | 'ENOTFOUND' | 'ECONFLICT' | 'EUNAUTHORIZED' | 'EUNAVAILABLE' | 'EINTERNAL';

/** GpuMarketError is every error the SDK throws; code says what kind, message is fit for users. */
export class GpuMarketError extends Error {
  readonly code: ErrorCode;
  /** status is the HTTP status of a matcher or provider answer that caused it, when one did. */
  readonly status?: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options?.status !== undefined) this.status = options.status;
  }
}

/** NoProviderError: no registered provider serves the spec's kind and model with its requirements (ENOTFOUND). */
export class NoProviderError extends GpuMarketError {
  constructor(message: string) {
    super('ENOTFOUND', message);
  }
}

/** BelowBandError: the max price is below the market band's low end (EINVALID). */
export class BelowBandError extends GpuMarketError {
  constructor(message: string, readonly bandLow: bigint, readonly bandHigh: bigint) {
    super('EINVALID', message);
  }
}

/** RefundedError: the deadline passed with no result and the job was refunded (EINVALID). */
export class RefundedError extends GpuMarketError {
  constructor(message: string) {
    super('EINVALID', message);
  }
}

/** ResultMismatchError: the downloaded bytes do not hash to the result hash on-chain; dispute it (EINVALID). */
export class ResultMismatchError extends GpuMarketError {
  constructor(message: string, readonly want: `0x${string}`, readonly got: `0x${string}`, readonly size: number) {
    super('EINVALID', message);
  }
}

/** InsufficientFundsError: the wallet lacks the tokens, the allowance or the gas the action needs (EINVALID). */
export class InsufficientFundsError extends GpuMarketError {
  constructor(message: string) {
    super('EINVALID', message);
  }
}

/** WrongChainError: the node or the wallet is on another chain than the deployment (EINVALID). */
export class WrongChainError extends GpuMarketError {
  constructor(message: string, readonly want: number, readonly got: number) {
    super('EINVALID', message);
  }
}

/** codeOfStatus maps an HTTP status of the matcher's or a provider's answer to a domain code, as the Go
 * matcher/client.ErrorCodeOf does. */
export function codeOfStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'EUNAUTHORIZED';
  if (status === 404) return 'ENOTFOUND';
  if (status === 409) return 'ECONFLICT';
  if (status === 429 || status >= 500) return 'EUNAVAILABLE';
  if (status >= 400) return 'EINVALID';
  return 'EINTERNAL';
}
