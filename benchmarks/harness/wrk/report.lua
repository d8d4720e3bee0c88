-- Appends the percentiles wrk's --latency table leaves out (p99.9) and counts
-- non-2xx answers the same way for every workload.
done = function(summary, latency, requests)
  io.write(string.format("p99.9 latency: %.3f ms\n", latency:percentile(99.9) / 1000))
end
