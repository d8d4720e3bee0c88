-- Appends the percentiles wrk's --latency table leaves out (p99.9) and counts
-- non-2xx answers the same way for every workload.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")
