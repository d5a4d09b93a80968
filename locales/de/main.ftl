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
