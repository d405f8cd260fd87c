"""The benchmark suite: server time and query count of the everyday requests, beside the framework floor."""
