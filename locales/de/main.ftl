# RegioHub — deutscher Katalog (Standard). Jeder sichtbare Text steht hier und in ../en/main.ftl.

## Allgemein
app-name = RegioHub
app-tagline = Arbeitsplätze, Räume und Geräte in den RegioHubs des Landkreises Mayen-Koblenz buchen
skip-to-content = Zum Inhalt springen
nav-main = Hauptnavigation
nav-hubs = Standorte
nav-my-bookings = Meine Buchungen
nav-account = Konto
nav-login = Anmelden
nav-register = Registrieren
nav-logout = Abmelden
language-switch = Sprache
footer-legal = Rechtliches
footer-imprint = Impressum
footer-privacy = Datenschutzerklärung
footer-accessibility = Erklärung zur Barrierefreiheit
footer-operator = Betrieben von { $operator }
back = Zurück
save = Speichern
cancel = Abbrechen
field-required = Pflichtfeld
error-summary-title = Bitte prüfen Sie Ihre Eingaben
error-page-title = Das hat nicht geklappt
error-not-found = Diese Seite gibt es nicht, oder sie ist nicht für Sie bestimmt.
error-forbidden = Diese Anfrage wurde aus Sicherheitsgründen abgelehnt. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.
error-internal = Auf unserer Seite ist etwas schiefgegangen. Bitte versuchen Sie es später noch einmal.
error-unavailable = Der Dienst ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal.
error-too-many = Zu viele Versuche. Bitte warten Sie einen Moment.
to-start = Zur Startseite

## Wochentage und Monate
weekday-short-1 = Mo.
weekday-short-2 = Di.
weekday-short-3 = Mi.
weekday-short-4 = Do.
weekday-short-5 = Fr.
weekday-short-6 = Sa.
weekday-short-7 = So.
weekday-long-1 = Montag
weekday-long-2 = Dienstag
weekday-long-3 = Mittwoch
weekday-long-4 = Donnerstag
weekday-long-5 = Freitag
weekday-long-6 = Samstag
weekday-long-7 = Sonntag
month-short-1 = Jan.
month-short-2 = Feb.
month-short-3 = März
month-short-4 = Apr.
month-short-5 = Mai
month-short-6 = Juni
month-short-7 = Juli
month-short-8 = Aug.
month-short-9 = Sept.
month-short-10 = Okt.
month-short-11 = Nov.
month-short-12 = Dez.

## Standorte
hubs-title = Unsere Standorte
hubs-intro = Wählen Sie einen RegioHub, um freie Arbeitsplätze, Räume und Geräte zu sehen.
hubs-open-today = Heute geöffnet: { $hours }
hubs-closed-today = Heute geschlossen
hubs-closed-today-reason = Heute geschlossen: { $reason }
hubs-free-desks = { $count ->
    [0] Heute kein Arbeitsplatz mehr frei
    [one] Heute noch 1 Arbeitsplatz frei
   *[other] Heute noch { $count } Arbeitsplätze frei
}
hubs-show-day = Belegung ansehen und buchen

## Tagesansicht
day-nav = Tag wählen
day-previous = Vorheriger Tag
day-next = Nächster Tag
day-pick = Datum
day-show = Anzeigen
day-closed = geschlossen
day-closed-reason = An diesem Tag geschlossen: { $reason }
day-hours = Geöffnet: { $hours }
day-legend = Legende
day-space-disabled = Derzeit nicht buchbar.
day-nothing-free = An diesem Tag nichts mehr frei.
day-book-this = buchen
day-book-space = Andere Zeit buchen
day-whole-day = Ganzer Tag
day-rules-hourly = Stundenweise, { $min } bis { $max }
day-rules-daily = Tageweise, höchstens { $max }
slot-free = frei
slot-taken = belegt
slot-closed = nicht buchbar
space-kind-desk = Arbeitsplatz
space-kind-room = Raum
space-kind-equipment = Gerät
duration-minutes = { $count } Minuten
duration-hours = { $count ->
    [one] 1 Stunde
   *[other] { $count } Stunden
}
duration-days = { $count ->
    [one] 1 Tag
   *[other] { $count } Tage
}

