"""The benchmark suite: a seeded contact generator, a load generator and the runner."""
