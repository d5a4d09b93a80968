-- wrk script for the page measurements of bench/run.py: wrk's own report gives no 95th
-- percentile, which the issue's "within 1.2x of the empty database" is stated in. Prints one line.
function done(summary, latency, requests)
   io.write(string.format("LATENCY p50_us=%d p95_us=%d p99_us=%d\n",
      latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