## Buchungsregeln
rule-user_not_active = Ihr Konto ist gesperrt oder noch nicht bestätigt.
rule-space_disabled = Dieser Platz ist derzeit nicht buchbar.
rule-slot_granularity = Beginn und Ende müssen auf volle { $minutes } Minuten fallen.
rule-whole_days_only = Dieser Platz wird nur tageweise gebucht.
rule-starts_in_past = Dieser Zeitpunkt liegt in der Vergangenheit.
rule-too_far_ahead = Sie können höchstens { $days } Tage im Voraus buchen.
rule-hub_closed = Am { $date } ist der Standort geschlossen ({ $reason }).
rule-outside_opening_hours = Der Standort ist in dieser Zeit nicht durchgehend geöffnet.
rule-too_short = Eine Buchung dauert mindestens { $duration }.
rule-too_long = Eine Buchung dauert höchstens { $duration }.
rule-concurrent_limit = Sie haben zu dieser Zeit schon { $count } Buchung(en), mehr sind nicht möglich.
rule-upcoming_limit = Sie haben schon { $count } anstehende Buchungen, mehr sind nicht möglich.
rule-nonexistent_local_time = { $time } Uhr gibt es am { $date } nicht: die Uhren werden von 02:00 auf 03:00 Uhr vorgestellt.
rule-ambiguous_local_time = { $time } Uhr gibt es am { $date } zweimal, weil die Uhren zurückgestellt werden. Bitte wählen Sie eine andere Zeit.
rule-end_not_after_start = Das Ende muss nach dem Beginn liegen.

## Buchen
book-title = { $space } buchen
book-rules-title = So wird dieser Platz gebucht
book-rule-grid = Beginn und Ende auf volle { $minutes } Minuten.
book-rule-daily = Tageweise, jeweils von 0 bis 24 Uhr.
book-rule-length = Dauer: { $min } bis { $max }.
book-rule-ahead = Bis zu { $days } Tage im Voraus.
book-rule-approval = Die Buchung muss vom Standort bestätigt werden.
book-date = Datum
book-first-day = Erster Tag
book-last-day = Letzter Tag
book-last-day-hint = Leer lassen für einen einzelnen Tag.
book-from = Von
book-to = Bis
book-time-hint = Uhrzeit, z. B. 09:00
book-submit = Verbindlich buchen
book-error-date = Bitte geben Sie ein Datum ein, z. B. 24.11.2026.
book-error-time = Bitte geben Sie eine Uhrzeit ein, z. B. 09:00.
book-taken = Dieser Platz ist zu dieser Zeit schon belegt.
book-suggestions = Frei ist zum Beispiel:
book-suggestion = { $hours } frei

## Buchungen
bookings-upcoming = Anstehend
bookings-past = Vergangen
bookings-none-upcoming = Sie haben keine anstehenden Buchungen.
bookings-none-past = Noch keine vergangenen Buchungen.
bookings-book-now = Jetzt buchen
booking-what = Was
booking-where = Wo
booking-when = Wann
booking-status = Status
booking-map = Auf der Karte zeigen (OpenStreetMap)
booking-ics = In den Kalender (.ics)
booking-cancel = Stornieren
booking-cancel-title = Buchung stornieren
booking-cancel-question = Möchten Sie diese Buchung wirklich stornieren? Die Tür-PIN wird sofort ungültig.
booking-cancel-confirm = Ja, stornieren
booking-keep = Nein, behalten
booking-not-cancellable = Diese Buchung ist vorbei oder wird genutzt und kann nicht mehr storniert werden.
booking-to-hub = Zum Standort
booking-created = Gebucht! Die Bestätigung mit Tür-PIN und Kalendereintrag ist per E-Mail unterwegs.
booking-cancelled-flash = Die Buchung ist storniert.
booking-pin-title = Ihre Tür-PIN
booking-pin-once = Die PIN wird nur jetzt und in der Bestätigungs-E-Mail angezeigt. Sie gilt ab kurz vor Beginn bis zum Ende der Buchung.
booking-pin-by-mail = Die PIN steht in Ihrer Bestätigungs-E-Mail. Vergessen? Dann erzeugen Sie eine neue; die alte gilt danach nicht mehr.
booking-pin-new = Neue PIN erzeugen
booking-status-pending = Wartet auf Bestätigung
booking-status-confirmed = Bestätigt
booking-status-cancelled = Storniert
booking-status-checked_in = Eingecheckt
booking-status-no_show = Nicht erschienen
booking-status-completed = Abgeschlossen

## Rechtliches
legal-intro = Jeder RegioHub wird von seiner Stadt oder Gemeinde betrieben. Hier finden Sie deren Angaben.

