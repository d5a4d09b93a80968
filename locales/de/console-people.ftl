# Verwaltung, Bereich Personen und Buchungen: Personen suchen, Rollen, Sperren; Buchungen eines
# Hubs bestätigen, ablehnen, stornieren; für jemanden buchen; die E-Mails dazu.
console-people-name = Name
console-people-email = E-Mail-Adresse
console-people-status = Status
console-people-roles = Rollen
console-people-since = Konto seit
console-people-when = Wann
console-people-space = Platz oder Raum
console-people-person = Person
console-people-actions = Aktionen
console-people-deleted-person = (gelöschtes Konto)
console-people-status-active = Aktiv
console-people-status-pending = Noch nicht aktiviert
console-people-status-blocked = Gesperrt
console-people-role-member = Mitglied
console-people-role-admin = Verwaltung des Landkreises (Admin)
console-people-role-hub_manager = Hub-Leitung: { $hub }

console-people-users-title = Personen
console-people-users-intro = Suchen Sie nach Name oder E-Mail-Adresse. Rollen und Sperren gelten für alle Hubs; deshalb entscheidet darüber nur die Verwaltung des Landkreises.
console-people-users-search = Name oder E-Mail-Adresse
console-people-users-search-submit = Suchen
console-people-users-found = { $count ->
    [0] Niemand gefunden.
    [one] 1 Person gefunden.
   *[other] { $count } Personen gefunden, Seite { $page } von { $pages }.
}
console-people-pages = Seiten
console-people-previous = Vorherige Seite
console-people-next = Nächste Seite
console-people-no-roles = Keine Rolle.
console-people-role-remove = Entfernen
console-people-role-add-label = Rolle geben
console-people-role-add = Rolle geben
console-people-block-title = Sperren
console-people-block-explain = Eine Sperre beendet sofort alle Anmeldungen der Person und macht die PINs ihrer Buchungen ungültig. Buchungen werden nicht storniert.
console-people-block = Person sperren
console-people-unblock-explain = Die Person ist gesperrt. Beim Entsperren bekommt sie nur ihr Konto zurück: Neue PINs gibt es auf der Buchungsseite („Neue PIN“) oder hier über die Buchungsliste des Hubs.
console-people-unblock = Sperre aufheben
console-people-user-done-role-added = Die Rolle wurde vergeben.
console-people-user-done-role-removed = Die Rolle wurde entfernt.
console-people-user-done-blocked = Die Person ist gesperrt. Ihre Anmeldungen sind beendet, ihre PINs ungültig.
console-people-user-done-unblocked = Die Sperre ist aufgehoben.

console-people-bookings-title = Buchungen
console-people-bookings-day = Tag
console-people-bookings-day-hint = Leer lassen für heute und alle späteren Buchungen.
console-people-bookings-all-statuses = Alle
console-people-bookings-filter = Anzeigen
console-people-bookings-pending-count = { $count ->
    [0] Keine Anfrage wartet auf Bestätigung.
    [one] 1 Anfrage wartet auf Bestätigung; sie steht oben.
   *[other] { $count } Anfragen warten auf Bestätigung; sie stehen oben.
}
console-people-bookings-none = Keine Buchungen für diese Auswahl.
console-people-bookings-limited = Es werden nur die ersten 500 Buchungen gezeigt. Wählen Sie einen Tag oder einen Status, um die Liste einzugrenzen.
console-people-approve = Bestätigen
console-people-decline = Ablehnen …
console-people-cancel = Stornieren …
console-people-reissue-pin = Neue PIN senden
console-people-bookings-done-approved = Die Buchung ist bestätigt. Die Person bekommt ihre PIN per E-Mail.
console-people-bookings-done-declined = Die Anfrage ist abgelehnt. Die Person wird per E-Mail mit Ihrer Begründung benachrichtigt.
console-people-bookings-done-cancelled = Die Buchung ist storniert, ihre PIN ungültig. Die Person wird per E-Mail mit Ihrer Begründung benachrichtigt.
console-people-bookings-done-pin = Eine neue PIN ist per E-Mail unterwegs; die alte gilt nicht mehr.
console-people-bookings-done-booked = Gebucht. Die Bestätigung mit der PIN ist per E-Mail unterwegs.
console-people-bookings-done-booked-new = Gebucht. Für die Adresse wurde ein Konto angelegt; die Bestätigung mit der PIN und einem Link zum Aktivieren des Kontos ist per E-Mail unterwegs.

console-people-reason = Begründung
console-people-reason-hint = Die Person bekommt diesen Text per E-Mail. Höchstens 500 Zeichen.
console-people-decline-title = Anfrage ablehnen
console-people-decline-explain = Die Anfrage wird abgelehnt und der Platz wieder frei. Die Person bekommt eine E-Mail mit Ihrer Begründung.
console-people-decline-submit = Ablehnen und Person benachrichtigen
console-people-cancel-title = Buchung stornieren
console-people-cancel-explain = Die Buchung wird storniert, ihre PIN gilt sofort nicht mehr und der Platz wird wieder frei. Die Person bekommt eine E-Mail mit Ihrer Begründung.
console-people-cancel-submit = Stornieren und Person benachrichtigen

