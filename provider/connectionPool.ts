// One open connection (SSH) or shell (WinRM) per server and login for the life of the provider process.

/** The pooled connection for `key` while it is open, else a new one from `open`, pooled while it opens. */
export async function reuseOrOpen<T extends { closed: boolean }>(
  pool: Map<string, Promise<T>>,
  key: string,
  open: () => Promise<T>,
): Promise<T> {
  let pending = pool.get(key);
  if (pending && (await pending.catch(() => undefined))?.closed !== false) {
    pool.delete(key);
    pending = undefined;
  }
  if (!pending) {
    pending = open();
    pool.set(key, pending);
    pending.catch(() => pool.delete(key));
  }
  return pending;
}

/** Removes `key` from the pool if it still holds `value` (a caller may have pooled a newer one since). */
export function forgetIfCurrent<T>(pool: Map<string, Promise<T>>, key: string, value: T): void {
  const current = pool.get(key);
  void current?.then(
    (held) => held === value && pool.get(key) === current && pool.delete(key),
    () => undefined,
  );
}
