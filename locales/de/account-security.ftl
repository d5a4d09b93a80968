# Schutz des Kontos: Passwort bei der Bestätigung wählen, Hinweise nach einem Zurücksetzen und
# bei einer neuen E-Mail-Adresse.

account-verify-choose-title = Passwort wählen und Adresse bestätigen
account-verify-choose-intro = Für diese Adresse wurde mehr als einmal ein Konto beantragt. Damit nur Sie sich anmelden können, wählen Sie jetzt Ihr Passwort; damit ist Ihre Adresse bestätigt.
account-verify-choose-submit = Passwort speichern und Konto aktivieren

account-email-password = Aktuelles Passwort (nur für eine neue E-Mail-Adresse)
account-email-password-missing = Bitte geben Sie Ihr aktuelles Passwort ein, um die E-Mail-Adresse zu ändern.

mail-account-verify-again-subject = Bitte bestätigen Sie Ihre Adresse und wählen Sie Ihr Passwort
mail-account-verify-again-intro = mit dieser Adresse wurde noch einmal ein RegioHub-Konto beantragt, bevor sie bestätigt war. Damit nur, wer dieses Postfach liest, sich anmelden kann, gilt kein bei der Registrierung gewähltes Passwort: Wählen Sie Ihr Passwort über diesen Link, damit ist das Konto aktiv.
mail-account-verify-again-button = Passwort wählen
mail-account-verify-again-ignore = Wenn Sie kein Konto wollen, können Sie diese E-Mail löschen; niemand kann sich ohne diesen Link anmelden.

mail-account-reset-done-subject = Ihr RegioHub-Passwort wurde zurückgesetzt
mail-account-reset-done-intro = Ihr Passwort wurde eben über einen Link aus einer E-Mail neu gewählt. Alle Anmeldungen sind beendet, ebenso { $tokens ->
    [0] Ihre persönlichen API-Tokens (Sie hatten keine)
    [one] Ihr persönliches API-Token
   *[other] Ihre { $tokens } persönlichen API-Tokens
}, und eine begonnene Änderung der E-Mail-Adresse gilt nicht mehr. Neue Tokens erstellen Sie auf Ihrer Kontoseite:
mail-account-reset-done-button = Zur Kontoseite
mail-account-reset-done-ignore = Wenn Sie das nicht waren, setzen Sie Ihr Passwort bitte sofort selbst zurück und melden Sie sich bei Ihrem RegioHub.

mail-account-email-change-subject = Ihre E-Mail-Adresse bei RegioHub soll geändert werden
mail-account-email-change-intro = in Ihrem RegioHub-Konto wurde eben beantragt, die Anmeldung auf die Adresse { $new_email } zu ändern. Sie gilt erst, wenn sie über den Link bestätigt wird, der an diese neue Adresse ging.
mail-account-email-change-button = Passwort zurücksetzen
mail-account-email-change-ignore = Wenn Sie das nicht waren, setzen Sie Ihr Passwort über den Link oben zurück: Das beendet alle Anmeldungen und die beantragte Änderung.
