"""What tests, benchmarks and load runs share: sample photos, test servers, people."""