console-people-new-title = Für jemanden buchen
console-people-new-intro = Für Gäste vor Ort, Anrufe oder Vereine. Es gelten die Buchungsregeln des Hubs; Räume, die sonst bestätigt werden müssen, sind sofort gebucht. Die Person bekommt die Bestätigung mit der PIN per E-Mail.
console-people-new-person = Für wen
console-people-new-email-hint = Hat die Adresse noch kein Konto, wird eines angelegt; die Person aktiviert es über den Link in der E-Mail.
console-people-new-name-hint = Nur nötig, wenn die Person noch kein Konto hat.
console-people-new-lang = Sprache der E-Mails
console-people-new-lang-hint = Nur für ein neues Konto; wer schon ein Konto hat, bekommt E-Mails in seiner Sprache.
console-people-new-what = Was und wann
console-people-new-choose-space = Bitte wählen
console-people-new-date = Datum (bei tageweise gebuchten Plätzen: erster Tag)
console-people-new-date-hint = z. B. 24.11.2026
console-people-new-time-hint = Nur bei stundenweise gebuchten Plätzen, z. B. 09:00.
console-people-new-last-day-hint = Nur bei tageweise gebuchten Plätzen; leer lassen für einen einzelnen Tag.
console-people-new-submit = Verbindlich buchen
console-people-space-by-hour = { $space } (stundenweise)
console-people-space-by-day = { $space } (tageweise)
console-people-rule-concurrent_limit = Die Person hat zu dieser Zeit schon { $count } Buchung(en), mehr sind nicht möglich.
console-people-rule-upcoming_limit = Die Person hat schon { $count } anstehende Buchungen, mehr sind nicht möglich.

console-people-error-unknown_role = Bitte wählen Sie eine Rolle aus der Liste.
console-people-error-unknown_hub = Diesen Hub gibt es nicht mehr. Bitte wählen Sie eine Rolle aus der Liste.
console-people-error-role_held = Die Person hat diese Rolle schon.
console-people-error-own_admin_role = Ihre eigene Admin-Rolle können Sie nicht entfernen. Das muss eine andere Person aus der Verwaltung tun.
console-people-error-block_self = Ihr eigenes Konto können Sie nicht sperren.
console-people-error-missing_reason = Bitte geben Sie eine Begründung ein; die Person bekommt sie per E-Mail.
console-people-error-reason_too_long = Die Begründung darf höchstens 500 Zeichen lang sein und keine Steuerzeichen enthalten.
console-people-error-invalid_email = Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@example.org.
console-people-error-person_blocked = Diese Person ist gesperrt. Für sie kann nicht gebucht werden.
console-people-error-missing_name = Die Adresse hat noch kein Konto: Bitte geben Sie den Namen der Person ein.
console-people-error-name_too_long = Der Name darf höchstens 100 Zeichen lang sein.
console-people-error-name_control_characters = Der Name enthält unzulässige Zeichen.
console-people-error-missing_space = Bitte wählen Sie einen Platz oder Raum.
console-people-error-slot_taken = Der Platz ist in dieser Zeit inzwischen anderweitig belegt. Es wurde nichts geändert.
console-people-error-not_pending = Diese Anfrage wartet nicht mehr auf Bestätigung (sie wurde inzwischen storniert oder bearbeitet). Es wurde nichts geändert.
console-people-error-booking_over = Diese Buchung ist schon vorbei. Es wurde nichts geändert.
console-people-error-person_gone = Das Konto dieser Person gibt es nicht mehr. Es wurde nichts geändert.
console-people-error-pin_unavailable = Gerade konnte keine PIN vergeben werden. Bitte versuchen Sie es gleich noch einmal.
console-people-error-not_cancellable = Diese Buchung kann nicht mehr storniert werden: Sie ist vorbei, in Gebrauch oder schon storniert. Es wurde nichts geändert.
console-people-error-no_pin = Für diese Buchung gibt es keine PIN: Sie ist nicht bestätigt, storniert oder vorbei.

console-people-mail-reason = Begründung des Standorts
console-people-mail-declined-subject = Anfrage abgelehnt: { $space }, { $when }
console-people-mail-declined-intro = leider kann der Standort Ihre Buchungsanfrage nicht bestätigen.
console-people-mail-declined-book-else = Einen anderen Platz oder eine andere Zeit buchen
console-people-mail-claim-intro = Für diese Buchung haben wir ein Konto für Sie angelegt. Wählen Sie über diesen Link ein Passwort, dann können Sie sich anmelden und Ihre Buchungen ansehen oder stornieren:
console-people-mail-claim-button = Passwort wählen und Konto aktivieren
console-people-mail-claim-valid = Der Link ist { $hours } Stunden gültig und funktioniert nur einmal. Danach können Sie jederzeit über „Passwort vergessen“ einen neuen anfordern. Ihre PIN gilt auch ohne Konto.
