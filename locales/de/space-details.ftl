# Space details (issue 16): the details page /spaces/{id}, the day view's filter and the
# console's details and photos page.

space-equipment-monitor = Bildschirm
space-equipment-height_adjustable_desk = Höhenverstellbarer Schreibtisch
space-equipment-whiteboard = Whiteboard
space-equipment-video_conferencing = Videokonferenz-Technik
space-equipment-projector = Beamer
space-equipment-docking_station = Dockingstation
space-accessibility-step_free_access = Stufenloser Zugang
space-accessibility-accessible_toilet_nearby = Barrierefreies WC in der Nähe
space-accessibility-hearing_loop = Induktionsschleife
space-accessibility-accessible_parking = Behindertenparkplatz am Haus
space-accessibility-wide_door = Tür mindestens 90 cm breit

space-details-kind = Art
space-details-capacity = Plätze
space-details-capacity-value = { $count ->
    [one] 1 Person
   *[other] bis { $count } Personen
}
space-details-equipment = Ausstattung
space-details-none = Keine besondere Ausstattung angegeben.
space-details-accessibility = Barrierefreiheit
space-details-accessibility-none = Noch keine Angaben zur Barrierefreiheit. Fragen Sie gern beim Hub nach.
space-details-photos = Fotos
space-details-book = „{ $space }“ buchen
space-details-link = Details

day-filter = Filtern nach Art, Ausstattung und Barrierefreiheit
day-filter-kind = Art
day-filter-kind-any = alle
day-filter-equipment = Ausstattung (alle gewählten)
day-filter-accessibility = Barrierefreiheit (alle gewählten)
day-filter-apply = Filter anwenden
day-filter-no-match = Kein Bereich passt zu diesem Filter.
day-filter-reset = Filter aufheben

space-console-title = Details und Fotos: { $name }
space-console-link = Details und Fotos
space-console-public-page = Seite für Mitglieder ansehen
space-console-facts = Beschreibung, Ausstattung, Barrierefreiheit
space-console-description = Beschreibung
space-console-description-hint = Was Mitglieder vor dem Buchen wissen sollten, höchstens 2000 Zeichen. Eine Leerzeile beginnt einen neuen Absatz.
space-console-photos-hint = Bis zu { $count } Fotos, je höchstens { $megabytes } MB (JPEG, PNG oder WebP). Wir verkleinern jedes Foto auf höchstens 1600 × 1200 Pixel und speichern es ohne Metadaten (Kamera, Ort, Zeit).
space-console-no-photos = Noch keine Fotos.
space-console-alt = Alternativtext
space-console-remove-photo = Foto entfernen
space-console-add-photo = Foto hinzufügen
space-console-photo-file = Foto
space-console-photo-file-hint = JPEG, PNG oder WebP, höchstens { $megabytes } MB.
space-console-alt-de = Alternativtext (Deutsch)
space-console-alt-de-hint = Pflicht: Was zeigt das Foto? Ein Satz für Menschen, die es nicht sehen können.
space-console-alt-en = Alternativtext (Englisch)
space-console-alt-en-hint = Freiwillig; ohne ihn sehen englische Seiten den deutschen Text.
space-console-upload = Hochladen
space-console-photo-limit-reached = Dieser Bereich hat schon { $count } Fotos. Entfernen Sie eines, um ein anderes hochzuladen.

console-catalog-done-photo-added = Das Foto ist gespeichert.
console-catalog-done-photo-removed = Das Foto ist entfernt.
console-catalog-error-description-too-long = Die Beschreibung ist zu lang: höchstens 2000 Zeichen.
console-catalog-error-alt-missing = Bitte beschreiben Sie, was das Foto zeigt.
console-catalog-error-alt-too-long = Der Alternativtext ist zu lang: höchstens 250 Zeichen.
console-catalog-error-photo-limit = Ein Bereich hat höchstens { $max } Fotos. Bitte erst eines entfernen.
console-catalog-error-photo-missing = Bitte wählen Sie ein Foto aus.
console-catalog-error-photo-too-big = Die Datei ist zu groß: höchstens { $megabytes } MB.
console-catalog-error-photo-format = Das ist kein JPEG-, PNG- oder WebP-Bild.
console-catalog-error-photo-dimensions = Das Bild ist zu groß: höchstens 8000 Pixel je Seite.
console-catalog-error-photo-unreadable = Das Bild lässt sich nicht lesen. Ist die Datei vollständig?
space-details-about = Mehr über diesen Bereich: Ausstattung, Barrierefreiheit, Fotos
day-filter-open = Filtern
day-spaces-overview = Alle Bereiche im Detail
hub-spaces-title = Bereiche: { $hub }
hub-spaces-intro = Ausstattung und Barrierefreiheit aller Bereiche; der Name führt zu Beschreibung und Fotos.
hub-spaces-day-view = Zur Belegung
