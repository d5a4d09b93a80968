//! Console tests: People and bookings in the console: users (search, roles, block), pending approvals, bookings on behalf.
