-- wrk script for bench/load/run.sh: POSTs the JSON body in the file named by BENCH_BODY_FILE.
-- Other headers (authorization, Portkey's routing headers) come from wrk's -H options.
-- No response() callback on purpose: defining one makes wrk parse every answer in Lua and slows it down.
local path = assert(os.getenv("BENCH_BODY_FILE"), "set BENCH_BODY_FILE to the request body file")
local file = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
