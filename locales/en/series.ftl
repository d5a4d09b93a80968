# Repeating bookings (/spaces/{id}/series, /series/{id}).
series-link = Book regularly (series)
series-title = Book { $space } regularly
series-back-single = Book once
series-intro = Choose the first date, the time and how often it repeats. The preview shows every date; all free dates are booked at once. Each date gets its own PIN by e-mail.
series-first-date = First date
series-repeat = Repeat
series-weekly = Weekly
series-daily = Daily
series-weekdays = Weekdays (weekly)
series-weekdays-hint = With none chosen, the first date's weekday is used.
series-interval = Interval
series-interval-hint = Every 1st, 2nd, … week (daily: every 1st, 2nd, … day).
series-ends = End of the series
series-ends-count = After a number of dates
series-count = Number of dates (2 to { $max })
series-ends-until = On a date
series-until = Last possible day
series-preview = Show preview
series-preview-title = Preview
series-preview-summary = { $count ->
    [one] One date is free and can be booked.
   *[other] { $count } dates are free and can be booked.
}
series-book = { $count ->
    [one] Book the free date
   *[other] Book all { $count } free dates
}
series-state-bookable = free
series-state-booked = booked
series-state-requested = requested
series-state-taken = already taken
series-state-closed = closed
series-state-rule = not allowed
series-state-no_such_time = this time does not exist that day
series-alternative = free: { $space }
series-nothing-bookable = None of the dates can be booked. The preview shows why.
series-error-frequency = Please choose daily or weekly.
series-error-weekday = Please choose weekdays from the list.
series-error-series_interval = The interval must be between 1 and 8.
series-error-series_count = A series has 2 to { $max } dates.
series-error-series_until_before_first = The last day must not be before the first date.
series-error-series_too_long = The series is too long: at most 60 dates within 400 days.
series-error-series_no_dates = This choice gives fewer than two dates. Please check the weekdays and the end.
series-show-title = Series: { $space }
series-rule = Repeats
series-rule-daily = { $n ->
    [one] daily
   *[other] every { $n } days
}
series-rule-weekly = { $n ->
    [one] weekly
   *[other] every { $n } weeks
} on { $days }
series-rule-until = until { $date }
series-rule-count = { $n } dates
series-pins-by-mail = Each date is a booking of its own with its own PIN; the PINs come by e-mail.
series-dates = Dates
series-created = The series is booked. The confirmations with the PINs come by e-mail.
series-cancelled = { $count ->
    [one] One date was cancelled.
   *[other] { $count } dates were cancelled.
}
series-cancel-one = Cancel only this one
series-cancel-following = Cancel this and all following
series-cancel-all = Cancel the whole series
series-cancel-title = Cancel dates of the series
series-cancel-question = { $count ->
    [one] Cancel this date?
   *[other] Cancel these { $count } dates?
}
series-cancel-confirm = Yes, cancel
series-badge = Series
series-upcoming = { $count ->
    [one] one upcoming date
   *[other] { $count } upcoming dates
}, next: { $next }
series-part-of = This date belongs to a series.
series-open = Go to the series
