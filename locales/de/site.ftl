# Rundum die Website (Issue 12): Buchungsliste, PIN-Hinweis, Rechtstexte
bookings-cancelled = Storniert
booking-pin-was-shown = Die PIN wurde einmal angezeigt und wird aus Sicherheitsgründen nicht noch einmal gezeigt.
legal-german-only = Dieser Text liegt nur auf Deutsch vor.
account-tokens-table = Ihre API-Schlüssel
account-cards-table = Ihre registrierten Türkarten