## Konto
account-name = Name
account-name-hint = So sprechen wir Sie in E-Mails an.
account-email = E-Mail-Adresse
account-password = Passwort
account-password-hint = Mindestens 12 Zeichen. Ein Satz aus mehreren Wörtern ist leicht zu merken und schwer zu erraten.
account-register-title = Registrieren
account-register-intro = Mit einem Konto buchen Sie Arbeitsplätze, Räume und Geräte in allen RegioHubs.
account-register-submit = Konto anlegen
account-register-have-account = Sie haben schon ein Konto?
account-register-sent-title = Bitte sehen Sie in Ihr Postfach
account-register-sent = Wenn sich mit dieser Adresse ein Konto anlegen lässt, ist jetzt eine E-Mail mit einem Bestätigungslink unterwegs. Der Link gilt 24 Stunden. Bitte sehen Sie auch im Spam-Ordner nach.
account-login-title = Anmelden
account-login-submit = Anmelden
account-login-forgot = Passwort vergessen?
account-login-no-account = Noch kein Konto?
account-login-failed = E-Mail-Adresse oder Passwort stimmen nicht.
account-login-not-verified = Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse mit dem Link aus unserer E-Mail. Ist er abgelaufen, registrieren Sie sich einfach noch einmal.
account-login-blocked = Dieses Konto ist gesperrt. Bitte wenden Sie sich an den Standort.
account-login-throttled = Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten oder setzen Sie Ihr Passwort zurück.
account-forgot-title = Passwort vergessen
account-forgot-intro = Geben Sie Ihre E-Mail-Adresse ein. Wir schicken Ihnen einen Link, mit dem Sie ein neues Passwort wählen.
account-forgot-submit = Link anfordern
account-forgot-sent-title = Bitte sehen Sie in Ihr Postfach
account-forgot-sent = Wenn zu dieser Adresse ein Konto gehört, ist jetzt eine E-Mail mit einem Link unterwegs. Der Link gilt 24 Stunden.
account-reset-title = Neues Passwort wählen
account-reset-submit = Passwort speichern
account-link-title = Dieser Link funktioniert nicht
account-link-unknown = Diesen Link kennen wir nicht. Bitte prüfen Sie, ob er vollständig ist.
account-link-used = Dieser Link wurde schon benutzt. Wenn Sie Ihre Adresse damit bestätigt haben, melden Sie sich einfach an.
account-link-expired = Dieser Link ist abgelaufen. Bitte fordern Sie einen neuen an.
account-verified-title = E-Mail-Adresse bestätigt
account-verified = Ihr Konto ist jetzt aktiv. Sie können sich anmelden.
account-email-changed-title = Neue E-Mail-Adresse bestätigt
account-email-changed = Ab jetzt melden Sie sich mit Ihrer neuen Adresse an.
account-email-taken = Zu dieser Adresse gibt es inzwischen ein anderes Konto. Ihre Adresse bleibt unverändert.
account-to-login = Zur Anmeldung
account-title = Ihr Konto
account-profile-title = Profil
account-language = Sprache für Seiten und E-Mails
account-profile-submit = Profil speichern
account-email-change-hint = Ändern Sie die Adresse, schicken wir einen Bestätigungslink an die neue Adresse. Erst danach gilt sie.
account-password-title = Passwort ändern
account-current-password = Aktuelles Passwort
account-new-password = Neues Passwort
account-password-submit = Passwort ändern
account-password-wrong = Das Passwort stimmt nicht.
account-tokens-title = Persönliche API-Schlüssel
account-tokens-intro = Mit einem API-Schlüssel buchen Programme in Ihrem Namen. Geben Sie ihn nicht weiter.
account-tokens-none = Sie haben keine API-Schlüssel.
account-token-name = Bezeichnung
account-token-name-hint = Zum Beispiel der Name des Programms.
account-token-create = Schlüssel erzeugen
account-token-created = Ihr neuer Schlüssel „{ $name }“. Er wird nur jetzt angezeigt; bewahren Sie ihn sicher auf:
account-token-created-at = Erstellt
account-token-last-used = Zuletzt benutzt
account-token-never-used = noch nie
account-token-revoke = Widerrufen
account-token-revoke-label = Schlüssel „{ $name }“ widerrufen
account-data-title = Ihre Daten
account-export = Alle meine Daten herunterladen (JSON)
account-delete-link = Mein Konto löschen
account-delete-title = Konto löschen
account-delete-intro = Wenn Sie Ihr Konto löschen, verschwinden Ihr Profil, Ihre Sitzungen und Ihre API-Schlüssel. Anstehende Buchungen werden storniert. Vergangene Buchungen bleiben für die Statistik der Standorte erhalten, aber ohne Bezug zu Ihnen. Das lässt sich nicht rückgängig machen.
account-delete-password = Bitte bestätigen Sie mit Ihrem Passwort
account-delete-submit = Konto endgültig löschen
account-deleted-title = Konto gelöscht
account-deleted = Ihr Konto ist gelöscht. Danke, dass Sie die RegioHubs genutzt haben.
account-done-profile = Ihr Profil ist gespeichert.
account-done-email = Wir haben einen Bestätigungslink an die neue Adresse geschickt. Sie gilt, sobald Sie den Link öffnen.
account-done-password = Ihr Passwort ist geändert. Ihre anderen Sitzungen sind beendet.
account-done-token-revoked = Der Schlüssel ist widerrufen.
account-done-reset = Ihr Passwort ist geändert. Bitte melden Sie sich an.
account-error-missing_name = Bitte geben Sie Ihren Namen ein.
account-error-name_too_long = Der Name darf höchstens 100 Zeichen lang sein.
account-error-name_control_characters = Der Name enthält unzulässige Zeichen.
account-error-password_too_short = Das Passwort muss mindestens 12 Zeichen lang sein.
account-error-password_too_long = Das Passwort ist zu lang.
account-error-password_required = Bitte geben Sie Ihr Passwort ein.
account-error-email = Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@example.org.
account-error-email_unchanged = Das ist schon Ihre Adresse.
account-error-missing_token_name = Bitte geben Sie eine Bezeichnung ein.
account-error-token_name_too_long = Die Bezeichnung darf höchstens 60 Zeichen lang sein.

