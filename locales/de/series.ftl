# Repeating bookings (/spaces/{id}/series, /series/{id}).
series-link = Regelmäßig buchen (Serie)
series-title = { $space } regelmäßig buchen
series-back-single = Einzeln buchen
series-intro = Wählen Sie den ersten Termin, die Uhrzeit und wie oft er sich wiederholt. Die Vorschau zeigt jeden Termin; gebucht werden alle freien Termine auf einmal. Jeder Termin bekommt seine eigene PIN per E-Mail.
series-first-date = Erster Termin
series-repeat = Wiederholung
series-weekly = Wöchentlich
series-daily = Täglich
series-weekdays = Wochentage (bei wöchentlich)
series-weekdays-hint = Ohne Auswahl gilt der Wochentag des ersten Termins.
series-interval = Abstand
series-interval-hint = Jede 1., 2., … Woche (bei täglich: jeden 1., 2., … Tag).
series-ends = Ende der Serie
series-ends-count = Nach einer Anzahl Termine
series-count = Anzahl Termine (2 bis { $max })
series-ends-until = An einem Datum
series-until = Letzter möglicher Tag
series-preview = Vorschau zeigen
series-preview-title = Vorschau
series-preview-summary = { $count ->
    [one] Ein Termin ist frei und kann gebucht werden.
   *[other] { $count } Termine sind frei und können gebucht werden.
}
series-book = { $count ->
    [one] Den freien Termin buchen
   *[other] Alle { $count } freien Termine buchen
}
series-state-bookable = frei
series-state-booked = gebucht
series-state-requested = angefragt
series-state-taken = schon belegt
series-state-closed = geschlossen
series-state-rule = nicht erlaubt
series-state-no_such_time = diese Uhrzeit gibt es an dem Tag nicht
series-alternative = frei: { $space }
series-nothing-bookable = Keiner der Termine kann gebucht werden. Die Vorschau zeigt, warum.
series-error-frequency = Bitte wählen Sie täglich oder wöchentlich.
series-error-weekday = Bitte wählen Sie Wochentage aus der Liste.
series-error-series_interval = Der Abstand muss zwischen 1 und 8 liegen.
series-error-series_count = Eine Serie hat 2 bis { $max } Termine.
series-error-series_until_before_first = Der letzte Tag darf nicht vor dem ersten Termin liegen.
series-error-series_too_long = Die Serie ist zu lang: höchstens 60 Termine innerhalb von 400 Tagen.
series-error-series_no_dates = Mit dieser Wahl gibt es keine zwei Termine. Bitte prüfen Sie Wochentage und Ende.
series-show-title = Serie: { $space }
series-rule = Wiederholung
series-rule-daily = { $n ->
    [one] täglich
   *[other] alle { $n } Tage
}
series-rule-weekly = { $n ->
    [one] wöchentlich
   *[other] alle { $n } Wochen
} am { $days }
series-rule-until = bis { $date }
series-rule-count = { $n } Termine
series-pins-by-mail = Jeder Termin ist eine eigene Buchung mit eigener PIN; die PINs kommen per E-Mail.
series-dates = Termine
series-created = Die Serie ist gebucht. Die Bestätigungen mit den PINs kommen per E-Mail.
series-cancelled = { $count ->
    [one] Ein Termin wurde storniert.
   *[other] { $count } Termine wurden storniert.
}
series-cancel-one = Nur diesen stornieren
series-cancel-following = Diesen und alle folgenden stornieren
series-cancel-all = Ganze Serie stornieren
series-cancel-title = Termine der Serie stornieren
series-cancel-question = { $count ->
    [one] Diesen Termin stornieren?
   *[other] Diese { $count } Termine stornieren?
}
series-cancel-confirm = Ja, stornieren
series-badge = Serie
series-upcoming = { $count ->
    [one] ein kommender Termin
   *[other] { $count } kommende Termine
}, nächster: { $next }
series-part-of = Dieser Termin gehört zu einer Serie.
series-open = Zur Serie
