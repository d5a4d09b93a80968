# Verwaltung: Betreiber, Hubs, Plätze, Türen, Sensoren und Bridges.
console-catalog-save = Speichern
console-catalog-actions = Aktionen
console-catalog-choose = Bitte wählen
console-catalog-never = noch nie
console-catalog-no-bridge = keine Bridge
console-catalog-days = { $count ->
    [one] 1 Tag
   *[other] { $count } Tage
}

console-catalog-done-created = Angelegt.
console-catalog-done-saved = Änderungen gespeichert.
console-catalog-done-removed = Entfernt.
console-catalog-done-details = Name und Anschrift gespeichert.
console-catalog-done-limits = Grenzen pro Person gespeichert.
console-catalog-done-times = No-Show- und PIN-Zeiten gespeichert.
console-catalog-done-hours = Öffnungszeiten gespeichert.
console-catalog-done-closures = Schließtage gespeichert.
console-catalog-done-enabled = Der Platz kann wieder gebucht werden.
console-catalog-done-disabled = { $count ->
    [0] Der Platz ist außer Betrieb. Keine Buchung wurde storniert.
    [one] Der Platz ist außer Betrieb. 1 Buchung wurde storniert; die Person wird per E-Mail benachrichtigt.
   *[other] Der Platz ist außer Betrieb. { $count } Buchungen wurden storniert; die Personen werden per E-Mail benachrichtigt.
}

console-catalog-error-required = Bitte ausfüllen.
console-catalog-error-too-long = Bitte höchstens { $max } Zeichen eingeben.
console-catalog-error-control-characters = Dieser Text enthält unzulässige Steuerzeichen.
console-catalog-error-out-of-range = Bitte eine ganze Zahl von { $min } bis { $max } eingeben.
console-catalog-error-slug-format = Bitte 2 bis 40 Kleinbuchstaben (a–z), Ziffern und einzelne Bindestriche verwenden, z. B. „polch-viedel“.
console-catalog-error-slug-reserved = Dieses Kürzel ist für die Verwaltung reserviert. Bitte ein anderes wählen.
console-catalog-error-slug-taken = Dieses Kürzel hat schon ein anderer Hub.
console-catalog-error-time-zone = Bitte eine Zeitzone wie „Europe/Berlin“ angeben.
console-catalog-error-date-format = Bitte ein Datum angeben.
console-catalog-error-choose-one = Bitte eine der Möglichkeiten wählen.
console-catalog-error-time-format = Bitte Uhrzeiten als SS:MM angeben, z. B. 08:00 (24:00 nur für „schließt“).
console-catalog-error-interval-incomplete = Bitte zu jeder Öffnungszeit Beginn und Ende angeben – oder beide Felder leer lassen.
console-catalog-error-closes-before-opens = Das Ende muss nach dem Beginn liegen.
console-catalog-error-intervals-overlap = Die zwei Öffnungszeiten dürfen sich nicht überschneiden.
console-catalog-error-slot-divides-day = Das Raster muss den Tag glatt teilen (z. B. 15, 30, 60 oder 120 Minuten).
console-catalog-error-multiple-of-slot = Bitte ein Vielfaches des Rasters angeben.
console-catalog-error-max-below-min = Die längste Buchung darf nicht kürzer sein als die kürzeste.
console-catalog-error-whole-days = Bei ganztägiger Buchung bitte ganze Tage angeben: 1440 Minuten je Tag.
console-catalog-error-last-before-first = Der letzte Tag darf nicht vor dem ersten liegen.
console-catalog-error-unit-needs-bridge = Eine Modbus-Unit-ID gilt nur zusammen mit einer Bridge. Bitte eine Bridge wählen oder das Feld leeren.
console-catalog-error-unit-taken = Diese Unit-ID hat an dieser Bridge schon eine andere Tür.
console-catalog-error-space-watched = Diesen Bereich beobachtet schon ein anderer Sensor. Die Bridge erlaubt einen Sensor je Bereich.

