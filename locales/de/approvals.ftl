# Booking requests: mails to the hub's managers and the member, the automatic decline at the
# start, and the waiting time in the console's bookings list.

approvals-mail-requested-subject = Neue Buchungsanfrage: { $space }, { $when }
approvals-mail-requested-intro = { $person } bittet um die Bestätigung einer Buchung bei { $hub }.
approvals-mail-label-person = Angefragt von
approvals-mail-requested-deadline = Bitte entscheiden Sie bis { $deadline } Uhr (Beginn der Buchung). Ist bis dahin nicht entschieden, wird die Anfrage automatisch abgelehnt.
approvals-mail-requested-decide = Anfrage bestätigen oder ablehnen

approvals-mail-received-subject = Anfrage eingegangen: { $space }, { $when }
approvals-mail-received-intro = Ihre Buchungsanfrage ist eingegangen. Dieser Platz muss vom Standort bestätigt werden; bis dahin ist die Zeit für Sie vorgemerkt.
approvals-mail-received-deadline = Die Entscheidung fällt spätestens bis { $deadline } Uhr (Beginn der Buchung). Wird bis dahin nicht entschieden, gilt die Anfrage als abgelehnt.
approvals-mail-received-next = Wird die Anfrage bestätigt, bekommen Sie eine weitere E-Mail mit Ihrer Tür-PIN und dem Kalendereintrag. Bis dahin öffnet Ihnen keine Tür.
approvals-mail-received-view = Anfrage ansehen

approvals-reason-not-decided = Die Anfrage wurde bis zum Beginn der Buchung nicht entschieden und ist deshalb automatisch abgelehnt.

approvals-waiting = { $unit ->
    [minutes] wartet seit { $count } Min.
    [hours] wartet seit { $count } Std.
   *[days] wartet seit { $count } { $count ->
        [one] Tag
       *[other] Tagen
    }
}
approvals-pending-filter = Nur Anfragen zeigen
approvals-audit-system = System (automatisch)