## E-Mails zum Konto
mail-account-exists-subject = Sie haben schon ein Konto bei RegioHub
mail-account-exists-intro = mit dieser E-Mail-Adresse wollte sich gerade jemand bei RegioHub registrieren. Sie haben aber schon ein Konto: Melden Sie sich einfach an. Wenn Sie Ihr Passwort vergessen haben, wählen Sie hier ein neues:
mail-account-exists-button = Neues Passwort wählen
mail-account-exists-ignore = Wenn Sie das nicht waren, können Sie diese E-Mail löschen; an Ihrem Konto ändert sich nichts.
mail-account-new-email-subject = Bitte bestätigen Sie Ihre neue E-Mail-Adresse
mail-account-new-email-intro = diese Adresse soll künftig die Anmeldung für Ihr RegioHub-Konto sein. Bitte bestätigen Sie das mit diesem Link:
mail-account-new-email-button = Neue Adresse bestätigen
mail-account-new-email-ignore = Wenn Sie das nicht waren, können Sie diese E-Mail löschen; es ändert sich nichts.

## E-Mails
mail-greeting = Guten Tag { $name },
mail-signature = Ihr RegioHub-Team
mail-footer = Diese E-Mail wurde automatisch verschickt. Antworten darauf werden nicht gelesen.
mail-link-valid = Der Link ist { $hours } Stunden gültig und funktioniert nur einmal.
mail-verify-subject = Bitte bestätigen Sie Ihre E-Mail-Adresse
mail-verify-intro = bitte bestätigen Sie Ihre E-Mail-Adresse für RegioHub, indem Sie diesen Link öffnen:
mail-verify-button = E-Mail-Adresse bestätigen
mail-verify-ignore = Wenn Sie sich nicht bei RegioHub registriert haben, können Sie diese E-Mail einfach löschen.
mail-reset-subject = Neues Passwort für RegioHub
mail-reset-intro = Sie haben ein neues Passwort für RegioHub angefordert. Über diesen Link legen Sie es fest:
mail-reset-button = Neues Passwort festlegen
mail-reset-ignore = Wenn Sie kein neues Passwort angefordert haben, können Sie diese E-Mail löschen; Ihr Passwort bleibt, wie es ist.
mail-label-what = Was
mail-label-where = Wo
mail-label-when = Wann
mail-label-pin = Ihre Tür-PIN
mail-when-range = { $date }, { $from }–{ $until } Uhr
mail-when-span = { $from } Uhr bis { $until } Uhr
mail-confirmed-subject = Buchung bestätigt: { $space }, { $when }
mail-confirmed-intro = Ihre Buchung ist bestätigt.
mail-pin-valid = Die PIN öffnet die Tür ab { $from } Uhr bis zum Ende Ihrer Buchung.
mail-pin-keep = Bitte geben Sie die PIN nicht weiter. Wenn Sie sie vergessen, bekommen Sie auf der Buchungsseite eine neue.
mail-booking-link = Buchung ansehen oder stornieren
mail-calendar-hint = Im Anhang finden Sie einen Eintrag für Ihren Kalender.
mail-cancelled-subject = Buchung storniert: { $space }, { $when }
mail-cancelled-intro = Ihre Buchung ist storniert. Die Tür-PIN gilt nicht mehr.
mail-cancelled-calendar = Mit dem Anhang entfernen Sie den Termin aus Ihrem Kalender.
mail-cancelled-book-again = Neu buchen
mail-reminder-subject = Erinnerung: { $space }, { $when }
mail-reminder-intro = wir erinnern Sie an Ihre Buchung.
mail-reminder-pin = Die Tür öffnen Sie mit der PIN aus Ihrer Buchungsbestätigung. Wenn Sie sie nicht mehr haben, bekommen Sie auf der Buchungsseite eine neue.
mail-ics-summary = { $space } – { $hub }
mail-ics-description = Ihre Buchung bei RegioHub. Buchungsseite: { $url }