console-catalog-operators-title = Betreiber
console-catalog-operators-intro = Die Städte und Gemeinden, die Hubs betreiben, mit ihren Kontakten und Rechtstexten.
console-catalog-operators-new = Betreiber anlegen
console-catalog-operators-none = Noch kein Betreiber angelegt.
console-catalog-operator-new-title = Neuer Betreiber
console-catalog-operator-edit-title = Betreiber „{ $name }“
console-catalog-operator-name = Name
console-catalog-operator-legal-contact = Verantwortliche Stelle
console-catalog-operator-legal-contact-hint = Anschrift und Kontakt für das Impressum.
console-catalog-operator-privacy-contact = Datenschutzbeauftragte Stelle
console-catalog-operator-privacy-contact-hint = Wer Anfragen zum Datenschutz beantwortet (E-Mail oder Anschrift).
console-catalog-operator-retention = Aufbewahrung des Zutrittsprotokolls (Tage)
console-catalog-operator-retention-hint = 1 bis 3650 Tage; üblich sind 90. Ältere Einträge löscht ein täglicher Lauf.
console-catalog-operator-imprint = Impressum
console-catalog-operator-privacy-policy = Datenschutzerklärung
console-catalog-operator-accessibility = Erklärung zur Barrierefreiheit
console-catalog-operator-text-hint = Reiner Text; Leerzeilen trennen Absätze. Er erscheint auf den öffentlichen Seiten der Hubs dieses Betreibers.
console-catalog-operator-view-legal = Öffentliche Rechtstexte ansehen

console-catalog-hub-new-title = Neuer Hub
console-catalog-hub-new-intro = Ein neuer Hub hat noch keine Öffnungszeiten und kann erst gebucht werden, wenn Sie sie in den Einstellungen eintragen.
console-catalog-hub-new-no-operator = Legen Sie zuerst einen Betreiber an.
console-catalog-hub-operator = Betreiber
console-catalog-hub-slug = Kürzel in der Adresse
console-catalog-hub-slug-hint = Kleinbuchstaben, Ziffern und Bindestriche, z. B. „polch-viedel“. Es erscheint in den Adressen der Seiten.
console-catalog-hub-slug-change-hint = Ändern Sie es nur mit Bedacht: alte Links auf die Seiten des Hubs funktionieren danach nicht mehr.
console-catalog-hub-name = Name
console-catalog-hub-street = Straße und Hausnummer
console-catalog-hub-postcode = Postleitzahl
console-catalog-hub-town = Ort
console-catalog-hub-time-zone = Zeitzone
console-catalog-hub-time-zone-hint = Name nach IANA, z. B. „Europe/Berlin“. Sie lässt sich später nicht ändern.
console-catalog-hub-create = Hub anlegen
console-catalog-hub-max-concurrent = Gleichzeitige Buchungen pro Person
console-catalog-hub-max-concurrent-hint = 1 bis 50 Buchungen, die sich zeitlich überschneiden dürfen.
console-catalog-hub-max-upcoming = Offene Buchungen pro Person
console-catalog-hub-max-upcoming-hint = 1 bis 500 Buchungen, die noch nicht vorbei sind.
console-catalog-hub-no-show = Freigabe ohne Check-in nach (Minuten)
console-catalog-hub-no-show-hint = 5 bis 240 Minuten nach Beginn: wer bis dahin nicht eingecheckt hat, verliert die Buchung.
console-catalog-hub-pin-grace = PIN gilt vor Beginn (Minuten)
console-catalog-hub-pin-grace-hint = 0 bis 120 Minuten, so früh öffnet die PIN die Tür vor Buchungsbeginn.

