# Throttles and the busy password pool (login, registration, reset links).
throttling-too-many = Zu viele Versuche. Bitte versuchen Sie es in { $minutes } Minuten noch einmal.
throttling-busy = Gerade melden sich sehr viele Menschen an. Bitte versuchen Sie es in ein paar Sekunden noch einmal.
