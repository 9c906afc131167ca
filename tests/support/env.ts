/** Runs `fn` with these environment variables set (undefined: unset), then puts the previous values back. */
export function withEnv<T>(env: Record<string, string | undefined>, fn: () => T): T {
  const previous = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) value === undefined ? delete process.env[name] : (process.env[name] = value);
  };
  apply(env);
  try {
    return fn();
  } finally {
    apply(previous);
  }
}