console-catalog-settings-title = Einstellungen: { $hub }
console-catalog-settings-details = Name und Anschrift
console-catalog-settings-admin-only = Kürzel, Betreiber und Zeitzone ändert nur die Kreisverwaltung.
console-catalog-settings-limits = Grenzen pro Person
console-catalog-settings-times = No-Show und PIN
console-catalog-settings-hours = Öffnungszeiten
console-catalog-closures-table = Eingetragene Schließtage
console-catalog-settings-closures = Schließtage und Feiertage
console-catalog-save-details = Name und Anschrift speichern
console-catalog-save-limits = Grenzen speichern
console-catalog-save-times = Zeiten speichern
console-catalog-save-hours = Öffnungszeiten speichern
console-catalog-hours-hint = Bis zu zwei Zeiten je Tag als SS:MM, z. B. 08:00 bis 12:00 und 13:00 bis 18:00; 24:00 für Mitternacht. Alle Felder eines Tages leer: geschlossen. Bestehende Buchungen bleiben bestehen.
console-catalog-hours-opens = Öffnet ({ $number }. Zeit)
console-catalog-hours-closes = Schließt ({ $number }. Zeit)
console-catalog-closures-intro = An diesen Tagen kann niemand neu buchen. Bestehende Buchungen bleiben bestehen.
console-catalog-closures-none = Keine Schließtage eingetragen.
console-catalog-closure-label = Anlass
console-catalog-closure-label-hint = Wird beim Buchen angezeigt, z. B. „Heiligabend“ oder „Renovierung“.
console-catalog-closure-days = Tage
console-catalog-closure-first-day = Erster Tag
console-catalog-closure-last-day = Letzter Tag
console-catalog-closure-last-day-hint = Für einen einzelnen Tag derselbe Tag wie der erste.
console-catalog-closure-add = Schließtage eintragen
console-catalog-closure-remove = Entfernen

console-catalog-spaces-title = Plätze und Räume: { $hub }
console-catalog-spaces-new = Platz oder Raum anlegen
console-catalog-spaces-none = Noch keine Plätze oder Räume.
console-catalog-space-name = Name
console-catalog-space-kind = Art
console-catalog-space-unit = Buchung
console-catalog-space-unit-hint = Stundenweise nach Raster oder ganze Tage.
console-catalog-unit-hour = stundenweise
console-catalog-unit-day = ganztägig
console-catalog-space-rules-column = Regeln
console-catalog-space-rules = { $min } bis { $max }, bis { $days } Tage im Voraus
console-catalog-space-state = Zustand
console-catalog-space-enabled = ✓ buchbar
console-catalog-space-disabled = ✕ außer Betrieb
console-catalog-space-disable = Außer Betrieb nehmen
console-catalog-space-enable = Wieder buchbar machen
console-catalog-space-upcoming-link = Künftige Buchungen
console-catalog-space-new-title = Neuer Platz oder Raum
console-catalog-space-edit-title = „{ $name }“ bearbeiten
console-catalog-space-capacity = Plätze
console-catalog-space-capacity-hint = 1 bis 500 Personen.
console-catalog-space-slot = Raster (Minuten)
console-catalog-space-slot-hint = Stundenweise: Buchungen beginnen und enden auf diesem Raster ab Mitternacht, 5 bis 720 Minuten. Ganztägig ohne Bedeutung.
console-catalog-space-min = Kürzeste Buchung (Minuten)
console-catalog-space-max = Längste Buchung (Minuten)
console-catalog-space-length-hint = Stundenweise: ein Vielfaches des Rasters, höchstens 1440. Ganztägig: 1440 je Tag, höchstens 30 Tage.
console-catalog-space-days-ahead = Buchbar im Voraus (Tage)
console-catalog-space-days-ahead-hint = 0 bis 365; 0 heißt nur heute.
console-catalog-space-position = Reihenfolge
console-catalog-space-position-hint = Ganze Zahl von 0 bis 999, leer heißt 0. Kleinere Zahlen stehen in den Listen weiter oben; Plätze mit derselben Zahl stehen nach Art und Name in natürlicher Reihenfolge (Arbeitsplatz 2 vor Arbeitsplatz 10).
console-catalog-space-approval = Buchungen brauchen eine Freigabe
console-catalog-space-approval-hint = Neue Buchungen warten, bis jemand vom Hub sie bestätigt.

