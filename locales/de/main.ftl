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
language-switch-button = Wechseln
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
