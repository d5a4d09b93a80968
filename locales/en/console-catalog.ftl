# Console: operators, hubs, spaces, doors, sensors and bridges.
console-catalog-save = Save
console-catalog-actions = Actions
console-catalog-choose = Please choose
console-catalog-never = never
console-catalog-no-bridge = no bridge
console-catalog-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}

console-catalog-done-created = Created.
console-catalog-done-saved = Changes saved.
console-catalog-done-removed = Removed.
console-catalog-done-details = Name and address saved.
console-catalog-done-limits = Limits per person saved.
console-catalog-done-times = No-show and PIN times saved.
console-catalog-done-hours = Opening hours saved.
console-catalog-done-closures = Closures saved.
console-catalog-done-enabled = The space can be booked again.
console-catalog-done-disabled = { $count ->
    [0] The space is out of use. No booking was cancelled.
    [one] The space is out of use. 1 booking was cancelled; its member is told by e-mail.
   *[other] The space is out of use. { $count } bookings were cancelled; their members are told by e-mail.
}

console-catalog-error-required = Please fill this in.
console-catalog-error-too-long = Please enter at most { $max } characters.
console-catalog-error-control-characters = This text contains control characters that are not allowed.
console-catalog-error-out-of-range = Please enter a whole number from { $min } to { $max }.
console-catalog-error-slug-format = Please use 2 to 40 lowercase letters (a–z), digits and single hyphens, e.g. “polch-viedel”.
console-catalog-error-slug-reserved = This short name is reserved for the console. Please choose another.
console-catalog-error-slug-taken = Another hub already has this short name.
console-catalog-error-time-zone = Please give a time zone such as “Europe/Berlin”.
console-catalog-error-date-format = Please give a date.
console-catalog-error-choose-one = Please choose one of the options.
console-catalog-error-time-format = Please give times as HH:MM, e.g. 08:00 (24:00 only for “closes”).
console-catalog-error-interval-incomplete = Please give both start and end of each opening time – or leave both empty.
console-catalog-error-closes-before-opens = The end must be after the start.
console-catalog-error-intervals-overlap = The two opening times must not overlap.
console-catalog-error-slot-divides-day = The grid must divide the day evenly (e.g. 15, 30, 60 or 120 minutes).
console-catalog-error-multiple-of-slot = Please give a multiple of the grid.
console-catalog-error-max-below-min = The longest booking cannot be shorter than the shortest.
console-catalog-error-whole-days = For whole-day bookings please give whole days: 1440 minutes per day.
console-catalog-error-last-before-first = The last day cannot be before the first.
console-catalog-error-unit-needs-bridge = A Modbus unit id only counts together with a bridge. Please choose a bridge or clear the field.
console-catalog-error-unit-taken = Another door already has this unit id at this bridge.
console-catalog-error-space-watched = Another sensor already watches this space. The bridge allows one sensor per space.

console-catalog-operators-title = Operators
console-catalog-operators-intro = The towns and municipalities that run hubs, with their contacts and legal texts.
console-catalog-operators-new = Add operator
console-catalog-operators-none = No operator yet.
console-catalog-operator-new-title = New operator
console-catalog-operator-edit-title = Operator “{ $name }”
console-catalog-operator-name = Name
console-catalog-operator-legal-contact = Responsible body
console-catalog-operator-legal-contact-hint = Address and contact for the Impressum.
console-catalog-operator-privacy-contact = Data protection contact
console-catalog-operator-privacy-contact-hint = Who answers data protection requests (e-mail or address).
console-catalog-operator-retention = Access log kept for (days)
console-catalog-operator-retention-hint = 1 to 3650 days; 90 is usual. A daily job deletes older entries.
console-catalog-operator-imprint = Impressum (legal notice)
console-catalog-operator-privacy-policy = Privacy policy (Datenschutzerklärung)
console-catalog-operator-accessibility = Accessibility statement (Erklärung zur Barrierefreiheit)
console-catalog-operator-text-hint = Plain text; blank lines separate paragraphs. It appears on the public pages of this operator's hubs.
console-catalog-operator-view-legal = View the public legal pages

console-catalog-hub-new-title = New hub
console-catalog-hub-new-intro = A new hub has no opening hours yet and cannot be booked until you enter them in its settings.
console-catalog-hub-new-no-operator = Add an operator first.
console-catalog-hub-operator = Operator
console-catalog-hub-slug = Short name in the address
console-catalog-hub-slug-hint = Lowercase letters, digits and hyphens, e.g. “polch-viedel”. It appears in the pages' addresses.
console-catalog-hub-slug-change-hint = Change it with care: old links to the hub's pages stop working.
console-catalog-hub-name = Name
console-catalog-hub-street = Street and number
console-catalog-hub-postcode = Postcode
console-catalog-hub-town = Town
console-catalog-hub-time-zone = Time zone
console-catalog-hub-time-zone-hint = IANA name, e.g. “Europe/Berlin”. It cannot be changed later.
console-catalog-hub-create = Create hub
console-catalog-hub-max-concurrent = Simultaneous bookings per person
console-catalog-hub-max-concurrent-hint = 1 to 50 bookings that may overlap in time.
console-catalog-hub-max-upcoming = Open bookings per person
console-catalog-hub-max-upcoming-hint = 1 to 500 bookings that have not ended yet.
console-catalog-hub-no-show = Release without check-in after (minutes)
console-catalog-hub-no-show-hint = 5 to 240 minutes after the start: whoever has not checked in by then loses the booking.
console-catalog-hub-pin-grace = PIN valid before the start (minutes)
console-catalog-hub-pin-grace-hint = 0 to 120 minutes: this early the PIN opens the door before the booking starts.

