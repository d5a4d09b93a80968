# Guests with their own door PIN (booking page, guests page, mails to guests, console, access log).

guests-title = Guests
guests-page-title = Guests: { $space }
guests-link = Invite guests
guests-intro = Invite guests by e-mail. Each guest gets their own door PIN that opens the hub's entrance and this room for the time of your booking. Guests need no account.
guests-limit = { $limit ->
    [0] This room has only one seat – yours. You cannot invite guests here.
    [one] This room has { $capacity } seats: one for you and one for a guest.
   *[other] This room has { $capacity } seats: one for you and up to { $limit } for guests.
}
guests-none = You have not invited anyone yet.
guests-col-name = Name
guests-col-email = E-mail
guests-col-status = Status
guests-col-action = Action
guests-status-active = Invited
guests-status-withdrawn = Withdrawn
guests-withdraw = Withdraw invitation
guests-form-title = Invite a guest
guests-name = Guest's name
guests-email = Guest's e-mail address
guests-email-hint = Only the guest gets the PIN, in an e-mail to this address.
guests-language = Language of the e-mail
guests-language-de = German
guests-language-en = English
guests-submit = Invite
guests-invited-flash = The guest is invited and gets their PIN by e-mail.
guests-withdrawn-flash = The invitation is withdrawn; the guest's PIN opens nothing any more.
guests-to-booking = Back to the booking
guests-error-name-required = Please enter the guest's name.
guests-error-name-too-long = The name may be at most 100 characters long.
guests-error-name-invalid = The name contains characters that are not allowed.
guests-error-email-invalid = Please enter a valid e-mail address, e.g. name@example.org.
guests-error-email-own = That is your own address. You have your PIN already.
guests-error-email-taken = This address is already invited to this booking.
guests-error-language-invalid = Please choose German or English.
guests-error-form-invalid = Please check your entries.
guests-error-not-a-room = Guests can only be invited to room bookings.
guests-error-guests-off = The hub has turned guests off for this room.
guests-error-not-confirmed = Guests can only be invited to a confirmed booking.
guests-error-ended = This booking is over.
guests-error-full = Every seat of the room is taken: one for you, the others for your guests.
guests-log-note = Booking with guests: the door does not report whether the member or a guest typed the PIN.
guests-log-label = Member or guest

guests-console-allowed = Guests allowed
guests-console-allowed-hint = Whoever books this room may invite guests with their own PIN (up to capacity − 1). Applies to rooms only.

guests-mail-invited-subject = Invitation: { $space }, { $when }
guests-mail-invited-intro = { $host } has invited you to a room of the RegioHub.
guests-mail-label-pin = Your door PIN
guests-mail-pin-valid = The PIN opens the doors from { $from } until the booking ends.
guests-mail-pin-doors = It opens the hub's entrance and this room, nothing else.
guests-mail-pin-keep = Please do not pass the PIN on.
guests-mail-no-account = You need no account. The person who invited you answers your questions.
guests-mail-withdrawn-subject = Invitation withdrawn: { $space }, { $when }
guests-mail-withdrawn-intro = { $host } has withdrawn the invitation.
guests-mail-cancelled-subject = Booking cancelled: { $space }, { $when }
guests-mail-cancelled-intro = The booking { $host } invited you to will not take place.
guests-mail-moved-subject = Booking moved: { $space }, { $when }
guests-mail-moved-intro = { $host } moved the booking you were invited to. Your invitation and your PIN no longer hold; { $host } can invite you again for the new time.
guests-mail-ended-pin = Your PIN no longer opens any door.
guests-error-too-many-invitations = This booking has sent 30 invitations already, the most allowed.
