# Space details (issue 16): the details page /spaces/{id}, the day view's filter and the
# console's details and photos page.

space-equipment-monitor = Monitor
space-equipment-height_adjustable_desk = Height-adjustable desk
space-equipment-whiteboard = Whiteboard
space-equipment-video_conferencing = Video conferencing
space-equipment-projector = Projector
space-equipment-docking_station = Docking station
space-accessibility-step_free_access = Step-free access
space-accessibility-accessible_toilet_nearby = Accessible toilet nearby
space-accessibility-hearing_loop = Hearing loop
space-accessibility-accessible_parking = Accessible parking at the building
space-accessibility-wide_door = Door at least 90 cm wide

space-details-kind = Kind
space-details-capacity = Capacity
space-details-capacity-value = { $count ->
    [one] 1 person
   *[other] up to { $count } people
}
space-details-equipment = Equipment
space-details-none = No particular equipment listed.
space-details-accessibility = Accessibility
space-details-accessibility-none = No accessibility information yet. Feel free to ask the hub.
space-details-photos = Photos
space-details-book = Book “{ $space }”
space-details-link = Details

day-filter = Filter by kind, equipment and accessibility
day-filter-kind = Kind
day-filter-kind-any = any
day-filter-equipment = Equipment (all chosen)
day-filter-accessibility = Accessibility (all chosen)
day-filter-apply = Apply filter
day-filter-no-match = No space matches this filter.
day-filter-reset = Clear filter

space-console-title = Details and photos: { $name }
space-console-link = Details and photos
space-console-public-page = View the members' page
space-console-facts = Description, equipment, accessibility
space-console-description = Description
space-console-description-hint = What members should know before booking, at most 2000 characters. A blank line starts a new paragraph.
space-console-photos-hint = Up to { $count } photos, each at most { $megabytes } MB (JPEG, PNG or WebP). Each photo is scaled to at most 1600 × 1200 pixels and stored without metadata (camera, place, time).
space-console-no-photos = No photos yet.
space-console-alt = Alt text
space-console-remove-photo = Remove photo
space-console-add-photo = Add a photo
space-console-photo-file = Photo
space-console-photo-file-hint = JPEG, PNG or WebP, at most { $megabytes } MB.
space-console-alt-de = Alt text (German)
space-console-alt-de-hint = Required: what does the photo show? One sentence for people who cannot see it.
space-console-alt-en = Alt text (English)
space-console-alt-en-hint = Optional; without it English pages show the German text.
space-console-upload = Upload
space-console-photo-limit-reached = This space already has { $count } photos. Remove one to upload another.

console-catalog-done-photo-added = The photo is saved.
console-catalog-done-photo-removed = The photo is removed.
console-catalog-error-description-too-long = The description is too long: at most 2000 characters.
console-catalog-error-alt-missing = Please describe what the photo shows.
console-catalog-error-alt-too-long = The alt text is too long: at most 250 characters.
console-catalog-error-photo-limit = A space has at most { $max } photos. Please remove one first.
console-catalog-error-photo-missing = Please choose a photo.
console-catalog-error-photo-too-big = The file is too large: at most { $megabytes } MB.
console-catalog-error-photo-format = This is not a JPEG, PNG or WebP image.
console-catalog-error-photo-dimensions = The image is too large: at most 8000 pixels per side.
console-catalog-error-photo-unreadable = The image cannot be read. Is the file complete?
space-details-about = More about this space: equipment, accessibility, photos
day-filter-open = Filter
day-spaces-overview = All spaces in detail
hub-spaces-title = Spaces: { $hub }
hub-spaces-intro = Equipment and accessibility of every space; the name leads to its description and photos.
hub-spaces-day-view = To the bookings
