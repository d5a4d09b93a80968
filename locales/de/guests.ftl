# Gäste mit eigener Tür-PIN (Buchungsseite, Gäste-Seite, Mails an Gäste, Konsole, Zugangsprotokoll).

guests-title = Gäste
guests-page-title = Gäste: { $space }
guests-link = Gäste einladen
guests-intro = Laden Sie Gäste per E-Mail ein. Jeder Gast bekommt eine eigene Tür-PIN, die für die Zeit Ihrer Buchung den Eingang des Hubs und diesen Raum öffnet. Gäste brauchen kein Konto.
guests-limit = { $limit ->
    [0] Dieser Raum hat nur einen Platz – den für Sie. Gäste können Sie hier nicht einladen.
    [one] Dieser Raum hat { $capacity } Plätze: einen für Sie und einen für einen Gast.
   *[other] Dieser Raum hat { $capacity } Plätze: einen für Sie und bis zu { $limit } für Gäste.
}
guests-none = Sie haben noch niemanden eingeladen.
guests-col-name = Name
guests-col-email = E-Mail
guests-col-status = Status
guests-col-action = Aktion
guests-status-active = Eingeladen
guests-status-withdrawn = Zurückgezogen
guests-withdraw = Einladung zurückziehen
guests-form-title = Gast einladen
guests-name = Name des Gasts
guests-email = E-Mail-Adresse des Gasts
guests-email-hint = Nur der Gast bekommt die PIN, in einer E-Mail an diese Adresse.
guests-language = Sprache der E-Mail
guests-language-de = Deutsch
guests-language-en = Englisch
guests-submit = Einladen
guests-invited-flash = Der Gast ist eingeladen und bekommt seine PIN per E-Mail.
guests-withdrawn-flash = Die Einladung ist zurückgezogen; die PIN des Gasts öffnet nichts mehr.
guests-to-booking = Zur Buchung
guests-error-name-required = Bitte geben Sie den Namen des Gasts ein.
guests-error-name-too-long = Der Name darf höchstens 100 Zeichen lang sein.
guests-error-name-invalid = Der Name enthält Zeichen, die nicht erlaubt sind.
guests-error-email-invalid = Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.org.
guests-error-email-own = Das ist Ihre eigene Adresse. Sie haben Ihre PIN schon.
guests-error-email-taken = Diese Adresse ist zu dieser Buchung schon eingeladen.
guests-error-language-invalid = Bitte wählen Sie Deutsch oder Englisch.
guests-error-form-invalid = Bitte prüfen Sie Ihre Angaben.
guests-error-not-a-room = Gäste können nur zu Raumbuchungen eingeladen werden.
guests-error-guests-off = Der Hub hat Gäste für diesen Raum abgeschaltet.
guests-error-not-confirmed = Gäste können nur zu einer bestätigten Buchung eingeladen werden.
guests-error-ended = Diese Buchung ist vorbei.
guests-error-full = Alle Plätze des Raums sind vergeben: einer für Sie, die übrigen für Ihre Gäste.
guests-log-note = Buchung mit Gästen: Die Tür meldet nicht, ob das Mitglied oder ein Gast die PIN eingegeben hat.
guests-log-label = Mitglied oder Gast

guests-console-allowed = Gäste erlaubt
guests-console-allowed-hint = Wer diesen Raum bucht, darf Gäste mit eigener PIN einladen (bis Kapazität − 1). Gilt nur für Räume.

guests-mail-invited-subject = Einladung: { $space }, { $when }
guests-mail-invited-intro = { $host } hat Sie in einen Raum des RegioHubs eingeladen.
guests-mail-label-pin = Ihre Tür-PIN
guests-mail-pin-valid = Die PIN öffnet die Türen ab { $from } Uhr bis zum Ende der Buchung.
guests-mail-pin-doors = Sie öffnet den Eingang des Hubs und diesen Raum, sonst nichts.
guests-mail-pin-keep = Bitte geben Sie die PIN nicht weiter.
guests-mail-no-account = Sie brauchen kein Konto. Fragen beantwortet die Person, die Sie eingeladen hat.
guests-mail-withdrawn-subject = Einladung zurückgezogen: { $space }, { $when }
guests-mail-withdrawn-intro = { $host } hat die Einladung zurückgezogen.
guests-mail-cancelled-subject = Buchung abgesagt: { $space }, { $when }
guests-mail-cancelled-intro = Die Buchung, zu der { $host } Sie eingeladen hat, findet nicht statt.
guests-mail-moved-subject = Buchung verschoben: { $space }, { $when }
guests-mail-moved-intro = { $host } hat die Buchung, zu der Sie eingeladen waren, verschoben. Ihre Einladung und Ihre PIN gelten nicht mehr; { $host } kann Sie für die neue Zeit wieder einladen.
guests-mail-ended-pin = Ihre PIN öffnet keine Tür mehr.
guests-error-too-many-invitations = Zu dieser Buchung wurden schon 30 Einladungen verschickt, mehr geht nicht.
