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
