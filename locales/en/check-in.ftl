# Check-in by hand and no-shows (member site, API words, console form and QR sheet).

check-in-title = Check in
check-in-hint = Are you here? Check in by { $time }, or the space is released again.
check-in-button = Check in
check-in-result-done = You are checked in.
check-in-result-check-in-not-offered = At this space you check in through the door or the sensor, not by hand.
check-in-result-check-in-not-confirmed = Only a confirmed booking can be checked in.
check-in-result-check-in-not-open = Checking in opens shortly before the booking starts.
check-in-result-check-in-closed = The time to check in for this booking is over.
check-in-result-other = Checking in is not possible right now.
check-in-opens-at = You can check in from { $time }.
check-in-space-title = Check in: { $space }
check-in-confirm-question = Check in your booking { $when }?
check-in-to-booking = To the booking
check-in-no-booking = You have no booking of this space right now.
check-in-book-here = Book at { $hub } now

console-live-kind-checked-in = Checked in
console-live-checked-in-manual = by hand (booking page or app)
console-live-checked-in-qr = by QR code

console-check-in-legend = Check-in
console-check-in-hint = How does RegioHub notice that someone came? With nothing ticked, a booking is never released as a no-show. Door and sensor count only when the device is attached to a bridge.
console-check-in-door = Door (entry with the PIN through a door to this space or the entrance)
console-check-in-presence = Presence sensor at the space
console-check-in-manual = By hand ("Check in" on the booking page, in the app or by QR code)
console-check-in-mode-door = door
console-check-in-mode-presence = sensor
console-check-in-mode-manual = by hand
console-check-in-modes-none = no check-in
console-check-in-qr-link = Print the check-in QR code
console-check-in-qr-title = QR code: { $space }
console-check-in-qr-scan = Scan to check in
console-check-in-qr-explain = Scan with your phone, log in and tap "Check in" – otherwise the booking is released { $minutes } minutes after it starts.
console-check-in-qr-print = Print
console-check-in-qr-not-manual = This space does not have checking in by hand switched on; the QR code then only leads to a note that it is not possible here.
console-check-in-qr-svg = Download as SVG