console-catalog-settings-title = Settings: { $hub }
console-catalog-settings-details = Name and address
console-catalog-settings-admin-only = Short name, operator and time zone are changed by the county administration only.
console-catalog-settings-limits = Limits per person
console-catalog-settings-times = No-show and PIN
console-catalog-settings-hours = Opening hours
console-catalog-closures-table = Closures entered
console-catalog-settings-closures = Closures and holidays
console-catalog-save-details = Save name and address
console-catalog-save-limits = Save limits
console-catalog-save-times = Save times
console-catalog-save-hours = Save opening hours
console-catalog-hours-hint = Up to two times a day as HH:MM, e.g. 08:00 to 12:00 and 13:00 to 18:00; 24:00 for midnight. All fields of a day empty: closed. Existing bookings stay.
console-catalog-hours-opens = Opens (time { $number })
console-catalog-hours-closes = Closes (time { $number })
console-catalog-closures-intro = Nobody can make new bookings on these days. Existing bookings stay.
console-catalog-closures-none = No closures entered.
console-catalog-closure-label = Occasion
console-catalog-closure-label-hint = Shown when booking, e.g. “Christmas Eve” or “Renovation”.
console-catalog-closure-days = Days
console-catalog-closure-first-day = First day
console-catalog-closure-last-day = Last day
console-catalog-closure-last-day-hint = For a single day, the same day as the first.
console-catalog-closure-add = Add closure
console-catalog-closure-remove = Remove

console-catalog-spaces-title = Spaces: { $hub }
console-catalog-spaces-new = Add space
console-catalog-spaces-none = No spaces yet.
console-catalog-space-name = Name
console-catalog-space-kind = Kind
console-catalog-space-unit = Booked
console-catalog-space-unit-hint = By the hour on a grid, or whole days.
console-catalog-unit-hour = by the hour
console-catalog-unit-day = whole days
console-catalog-space-rules-column = Rules
console-catalog-space-rules = { $min } to { $max }, up to { $days } days ahead
console-catalog-space-state = State
console-catalog-space-enabled = ✓ bookable
console-catalog-space-disabled = ✕ out of use
console-catalog-space-disable = Take out of use
console-catalog-space-enable = Make bookable again
console-catalog-space-upcoming-link = Upcoming bookings
console-catalog-space-new-title = New space
console-catalog-space-edit-title = Edit “{ $name }”
console-catalog-space-capacity = Places
console-catalog-space-capacity-hint = 1 to 500 people.
console-catalog-space-slot = Grid (minutes)
console-catalog-space-slot-hint = By the hour: bookings start and end on this grid from midnight, 5 to 720 minutes. Ignored for whole days.
console-catalog-space-min = Shortest booking (minutes)
console-catalog-space-max = Longest booking (minutes)
console-catalog-space-length-hint = By the hour: a multiple of the grid, at most 1440. Whole days: 1440 per day, at most 30 days.
console-catalog-space-days-ahead = Bookable ahead (days)
console-catalog-space-days-ahead-hint = 0 to 365; 0 means today only.
console-catalog-space-position = Order
console-catalog-space-position-hint = A whole number from 0 to 999; empty means 0. Lower numbers come first in lists; spaces with the same number are sorted by kind and name in natural order (Desk 2 before Desk 10).
console-catalog-space-approval = Bookings need approval
console-catalog-space-approval-hint = New bookings wait until someone of the hub confirms them.

console-catalog-disable-title = Take “{ $name }” out of use
console-catalog-disable-already = This space is out of use already. Here you can cancel its upcoming bookings.
console-catalog-disable-intro = Afterwards nobody can book this space. Bookings already running always stay.
console-catalog-disable-upcoming = { $count ->
    [0] There are no upcoming bookings.
    [one] There is 1 upcoming booking.
   *[other] There are { $count } upcoming bookings.
}
console-catalog-disable-question = What should happen to the upcoming bookings?
console-catalog-disable-keep = Keep them
console-catalog-disable-cancel = Cancel them and tell the members by e-mail (their PINs stop working at once)
console-catalog-disable-submit = Take out of use
console-catalog-mail-reason-space-disabled = Reason: the hub team has taken the space out of use. We apologise.