# Remote unlock on the booking page
booking-door-title = Türen
booking-door-open = Tür öffnen
booking-door-requested = Angefordert …
booking-door-delivered = An die Tür übermittelt …
booking-door-executed = Geöffnet
booking-door-failed = Fehlgeschlagen – die Tür hat nicht geöffnet.
booking-door-expired = Die Tür war nicht rechtzeitig erreichbar. Bitte versuchen Sie es erneut oder nutzen Sie Ihre PIN.
booking-door-denied-too-early = Ihre Buchung hat noch nicht begonnen; die Tür öffnet erst kurz vor Beginn.
booking-door-denied-too-late = Ihre Buchung ist vorbei; die Tür öffnet nicht mehr.
booking-door-denied-revoked = Diese Buchung wurde storniert und öffnet keine Tür mehr.
booking-door-denied-booking-not-active = Diese Buchung ist nicht bestätigt und öffnet keine Tür.
booking-door-denied-too-many-unlocks = Für diese Buchung wurden in der letzten Stunde schon 10 Fernöffnungen angefordert; mehr erlaubt die Regel nicht (höchstens 10 je Buchung und Stunde). Bitte nutzen Sie den PIN am Tastenfeld oder versuchen Sie es später wieder.
booking-door-denied-other = Die Tür kann für diese Buchung gerade nicht geöffnet werden.

# No-show release
mail-no-show-subject = Buchung freigegeben: { $space }, { $when }
mail-no-show-title = Ihre Buchung wurde freigegeben
mail-no-show-intro = Sie haben bis { $minutes } Minuten nach Beginn (bei ganztägigen Buchungen: nach der Öffnung des Hubs) nicht eingecheckt – weder an der Tür noch vor Ort erfasst noch mit „Ich bin da“. Deshalb haben wir Ihre Buchung freigegeben, damit andere den Platz nutzen können. Die Tür-PIN gilt nicht mehr.
mail-no-show-book-again = Neu buchen

# Door alarms to the hub's managers
mail-alarm-subject = Alarm: { $what } – { $door }, { $hub }
mail-alarm-kind-held-open = Eine Tür steht zu lange offen.
mail-alarm-kind-forced-open = Eine Tür wurde ohne Berechtigung geöffnet.
mail-alarm-kind-controller-silent = Eine Türsteuerung antwortet nicht mehr.
mail-alarm-kind-device-fault = Ein Gerät an einer Tür meldet eine Störung.
mail-alarm-kind-keypad-lockout = Am Tastenfeld einer Tür wurden innerhalb einer Stunde wiederholt falsche PINs eingegeben; es ist gesperrt. Jemand probiert womöglich PINs aus.
# Der Alarm in wenigen Worten, für die Betreffzeile der Mail.
mail-alarm-short-held-open = Tür steht zu lange offen
mail-alarm-short-forced-open = Tür aufgebrochen (ohne Freigabe geöffnet)
mail-alarm-short-controller-silent = Türsteuerung antwortet nicht
mail-alarm-short-device-fault = Gerätestörung an der Tür
mail-alarm-short-keypad-lockout = Tastenfeld wiederholt gesperrt (jemand probiert PINs)
mail-alarm-facts = Tür: { $door }, { $hub }. Gemeldet: { $at }.
mail-alarm-act = Bitte prüfen Sie die Tür vor Ort oder veranlassen Sie, dass jemand nachsieht.
mail-alarm-throttle = Zur selben Tür und Alarmart schicken wir höchstens alle 15 Minuten eine E-Mail.
