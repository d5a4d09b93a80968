# Console, people and bookings area: finding people, roles, blocking; confirming, declining and
# cancelling a hub's bookings; booking for someone; the e-mails that go with it.
console-people-name = Name
console-people-email = E-mail address
console-people-status = Status
console-people-roles = Roles
console-people-since = Account since
console-people-when = When
console-people-space = Desk or room
console-people-person = Person
console-people-actions = Actions
console-people-deleted-person = (deleted account)
console-people-status-active = Active
console-people-status-pending = Not activated yet
console-people-status-blocked = Blocked
console-people-role-member = Member
console-people-role-admin = County administration (admin)
console-people-role-hub_manager = Hub manager: { $hub }

console-people-users-title = People
console-people-users-intro = Search by name or e-mail address. Roles and blocks apply to every hub, so only the county's administration decides them.
console-people-users-search = Name or e-mail address
console-people-users-search-submit = Search
console-people-users-found = { $count ->
    [0] Nobody found.
    [one] 1 person found.
   *[other] { $count } people found, page { $page } of { $pages }.
}
console-people-pages = Pages
console-people-previous = Previous page
console-people-next = Next page
console-people-no-roles = No role.
console-people-role-remove = Remove
console-people-role-add-label = Give a role
console-people-role-add = Give role
console-people-block-title = Block
console-people-block-explain = Blocking ends every session of the person at once and makes the PINs of their bookings invalid. No booking is cancelled.
console-people-block = Block person
console-people-unblock-explain = This person is blocked. Unblocking gives back the account only: new PINs come from the booking page ("New PIN") or from the hub's booking list here.
console-people-unblock = Unblock
console-people-user-done-role-added = The role was given.
console-people-user-done-role-removed = The role was removed.
console-people-user-done-blocked = The person is blocked. Their sessions have ended and their PINs are invalid.
console-people-user-done-unblocked = The person is unblocked.

console-people-bookings-title = Bookings
console-people-bookings-day = Day
console-people-bookings-day-hint = Leave empty for today and every later booking.
console-people-bookings-all-statuses = All
console-people-bookings-filter = Show
console-people-bookings-pending-count = { $count ->
    [0] No request is waiting for approval.
    [one] 1 request is waiting for approval; it is at the top.
   *[other] { $count } requests are waiting for approval; they are at the top.
}
console-people-bookings-none = No bookings for this selection.
console-people-bookings-limited = Only the first 500 bookings are shown. Choose a day or a status to narrow the list.
console-people-approve = Approve
console-people-decline = Decline …
console-people-cancel = Cancel …
console-people-reissue-pin = Send new PIN
console-people-bookings-done-approved = The booking is confirmed. The person gets their PIN by e-mail.
console-people-bookings-done-declined = The request is declined. The person is told by e-mail, with your reason.
console-people-bookings-done-cancelled = The booking is cancelled and its PIN invalid. The person is told by e-mail, with your reason.
console-people-bookings-done-pin = A new PIN is on its way by e-mail; the old one no longer works.
console-people-bookings-done-booked = Booked. The confirmation with the PIN is on its way by e-mail.
console-people-bookings-done-booked-new = Booked. An account was made for the address; the confirmation with the PIN and a link to activate the account is on its way by e-mail.

console-people-reason = Reason
console-people-reason-hint = The person gets this text by e-mail. At most 500 characters.
console-people-decline-title = Decline request
console-people-decline-explain = The request is declined and the space is free again. The person gets an e-mail with your reason.
console-people-decline-submit = Decline and tell the person
console-people-cancel-title = Cancel booking
console-people-cancel-explain = The booking is cancelled, its PIN stops working at once and the space is free again. The person gets an e-mail with your reason.
console-people-cancel-submit = Cancel and tell the person

console-people-new-title = Book for someone
console-people-new-intro = For walk-ins, phone calls or clubs. The hub's booking rules apply; rooms that otherwise need approval are booked at once. The person gets the confirmation with the PIN by e-mail.
console-people-new-person = For whom
console-people-new-email-hint = If the address has no account yet, one is made; the person activates it through the link in the e-mail.
console-people-new-name-hint = Only needed if the person has no account yet.
console-people-new-lang = Language of the e-mails
console-people-new-lang-hint = Only for a new account; people with an account get e-mails in their own language.
console-people-new-what = What and when
console-people-new-choose-space = Please choose
console-people-new-date = Date (for spaces booked by the day: first day)
console-people-new-date-hint = e.g. 2026-11-24
console-people-new-time-hint = Only for spaces booked by the hour, e.g. 09:00.
console-people-new-last-day-hint = Only for spaces booked by the day; leave empty for a single day.
console-people-new-submit = Book
console-people-space-by-hour = { $space } (by the hour)
console-people-space-by-day = { $space } (by the day)
console-people-rule-concurrent_limit = The person already has { $count } booking(s) at this time, the most allowed.
console-people-rule-upcoming_limit = The person already has { $count } upcoming bookings, the most allowed.

console-people-error-unknown_role = Please choose a role from the list.
console-people-error-unknown_hub = This hub no longer exists. Please choose a role from the list.
console-people-error-role_held = The person has this role already.
console-people-error-own_admin_role = You cannot remove your own admin role. Another member of the administration has to do that.
console-people-error-block_self = You cannot block your own account.
console-people-error-missing_reason = Please give a reason; the person gets it by e-mail.
console-people-error-reason_too_long = The reason can be at most 500 characters long, without control characters.
console-people-error-invalid_email = Please enter a valid e-mail address, for example name@example.org.
console-people-error-person_blocked = This person is blocked. Nobody can book for them.
console-people-error-missing_name = The address has no account yet: please enter the person's name.
console-people-error-name_too_long = The name can be at most 100 characters long.
console-people-error-name_control_characters = The name contains characters that are not allowed.
console-people-error-missing_space = Please choose a desk or room.
console-people-error-slot_taken = The space has been taken for this time meanwhile. Nothing was changed.
console-people-error-not_pending = This request is no longer waiting for approval (it was cancelled or handled meanwhile). Nothing was changed.
console-people-error-booking_over = This booking is over. Nothing was changed.
console-people-error-person_gone = This person's account no longer exists. Nothing was changed.
console-people-error-pin_unavailable = No PIN could be issued just now. Please try again in a moment.
console-people-error-not_cancellable = This booking can no longer be cancelled: it is over, in use or cancelled already. Nothing was changed.
console-people-error-no_pin = This booking has no PIN: it is not confirmed, cancelled or over.

console-people-mail-reason = The hub's reason
console-people-mail-declined-subject = Request declined: { $space }, { $when }
console-people-mail-declined-intro = unfortunately the hub cannot confirm your booking request.
console-people-mail-declined-book-else = Book another space or time
console-people-mail-claim-intro = We made an account for you for this booking. Choose a password through this link; then you can log in and see or cancel your bookings:
console-people-mail-claim-button = Choose a password and activate the account
console-people-mail-claim-valid = The link works for { $hours } hours and only once. After that you can ask for a new one at any time with "Forgot password". Your PIN works without an account too.
