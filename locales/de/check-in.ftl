# Check-in by hand and no-shows (member site, API words, console form and QR sheet).

check-in-title = Einchecken
check-in-hint = Sind Sie da? Checken Sie bis { $time } Uhr ein, sonst wird der Platz wieder freigegeben.
check-in-button = Ich bin da
check-in-result-done = Sie sind eingecheckt.
check-in-result-check-in-not-offered = An diesem Platz checken Sie über die Tür oder den Sensor ein, nicht von Hand.
check-in-result-check-in-not-confirmed = Nur eine bestätigte Buchung kann eingecheckt werden.
check-in-result-check-in-not-open = Einchecken ist erst kurz vor Beginn der Buchung möglich.
check-in-result-check-in-closed = Die Zeit zum Einchecken für diese Buchung ist vorbei.
check-in-result-other = Einchecken ist gerade nicht möglich.
check-in-opens-at = Einchecken ist ab { $time } Uhr möglich.
check-in-space-title = Einchecken: { $space }
check-in-confirm-question = Ihre Buchung { $when } einchecken?
check-in-to-booking = Zur Buchung
check-in-no-booking = Sie haben an diesem Platz gerade keine Buchung.
check-in-book-here = Jetzt im { $hub } buchen

console-live-kind-checked-in = Eingecheckt
console-live-checked-in-manual = von Hand (Buchungsseite oder App)
console-live-checked-in-qr = per QR-Code

console-check-in-legend = Einchecken (Check-in)
console-check-in-hint = Wie bemerkt RegioHub, dass jemand gekommen ist? Ist nichts angekreuzt, wird eine Buchung nie als „nicht erschienen“ freigegeben. Tür und Sensor zählen nur, wenn das Gerät an einer Bridge hängt.
console-check-in-door = Tür (Zutritt mit PIN durch eine Tür zu diesem Platz oder den Eingang)
console-check-in-presence = Anwesenheitssensor am Platz
console-check-in-manual = Von Hand („Ich bin da“ auf der Buchungsseite, in der App oder per QR-Code)
console-check-in-mode-door = Tür
console-check-in-mode-presence = Sensor
console-check-in-mode-manual = von Hand
console-check-in-modes-none = kein Check-in
console-check-in-qr-link = QR-Code zum Einchecken drucken
console-check-in-qr-title = QR-Code: { $space }
console-check-in-qr-scan = Zum Einchecken scannen
console-check-in-qr-explain = Mit dem Handy scannen, anmelden und „Ich bin da“ tippen – sonst wird die Buchung { $minutes } Minuten nach Beginn freigegeben.
console-check-in-qr-print = Drucken
console-check-in-qr-not-manual = Dieser Platz hat das Einchecken von Hand nicht eingeschaltet; der QR-Code führt dann nur zur Meldung, dass es hier nicht geht.
console-check-in-qr-svg = Als SVG herunterladen
