-- wrk script for the booking round of bench/run.py: every request books one distinct free desk
-- hour as one member, `POST /api/v1/bookings` with that member's API token.
--
--   BOOKINGS_FILE=plan.txt wrk -t2 -c16 -d60s -s bench/book.lua http://127.0.0.1:PORT -- 2
--
-- Each line of the plan is "token space_id start end"; with n threads (the script argument),
-- thread i takes lines i, i+n, i+2n, … A thread stops once its lines are booked, so the run's
-- duration is the time the bookings took. `done` prints one line: created, refused, elapsed µs.

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
   answered = 0
   created = 0
   refused = 0
end

function request()
   -- Connections that ask once the plan is used up wait on the health check, which is not counted.
   if next_line > #plan then
      return wrk.format("GET", "/health")
   end
   local line = plan[next_line]
   next_line = next_line + 1
   local token, space, start, finish = line:match("(%S+) (%S+) (%S+) (%S+)")
   local body = string.format('{"space_id":"%s","start":"%s","end":"%s"}', space, start, finish)
   local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
   return wrk.format("POST", "/api/v1/bookings", headers, body)
end

function response(status, headers, body)
   if status == 200 then
      return
   end
   answered = answered + 1
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
   local made, failed = 0, 0
   for _, thread in ipairs(threads) do
      made = made + thread:get("created")
      failed = failed + thread:get("refused")
   end
   io.write(string.format("BOOKINGS created=%d refused=%d elapsed_us=%d p50_us=%d p99_us=%d\n",
      made, failed, summary.duration, latency:percentile(50), latency:percentile(99)))
end