console-catalog-doors-title = Doors: { $hub }
console-catalog-doors-intro = Every change reaches the hub's bridges at once.
console-catalog-doors-new = Add door
console-catalog-doors-none = No doors yet.
console-catalog-door-name = Name
console-catalog-door-state = State
console-catalog-door-state-closed = closed
console-catalog-door-state-open = open
console-catalog-door-state-held_open = ⚠ held open
console-catalog-door-state-unknown = unknown
console-catalog-door-state-none = not reported yet
console-catalog-door-leads-to = Leads to
console-catalog-door-entrance = Entrance
console-catalog-door-entrance-hint = An entrance opens for every booking of the hub, whatever the space.
console-catalog-door-entrance-all = all spaces (entrance)
console-catalog-door-no-spaces = This hub has no spaces yet.
console-catalog-door-bridge = Bridge
console-catalog-door-bridge-hint = The bridge the door controller polls.
console-catalog-door-unit = Modbus unit id
console-catalog-door-unit-hint = 1 to 247, once per bridge; empty when the door has no controller of its own. In the bridge configuration: controller = { "{" } unit_id = … { "}" }.
console-catalog-door-id = Door id
console-catalog-door-id-hint = This is the door's name in the bridge configuration ([[door]] id = …).
console-catalog-door-new-title = New door
console-catalog-door-edit-title = Door “{ $name }”
console-catalog-door-remove = Remove
console-catalog-door-remove-title = Remove door “{ $name }”?
console-catalog-door-remove-intro = The bridges will then open this door for nobody. Access log entries stay but no longer name the door.

console-catalog-sensors-title = Sensors: { $hub }
console-catalog-sensors-intro = A presence sensor reports whether someone is at a desk or in a room right now – never who. Its readings check bookings in by themselves, and the utilization report shows how the spaces are really used. A sensor never decides access.
console-catalog-sensors-new = Add sensor
console-catalog-sensors-none = No sensors yet: none is registered, and the bridge has not reported any presence.
console-catalog-sensor-name = Name
console-catalog-sensor-space = Space watched
console-catalog-sensor-space-hint = One sensor per space.
console-catalog-sensor-bridge = Bridge
console-catalog-sensor-id = Sensor id
console-catalog-sensor-config = Bridge entry
console-catalog-sensor-latest = Latest reading
console-catalog-sensor-reading = { $state } ({ $time })
console-catalog-sensor-no-reading = no reading yet
console-catalog-sensor-unregistered = Not registered yet
console-catalog-sensor-bridge-reports = reported by the bridge
console-catalog-sensor-register = Register
console-catalog-sensor-new-title = New sensor
console-catalog-sensor-edit-title = Sensor “{ $name }”
console-catalog-sensor-remove = Remove
console-catalog-sensor-remove-title = Remove sensor “{ $name }”?
console-catalog-sensor-remove-intro = Earlier readings stay for the utilization statistics.
console-catalog-sensors-config-title = How a sensor is added
console-catalog-sensors-config-intro = Sensors are not on the internet themselves but connected to your hub's bridge: the small device on site that also drives the doors and passes their reports on to RegioHub. Whoever looks after your hub's equipment connects the sensor to the bridge and sets there which space it watches (what the “Bridge entry” column shows). As soon as the bridge sends its first readings, the sensor appears in this list and on the dashboard.
console-catalog-sensors-config-device = Then register it here (“Register” or “Add sensor”) with a name and its bridge. Only a registered sensor counts as a way to check in: RegioHub releases a booking as a no-show only where checking in was possible.

console-catalog-bridges-title = Bridges: { $hub }
console-catalog-bridges-intro = A bridge connects the hub's door controllers to this service. Its access token is shown only once.
console-catalog-bridges-none = No bridge yet.
console-catalog-bridges-new = Add bridge
console-catalog-bridges-create = Create bridge and show its token
console-catalog-bridge-name = Name
console-catalog-bridge-name-hint = E.g. “Bridge ground floor”.
console-catalog-bridge-created = Created
console-catalog-bridge-last-seen = Last seen
console-catalog-bridge-rotated = Token renewed
console-catalog-bridge-id = Bridge id
console-catalog-bridge-rotate = Renew token
console-catalog-bridge-rotate-title = Renew the token of bridge “{ $name }”?
console-catalog-bridge-rotate-intro = The old token stops working at once. Until the new one is installed the bridge decides from its last list.
console-catalog-token-created-title = Bridge “{ $name }” created
console-catalog-token-rotated-title = New token for “{ $name }”
console-catalog-token-once = This token is shown only now. Copy it before you leave the page.
console-catalog-token-label = The bridge's access token
console-catalog-token-old-revoked = The old token no longer works.
console-catalog-token-install = On the bridge's computer, put it into the file named by token_file (readable by the bridge only).
console-catalog-token-done = Done, back to the list
console-catalog-bridge-setup-title = Setting up the bridge
console-catalog-bridge-setup-hub-id = The bridge configuration names this hub's id:
console-catalog-bridge-setup-pin-key = The hub's PIN key is made by the server's administrators on this service's server, who hand the file over securely (not by e-mail):
