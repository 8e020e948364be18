/** Waiting on a condition with a generous deadline (the machine is shared and often loaded). */

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string, everyMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Like waitFor, but the check returns the value to keep (undefined = not yet). */
export async function waitForValue<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string, everyMs = 2000): Promise<T> {
  let value: T | undefined;
  await waitFor(async () => (value = await check()) !== undefined, timeoutMs, what, everyMs);
  return value!;
}
