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

## Day view
day-nav = Choose a day
day-previous = Previous day
day-next = Next day
day-pick = Date
day-show = Show
day-closed = closed
day-closed-reason = Closed on this day: { $reason }
day-hours = Open: { $hours }
day-legend = Legend
day-space-disabled = Cannot be booked at the moment.
day-nothing-free = Nothing left free on this day.
day-book-this = book
day-book-space = Book another time
day-whole-day = Whole day
day-rules-hourly = By the hour, { $min } to { $max }
day-rules-daily = By the day, at most { $max }
slot-free = free
slot-taken = taken
slot-closed = not bookable
space-kind-desk = Desk
space-kind-room = Room
space-kind-equipment = Equipment
duration-minutes = { $count } minutes
duration-hours = { $count ->
    [one] 1 hour
   *[other] { $count } hours
}
duration-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}

## Booking rules
rule-user_not_active = Your account is blocked or not yet confirmed.
rule-space_disabled = This space cannot be booked at the moment.
rule-slot_granularity = Start and end must fall on full { $minutes } minutes.
rule-whole_days_only = This space is booked by whole days only.
rule-starts_in_past = This time has already passed.
rule-too_far_ahead = You can book at most { $days } days ahead.
rule-hub_closed = The hub is closed on { $date } ({ $reason }).
rule-outside_opening_hours = The hub is not open for the whole of this time.
rule-too_short = A booking lasts at least { $duration }.
rule-too_long = A booking lasts at most { $duration }.
rule-concurrent_limit = You already have { $count } booking(s) at this time; no more are possible.
rule-upcoming_limit = You already have { $count } upcoming bookings; no more are possible.
rule-nonexistent_local_time = { $time } does not exist on { $date }: the clocks go forward from 02:00 to 03:00.
rule-ambiguous_local_time = { $time } happens twice on { $date } because the clocks go back. Please choose another time.
rule-end_not_after_start = The end must be after the start.

## Booking
book-title = Book { $space }
book-rules-title = How this space is booked
book-rule-grid = Start and end on full { $minutes } minutes.
book-rule-daily = By whole days, from midnight to midnight.
book-rule-length = Length: { $min } to { $max }.
book-rule-ahead = Up to { $days } days ahead.
book-rule-approval = The booking must be approved by the hub.
book-date = Date
book-first-day = First day
book-last-day = Last day
book-last-day-hint = Leave empty for a single day.
book-from = From
book-to = To
book-time-hint = Time, e.g. 09:00
book-submit = Book now
book-error-date = Please enter a date, e.g. 24/11/2026.
book-error-time = Please enter a time, e.g. 09:00.
book-taken = This space is already booked at that time.
book-suggestions = Free, for example:
book-suggestion = { $hours } free

## Bookings
bookings-upcoming = Upcoming
bookings-past = Past
bookings-none-upcoming = You have no upcoming bookings.
bookings-none-past = No past bookings yet.
bookings-book-now = Book now
booking-what = What
booking-where = Where
booking-when = When
booking-status = Status
booking-map = Show on the map (OpenStreetMap)
booking-ics = Add to calendar (.ics)
booking-cancel = Cancel
booking-cancel-title = Cancel booking
booking-cancel-question = Do you really want to cancel this booking? The door PIN stops working at once.
booking-cancel-confirm = Yes, cancel
booking-keep = No, keep it
booking-not-cancellable = This booking has ended or is in use and can no longer be cancelled.
booking-to-hub = To the hub
booking-created = Booked! The confirmation with the door PIN and a calendar entry is on its way by e-mail.
booking-cancelled-flash = The booking is cancelled.
booking-pin-title = Your door PIN
booking-pin-once = The PIN is shown only now and in the confirmation e-mail. It is valid from shortly before the start until the end of the booking.
booking-pin-by-mail = The PIN is in your confirmation e-mail. Forgotten it? Make a new one; the old one stops working.
booking-pin-new = Make a new PIN
booking-status-pending = Awaiting approval
booking-status-confirmed = Confirmed
booking-status-cancelled = Cancelled
booking-status-checked_in = Checked in
booking-status-no_show = No-show
booking-status-completed = Completed

## Legal
legal-intro = Each RegioHub is run by its town or municipality. Their details are here.

