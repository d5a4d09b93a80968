# Console, utilization area: charts, data tables and CSV exports.
console-reports-title = Utilization
console-reports-from = First day
console-reports-to = Last day
console-reports-range-hint = At most 366 days. Left empty: the last full calendar month.
console-reports-space = Space
console-reports-all-spaces = All spaces
console-reports-show = Show
console-reports-error-date = Please enter a date, for example 2026-10-01.
console-reports-error-order = The last day cannot be before the first.
console-reports-error-too-long = The range can be at most { $days } days long.
console-reports-booked-hours = Booked (hours)
console-reports-present-hours = Present (hours)
console-reports-bookings = Bookings
console-reports-no-shows = No-shows
console-reports-no-show-rate = No-show rate
console-reports-percent = { $value }%
console-reports-no-rate = – (no bookings)
console-reports-presence-note = Presence is counted from the occupancy sensors' 5-minute totals. Sensor reports of the last seven days are not folded into those yet and are missing here. Booked counts every booking that was not cancelled; the rate refers to the bookings that started in the range.
console-reports-downloads = Download (CSV)
console-reports-download-bookings = Bookings in the range (CSV)
console-reports-download-access-log = Access log of the range (CSV)
console-reports-download-utilization = Utilization per space and hour (CSV)
console-reports-busiest = Busiest times
console-reports-busiest-none = Nothing was booked in the range.
console-reports-busy-slot = { $weekday }, { $hours }: { $booked } { $booked ->
        [one] hour
       *[other] hours
    } booked
console-reports-by-hour = By time of day
console-reports-by-weekday = By weekday
console-reports-per-space = By space
console-reports-per-space-caption = Booked and present hours and no-show rate per space
console-reports-legend-booked = Booked: solid bars
console-reports-legend-present = Present: hatched bars
console-reports-chart-hours-title = Booked and present hours by time of day
console-reports-chart-hours-desc = Bar chart for { $range }: for each hour of the day a solid bar for booked and a hatched bar for present hours. In total { $booked } { $booked ->
        [one] hour
       *[other] hours
    } booked and { $present } { $present ->
        [one] hour
       *[other] hours
    } present. The values are in the table below the chart.
console-reports-chart-hours-category = Time
console-reports-chart-weekdays-title = Booked and present hours by weekday
console-reports-chart-weekdays-desc = Bar chart for { $range }: for each weekday a solid bar for booked and a hatched bar for present hours. In total { $booked } { $booked ->
        [one] hour
       *[other] hours
    } booked and { $present } { $present ->
        [one] hour
       *[other] hours
    } present. The values are in the table below the chart.
console-reports-chart-weekdays-category = Weekday
console-reports-csv-booking-id = Booking ID
console-reports-csv-space = Space
console-reports-csv-name = Name
console-reports-csv-email = Email
console-reports-csv-start = Start
console-reports-csv-end = End
console-reports-csv-status = Status
console-reports-csv-checked-in = Checked in
console-reports-csv-by-staff = Booked by staff
console-reports-csv-booked-hours = Booked (hours)
console-reports-csv-present-hours = Present (hours)
console-reports-csv-yes = yes
console-reports-csv-no = no
console-reports-csv-deleted-person = (deleted account)
console-reports-csv-bookings-file = bookings
console-reports-csv-utilization-file = utilization
console-reports-equipment-note = Equipment is booked by the day and has no sensor; it is left out of the hub's totals and charts, its figures are in the table by space.
