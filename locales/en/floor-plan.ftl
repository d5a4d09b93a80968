# The floor plan: the day view's plan and the console's plan page.
plan-heading = Floor plan
plan-hour = Hour
plan-caption = Floor plan for { $hour }: which space is free, taken or closed. Each space leads to its booking form.
plan-unplaced = { $count ->
    [one] One space is not on the plan; the list below shows all of them.
   *[other] { $count } spaces are not on the plan; the list below shows all of them.
}
plan-list-hint = The list below shows the same as text, hour by hour.
console-catalog-spaces-plan = Floor plan
console-plan-title = Floor plan – { $hub }
console-plan-intro = The floor plan shows members on the day view where the spaces are and which are free at an hour.
console-plan-public = Open the day view
console-plan-preview = Preview: where the spaces are on the plan
console-plan-remove = Remove the floor plan
console-plan-none = This hub has no floor plan yet.
console-plan-upload = Upload a floor plan
console-plan-replace = Replace the floor plan
console-plan-file = SVG file
console-plan-file-hint = An SVG drawing, at most { $megabytes } MB. Scripts, references to other addresses, nested repetitions (use within use) and the drawing program's own data are removed on upload.
console-plan-alt-de-hint = Required: what does the plan show? For example: “Ground floor: entrance on the left, desks by the window, club room at the back on the right.”
console-plan-upload-button = Upload
console-plan-spots = Spaces on the plan
console-plan-spots-hint = In percent of the width (from the left) and of the height (from the top), for example 37.5. Leave both empty for a space that should not appear on the plan.
console-plan-x = From the left (%)
console-plan-y = From the top (%)
console-plan-spots-save = Save positions
console-catalog-error-plan-too-big = The file is too large: at most { $megabytes } MB.
console-catalog-error-plan-not-svg = This is not an SVG drawing. Please save the plan as SVG (for example with “Export as SVG”).
console-catalog-error-plan-no-size = The drawing has no readable size (viewBox, or width and height) or is narrower than 1 to 10.
console-catalog-error-plan-missing = Please choose an SVG file.
console-catalog-error-plan-alt-missing = Please describe what the plan shows.
console-catalog-error-plan-spots = Some positions cannot be read; nothing was saved. The rows are marked.
console-catalog-error-plan-coordinate-range = Please give a number from 0 to 100.
console-catalog-error-plan-coordinate-half = Please give both values or leave both empty.
console-catalog-done-plan-uploaded = The floor plan is saved.
console-catalog-done-plan-cleaned = The floor plan is saved. { $count ->
    [one] One part of the file that could run code, load content from other addresses or multiply the drawing many thousand times was removed.
   *[other] { $count } parts of the file that could run code, load content from other addresses or multiply the drawing many thousand times were removed.
}
console-catalog-done-plan-removed = The floor plan is removed.
console-catalog-done-plan-placed = The positions are saved.
plan-show = Show the floor plan
plan-hide = Hide the floor plan
console-catalog-error-plan-entities = The drawing declares entities of its own (an old export format). Please save it as plain SVG (for example “SVG 1.1” without a DTD).
console-catalog-error-plan-too-complex = The drawing is too intricate (more than 250 levels, or more than 100 namespace declarations). Please ungroup and save it as plain SVG again.