## Account
account-name = Name
account-name-hint = This is how we address you in e-mails.
account-email = E-mail address
account-password = Password
account-password-hint = At least 12 characters. A sentence of several words is easy to remember and hard to guess.
account-register-title = Register
account-register-intro = With an account you book desks, rooms and equipment in every RegioHub.
account-register-submit = Create account
account-register-have-account = Already have an account?
account-register-sent-title = Please check your inbox
account-register-sent = If an account can be created with this address, an e-mail with a confirmation link is on its way. The link is valid for 24 hours. Please check your spam folder too.
account-login-title = Log in
account-login-submit = Log in
account-login-forgot = Forgot your password?
account-login-no-account = No account yet?
account-login-failed = The e-mail address or the password is wrong.
account-login-not-verified = Please confirm your e-mail address first with the link from our e-mail. If it has expired, simply register again.
account-login-blocked = This account is blocked. Please contact the hub.
account-login-throttled = Too many failed attempts to log in. Please wait 15 minutes or reset your password.
account-forgot-title = Forgot your password
account-forgot-intro = Enter your e-mail address. We will send you a link to choose a new password.
account-forgot-submit = Send the link
account-forgot-sent-title = Please check your inbox
account-forgot-sent = If this address belongs to an account, an e-mail with a link is on its way. The link is valid for 24 hours.
account-reset-title = Choose a new password
account-reset-submit = Save password
account-link-title = This link does not work
account-link-unknown = We do not know this link. Please check that it is complete.
account-link-used = This link has been used already. If you confirmed your address with it, simply log in.
account-link-expired = This link has expired. Please ask for a new one.
account-verified-title = E-mail address confirmed
account-verified = Your account is active now. You can log in.
account-email-changed-title = New e-mail address confirmed
account-email-changed = From now on you log in with your new address.
account-email-taken = Another account uses this address by now. Your address stays as it was.
account-to-login = Go to login
account-title = Your account
account-profile-title = Profile
account-language = Language for pages and e-mails
account-profile-submit = Save profile
account-email-change-hint = If you change the address, we send a confirmation link to the new one. It applies only after that.
account-password-title = Change password
account-current-password = Current password
account-new-password = New password
account-password-submit = Change password
account-password-wrong = The password is wrong.
account-tokens-title = Personal API tokens
account-tokens-intro = With an API token, programs book in your name. Do not share it.
account-tokens-none = You have no API tokens.
account-token-name = Label
account-token-name-hint = For example the program's name.
account-token-create = Create token
account-token-created = Your new token “{ $name }”. It is shown only now; keep it somewhere safe:
account-token-created-at = Created
account-token-last-used = Last used
account-token-never-used = never
account-token-revoke = Revoke
account-token-revoke-label = Revoke token “{ $name }”
account-data-title = Your data
account-export = Download all my data (JSON)
account-delete-link = Delete my account
account-delete-title = Delete account
account-delete-intro = Deleting your account removes your profile, your sessions and your API tokens. Upcoming bookings are cancelled. Past bookings stay in the hubs' statistics, without any link to you. This cannot be undone.
account-delete-password = Please confirm with your password
account-delete-submit = Delete my account for good
account-deleted-title = Account deleted
account-deleted = Your account is deleted. Thank you for using the RegioHubs.
account-done-profile = Your profile is saved.
account-done-email = We sent a confirmation link to the new address. It applies as soon as you open the link.
account-done-password = Your password is changed. Your other sessions have ended.
account-done-token-revoked = The token is revoked.
account-done-reset = Your password is changed. Please log in.
account-error-missing_name = Please enter your name.
account-error-name_too_long = The name can have at most 100 characters.
account-error-name_control_characters = The name contains characters that are not allowed.
account-error-password_too_short = The password needs at least 12 characters.
account-error-password_too_long = The password is too long.
account-error-password_required = Please enter your password.
account-error-email = Please enter a valid e-mail address, for example name@example.org.
account-error-email_unchanged = This is your address already.
account-error-missing_token_name = Please enter a label.
account-error-token_name_too_long = The label can have at most 60 characters.

## Account e-mails
mail-account-exists-subject = You already have a RegioHub account
mail-account-exists-intro = Someone just tried to register at RegioHub with this e-mail address, but you already have an account: simply log in. If you forgot your password, choose a new one here:
mail-account-exists-button = Choose a new password
mail-account-exists-ignore = If this was not you, you can delete this e-mail; nothing changes in your account.
mail-account-new-email-subject = Please confirm your new e-mail address
mail-account-new-email-intro = This address is to become the login of your RegioHub account. Please confirm this with the link:
mail-account-new-email-button = Confirm the new address
mail-account-new-email-ignore = If this was not you, you can delete this e-mail; nothing changes.

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

# Remote unlock on the booking page
booking-door-title = Doors
booking-door-open = Open the door
booking-door-requested = Requested …
booking-door-delivered = Sent to the door …
booking-door-executed = Opened
booking-door-failed = Failed – the door did not open.
booking-door-expired = The door could not be reached in time. Please try again or use your PIN.
booking-door-denied-too-early = Your booking has not started yet; the door opens shortly before the start.
booking-door-denied-too-late = Your booking is over; the door no longer opens.
booking-door-denied-revoked = This booking was cancelled and no longer opens doors.
booking-door-denied-booking-not-active = This booking is not confirmed and opens no doors.
booking-door-denied-too-many-unlocks = This booking has already asked for 10 remote unlocks in the last hour; the rule allows no more (at most 10 per booking and hour). Please use your PIN at the keypad or try again later.
booking-door-denied-other = The door cannot be opened for this booking just now.

# No-show release
mail-no-show-subject = Booking released: { $space }, { $when }
mail-no-show-title = Your booking was released
mail-no-show-intro = You had not checked in { $minutes } minutes after the start (for whole-day bookings: after the hub opened) – neither at the door, nor on site, nor with "Check in" – so we released your booking for others to use. The door PIN no longer works.
mail-no-show-book-again = Book again

# Door alarms to the hub's managers
mail-alarm-subject = Alarm: { $what } – { $door }, { $hub }
mail-alarm-kind-held-open = A door has been held open too long.
mail-alarm-kind-forced-open = A door was opened without permission.
mail-alarm-kind-controller-silent = A door controller stopped answering.
mail-alarm-kind-device-fault = A device at a door reports a fault.
mail-alarm-kind-keypad-lockout = Wrong PINs were typed at a door's keypad again and again within an hour; it is locked. Someone may be trying PINs.
# The alarm in a few words, for the mail's subject line.
mail-alarm-short-held-open = Door held open too long
mail-alarm-short-forced-open = Door forced open (opened without release)
mail-alarm-short-controller-silent = Door controller not answering
mail-alarm-short-device-fault = Device fault at the door
mail-alarm-short-keypad-lockout = Keypad locked repeatedly (someone is trying PINs)
mail-alarm-facts = Door: { $door }, { $hub }. Reported: { $at }.
mail-alarm-act = Please check the door on site or have someone look at it.
mail-alarm-throttle = For the same door and kind of alarm we send at most one e-mail every 15 minutes.
