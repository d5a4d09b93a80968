# Throttles and the busy password pool (login, registration, reset links).
throttling-too-many = Too many attempts. Please try again in { $minutes } minutes.
throttling-busy = Very many people are signing in right now. Please try again in a few seconds.
