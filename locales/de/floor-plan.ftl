# The floor plan: the day view's plan and the console's plan page.
plan-heading = Lageplan
plan-hour = Stunde
plan-caption = Lageplan für { $hour } Uhr: welcher Platz frei, belegt oder zu ist. Jeder Platz führt zu seinem Buchungsformular.
plan-unplaced = { $count ->
    [one] Ein Platz ist nicht im Plan eingezeichnet; die Liste unten zeigt alle.
   *[other] { $count } Plätze sind nicht im Plan eingezeichnet; die Liste unten zeigt alle.
}
plan-list-hint = Die Liste unten zeigt dasselbe als Text, Stunde für Stunde.
console-catalog-spaces-plan = Lageplan
console-plan-title = Lageplan – { $hub }
console-plan-intro = Der Lageplan zeigt Mitgliedern in der Tagesansicht, wo die Plätze liegen und welche zu einer Stunde frei sind.
console-plan-public = Zur Tagesansicht
console-plan-preview = Vorschau: wo die Plätze im Plan liegen
console-plan-remove = Lageplan entfernen
console-plan-none = Dieser Hub hat noch keinen Lageplan.
console-plan-upload = Lageplan hochladen
console-plan-replace = Lageplan ersetzen
console-plan-file = SVG-Datei
console-plan-file-hint = Eine SVG-Zeichnung, höchstens { $megabytes } MB. Skripte, Verweise auf andere Adressen, verschachtelte Wiederholungen (use in use) und Daten des Zeichenprogramms werden beim Hochladen entfernt.
console-plan-alt-de-hint = Pflicht: Was zeigt der Plan? Zum Beispiel: „Erdgeschoss: Eingang links, Arbeitsplätze am Fenster, Vereinsraum hinten rechts.“
console-plan-upload-button = Hochladen
console-plan-spots = Plätze im Plan
console-plan-spots-hint = In Prozent der Breite (von links) und der Höhe (von oben), zum Beispiel 37,5. Beide Felder leer lassen, wenn ein Platz nicht im Plan erscheinen soll.
console-plan-x = Von links (%)
console-plan-y = Von oben (%)
console-plan-spots-save = Positionen speichern
console-catalog-error-plan-too-big = Die Datei ist zu groß: höchstens { $megabytes } MB.
console-catalog-error-plan-not-svg = Das ist keine SVG-Zeichnung. Bitte den Plan als SVG speichern (zum Beispiel mit „Exportieren als SVG“).
console-catalog-error-plan-no-size = Die Zeichnung hat keine lesbare Größe (viewBox oder width und height) oder ist schmaler als 1 zu 10.
console-catalog-error-plan-missing = Bitte eine SVG-Datei auswählen.
console-catalog-error-plan-alt-missing = Bitte beschreiben, was der Plan zeigt.
console-catalog-error-plan-spots = Einige Positionen sind nicht lesbar; nichts wurde gespeichert. Die Zeilen sind markiert.
console-catalog-error-plan-coordinate-range = Bitte eine Zahl von 0 bis 100 angeben.
console-catalog-error-plan-coordinate-half = Bitte beide Werte angeben oder beide leer lassen.
console-catalog-done-plan-uploaded = Der Lageplan ist gespeichert.
console-catalog-done-plan-cleaned = Der Lageplan ist gespeichert. { $count ->
    [one] Ein Teil der Datei, der Code ausführen, Inhalte von anderen Adressen laden oder die Zeichnung vieltausendfach vervielfältigen könnte, wurde entfernt.
   *[other] { $count } Teile der Datei, die Code ausführen, Inhalte von anderen Adressen laden oder die Zeichnung vieltausendfach vervielfältigen könnten, wurden entfernt.
}
console-catalog-done-plan-removed = Der Lageplan ist entfernt.
console-catalog-done-plan-placed = Die Positionen sind gespeichert.
plan-show = Lageplan zeigen
plan-hide = Lageplan ausblenden
console-catalog-error-plan-entities = Die Zeichnung erklärt eigene Entitäten (ein altes Exportformat). Bitte als einfaches SVG speichern (zum Beispiel „SVG 1.1“ ohne DTD).
console-catalog-error-plan-too-complex = Die Zeichnung ist zu verschachtelt (mehr als 250 Ebenen oder mehr als 100 Namensraum-Angaben). Bitte Gruppen auflösen und erneut als einfaches SVG speichern.
