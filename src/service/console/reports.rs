//! Looking back: utilization charts with their data tables, and CSV exports of bookings.
