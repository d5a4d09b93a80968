# Around the site (issue 12): bookings list, PIN notice, legal texts
bookings-cancelled = Cancelled
booking-pin-was-shown = The PIN was shown once and, for security, is not shown again.
legal-german-only = This text is available in German only.
account-tokens-table = Your API tokens
account-cards-table = Your registered door cards
