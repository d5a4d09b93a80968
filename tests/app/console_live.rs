//! Console tests: What is happening now: the live occupancy dashboard (with server-sent events), alarms, and the access log.
