# Verwaltung, Bereich Auslastung: Diagramme, Datentabellen und CSV-Exporte.
console-reports-title = Auslastung
console-reports-from = Erster Tag
console-reports-to = Letzter Tag
console-reports-range-hint = Höchstens 366 Tage. Ohne Angabe: der letzte volle Kalendermonat.
console-reports-space = Platz oder Raum
console-reports-all-spaces = Alle Plätze und Räume
console-reports-show = Anzeigen
console-reports-error-date = Bitte ein Datum angeben, zum Beispiel 2026-10-01.
console-reports-error-order = Der letzte Tag darf nicht vor dem ersten liegen.
console-reports-error-too-long = Der Zeitraum darf höchstens { $days } Tage lang sein.
console-reports-booked-hours = Gebucht (Stunden)
console-reports-present-hours = Anwesend (Stunden)
console-reports-bookings = Buchungen
console-reports-no-shows = Nicht erschienen
console-reports-no-show-rate = Nicht-erschienen-Quote
console-reports-percent = { $value } %
console-reports-no-rate = – (keine Buchungen)
console-reports-presence-note = Anwesenheit zählt aus den 5-Minuten-Summen der Belegungssensoren. Sensormeldungen der letzten sieben Tage sind noch nicht zusammengefasst und fehlen daher hier. Gebucht zählt jede nicht stornierte Buchung; die Quote bezieht sich auf die Buchungen, die im Zeitraum begannen.
console-reports-downloads = Herunterladen (CSV)
console-reports-download-bookings = Buchungen im Zeitraum (CSV)
console-reports-download-access-log = Zutrittsprotokoll im Zeitraum (CSV)
console-reports-download-utilization = Auslastung je Platz und Stunde (CSV)
console-reports-busiest = Meistgebuchte Zeiten
console-reports-busiest-none = Im Zeitraum wurde nichts gebucht.
console-reports-busy-slot = { $weekday }, { $hours } Uhr: { $booked } { $booked ->
        [one] Stunde
       *[other] Stunden
    } gebucht
console-reports-by-hour = Nach Tageszeit
console-reports-by-weekday = Nach Wochentag
console-reports-per-space = Nach Platz und Raum
console-reports-per-space-caption = Gebuchte und anwesende Stunden und Nicht-erschienen-Quote je Platz und Raum
console-reports-legend-booked = Gebucht: volle Balken
console-reports-legend-present = Anwesend: schraffierte Balken
console-reports-chart-hours-title = Gebuchte und anwesende Stunden je Tageszeit
console-reports-chart-hours-desc = Balkendiagramm für { $range }: je Stunde des Tages ein voller Balken für gebuchte und ein schraffierter Balken für anwesende Stunden. Insgesamt { $booked } { $booked ->
        [one] Stunde
       *[other] Stunden
    } gebucht und { $present } { $present ->
        [one] Stunde
       *[other] Stunden
    } anwesend. Die Werte stehen in der Tabelle unter dem Diagramm.
console-reports-chart-hours-category = Uhrzeit
console-reports-chart-weekdays-title = Gebuchte und anwesende Stunden je Wochentag
console-reports-chart-weekdays-desc = Balkendiagramm für { $range }: je Wochentag ein voller Balken für gebuchte und ein schraffierter Balken für anwesende Stunden. Insgesamt { $booked } { $booked ->
        [one] Stunde
       *[other] Stunden
    } gebucht und { $present } { $present ->
        [one] Stunde
       *[other] Stunden
    } anwesend. Die Werte stehen in der Tabelle unter dem Diagramm.
console-reports-chart-weekdays-category = Wochentag
console-reports-csv-booking-id = Buchungsnummer
console-reports-csv-space = Platz
console-reports-csv-name = Name
console-reports-csv-email = E-Mail
console-reports-csv-start = Beginn
console-reports-csv-end = Ende
console-reports-csv-status = Status
console-reports-csv-checked-in = Eingecheckt
console-reports-csv-by-staff = Von der Verwaltung gebucht
console-reports-csv-booked-hours = Gebucht (Stunden)
console-reports-csv-present-hours = Anwesend (Stunden)
console-reports-csv-yes = ja
console-reports-csv-no = nein
console-reports-csv-deleted-person = (gelöschtes Konto)
console-reports-csv-bookings-file = buchungen
console-reports-csv-utilization-file = auslastung
console-reports-equipment-note = Geräte werden tageweise gebucht und haben keinen Sensor; sie zählen nicht in die Summen und Diagramme des Hubs, ihre Zahlen stehen in der Tabelle nach Platz und Raum.