console-catalog-disable-title = „{ $name }“ außer Betrieb nehmen
console-catalog-disable-already = Dieser Platz ist schon außer Betrieb. Sie können hier seine künftigen Buchungen stornieren.
console-catalog-disable-intro = Danach kann niemand diesen Platz neu buchen. Laufende Buchungen bleiben immer bestehen.
console-catalog-disable-upcoming = { $count ->
    [0] Es gibt keine künftigen Buchungen.
    [one] Es gibt 1 künftige Buchung.
   *[other] Es gibt { $count } künftige Buchungen.
}
console-catalog-disable-question = Was soll mit den künftigen Buchungen geschehen?
console-catalog-disable-keep = Bestehen lassen
console-catalog-disable-cancel = Stornieren und die Personen per E-Mail benachrichtigen (die PINs gelten sofort nicht mehr)
console-catalog-disable-submit = Außer Betrieb nehmen
console-catalog-mail-reason-space-disabled = Grund: Der Platz wurde vom Hub-Team außer Betrieb genommen. Wir bitten um Entschuldigung.

console-catalog-doors-title = Türen: { $hub }
console-catalog-doors-intro = Jede Änderung erreicht die Bridges des Hubs sofort.
console-catalog-doors-new = Tür anlegen
console-catalog-doors-none = Noch keine Türen.
console-catalog-door-name = Name
console-catalog-door-state = Zustand
console-catalog-door-state-closed = geschlossen
console-catalog-door-state-open = offen
console-catalog-door-state-held_open = ⚠ zu lange offen
console-catalog-door-state-unknown = unbekannt
console-catalog-door-state-none = noch nicht gemeldet
console-catalog-door-leads-to = Führt zu
console-catalog-door-entrance = Eingangstür
console-catalog-door-entrance-hint = Eine Eingangstür öffnet für jede Buchung des Hubs, egal welcher Platz.
console-catalog-door-entrance-all = alle Plätze (Eingang)
console-catalog-door-no-spaces = Dieser Hub hat noch keine Plätze.
console-catalog-door-bridge = Bridge
console-catalog-door-bridge-hint = Die Bridge, bei der die Türsteuerung nachfragt.
console-catalog-door-unit = Modbus-Unit-ID
console-catalog-door-unit-hint = 1 bis 247, an einer Bridge nur einmal; leer, wenn die Tür keine eigene Steuerung hat. In der Bridge-Konfiguration: controller = { "{" } unit_id = … { "}" }.
console-catalog-door-id = Tür-ID
console-catalog-door-id-hint = So heißt die Tür in der Bridge-Konfiguration ([[door]] id = …).
console-catalog-door-new-title = Neue Tür
console-catalog-door-edit-title = Tür „{ $name }“
console-catalog-door-remove = Entfernen
console-catalog-door-remove-title = Tür „{ $name }“ entfernen?
console-catalog-door-remove-intro = Die Bridges öffnen diese Tür danach für niemanden mehr. Einträge im Zutrittsprotokoll bleiben, nennen die Tür aber nicht mehr.

