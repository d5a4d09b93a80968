-- wrk script for the booking round of bench/run.py: every request books one distinct free desk
-- hour as one member, `POST /api/v1/bookings` with that member's API token.
--
--   BOOKINGS_FILE=plan.txt wrk -t2 -c16 -d20s --latency -s bench/book.lua http://127.0.0.1:PORT -- 2
--
-- Each line of the plan is "token space_id start end"; with n threads (the script argument, the
-- same n as -t), thread i takes lines i, i+n, i+2n, … Once a thread's lines are asked for, its
-- connections idle (no filler requests, so wrk's latency figures are the bookings' alone) and
-- the thread stops when the last one is answered. wrk itself runs for its whole -d, so the rate
-- is taken from the clock here: first request to last answer. `done` prints one line.

local ffi = require("ffi")
ffi.cdef [[
   typedef struct { long tv_sec; long tv_usec; } bench_timeval;
   int gettimeofday(bench_timeval *tv, void *tz);
]]
local clock = ffi.new("bench_timeval")

local function now_us()
   ffi.C.gettimeofday(clock, nil)
   return tonumber(clock.tv_sec) * 1000000 + tonumber(clock.tv_usec)
end

local threads = {}
local counter = 0

function setup(thread)
   thread:set("index", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   local count = tonumber(args[1])
   plan = {}
   local n = 0
   for line in io.lines(os.getenv("BOOKINGS_FILE")) do
      if n % count == index then
         table.insert(plan, line)
      end
      n = n + 1
   end
   next_line = 1
   answered, created, refused = 0, 0, 0
   looked_at = false
   first_request_us, last_answer_us = 0, 0
end

function delay()
   -- A connection with nothing left to ask waits; the thread stops before it wakes.
   if next_line > #plan then
      return 3600000
   end
   return 0
end

function request()
   -- wrk calls the first thread's request() once before any connection opens, to look at the
   -- request (pipelining) and throws it away: that call must not use up a line of the plan.
   if not looked_at then
      looked_at = true
      if index == 0 then
         return wrk.format("GET", "/health")
      end
   end
   if first_request_us == 0 then
      first_request_us = now_us()
   end
   local line = plan[math.min(next_line, #plan)]
   next_line = next_line + 1
   local token, space, start, finish = line:match("(%S+) (%S+) (%S+) (%S+)")
   -- The demo's Polch operator publishes version 1 of its house rules: each booking accepts it.
   local body = string.format('{"space_id":"%s","start":"%s","end":"%s","accept_house_rules_version":1}', space, start, finish)
   local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
   return wrk.format("POST", "/api/v1/bookings", headers, body)
end

function response(status, headers, body)
   answered = answered + 1
   last_answer_us = now_us()
   if status == 201 then
      created = created + 1
   else
      refused = refused + 1
      if refused <= 3 then
         io.stderr:write("refused: " .. status .. " " .. body:sub(1, 160) .. "\n")
      end
   end
   if answered >= #plan then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local made, failed, first, last = 0, 0, nil, 0
   for _, thread in ipairs(threads) do
      made = made + thread:get("created")
      failed = failed + thread:get("refused")
      local began = thread:get("first_request_us")
      if began > 0 and (first == nil or began < first) then
         first = began
      end
      last = math.max(last, thread:get("last_answer_us"))
   end
   local errors = summary.errors
   io.write(string.format(
      "BOOKINGS created=%d refused=%d socket_errors=%d elapsed_us=%d p50_us=%d p95_us=%d p99_us=%d\n",
      made, failed, errors.connect + errors.read + errors.write + errors.timeout,
      last - (first or last), latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
