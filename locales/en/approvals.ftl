# Booking requests: mails to the hub's managers and the member, the automatic decline at the
# start, and the waiting time in the console's bookings list.

approvals-mail-requested-subject = New booking request: { $space }, { $when }
approvals-mail-requested-intro = { $person } asks for a booking at { $hub } to be confirmed.
approvals-mail-label-person = Requested by
approvals-mail-requested-deadline = Please decide by { $deadline } (when the booking starts). A request not decided by then is declined automatically.
approvals-mail-requested-decide = Approve or decline the request

approvals-mail-received-subject = Request received: { $space }, { $when }
approvals-mail-received-intro = We have received your booking request. This space needs the hub's approval; until then the time is held for you.
approvals-mail-received-deadline = It will be decided by { $deadline } at the latest (when the booking starts). A request not decided by then counts as declined.
approvals-mail-received-next = If it is approved, you will get another e-mail with your door PIN and the calendar entry. Until then no door opens for you.
approvals-mail-received-view = View the request

approvals-reason-not-decided = The request was not decided before the booking's start and has therefore been declined automatically.

approvals-waiting = { $unit ->
    [minutes] waiting { $count } min
    [hours] waiting { $count } h
   *[days] waiting { $count } { $count ->
        [one] day
       *[other] days
    }
}
approvals-pending-filter = Show only requests
approvals-audit-system = System (automatic)