console-catalog-sensors-title = Sensoren: { $hub }
console-catalog-sensors-intro = Ein Präsenzsensor meldet, ob an einem Platz oder in einem Raum gerade jemand ist – nie, wer. Mit seinen Meldungen checken Buchungen von selbst ein, und die Auslastung zeigt, wie die Plätze wirklich genutzt werden. Über den Zutritt entscheidet ein Sensor nie.
console-catalog-sensors-new = Sensor anlegen
console-catalog-sensors-none = Noch keine Sensoren: Es ist keiner eingetragen, und die Bridge hat noch keine Anwesenheit gemeldet.
console-catalog-sensor-name = Name
console-catalog-sensor-space = Beobachteter Bereich
console-catalog-sensor-space-hint = Je Bereich ein Sensor.
console-catalog-sensor-bridge = Bridge
console-catalog-sensor-id = Sensor-ID
console-catalog-sensor-config = Eintrag in der Bridge
console-catalog-sensor-latest = Letzte Meldung
console-catalog-sensor-reading = { $state } ({ $time })
console-catalog-sensor-no-reading = noch keine Meldung
console-catalog-sensor-unregistered = Noch nicht eingetragen
console-catalog-sensor-bridge-reports = meldet über die Bridge
console-catalog-sensor-register = Eintragen
console-catalog-sensor-new-title = Neuer Sensor
console-catalog-sensor-edit-title = Sensor „{ $name }“
console-catalog-sensor-remove = Entfernen
console-catalog-sensor-remove-title = Sensor „{ $name }“ entfernen?
console-catalog-sensor-remove-intro = Frühere Messwerte bleiben für die Auslastung erhalten.
console-catalog-sensors-config-title = Wie ein Sensor dazukommt
console-catalog-sensors-config-intro = Sensoren hängen nicht selbst am Internet, sondern an der Bridge Ihres Hubs: dem kleinen Gerät vor Ort, das auch die Türen steuert und ihre Meldungen an RegioHub weitergibt. Wer bei Ihnen die Technik betreut, schließt den Sensor an die Bridge an und stellt dort ein, welchen Bereich er beobachtet (die Angabe in der Spalte „Eintrag in der Bridge“). Sobald die Bridge die ersten Meldungen schickt, erscheint der Sensor in dieser Liste und im Überblick.
console-catalog-sensors-config-device = Tragen Sie ihn dann hier ein („Eintragen“ oder „Sensor anlegen“), mit einem Namen und seiner Bridge. Erst ein eingetragener Sensor zählt als Weg zum Einchecken: Eine Buchung gibt RegioHub nur dann als „nicht erschienen“ frei, wenn ein Einchecken möglich war.

console-catalog-bridges-title = Bridges: { $hub }
console-catalog-bridges-intro = Eine Bridge verbindet die Türsteuerungen des Hubs mit diesem Dienst. Ihr Zugangsschlüssel wird nur einmal angezeigt.
console-catalog-bridges-none = Noch keine Bridge.
console-catalog-bridges-new = Bridge anlegen
console-catalog-bridges-create = Bridge anlegen und Schlüssel anzeigen
console-catalog-bridge-name = Name
console-catalog-bridge-name-hint = Z. B. „Bridge Erdgeschoss“.
console-catalog-bridge-created = Angelegt
console-catalog-bridge-last-seen = Zuletzt gemeldet
console-catalog-bridge-rotated = Schlüssel erneuert
console-catalog-bridge-id = Bridge-ID
console-catalog-bridge-rotate = Schlüssel erneuern
console-catalog-bridge-rotate-title = Schlüssel der Bridge „{ $name }“ erneuern?
console-catalog-bridge-rotate-intro = Der alte Schlüssel gilt sofort nicht mehr. Die Bridge entscheidet danach aus ihrer letzten Liste, bis der neue Schlüssel bei ihr eingetragen ist.
console-catalog-token-created-title = Bridge „{ $name }“ angelegt
console-catalog-token-rotated-title = Neuer Schlüssel für „{ $name }“
console-catalog-token-once = Dieser Schlüssel wird nur jetzt angezeigt. Kopieren Sie ihn, bevor Sie die Seite verlassen.
console-catalog-token-label = Zugangsschlüssel der Bridge
console-catalog-token-old-revoked = Der alte Schlüssel gilt nicht mehr.
console-catalog-token-install = Legen Sie ihn auf dem Rechner der Bridge in die Datei, die token_file nennt (nur für die Bridge lesbar).
console-catalog-token-done = Fertig, zurück zur Liste
console-catalog-bridge-setup-title = Einrichtung der Bridge
console-catalog-bridge-setup-hub-id = In der Bridge-Konfiguration steht die ID dieses Hubs:
console-catalog-bridge-setup-pin-key = Den PIN-Schlüssel des Hubs erzeugt die Serverbetreuung auf dem Server dieses Dienstes und übergibt die Datei sicher (nicht per E-Mail):
