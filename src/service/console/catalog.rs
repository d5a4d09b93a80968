//! Running a hub's things: operators, hubs (details, hours, closures, legal texts, settings), spaces, doors, sensors and bridges.
