// Both transports dial alike: what may pass (a server starting, a network blip) is tried again up to
// connection.dialErrorLimit times; what will not (credentials, a key, the server's identity) fails at once.

/** @default for connection.dialErrorLimit; -1 there means no limit. */
const DEFAULT_DIAL_ERROR_LIMIT = 10;

export interface DialPolicy<T> {
  /** One attempt. */
  readonly attempt: () => Promise<T>;
  /** True for errors that another attempt cannot fix. */
  readonly isPermanent: (error: unknown) => boolean;
  /** True for errors that already name what to fix: thrown as they are. */
  readonly speaksForItself: (error: unknown) => boolean;
  /** What was being done, e.g. "connecting to fe01:22 as lyncadmin over SSH". */
  readonly doing: string;
  /** What to check when the attempts ran out on errors that might have passed. */
  readonly advice: string;
}

export async function dialWithRetries<T>(dialErrorLimit: number | undefined, policy: DialPolicy<T>): Promise<T> {
  const limit = dialErrorLimit ?? DEFAULT_DIAL_ERROR_LIMIT;
  for (let attempt = 1; ; attempt++) {
    try {
      return await policy.attempt();
    } catch (error) {
      const retryable = !policy.isPermanent(error);
      if (retryable && (limit === -1 || attempt < Math.max(1, limit))) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * attempt)));
        continue;
      }
      if (policy.speaksForItself(error)) throw error;
      const attempts = `${attempt} attempt${attempt === 1 ? "" : "s"}`;
      const advice = retryable ? `; ${policy.advice}` : "";
      throw new Error(`${policy.doing} failed after ${attempts}: ${(error as Error).message}${advice}`, {
        cause: error,
      });
    }
  }
}
