//! The hub manager console's use cases. `scope` says which hubs a member of staff may run and
//! resolves every id of the console against it; `audit` records every change made there. The
//! areas (catalog, people, live, reports) build on those two and nothing else decides access.

pub mod audit;
pub mod catalog;
pub mod live;
pub mod people;
pub mod reports;
pub mod scope;

pub use scope::StaffScope;
