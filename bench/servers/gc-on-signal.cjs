// Preloaded into every contender by the benchmark (node --expose-gc -r …): SIGUSR2 runs a
// full GC, so idle-memory readings compare live memory, not uncollected garbage.
process.on('SIGUSR2', () => globalThis.gc?.());
