-- Prints the 95th percentile latency at the end of a wrk run (wrk --latency stops at 90/99).
done = function(summary, latency, requests)
  io.write(string.format("p95 %.2fms\n", latency:percentile(95) / 1000))
end
