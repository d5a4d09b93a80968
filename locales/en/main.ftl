# RegioHub — English catalogue. Every visible string is here and in ../de/main.ftl.

## General
app-name = RegioHub
app-tagline = Book desks, rooms and equipment in the RegioHubs of the county of Mayen-Koblenz
skip-to-content = Skip to content
nav-main = Main navigation
nav-hubs = Locations
nav-my-bookings = My bookings
nav-account = Account
nav-login = Log in
nav-register = Register
nav-logout = Log out
language-switch = Language
language-switch-button = Switch
footer-legal = Legal
footer-imprint = Legal notice (Impressum)
footer-privacy = Privacy policy
footer-accessibility = Accessibility statement
footer-operator = Run by { $operator }
back = Back
save = Save
cancel = Cancel
field-required = required
error-summary-title = Please check your entries
error-page-title = That did not work
error-not-found = This page does not exist, or it is not meant for you.
error-forbidden = This request was refused for security reasons. Please reload the page and try again.
error-internal = Something went wrong on our side. Please try again later.
error-unavailable = The service is busy right now. Please try again in a moment.
error-too-many = Too many attempts. Please wait a moment.
to-start = To the start page

## Weekdays and months
weekday-short-1 = Mon
weekday-short-2 = Tue
weekday-short-3 = Wed
weekday-short-4 = Thu
weekday-short-5 = Fri
weekday-short-6 = Sat
weekday-short-7 = Sun
weekday-long-1 = Monday
weekday-long-2 = Tuesday
weekday-long-3 = Wednesday
weekday-long-4 = Thursday
weekday-long-5 = Friday
weekday-long-6 = Saturday
weekday-long-7 = Sunday
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec

## Locations
hubs-title = Our locations
hubs-intro = Choose a RegioHub to see free desks, rooms and equipment.
hubs-open-today = Open today: { $hours }
hubs-closed-today = Closed today
hubs-closed-today-reason = Closed today: { $reason }
hubs-free-desks = { $count ->
    [0] No desk free today
    [one] 1 desk still free today
   *[other] { $count } desks still free today
}
hubs-show-day = See availability and book

## E-mails
mail-greeting = Hello { $name },
mail-signature = Your RegioHub team
mail-footer = This e-mail was sent automatically. Replies to it are not read.
mail-link-valid = The link is valid for { $hours } hours and works only once.
mail-verify-subject = Please confirm your e-mail address
mail-verify-intro = Please confirm your e-mail address for RegioHub by opening this link:
mail-verify-button = Confirm e-mail address
mail-verify-ignore = If you did not register with RegioHub, you can simply delete this e-mail.
mail-reset-subject = New password for RegioHub
mail-reset-intro = You asked for a new password for RegioHub. Set it with this link:
mail-reset-button = Set a new password
mail-reset-ignore = If you did not ask for a new password, you can delete this e-mail; your password stays as it is.
mail-label-what = What
mail-label-where = Where
mail-label-when = When
mail-label-pin = Your door PIN
mail-when-range = { $date }, { $from }–{ $until }
mail-when-span = { $from } to { $until }
mail-confirmed-subject = Booking confirmed: { $space }, { $when }
mail-confirmed-intro = Your booking is confirmed.
mail-pin-valid = The PIN opens the door from { $from } until your booking ends.
mail-pin-keep = Please do not share the PIN. If you forget it, get a new one on the booking page.
mail-booking-link = View or cancel the booking
mail-calendar-hint = The attachment is an entry for your calendar.
mail-cancelled-subject = Booking cancelled: { $space }, { $when }
mail-cancelled-intro = Your booking is cancelled. The door PIN no longer works.
mail-cancelled-calendar = The attachment removes the entry from your calendar.
mail-cancelled-book-again = Book again
mail-reminder-subject = Reminder: { $space }, { $when }
mail-reminder-intro = This is a reminder of your booking.
mail-reminder-pin = Open the door with the PIN from your booking confirmation. If you no longer have it, get a new one on the booking page.
mail-ics-summary = { $space } – { $hub }
mail-ics-description = Your RegioHub booking. Booking page: { $url }
