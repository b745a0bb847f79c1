// What a provider method writes to stderr (the engine shows it as diagnostics), captured for assertions.

export async function captureStderr<T>(run: () => Promise<T>): Promise<{ result: T; text: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let text = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    return { result: await run(), text };
  } finally {
    process.stderr.write = original;
  }
}
